CREATE TABLE everything (
	code_name VARCHAR(20) NOT NULL, 
	id BIGSERIAL NOT NULL, 
	score DOUBLE PRECISION NOT NULL, 
	status VARCHAR(9) NOT NULL, 
	amount NUMERIC(10, 2) DEFAULT 0 NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
	updated_at TIMESTAMP WITHOUT TIME ZONE, 
	token VARCHAR(64) NOT NULL, 
	owner_id BIGINT, 
	a BIGINT NOT NULL, 
	b BIGINT NOT NULL, 
	x INTEGER NOT NULL, 
	y INTEGER NOT NULL, 
	note VARCHAR(80), 
	payload JSON, 
	blob BYTEA NOT NULL, 
	flag BOOLEAN NOT NULL, 
	ratio FLOAT(24) NOT NULL, 
	day DATE NOT NULL, 
	dur INTERVAL NOT NULL, 
	small SMALLINT NOT NULL, 
	counter BIGINT NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_ab UNIQUE (a, b), 
	CONSTRAINT ck_everything_score CHECK (score >= 0), 
	UNIQUE (code_name), 
	CONSTRAINT fk_owner FOREIGN KEY(owner_id) REFERENCES user_account (id) ON DELETE SET NULL ON UPDATE CASCADE, 
	CHECK (status IN ('draft', 'published'))
);
CREATE INDEX ix_xy ON everything (x, y);
CREATE INDEX ix_everything_status ON everything (status);

