SELECT t.id, (SELECT count(*) AS count_1 
FROM o 
WHERE o.t_id = t.id) AS n 
FROM t
-- args: none
