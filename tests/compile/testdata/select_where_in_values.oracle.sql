SELECT t.id 
FROM t 
WHERE t.x IN (:1, :2, :3)
-- args: 1, 2, 3
