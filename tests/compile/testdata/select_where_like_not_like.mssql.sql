SELECT t.id 
FROM t 
WHERE t.name LIKE @p1 AND t.name NOT LIKE @p2
-- args: "a%", "%z"
