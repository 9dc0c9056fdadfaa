SELECT t_1.id 
FROM t t_1 
WHERE t_1.x > :1
-- args: 1
