CREATE INDEX ix_book_title ON book (title)
-- args: none
