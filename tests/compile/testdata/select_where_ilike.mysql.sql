SELECT t.id 
FROM t 
WHERE lower(t.name) LIKE lower(?)
-- args: "a%"
