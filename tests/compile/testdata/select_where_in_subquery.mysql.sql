SELECT t.id 
FROM t 
WHERE t.id IN (SELECT o.t_id 
FROM o 
WHERE o.v > ?)
-- args: 10
