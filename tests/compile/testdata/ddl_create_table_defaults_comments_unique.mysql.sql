-- note: Oracle: autoincrement key as IDENTITY and TIMESTAMP WITH TIME ZONE (SQLAlchemy 2.0: NOT NULL and DATE).
CREATE TABLE author (
	id INTEGER NOT NULL AUTO_INCREMENT, 
	name VARCHAR(100) NOT NULL, 
	bio TEXT COMMENT 'free text, it''s optional', 
	created DATETIME DEFAULT (now()), 
	status VARCHAR(10) DEFAULT 'new', 
	active BOOL NOT NULL DEFAULT true, 
	PRIMARY KEY (id), 
	UNIQUE (name)
)COMMENT='people who write'
-- args: none
