INSERT INTO o (id, t_id, v) VALUES ($1, $2, $3)
-- args: core.NamedParam{Name:"id"}, core.NamedParam{Name:"t_id"}, core.NamedParam{Name:"v"}
