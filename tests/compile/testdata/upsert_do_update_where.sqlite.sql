-- note: MariaDB refuses the WHERE; SQL Server/Oracle MERGE (SQLAlchemy has no upsert there).
INSERT INTO t (id, name) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name WHERE t.flag IS NOT 1
-- args: 1, "a"
