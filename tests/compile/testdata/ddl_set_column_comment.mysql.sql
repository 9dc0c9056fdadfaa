-- note: SQLite has no comments: an error. SQL Server uses sp_addextendedproperty (SQLAlchemy's offline dialect fails).
ALTER TABLE author CHANGE bio bio TEXT COMMENT 'free text, it''s optional'
-- args: none
