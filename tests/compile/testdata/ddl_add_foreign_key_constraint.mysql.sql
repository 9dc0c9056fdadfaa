-- note: SQLite cannot add a constraint to an existing table: an error; SQLAlchemy renders it.
ALTER TABLE fan ADD CONSTRAINT fk_author_fav_book FOREIGN KEY(fav_book_id) REFERENCES book (id)
-- args: none
