INSERT INTO o (t_id, v) OUTPUT inserted.id VALUES (@p1, @p2), (@p3, @p4)
-- args: 1, 1, 2, 2
