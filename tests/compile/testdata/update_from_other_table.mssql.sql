UPDATE t SET x=o.v FROM t, o WHERE o.t_id = t.id AND o.v > @p1
-- args: 5
