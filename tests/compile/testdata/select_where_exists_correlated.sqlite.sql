SELECT t.id 
FROM t 
WHERE EXISTS (SELECT o.id 
FROM o 
WHERE o.t_id = t.id)
-- args: none
