SELECT count(DISTINCT t.name) AS count_1 
FROM t
-- args: none
