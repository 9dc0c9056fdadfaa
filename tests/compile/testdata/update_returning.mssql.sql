-- note: MariaDB has no UPDATE … RETURNING: an error here; SQLAlchemy renders it.
UPDATE t SET x=@p1 OUTPUT inserted.id, inserted.x WHERE t.flag = 1
-- args: 0
