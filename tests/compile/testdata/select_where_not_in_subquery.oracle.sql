SELECT t.id 
FROM t 
WHERE (t.id NOT IN (SELECT o.t_id 
FROM o))
-- args: none
