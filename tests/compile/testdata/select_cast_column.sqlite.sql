SELECT CAST(t.x AS VARCHAR(10)) AS xs, CAST(t.name AS NUMERIC(10, 2)) AS n 
FROM t
-- args: none
