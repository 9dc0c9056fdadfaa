-- note: nil in Row renders NULL; SQLAlchemy binds None.
INSERT INTO o (t_id, v) VALUES (@p1, @p2), (@p3, NULL)
-- args: 1, 10, 2
