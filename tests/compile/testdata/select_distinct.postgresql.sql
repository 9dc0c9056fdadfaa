SELECT DISTINCT t.name 
FROM t
-- args: none
