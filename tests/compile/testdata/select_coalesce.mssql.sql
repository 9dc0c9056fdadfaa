SELECT coalesce(t.name, @p1) AS n 
FROM t
-- args: "unknown"
