SELECT count(*) OVER () AS total, dense_rank() OVER (ORDER BY t.x) AS dr 
FROM t
-- args: none
