SELECT t.id 
FROM t 
WHERE t.x != ?
-- args: 1
