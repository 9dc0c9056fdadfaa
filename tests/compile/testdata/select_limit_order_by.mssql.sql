-- note: SQL Server TOP (@p1) and Oracle FETCH FIRST :1 are bound; SQLAlchemy inlines them as post-compile literals.
SELECT TOP (@p1) t.id 
FROM t ORDER BY t.id
-- args: 10
