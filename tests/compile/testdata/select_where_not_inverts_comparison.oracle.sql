SELECT t.id 
FROM t 
WHERE t.x != :1
-- args: 1
