-- note: Div is plain / everywhere; SQLAlchemy 2.0's true division adds CAST(… AS NUMERIC) on PostgreSQL/SQL Server and (… + 0.0) on SQLite.
SELECT (t.x + $1) * $2 AS a, (t.x - t.id) / $3 AS b, t.x % $4 AS c, -t.x AS d 
FROM t
-- args: 1, 2, 3, 7
