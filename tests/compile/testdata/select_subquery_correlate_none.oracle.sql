SELECT t.id 
FROM t 
WHERE t.x = (SELECT o.id 
FROM o, t 
WHERE o.t_id = t.id)
-- args: none
