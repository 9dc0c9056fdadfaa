SELECT t_1.id, t_2.id AS id_1 
FROM t AS t_1 JOIN t AS t_2 ON t_1.x = t_2.id
-- args: none
