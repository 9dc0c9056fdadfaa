SELECT t.id 
FROM t 
WHERE t.x BETWEEN ? AND ?
-- args: 1, 10
