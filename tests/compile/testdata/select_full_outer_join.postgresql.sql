-- note: MariaDB has no FULL OUTER JOIN: an error here; SQLAlchemy renders it.
SELECT t.id, o.v 
FROM t FULL OUTER JOIN o ON t.id = o.t_id
-- args: none
