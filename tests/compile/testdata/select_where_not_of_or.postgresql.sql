SELECT t.id 
FROM t 
WHERE NOT (t.x = $1 OR t.name = $2)
-- args: 1, "a"
