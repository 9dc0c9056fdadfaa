-- note: SQL Server has no row-value IN, so mssql refuses it; SQLAlchemy renders SQL the server rejects.
SELECT t.id 
FROM t 
WHERE (t.id, t.name) IN ((?, ?), (?, ?))
-- args: 1, "a", 2, "b"
