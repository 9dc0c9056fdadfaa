SELECT coalesce(t.name, :1) AS n 
FROM t
-- args: "unknown"
