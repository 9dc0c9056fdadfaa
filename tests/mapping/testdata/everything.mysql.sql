CREATE TABLE everything (
	code_name VARCHAR(20) NOT NULL, 
	id BIGINT NOT NULL COMMENT 'surrogate key' AUTO_INCREMENT, 
	score DOUBLE NOT NULL, 
	status VARCHAR(9) NOT NULL, 
	amount NUMERIC(10, 2) NOT NULL DEFAULT 0, 
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, 
	updated_at DATETIME ON UPDATE CURRENT_TIMESTAMP, 
	token VARCHAR(64) NOT NULL, 
	owner_id BIGINT, 
	a BIGINT NOT NULL, 
	b BIGINT NOT NULL, 
	x INTEGER NOT NULL, 
	y INTEGER NOT NULL, 
	note VARCHAR(80) COMMENT 'semi;colon: fine', 
	payload JSON, 
	`blob` LONGBLOB NOT NULL, 
	flag BOOL NOT NULL, 
	ratio FLOAT(24) NOT NULL, 
	day DATE NOT NULL, 
	dur DATETIME NOT NULL, 
	small SMALLINT NOT NULL, 
	counter BIGINT NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_ab UNIQUE (a, b), 
	CONSTRAINT ck_everything_score CHECK (score >= 0), 
	UNIQUE (code_name), 
	CONSTRAINT fk_owner FOREIGN KEY(owner_id) REFERENCES user_account (id) ON DELETE SET NULL ON UPDATE CASCADE, 
	CHECK (status IN ('draft', 'published'))
)COMMENT='every column option';
CREATE INDEX ix_xy ON everything (x, y);
CREATE INDEX ix_everything_status ON everything (status);

