-- note: SQL Server/Oracle MERGE: SQLAlchemy has no upsert there.
INSERT INTO t (id, name, x) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE name = VALUES(name), x = (t.x + VALUES(x))
-- args: 1, "a", 1
