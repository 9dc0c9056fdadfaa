SELECT CASE t.x WHEN ? THEN ? WHEN ? THEN ? END AS word 
FROM t
-- args: 1, "one", 2, "two"
