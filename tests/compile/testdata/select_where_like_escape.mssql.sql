SELECT t.id 
FROM t 
WHERE t.name LIKE @p1 ESCAPE '!'
-- args: "10!%%"
