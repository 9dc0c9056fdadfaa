SELECT t.id 
FROM t 
WHERE t.x BETWEEN $1 AND $2
-- args: 1, 10
