-- note: MariaDB has no UPDATE … RETURNING: an error here; SQLAlchemy renders it.
UPDATE t SET x=:1 WHERE t.flag = 1 RETURNING t.id, t.x INTO :2, :3
-- args: 0, core.OutParam{Type:core.Integer{}}, core.OutParam{Type:core.Integer{}}
