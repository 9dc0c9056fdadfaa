-- note: a bare boolean column in CASE WHEN renders x = 1 on dialects without booleans; SQLAlchemy leaves it bare there.
SELECT t.id 
FROM t 
WHERE CASE WHEN t.flag = 1 THEN t.x ELSE t.id END > :1
-- args: 3
