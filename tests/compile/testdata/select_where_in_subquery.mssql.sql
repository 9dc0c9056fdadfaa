SELECT t.id 
FROM t 
WHERE t.id IN (SELECT o.t_id 
FROM o 
WHERE o.v > @p1)
-- args: 10
