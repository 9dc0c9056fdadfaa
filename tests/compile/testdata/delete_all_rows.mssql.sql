DELETE FROM o
-- args: none
