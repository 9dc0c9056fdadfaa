-- note: nil in Row renders NULL; SQLAlchemy binds None.
INSERT INTO o (t_id, v) VALUES (?, ?), (?, NULL)
-- args: 1, 10, 2
