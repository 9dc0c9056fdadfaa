-- note: MariaDB has no UPDATE … RETURNING: an error here; SQLAlchemy renders it.
UPDATE t SET x=$1 WHERE t.flag RETURNING t.id, t.x
-- args: 0
