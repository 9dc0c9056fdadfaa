SELECT t.id 
FROM t 
WHERE t.name LIKE ? ESCAPE '!'
-- args: "10!%%"
