SELECT t.id 
FROM t ORDER BY t.name ASC, t.x DESC
-- args: none
