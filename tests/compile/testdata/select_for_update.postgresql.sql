-- note: SQL Server has no FOR UPDATE: an error pointing to table hints; SQLAlchemy silently drops it.
SELECT t.id 
FROM t 
WHERE t.id = $1 FOR UPDATE
-- args: 1
