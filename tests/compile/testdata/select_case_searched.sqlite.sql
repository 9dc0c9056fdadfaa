SELECT CASE WHEN (t.x < ?) THEN ? WHEN (t.x = ?) THEN ? ELSE ? END AS sign 
FROM t
-- args: 0, "neg", 0, "zero", "pos"
