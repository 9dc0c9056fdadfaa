INSERT INTO d (id, status, created, note) VALUES (@p1, @p2, @p3, @p4)
-- args: core.NamedParam{Name:"id"}, core.NamedParam{Name:"status"}, core.NamedParam{Name:"created"}, core.NamedParam{Name:"note"}
