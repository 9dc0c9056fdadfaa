SELECT t.id 
FROM t 
WHERE t.name ILIKE $1
-- args: "a%"
