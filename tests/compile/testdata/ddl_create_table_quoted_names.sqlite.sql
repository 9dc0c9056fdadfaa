-- note: Oracle: autoincrement key as IDENTITY (SQLAlchemy 2.0: NOT NULL).
CREATE TABLE "User Data" (
	"ID" INTEGER NOT NULL, 
	"select" VARCHAR(5), 
	"we""ird" INTEGER, 
	PRIMARY KEY ("ID")
)
-- args: none
