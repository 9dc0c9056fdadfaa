-- note: no implicit RETURNING/OUTPUT of the primary key (ask with Returning); SQLAlchemy adds it on PostgreSQL, SQL Server, Oracle.
INSERT INTO d (status) VALUES (?)
-- args: "new"
