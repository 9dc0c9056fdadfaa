-- note: SQL Server TOP (@p1) and Oracle FETCH FIRST :1 are bound; SQLAlchemy inlines them as post-compile literals.
SELECT t.id 
FROM t
 LIMIT ? OFFSET ?
-- args: 10, 0
