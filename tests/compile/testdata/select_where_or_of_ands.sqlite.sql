SELECT t.id 
FROM t 
WHERE t.x > ? AND t.x < ? OR t.name = ?
-- args: 1, 9, "z"
