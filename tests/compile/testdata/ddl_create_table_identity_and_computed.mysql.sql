-- note: SQLite: a BIGINT primary key is INTEGER so it aliases the rowid (SQLAlchemy: BIGINT).
CREATE TABLE ident (
	id BIGINT NOT NULL AUTO_INCREMENT, 
	qty INTEGER, 
	double_qty INTEGER GENERATED ALWAYS AS (qty * 2) STORED, 
	PRIMARY KEY (id)
)
-- args: none
