-- note: refused where unsupported (SQLite, SQL Server); SQLAlchemy silently drops the clause.
SELECT t.id 
FROM t FOR UPDATE NOWAIT
-- args: none
