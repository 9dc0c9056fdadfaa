package compile_test

import "github.com/retort-orm/retort/internal/goldencases"

// The DML and query cases and their schema live in internal/goldencases,
// shared with the live compliance suite (tests/compliance). The schema is
// SQLAlchemy reference's test schema (/tmp/sqla-ref.md), so the golden files
// compare line by line with SQLAlchemy's output:
//
//	t(id INTEGER PK, name VARCHAR(50), x INTEGER, flag BOOLEAN, ts DATETIME)
//	o(id INTEGER PK, t_id INTEGER FK -> t.id, v INTEGER)
var (
	t = goldencases.T
	o = goldencases.O
	e = goldencases.E
	d = goldencases.D
)

// cases are the shared DML and query cases; ddl_cases_test.go appends the
// DDL cases.
var cases = func() []goldenCase {
	cs := make([]goldenCase, len(goldencases.Cases))
	for i, c := range goldencases.Cases {
		cs[i] = goldenCase{name: c.Name, build: c.Build, note: c.Note}
	}
	return cs
}()
