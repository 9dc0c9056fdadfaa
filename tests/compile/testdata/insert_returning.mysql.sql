INSERT INTO t (name) VALUES (?) RETURNING t.id, t.ts
-- args: "a"
