SELECT CAST(t.x AS CHAR(10)) AS xs, CAST(t.name AS DECIMAL(10, 2)) AS n 
FROM t
-- args: none
