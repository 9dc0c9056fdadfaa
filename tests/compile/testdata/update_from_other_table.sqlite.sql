UPDATE t SET x=o.v FROM o WHERE o.t_id = t.id AND o.v > ?
-- args: 5
