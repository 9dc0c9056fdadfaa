SELECT t.id 
FROM t 
WHERE (t.x NOT IN (?, ?))
-- args: 1, 2
