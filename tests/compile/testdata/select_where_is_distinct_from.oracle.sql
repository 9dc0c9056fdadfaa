SELECT t.id 
FROM t 
WHERE DECODE(t.x, :1, 0, 1) = 1
-- args: 5
