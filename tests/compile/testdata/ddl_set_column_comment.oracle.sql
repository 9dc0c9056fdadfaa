-- note: SQLite has no comments: an error. SQL Server uses sp_addextendedproperty (SQLAlchemy's offline dialect fails).
COMMENT ON COLUMN author.bio IS 'free text, it''s optional'
-- args: none
