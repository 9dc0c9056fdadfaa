-- error: retort: compile: (in table "user_account", column "fullname"): VARCHAR requires a length on dialect mysql

CREATE TABLE address (
	id BIGINT NOT NULL AUTO_INCREMENT, 
	email_address VARCHAR(100) NOT NULL, 
	user_id BIGINT NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(user_id) REFERENCES user_account (id)
);

