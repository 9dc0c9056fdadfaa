SELECT t.id 
FROM t 
WHERE NOT (t.x = ? OR t.name = ?)
-- args: 1, "a"
