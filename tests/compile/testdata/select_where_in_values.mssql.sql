SELECT t.id 
FROM t 
WHERE t.x IN (@p1, @p2, @p3)
-- args: 1, 2, 3
