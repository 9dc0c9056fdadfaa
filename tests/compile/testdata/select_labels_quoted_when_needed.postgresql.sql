SELECT t.id AS "Id", t.name AS "full name", t.x AS "select" 
FROM t
-- args: none
