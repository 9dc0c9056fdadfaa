-- note: refused where unsupported (SQLite, SQL Server, Oracle); SQLAlchemy drops it or renders FOR UPDATE.
SELECT t.id 
FROM t
-- args: none
