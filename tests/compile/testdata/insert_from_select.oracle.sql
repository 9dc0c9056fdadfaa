INSERT INTO o (t_id, v) SELECT t.id, t.x 
FROM t 
WHERE t.flag = 1
-- args: none
