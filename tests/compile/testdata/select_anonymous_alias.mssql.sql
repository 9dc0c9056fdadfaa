SELECT t_1.id 
FROM t AS t_1 
WHERE t_1.x > @p1
-- args: 1
