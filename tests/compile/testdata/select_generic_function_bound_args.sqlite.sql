SELECT substr(t.name, ?, ?) AS pre, lower(t.name) AS lower_1, upper(t.name) AS upper_1 
FROM t
-- args: 1, 3
