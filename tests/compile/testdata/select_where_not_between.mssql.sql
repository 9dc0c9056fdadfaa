SELECT t.id 
FROM t 
WHERE t.x NOT BETWEEN @p1 AND @p2
-- args: 1, 10
