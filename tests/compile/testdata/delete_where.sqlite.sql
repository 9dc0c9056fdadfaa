DELETE FROM o WHERE o.v < ?
-- args: 0
