SELECT t.id 
FROM t 
WHERE lower(t.name) LIKE lower(:1)
-- args: "a%"
