SELECT t.id 
FROM t 
WHERE t.x < :1 AND t.x <= :2 AND t.x > :3 AND t.x >= :4
-- args: 1, 2, 3, 4
