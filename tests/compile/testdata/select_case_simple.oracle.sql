SELECT CASE t.x WHEN :1 THEN :2 WHEN :3 THEN :4 END AS word 
FROM t
-- args: 1, "one", 2, "two"
