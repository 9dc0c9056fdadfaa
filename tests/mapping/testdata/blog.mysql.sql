CREATE TABLE authors (
	first_name VARCHAR(50) NOT NULL, 
	last_name VARCHAR(50) NOT NULL, 
	bio TEXT, 
	PRIMARY KEY (first_name, last_name)
);

CREATE TABLE posts (
	id BIGINT NOT NULL AUTO_INCREMENT, 
	title VARCHAR(200) NOT NULL, 
	`body` TEXT NOT NULL, 
	published DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, 
	author_first VARCHAR(50) NOT NULL, 
	author_last VARCHAR(50) NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT fk_post_author FOREIGN KEY(author_first, author_last) REFERENCES authors (first_name, last_name) ON DELETE CASCADE
);
CREATE INDEX ix_posts_title ON posts (title);

CREATE TABLE tags (
	id BIGINT NOT NULL AUTO_INCREMENT, 
	name VARCHAR(40) NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (name)
);

CREATE TABLE comments (
	id BIGINT NOT NULL AUTO_INCREMENT, 
	post_id BIGINT NOT NULL, 
	text TEXT NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(post_id) REFERENCES posts (id) ON DELETE CASCADE
);

CREATE TABLE post_tags (
	post_id BIGINT NOT NULL, 
	tag_id INTEGER NOT NULL, 
	PRIMARY KEY (post_id, tag_id), 
	FOREIGN KEY(post_id) REFERENCES posts (id) ON DELETE CASCADE, 
	FOREIGN KEY(tag_id) REFERENCES tags (id) ON DELETE CASCADE
);

