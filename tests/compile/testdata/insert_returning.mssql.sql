INSERT INTO t (name) OUTPUT inserted.id, inserted.ts VALUES (@p1)
-- args: "a"
