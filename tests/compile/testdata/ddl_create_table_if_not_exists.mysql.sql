-- note: SQL Server has no CREATE TABLE IF NOT EXISTS: an error; SQLAlchemy renders it.
CREATE TABLE IF NOT EXISTS book_tag (
	book_id BIGINT NOT NULL, 
	tag VARCHAR(30) NOT NULL, 
	PRIMARY KEY (book_id, tag), 
	FOREIGN KEY(book_id) REFERENCES book (id)
)
-- args: none
