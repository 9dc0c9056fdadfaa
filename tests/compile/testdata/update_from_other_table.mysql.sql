UPDATE t, o SET t.x=o.v WHERE o.t_id = t.id AND o.v > ?
-- args: 5
