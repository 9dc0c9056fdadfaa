SELECT substr(t.name, @p1, @p2) AS pre, lower(t.name) AS lower_1, upper(t.name) AS upper_1 
FROM t
-- args: 1, 3
