SELECT t.id, t.name, t.x, t.flag, t.ts 
FROM t
-- args: none
