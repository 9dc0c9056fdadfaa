SELECT t.id 
FROM t 
WHERE t.x IN (?, ?, ?)
-- args: 1, 2, 3
