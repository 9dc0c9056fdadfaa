-- note: Oracle: autoincrement key as IDENTITY and TIMESTAMP WITH TIME ZONE (SQLAlchemy 2.0: NOT NULL and DATE).
CREATE TABLE author (
	id SERIAL NOT NULL, 
	name VARCHAR(100) NOT NULL, 
	bio TEXT, 
	created TIMESTAMP WITH TIME ZONE DEFAULT now(), 
	status VARCHAR(10) DEFAULT 'new', 
	active BOOLEAN DEFAULT true NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (name)
)
-- args: none
