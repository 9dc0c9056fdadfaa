SELECT t.id 
FROM t 
WHERE t.x > (SELECT max(o.v) AS max_1 
FROM o 
WHERE o.t_id = t.id)
-- args: none
