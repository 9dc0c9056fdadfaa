SELECT concat(t.name, ?, t.name) AS nn 
FROM t
-- args: "-"
