SELECT t.id, o.v, e.id AS id_1 
FROM t INNER JOIN o ON t.id = o.t_id INNER JOIN e ON e.a_id = t.id
-- args: none
