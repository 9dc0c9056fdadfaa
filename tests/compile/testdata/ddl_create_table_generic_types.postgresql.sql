-- note: Enum is not native by default (VARCHAR); SQLAlchemy's Enum defaults to a native type on PostgreSQL.
CREATE TABLE all_types (
	i INTEGER NOT NULL, 
	bi BIGINT, 
	si SMALLINT, 
	s VARCHAR(20), 
	txt TEXT, 
	b BOOLEAN, 
	f FLOAT, 
	dbl DOUBLE PRECISION, 
	num NUMERIC(12, 4), 
	dt DATE, 
	tm TIME WITHOUT TIME ZONE, 
	ts TIMESTAMP WITHOUT TIME ZONE, 
	tstz TIMESTAMP WITH TIME ZONE, 
	bin BYTEA, 
	js JSON, 
	u UUID, 
	mood VARCHAR(5), 
	PRIMARY KEY (i)
)
-- args: none
