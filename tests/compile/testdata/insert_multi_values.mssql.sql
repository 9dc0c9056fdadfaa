INSERT INTO o (t_id, v) VALUES (@p1, @p2), (@p3, @p4), (@p5, @p6)
-- args: 1, 10, 2, 20, 3, 30
