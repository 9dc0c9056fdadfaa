WITH a AS 
(SELECT t.id AS id 
FROM t 
WHERE t.x > $1), 
b AS 
(SELECT o.t_id AS t_id 
FROM o 
WHERE o.v > $2)
 SELECT a.id 
FROM a JOIN b ON b.t_id = a.id
-- args: 1, 2
