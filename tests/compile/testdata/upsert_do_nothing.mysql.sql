-- note: MariaDB ON DUPLICATE KEY UPDATE id = id, SQL Server/Oracle MERGE: SQLAlchemy has no upsert there.
INSERT INTO t (id, name) VALUES (?, ?) ON DUPLICATE KEY UPDATE id = id
-- args: 1, "a"
