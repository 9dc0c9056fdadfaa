SELECT CAST(t.x AS VARCHAR2(10 CHAR)) AS xs, CAST(t.name AS NUMERIC(10, 2)) AS n 
FROM t
-- args: none
