SELECT t.id 
FROM t 
WHERE true
-- args: none
