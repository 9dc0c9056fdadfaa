-- note: FILTER is refused where the database lacks it (MariaDB, SQL Server, Oracle); SQLAlchemy renders it.
SELECT count(*) FILTER (WHERE t.flag) AS flagged, sum(t.x) FILTER (WHERE t.x > ?) AS pos 
FROM t
-- args: 0
