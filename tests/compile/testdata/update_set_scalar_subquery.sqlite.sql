UPDATE t SET x=(SELECT max(o.v) AS max_1 
FROM o 
WHERE o.t_id = t.id)
-- args: none
