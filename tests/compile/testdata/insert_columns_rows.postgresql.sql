-- note: nil in Row renders NULL; SQLAlchemy binds None.
INSERT INTO o (t_id, v) VALUES ($1, $2), ($3, NULL)
-- args: 1, 10, 2
