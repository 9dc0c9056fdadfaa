SELECT t.id, o.v 
FROM t INNER JOIN o ON t.id = o.t_id
-- args: none
