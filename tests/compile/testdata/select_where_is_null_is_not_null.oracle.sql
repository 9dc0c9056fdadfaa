SELECT t.id 
FROM t 
WHERE t.name IS NULL AND t.x IS NOT NULL
-- args: none
