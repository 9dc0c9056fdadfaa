-- note: SQL Server: OFFSET 0 ROWS FETCH FIRST n (SQLAlchemy silently drops the limit of a compound); Oracle binds FETCH FIRST, SQLAlchemy inlines it.
SELECT t.id 
FROM t UNION SELECT o.id 
FROM o ORDER BY id
 OFFSET 0 ROWS
 FETCH FIRST @p1 ROWS ONLY
-- args: 5
