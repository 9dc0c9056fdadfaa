// Package hybrid holds attributes that have both an instance form, computed
// in Go on a loaded object, and an SQL form, usable in a query (SCOPE row
// M7).
//
// It will cover hybrid properties and hybrid methods, setters, custom
// comparators and update expressions, so that one definition serves both
// o.FullName() in Go code and a WHERE or ORDER BY on the same expression in
// SQL. The SQL form is built with the expression language of
// [github.com/retort-orm/retort/core]; the
// [github.com/retort-orm/retort/registry] attaches hybrids to their mappers.
//
// This package does not compile SQL or load objects. Difference from
// SQLAlchemy: a Go method cannot also be a class-level expression, so a hybrid
// is declared as a pair of functions (the Go one and the SQL one) under one
// name, typed with generics so that a query naming it is checked by the
// compiler.
package hybrid
