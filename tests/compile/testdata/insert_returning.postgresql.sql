INSERT INTO t (name) VALUES ($1) RETURNING t.id, t.ts
-- args: "a"
