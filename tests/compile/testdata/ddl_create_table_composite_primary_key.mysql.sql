CREATE TABLE book_tag (
	book_id BIGINT NOT NULL, 
	tag VARCHAR(30) NOT NULL, 
	PRIMARY KEY (book_id, tag), 
	FOREIGN KEY(book_id) REFERENCES book (id)
)
-- args: none
