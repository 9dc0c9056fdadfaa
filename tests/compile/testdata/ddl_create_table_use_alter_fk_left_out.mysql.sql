-- note: SQLite has no ALTER TABLE ADD CONSTRAINT, so the use-alter foreign key stays inline; Oracle: autoincrement key as IDENTITY.
CREATE TABLE fan (
	id INTEGER NOT NULL AUTO_INCREMENT, 
	fav_book_id BIGINT, 
	PRIMARY KEY (id)
)
-- args: none
