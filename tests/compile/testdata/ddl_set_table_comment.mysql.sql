-- note: SQLite has no comments: an error. SQL Server uses sp_addextendedproperty (SQLAlchemy's offline dialect fails).
ALTER TABLE author COMMENT 'people who write'
-- args: none
