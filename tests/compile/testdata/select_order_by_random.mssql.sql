-- note: SQL Server TOP (@p1) and Oracle FETCH FIRST :1 are bound (SQLAlchemy inlines them); Oracle DBMS_RANDOM.VALUE where SQLAlchemy passes random() through.
SELECT TOP (@p1) t.id 
FROM t ORDER BY RAND(CHECKSUM(NEWID()))
-- args: 3
