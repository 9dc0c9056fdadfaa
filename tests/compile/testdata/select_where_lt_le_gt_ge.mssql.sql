SELECT t.id 
FROM t 
WHERE t.x < @p1 AND t.x <= @p2 AND t.x > @p3 AND t.x >= @p4
-- args: 1, 2, 3, 4
