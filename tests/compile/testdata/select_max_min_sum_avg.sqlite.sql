SELECT max(t.x) AS max_1, min(t.x) AS min_1, sum(t.x) AS sum_1, avg(t.x) AS avg_1 
FROM t
-- args: none
