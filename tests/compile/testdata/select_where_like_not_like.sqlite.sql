SELECT t.id 
FROM t 
WHERE t.name LIKE ? AND t.name NOT LIKE ?
-- args: "a%", "%z"
