SELECT t.name + @p1 + t.name AS nn 
FROM t
-- args: "-"
