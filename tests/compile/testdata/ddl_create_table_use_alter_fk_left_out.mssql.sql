-- note: SQLite has no ALTER TABLE ADD CONSTRAINT, so the use-alter foreign key stays inline; Oracle: autoincrement key as IDENTITY.
CREATE TABLE fan (
	id INTEGER NOT NULL IDENTITY, 
	fav_book_id BIGINT NULL, 
	PRIMARY KEY (id)
)
-- args: none
