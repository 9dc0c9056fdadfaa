-- note: MariaDB and SQL Server have no NULLS LAST: an error here, SQLAlchemy renders it anyway.
SELECT t.id 
FROM t ORDER BY t.x DESC NULLS LAST
-- args: none
