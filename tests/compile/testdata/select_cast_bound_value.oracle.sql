SELECT t.id 
FROM t 
WHERE t.ts > CAST(:1 AS DATE)
-- args: "2020-01-01"
