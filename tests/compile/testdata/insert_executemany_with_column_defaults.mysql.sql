INSERT INTO d (id, status, created, note) VALUES (?, ?, ?, ?)
-- args: core.NamedParam{Name:"id"}, core.NamedParam{Name:"status"}, core.NamedParam{Name:"created"}, core.NamedParam{Name:"note"}
