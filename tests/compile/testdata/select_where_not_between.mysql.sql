SELECT t.id 
FROM t 
WHERE t.x NOT BETWEEN ? AND ?
-- args: 1, 10
