CREATE TABLE nodes (
	id BIGINT NOT NULL IDENTITY, 
	parent_id BIGINT NULL, 
	data VARCHAR(50) NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(parent_id) REFERENCES nodes (id)
);

