WITH RECURSIVE tree(id, x) AS 
(SELECT t.id AS id, t.x AS x 
FROM t 
WHERE t.id = $1 UNION ALL SELECT t.id AS id, t.x AS x 
FROM t JOIN tree ON t.x = tree.id)
 SELECT tree.id 
FROM tree
-- args: 1
