-- note: Enum is not native by default (VARCHAR); SQLAlchemy's Enum defaults to a native type on PostgreSQL.
CREATE TABLE all_types (
	i INTEGER NOT NULL, 
	bi BIGINT, 
	si SMALLINT, 
	s VARCHAR(20), 
	txt TEXT, 
	b BOOL, 
	f FLOAT, 
	dbl DOUBLE, 
	num NUMERIC(12, 4), 
	dt DATE, 
	tm TIME, 
	ts DATETIME, 
	tstz DATETIME, 
	bin LONGBLOB, 
	js JSON, 
	u CHAR(32), 
	mood VARCHAR(5), 
	PRIMARY KEY (i)
)
-- args: none
