SELECT '12:30' AS hm, x FROM t WHERE id = $1
-- args: 7
