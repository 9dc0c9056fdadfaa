-- note: SQLite: a BIGINT primary key is INTEGER so it aliases the rowid (SQLAlchemy: BIGINT).
CREATE TABLE ident (
	id BIGINT GENERATED ALWAYS AS IDENTITY (START WITH 1000), 
	qty INTEGER, 
	double_qty INTEGER GENERATED ALWAYS AS (qty * 2) STORED, 
	PRIMARY KEY (id)
)
-- args: none
