SELECT t.id 
FROM t 
WHERE (t.x = ? OR t.x = ?) AND (t.name = ? OR t.name = ?)
-- args: 1, 2, "a", "b"
