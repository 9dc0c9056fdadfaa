SELECT t.id, o.v 
FROM t, o
-- args: none
