INSERT INTO o (t_id, v) VALUES ($1, $2), ($3, $4), ($5, $6)
-- args: 1, 10, 2, 20, 3, 30
