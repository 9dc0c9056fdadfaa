-- note: SQLite: a BIGINT primary key is INTEGER so it aliases the rowid (SQLAlchemy: BIGINT).
CREATE TABLE ident (
	id BIGINT NOT NULL IDENTITY(1000,1), 
	qty INTEGER NULL, 
	double_qty AS (qty * 2) PERSISTED, 
	PRIMARY KEY (id)
)
-- args: none
