SELECT t.id 
FROM t 
WHERE t.flag
-- args: none
