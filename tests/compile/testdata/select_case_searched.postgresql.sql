SELECT CASE WHEN (t.x < $1) THEN $2 WHEN (t.x = $3) THEN $4 ELSE $5 END AS sign 
FROM t
-- args: 0, "neg", 0, "zero", "pos"
