SELECT length(t.name) AS len 
FROM t 
WHERE length(t.name) > ?
-- args: 3
