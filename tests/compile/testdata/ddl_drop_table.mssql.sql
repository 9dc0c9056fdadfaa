DROP TABLE book
-- args: none
