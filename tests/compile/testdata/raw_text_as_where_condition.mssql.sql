SELECT t.id 
FROM t 
WHERE t.x > @p1
-- args: 3
