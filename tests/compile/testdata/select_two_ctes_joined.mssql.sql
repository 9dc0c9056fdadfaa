WITH a AS 
(SELECT t.id AS id 
FROM t 
WHERE t.x > @p1), 
b AS 
(SELECT o.t_id AS t_id 
FROM o 
WHERE o.v > @p2)
 SELECT a.id 
FROM a JOIN b ON b.t_id = a.id
-- args: 1, 2
