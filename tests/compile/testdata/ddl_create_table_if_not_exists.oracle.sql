-- note: SQL Server has no CREATE TABLE IF NOT EXISTS: an error; SQLAlchemy renders it.
CREATE TABLE IF NOT EXISTS book_tag (
	book_id NUMBER(19) NOT NULL, 
	tag VARCHAR2(30 CHAR) NOT NULL, 
	PRIMARY KEY (book_id, tag), 
	FOREIGN KEY(book_id) REFERENCES book (id)
)
-- args: none
