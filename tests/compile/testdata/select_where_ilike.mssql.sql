SELECT t.id 
FROM t 
WHERE lower(t.name) LIKE lower(@p1)
-- args: "a%"
