SELECT t.id, row_number() OVER (PARTITION BY t.flag ORDER BY t.x DESC) AS rn 
FROM t
-- args: none
