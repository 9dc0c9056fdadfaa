SELECT LENGTH(t.name) AS len 
FROM t 
WHERE LENGTH(t.name) > :1
-- args: 3
