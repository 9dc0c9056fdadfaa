INSERT INTO t (id, name, flag) VALUES (?, ?, ?)
-- args: 4, "a", true
