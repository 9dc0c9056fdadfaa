WITH big AS 
(SELECT t.id AS id, t.x AS x 
FROM t 
WHERE t.x > @p1)
 SELECT big.id 
FROM big 
WHERE big.x < @p2
-- args: 5, 100
