SELECT t.id 
FROM t 
WHERE (t.x NOT IN (NULL) OR (1 = 1))
-- args: none
