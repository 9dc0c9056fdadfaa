CREATE TABLE nodes (
	id BIGSERIAL NOT NULL, 
	parent_id BIGINT, 
	data VARCHAR(50) NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(parent_id) REFERENCES nodes (id)
);

