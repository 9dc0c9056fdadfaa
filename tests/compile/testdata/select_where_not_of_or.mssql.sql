SELECT t.id 
FROM t 
WHERE NOT (t.x = @p1 OR t.name = @p2)
-- args: 1, "a"
