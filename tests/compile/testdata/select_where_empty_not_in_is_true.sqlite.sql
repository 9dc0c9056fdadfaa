SELECT t.id 
FROM t 
WHERE (t.x NOT IN (SELECT 1 FROM (SELECT 1) WHERE 1!=1))
-- args: none
