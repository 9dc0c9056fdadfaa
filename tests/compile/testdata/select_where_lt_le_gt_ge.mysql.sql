SELECT t.id 
FROM t 
WHERE t.x < ? AND t.x <= ? AND t.x > ? AND t.x >= ?
-- args: 1, 2, 3, 4
