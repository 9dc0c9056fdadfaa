SELECT t.id 
FROM t MINUS SELECT o.t_id 
FROM o
-- args: none
