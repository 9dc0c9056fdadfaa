-- note: Oracle: autoincrement key as IDENTITY (SQLAlchemy 2.0: NOT NULL).
CREATE TABLE [User Data] (
	[ID] INTEGER NOT NULL IDENTITY, 
	[select] VARCHAR(5) NULL, 
	[we"ird] INTEGER NULL, 
	PRIMARY KEY ([ID])
)
-- args: none
