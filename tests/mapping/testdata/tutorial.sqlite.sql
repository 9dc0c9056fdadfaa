CREATE TABLE user_account (
	id INTEGER NOT NULL, 
	name VARCHAR(30) NOT NULL, 
	fullname VARCHAR, 
	PRIMARY KEY (id)
);

CREATE TABLE address (
	id INTEGER NOT NULL, 
	email_address VARCHAR(100) NOT NULL, 
	user_id BIGINT NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(user_id) REFERENCES user_account (id)
);

