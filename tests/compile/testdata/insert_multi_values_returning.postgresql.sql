INSERT INTO o (t_id, v) VALUES ($1, $2), ($3, $4) RETURNING o.id
-- args: 1, 1, 2, 2
