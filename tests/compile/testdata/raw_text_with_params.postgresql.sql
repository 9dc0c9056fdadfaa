SELECT id FROM t WHERE x > $1 AND name = $2
-- args: 5, "a"
