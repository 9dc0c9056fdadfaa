SELECT id FROM t WHERE x > ? AND name = ?
-- args: 5, "a"
