SELECT t.id 
FROM t 
WHERE 1 = 1
-- args: none
