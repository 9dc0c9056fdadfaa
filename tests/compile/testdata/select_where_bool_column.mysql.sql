SELECT t.id 
FROM t 
WHERE t.flag = 1
-- args: none
