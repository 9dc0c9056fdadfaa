-- note: MariaDB ON DUPLICATE KEY UPDATE id = id, SQL Server/Oracle MERGE: SQLAlchemy has no upsert there.
MERGE INTO t USING (SELECT :1 AS id, :2 AS name FROM DUAL) excluded ON (t.id = excluded.id) WHEN NOT MATCHED THEN INSERT (id, name) VALUES (excluded.id, excluded.name)
-- args: 1, "a"
