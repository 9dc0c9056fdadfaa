-- note: MariaDB ON DUPLICATE KEY UPDATE id = id, SQL Server/Oracle MERGE: SQLAlchemy has no upsert there.
INSERT INTO t (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING
-- args: 1, "a"
