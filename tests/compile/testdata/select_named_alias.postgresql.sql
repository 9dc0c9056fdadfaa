SELECT tt.id, tt.name 
FROM t AS tt 
WHERE tt.x > $1
-- args: 1
