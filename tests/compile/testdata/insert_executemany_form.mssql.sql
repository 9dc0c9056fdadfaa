INSERT INTO o (id, t_id, v) VALUES (@p1, @p2, @p3)
-- args: core.NamedParam{Name:"id"}, core.NamedParam{Name:"t_id"}, core.NamedParam{Name:"v"}
