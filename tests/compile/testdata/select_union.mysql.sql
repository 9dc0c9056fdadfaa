SELECT t.id 
FROM t 
WHERE t.x = ? UNION SELECT o.id 
FROM o 
WHERE o.v = ?
-- args: 1, 2
