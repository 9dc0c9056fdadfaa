SELECT t.id 
FROM t 
WHERE t.name IS NULL
-- args: none
