-- note: SQL Server/Oracle MERGE: SQLAlchemy has no upsert there.
MERGE INTO t WITH (HOLDLOCK) USING (VALUES (@p1, @p2, @p3)) AS excluded (id, name, x) ON t.id = excluded.id WHEN MATCHED THEN UPDATE SET name = excluded.name, x = (t.x + excluded.x) WHEN NOT MATCHED THEN INSERT (id, name, x) VALUES (excluded.id, excluded.name, excluded.x);
-- args: 1, "a", 1
