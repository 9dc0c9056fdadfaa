SELECT t.id, o.v 
FROM t INNER JOIN o ON o.t_id = t.id AND o.v > ?
-- args: 0
