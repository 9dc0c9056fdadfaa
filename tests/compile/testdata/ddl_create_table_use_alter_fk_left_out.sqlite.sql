-- note: SQLite has no ALTER TABLE ADD CONSTRAINT, so the use-alter foreign key stays inline; Oracle: autoincrement key as IDENTITY.
CREATE TABLE fan (
	id INTEGER NOT NULL, 
	fav_book_id BIGINT, 
	PRIMARY KEY (id), 
	CONSTRAINT fk_author_fav_book FOREIGN KEY(fav_book_id) REFERENCES book (id)
)
-- args: none
