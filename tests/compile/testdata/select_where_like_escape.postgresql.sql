SELECT t.id 
FROM t 
WHERE t.name LIKE $1 ESCAPE '!'
-- args: "10!%%"
