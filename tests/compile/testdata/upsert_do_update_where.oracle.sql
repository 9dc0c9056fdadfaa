-- note: MariaDB refuses the WHERE; SQL Server/Oracle MERGE (SQLAlchemy has no upsert there).
MERGE INTO t USING (SELECT :1 AS id, :2 AS name FROM DUAL) excluded ON (t.id = excluded.id) WHEN MATCHED THEN UPDATE SET name = excluded.name WHERE (t.flag = 0 OR t.flag IS NULL) WHEN NOT MATCHED THEN INSERT (id, name) VALUES (excluded.id, excluded.name)
-- args: 1, "a"
