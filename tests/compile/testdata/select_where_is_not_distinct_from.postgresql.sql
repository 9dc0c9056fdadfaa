SELECT t.id 
FROM t 
WHERE t.x IS NOT DISTINCT FROM t.id
-- args: none
