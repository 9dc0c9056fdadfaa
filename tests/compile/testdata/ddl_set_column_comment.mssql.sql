-- note: SQLite has no comments: an error. SQL Server uses sp_addextendedproperty (SQLAlchemy's offline dialect fails).
execute sp_addextendedproperty 'MS_Description', N'free text, it''s optional', 'schema', dbo, 'table', author, 'column', bio
-- args: none
