SELECT t.id 
FROM t 
WHERE t.name NOT ILIKE $1
-- args: "a%"
