-- note: Oracle: autoincrement key as IDENTITY and TIMESTAMP WITH TIME ZONE (SQLAlchemy 2.0: NOT NULL and DATE).
CREATE TABLE author (
	id INTEGER NOT NULL, 
	name VARCHAR(100) NOT NULL, 
	bio TEXT, 
	created DATETIME DEFAULT CURRENT_TIMESTAMP, 
	status VARCHAR(10) DEFAULT 'new', 
	active BOOLEAN DEFAULT 1 NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (name)
)
-- args: none
