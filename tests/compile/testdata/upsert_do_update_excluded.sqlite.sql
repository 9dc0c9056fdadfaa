-- note: SQL Server/Oracle MERGE: SQLAlchemy has no upsert there.
INSERT INTO t (id, name, x) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, x = (t.x + excluded.x)
-- args: 1, "a", 1
