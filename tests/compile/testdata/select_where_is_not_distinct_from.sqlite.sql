SELECT t.id 
FROM t 
WHERE t.x IS t.id
-- args: none
