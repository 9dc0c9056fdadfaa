SELECT t.id 
FROM t 
WHERE lower(t.name) NOT LIKE lower(@p1)
-- args: "a%"
