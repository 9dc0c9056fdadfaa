-- note: SQLite cannot drop a constraint: an error; SQLAlchemy renders it.
ALTER TABLE fan DROP CONSTRAINT fk_author_fav_book
-- args: none
