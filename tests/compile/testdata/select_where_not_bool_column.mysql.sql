SELECT t.id 
FROM t 
WHERE t.flag = 0
-- args: none
