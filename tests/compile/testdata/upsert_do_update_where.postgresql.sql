-- note: MariaDB refuses the WHERE; SQL Server/Oracle MERGE (SQLAlchemy has no upsert there).
INSERT INTO t (id, name) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET name = excluded.name WHERE t.flag IS NOT true
-- args: 1, "a"
