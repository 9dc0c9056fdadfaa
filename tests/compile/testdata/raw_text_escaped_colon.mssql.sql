SELECT '12:30' AS hm, x FROM t WHERE id = @p1
-- args: 7
