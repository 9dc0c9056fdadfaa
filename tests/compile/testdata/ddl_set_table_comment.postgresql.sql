-- note: SQLite has no comments: an error. SQL Server uses sp_addextendedproperty (SQLAlchemy's offline dialect fails).
COMMENT ON TABLE author IS 'people who write'
-- args: none
