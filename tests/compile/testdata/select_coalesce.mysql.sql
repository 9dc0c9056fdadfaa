SELECT coalesce(t.name, ?) AS n 
FROM t
-- args: "unknown"
