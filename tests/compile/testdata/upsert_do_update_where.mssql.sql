-- note: MariaDB refuses the WHERE; SQL Server/Oracle MERGE (SQLAlchemy has no upsert there).
MERGE INTO t WITH (HOLDLOCK) USING (VALUES (@p1, @p2)) AS excluded (id, name) ON t.id = excluded.id WHEN MATCHED AND (t.flag = 0 OR t.flag IS NULL) THEN UPDATE SET name = excluded.name WHEN NOT MATCHED THEN INSERT (id, name) VALUES (excluded.id, excluded.name);
-- args: 1, "a"
