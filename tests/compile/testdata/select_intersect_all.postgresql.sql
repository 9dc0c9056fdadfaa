-- note: INTERSECT ALL is refused where the database lacks it (SQLite, SQL Server, Oracle < 21); SQLAlchemy renders it.
SELECT t.id 
FROM t INTERSECT ALL SELECT o.t_id 
FROM o
-- args: none
