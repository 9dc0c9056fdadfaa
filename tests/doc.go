// Package tests holds Retort's cross-package scenario and compliance suites.
//
// Each scenario is written once as a function and run against every reachable
// database backend through [github.com/retort-orm/retort/internal/testdb]:
// SQLite always, PostgreSQL and MySQL/MariaDB when their servers answer,
// SQL Server and Oracle when a URL is given. Scenarios skip by the capability
// they need (RETURNING, savepoints, sequences ...), never by a dialect name,
// and assert the exact statements and statement counts a behaviour produces,
// which is how flush order, selectin batching and the absence of N+1 loads
// are proven.
//
// The package has no API; its content is its _test.go files. Tests that
// belong to one package, such as golden SQL for one dialect, stay in that
// package.
package tests
