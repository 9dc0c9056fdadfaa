SELECT t.id 
FROM t 
WHERE NOT t.flag
-- args: none
