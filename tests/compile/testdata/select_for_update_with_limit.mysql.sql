-- note: Oracle refuses FOR UPDATE with FETCH FIRST (ORA-02014); SQLite/SQL Server refuse FOR UPDATE; SQLAlchemy renders or drops.
SELECT t.id 
FROM t ORDER BY t.id 
 LIMIT ? FOR UPDATE SKIP LOCKED
-- args: 1
