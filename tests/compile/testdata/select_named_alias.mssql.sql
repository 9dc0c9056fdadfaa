SELECT tt.id, tt.name 
FROM t AS tt 
WHERE tt.x > @p1
-- args: 1
