SELECT id FROM t WHERE x > @p1 AND name = @p2
-- args: 5, "a"
