INSERT INTO o (t_id, v) VALUES (?, ?), (?, ?) RETURNING o.id
-- args: 1, 1, 2, 2
