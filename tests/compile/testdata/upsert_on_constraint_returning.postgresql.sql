-- note: ON CONFLICT ON CONSTRAINT is PostgreSQL only.
INSERT INTO t (id, name) VALUES ($1, $2) ON CONFLICT ON CONSTRAINT t_pkey DO UPDATE SET name = $3 RETURNING t.id
-- args: 1, "a", "b"
