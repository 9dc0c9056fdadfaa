SELECT t.id 
FROM t 
WHERE (t.x = :1 OR t.x = :2) AND (t.name = :3 OR t.name = :4)
-- args: 1, 2, "a", "b"
