CREATE TABLE employees (
	id INTEGER NOT NULL, 
	name VARCHAR(50) NOT NULL, 
	type VARCHAR(20) NOT NULL, 
	budget BIGINT, 
	PRIMARY KEY (id)
);

CREATE TABLE engineers (
	id BIGINT NOT NULL, 
	language VARCHAR(30) NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(id) REFERENCES employees (id)
);

