-- note: the executemany UPDATE sets the non-primary-key columns; SQLAlchemy sets every column.
UPDATE o SET t_id=?, v=?
-- args: core.NamedParam{Name:"t_id"}, core.NamedParam{Name:"v"}
