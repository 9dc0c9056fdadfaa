SELECT t.id 
FROM t 
WHERE (t.x NOT IN (:1, :2))
-- args: 1, 2
