-- note: COLLATE is not parenthesised (SQLAlchemy: (x COLLATE c) = y), same meaning; the collation name is quoted as an identifier ([C] on SQL Server, SQLAlchemy: C).
SELECT t.x & ? AS bits 
FROM t 
WHERE t.name COLLATE "C" = ?
-- args: 4, "a"
