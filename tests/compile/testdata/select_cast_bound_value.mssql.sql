SELECT t.id 
FROM t 
WHERE t.ts > CAST(@p1 AS DATETIME)
-- args: "2020-01-01"
