DROP INDEX ix_book_title ON book
-- args: none
