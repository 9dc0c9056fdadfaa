UPDATE t SET x=(t.x + @p1), ts=CURRENT_TIMESTAMP WHERE t.x < @p2
-- args: 1, 100
