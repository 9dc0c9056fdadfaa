-- note: Oracle: autoincrement key as IDENTITY (SQLAlchemy 2.0: NOT NULL).
CREATE TABLE `User Data` (
	`ID` INTEGER NOT NULL AUTO_INCREMENT, 
	`select` VARCHAR(5), 
	`we"ird` INTEGER, 
	PRIMARY KEY (`ID`)
)
-- args: none
