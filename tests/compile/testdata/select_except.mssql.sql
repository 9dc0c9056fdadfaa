SELECT t.id 
FROM t EXCEPT SELECT o.t_id 
FROM o
-- args: none
