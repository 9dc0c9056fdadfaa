-- note: SQLite has no comments: an error. SQL Server uses sp_addextendedproperty (SQLAlchemy's offline dialect fails).
execute sp_addextendedproperty 'MS_Description', N'people who write', 'schema', dbo, 'table', author
-- args: none
