SELECT t.id 
FROM t 
WHERE t.x > :1 AND t.x < :2 OR t.name = :3
-- args: 1, 9, "z"
