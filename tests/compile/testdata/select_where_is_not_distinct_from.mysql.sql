SELECT t.id 
FROM t 
WHERE t.x <=> t.id
-- args: none
