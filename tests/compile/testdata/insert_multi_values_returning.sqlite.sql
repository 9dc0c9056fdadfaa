INSERT INTO o (t_id, v) VALUES (?, ?), (?, ?) RETURNING id
-- args: 1, 1, 2, 2
