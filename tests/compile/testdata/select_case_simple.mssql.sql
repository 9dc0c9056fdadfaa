SELECT CASE t.x WHEN @p1 THEN @p2 WHEN @p3 THEN @p4 END AS word 
FROM t
-- args: 1, "one", 2, "two"
