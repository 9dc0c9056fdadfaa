SELECT t.id, o.v 
FROM t JOIN o ON o.t_id = t.id AND o.v > :1
-- args: 0
