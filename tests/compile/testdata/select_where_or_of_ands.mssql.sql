SELECT t.id 
FROM t 
WHERE t.x > @p1 AND t.x < @p2 OR t.name = @p3
-- args: 1, 9, "z"
