INSERT INTO d (id, status, created, note) VALUES ($1, $2, $3, $4)
-- args: core.NamedParam{Name:"id"}, core.NamedParam{Name:"status"}, core.NamedParam{Name:"created"}, core.NamedParam{Name:"note"}
