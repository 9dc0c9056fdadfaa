SELECT t.id 
FROM t 
WHERE t.x = :1 UNION SELECT o.id 
FROM o 
WHERE o.v = :2
-- args: 1, 2
