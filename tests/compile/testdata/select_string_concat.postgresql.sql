SELECT t.name || $1 || t.name AS nn 
FROM t
-- args: "-"
