SELECT t.id, o.v 
FROM t JOIN o ON t.id = o.t_id
-- args: none
