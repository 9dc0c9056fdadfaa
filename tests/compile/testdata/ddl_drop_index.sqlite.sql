DROP INDEX ix_book_title
-- args: none
