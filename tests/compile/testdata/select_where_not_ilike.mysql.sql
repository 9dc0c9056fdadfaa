SELECT t.id 
FROM t 
WHERE lower(t.name) NOT LIKE lower(?)
-- args: "a%"
