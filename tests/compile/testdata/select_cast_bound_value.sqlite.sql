SELECT t.id 
FROM t 
WHERE t.ts > CAST(? AS DATETIME)
-- args: "2020-01-01"
