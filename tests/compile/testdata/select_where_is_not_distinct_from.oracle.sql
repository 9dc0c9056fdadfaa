SELECT t.id 
FROM t 
WHERE DECODE(t.x, t.id, 0, 1) = 0
-- args: none
