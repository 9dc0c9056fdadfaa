SELECT tt.id, tt.name 
FROM t tt 
WHERE tt.x > :1
-- args: 1
