WITH big AS 
(SELECT t.id AS id, t.x AS x 
FROM t 
WHERE t.x > :1)
 SELECT big.id 
FROM big 
WHERE big.x < :2
-- args: 5, 100
