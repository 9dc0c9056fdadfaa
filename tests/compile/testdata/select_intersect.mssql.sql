SELECT t.id 
FROM t INTERSECT SELECT o.t_id 
FROM o
-- args: none
