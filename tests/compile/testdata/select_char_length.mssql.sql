SELECT LEN(t.name) AS len 
FROM t 
WHERE LEN(t.name) > @p1
-- args: 3
