INSERT INTO o (t_id, v) VALUES (?, ?), (?, ?), (?, ?)
-- args: 1, 10, 2, 20, 3, 30
