SELECT t.name, oo.v 
FROM t JOIN o AS oo ON t.id = oo.t_id
-- args: none
