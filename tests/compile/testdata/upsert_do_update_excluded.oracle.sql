-- note: SQL Server/Oracle MERGE: SQLAlchemy has no upsert there.
MERGE INTO t USING (SELECT :1 AS id, :2 AS name, :3 AS x FROM DUAL) excluded ON (t.id = excluded.id) WHEN MATCHED THEN UPDATE SET name = excluded.name, x = (t.x + excluded.x) WHEN NOT MATCHED THEN INSERT (id, name, x) VALUES (excluded.id, excluded.name, excluded.x)
-- args: 1, "a", 1
