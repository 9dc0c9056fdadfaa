-- note: no implicit RETURNING/OUTPUT of the primary key (ask with Returning); SQLAlchemy adds it on PostgreSQL, SQL Server, Oracle.
INSERT INTO t (name, ts) VALUES (upper(?), CURRENT_TIMESTAMP)
-- args: "a"
