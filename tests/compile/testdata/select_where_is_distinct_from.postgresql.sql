SELECT t.id 
FROM t 
WHERE t.x IS DISTINCT FROM $1
-- args: 5
