DELETE FROM o WHERE o.v < @p1
-- args: 0
