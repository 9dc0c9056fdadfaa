INSERT INTO t (id, name, flag) VALUES ($1, $2, $3)
-- args: 4, "a", true
