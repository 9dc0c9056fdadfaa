SELECT t.id 
FROM t 
WHERE (t.x NOT IN (@p1, @p2))
-- args: 1, 2
