// Package peers compares Retort with raw pgx, database/sql, sqlx, GORM and
// Bun on the same PostgreSQL schema and data. Everything is in the
// _test.go files; see README.md and run.sh.
package peers
