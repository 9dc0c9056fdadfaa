SELECT t.id 
FROM t 
WHERE t.x IS NOT ?
-- args: 5
