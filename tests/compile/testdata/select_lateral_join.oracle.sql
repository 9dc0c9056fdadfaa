-- note: SQLite, MariaDB and SQL Server have no LATERAL: an error here, SQLAlchemy renders it anyway. LIMIT is bound (Oracle FETCH FIRST :1), SQLAlchemy inlines it.
SELECT t.id, top_o.v 
FROM t JOIN LATERAL (SELECT o.v AS v 
FROM o 
WHERE o.t_id = t.id ORDER BY o.v DESC
 FETCH FIRST :1 ROWS ONLY) top_o ON 1 = 1
-- args: 1
