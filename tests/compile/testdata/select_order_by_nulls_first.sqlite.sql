-- note: MariaDB and SQL Server have no NULLS FIRST: an error here, SQLAlchemy renders it anyway.
SELECT t.id 
FROM t ORDER BY t.x NULLS FIRST
-- args: none
