-- note: Enum is not native by default (VARCHAR); SQLAlchemy's Enum defaults to a native type on PostgreSQL.
CREATE TABLE all_types (
	i INTEGER NOT NULL, 
	bi BIGINT NULL, 
	si SMALLINT NULL, 
	s VARCHAR(20) NULL, 
	txt VARCHAR(max) NULL, 
	b BIT NULL, 
	f FLOAT NULL, 
	dbl DOUBLE PRECISION NULL, 
	num NUMERIC(12, 4) NULL, 
	dt DATE NULL, 
	tm TIME NULL, 
	ts DATETIME NULL, 
	tstz DATETIMEOFFSET NULL, 
	bin VARBINARY(max) NULL, 
	js NVARCHAR(max) NULL, 
	u UNIQUEIDENTIFIER NULL, 
	mood VARCHAR(5) NULL, 
	PRIMARY KEY (i)
)
-- args: none
