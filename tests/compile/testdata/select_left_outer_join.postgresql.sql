SELECT t.id, o.v 
FROM t LEFT OUTER JOIN o ON t.id = o.t_id
-- args: none
