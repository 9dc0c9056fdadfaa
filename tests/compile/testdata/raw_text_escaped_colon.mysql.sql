SELECT '12:30' AS hm, x FROM t WHERE id = ?
-- args: 7
