DELETE FROM o WHERE o.v < :1
-- args: 0
