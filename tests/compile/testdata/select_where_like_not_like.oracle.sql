SELECT t.id 
FROM t 
WHERE t.name LIKE :1 AND t.name NOT LIKE :2
-- args: "a%", "%z"
