SELECT CASE WHEN (t.x < @p1) THEN @p2 WHEN (t.x = @p3) THEN @p4 ELSE @p5 END AS sign 
FROM t
-- args: 0, "neg", 0, "zero", "pos"
