SELECT t.id 
FROM t 
WHERE (t.x = @p1 OR t.x = @p2) AND (t.name = @p3 OR t.name = @p4)
-- args: 1, 2, "a", "b"
