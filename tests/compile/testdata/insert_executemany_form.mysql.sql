INSERT INTO o (id, t_id, v) VALUES (?, ?, ?)
-- args: core.NamedParam{Name:"id"}, core.NamedParam{Name:"t_id"}, core.NamedParam{Name:"v"}
