-- note: MariaDB has no UPDATE … RETURNING: an error here; SQLAlchemy renders it.
UPDATE t SET x=? WHERE t.flag = 1 RETURNING id, x
-- args: 0
