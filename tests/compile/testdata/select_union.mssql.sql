SELECT t.id 
FROM t 
WHERE t.x = @p1 UNION SELECT o.id 
FROM o 
WHERE o.v = @p2
-- args: 1, 2
