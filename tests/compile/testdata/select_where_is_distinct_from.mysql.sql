SELECT t.id 
FROM t 
WHERE NOT (t.x <=> ?)
-- args: 5
