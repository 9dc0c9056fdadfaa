-- note: MariaDB ON DUPLICATE KEY UPDATE id = id, SQL Server/Oracle MERGE: SQLAlchemy has no upsert there.
MERGE INTO t WITH (HOLDLOCK) USING (VALUES (@p1, @p2)) AS excluded (id, name) ON t.id = excluded.id WHEN NOT MATCHED THEN INSERT (id, name) VALUES (excluded.id, excluded.name);
-- args: 1, "a"
