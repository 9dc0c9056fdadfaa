-- note: COLLATE is not parenthesised (SQLAlchemy: (x COLLATE c) = y), same meaning; the collation name is quoted as an identifier ([C] on SQL Server, SQLAlchemy: C).
SELECT t.x & @p1 AS bits 
FROM t 
WHERE t.name COLLATE [C] = @p2
-- args: 4, "a"
