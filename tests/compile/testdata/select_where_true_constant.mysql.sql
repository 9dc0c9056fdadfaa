SELECT t.id 
FROM t 
WHERE true = 1
-- args: none
