INSERT INTO t (id, name, flag) VALUES (@p1, @p2, @p3)
-- args: 4, "a", true
