SELECT tt.id, tt.name 
FROM t AS tt 
WHERE tt.x > ?
-- args: 1
