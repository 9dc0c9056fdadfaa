-- note: Oracle: OF t.id (SQLAlchemy renders an empty OF); refused on SQLite, MariaDB, SQL Server where SQLAlchemy drops it.
SELECT t.id, o.v 
FROM t JOIN o ON t.id = o.t_id FOR UPDATE OF t.id
-- args: none
