CREATE TABLE user_account (
	id BIGINT NOT NULL IDENTITY, 
	name VARCHAR(30) NOT NULL, 
	fullname VARCHAR(max) NULL, 
	PRIMARY KEY (id)
);

CREATE TABLE address (
	id BIGINT NOT NULL IDENTITY, 
	email_address VARCHAR(100) NOT NULL, 
	user_id BIGINT NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(user_id) REFERENCES user_account (id)
);

