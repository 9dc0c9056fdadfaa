INSERT INTO t (name) VALUES (?) RETURNING id, ts
-- args: "a"
