-- note: MariaDB and Oracle have no partial index: an error; SQLAlchemy silently drops the WHERE.
CREATE UNIQUE INDEX ix_book_author_isbn ON book (author_id, isbn) WHERE isbn IS NOT NULL
-- args: none
