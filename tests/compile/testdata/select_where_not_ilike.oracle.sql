SELECT t.id 
FROM t 
WHERE lower(t.name) NOT LIKE lower(:1)
-- args: "a%"
