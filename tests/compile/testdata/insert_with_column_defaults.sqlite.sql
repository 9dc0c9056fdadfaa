-- note: columns filled from client-side defaults follow the given columns; SQLAlchemy puts all columns in table order.
INSERT INTO d (id, note, status) VALUES (?, ?, ?)
-- args: 1, "n", "new"
