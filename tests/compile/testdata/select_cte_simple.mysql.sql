WITH big AS 
(SELECT t.id AS id, t.x AS x 
FROM t 
WHERE t.x > ?)
 SELECT big.id 
FROM big 
WHERE big.x < ?
-- args: 5, 100
