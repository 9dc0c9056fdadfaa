// Package mssql is Retort's SQL Server dialect: the compile rules of SQL
// Server 2016 and later. Importing it registers the dialect under the URL
// schemes "mssql" and "sqlserver". Its compiled SQL is proven by exact-SQL
// tests here; it runs live where RETORT_MSSQL_URL names a server.
//
// Rules: @p1 placeholders; [bracket] quoting with SQL Server's reserved
// words; TOP (@p) for a limit without offset and OFFSET … ROWS FETCH FIRST …
// ROWS ONLY otherwise, which needs ORDER BY (a compile error says so);
// OUTPUT inserted.x / deleted.x for RETURNING; booleans as 1/0 compared
// with = 1; + for concatenation; IS DISTINCT FROM through EXISTS (SELECT a
// INTERSECT SELECT b); upserts as MERGE … WITH (HOLDLOCK); UPDATE … FROM and
// DELETE … FROM for multi-table statements; NEXT VALUE FOR for sequences.
//
// Differences from SQLAlchemy: TOP, OFFSET and FETCH values are bound; FOR
// UPDATE, NULLS FIRST/LAST, LATERAL, tuple IN, INTERSECT/EXCEPT ALL and
// FILTER are compile errors instead of being dropped or rendered for the
// server to reject; a limit on a UNION renders OFFSET/FETCH instead of being
// dropped; random() is RAND(CHECKSUM(NEWID())); x IS true is x = 1.
package mssql
