// Package orm is the package Retort's users import for object-relational
// work: the Session, its unit of work and identity map, object states, and the
// typed query API (SCOPE rows S1 to S9 and L1, with B1 and B5).
//
// A program will open a [Session] per unit of work (an HTTP request, a job),
// add, query, change and delete plain structs through it, and commit. The
// Session tracks each object's state (transient, pending, persistent,
// deleted, detached), keeps one object per primary key (its identity map),
// finds changes by comparing fields with the snapshot taken at load or at the
// last flush, autoflushes before queries, and at flush writes the changes in
// dependency order with batched INSERT (with RETURNING), UPDATE and DELETE.
// Nested transactions use SAVEPOINT, version counters detect lost updates,
// and a failed flush rolls the transaction back and says so. Queries are
// typed: generic entry points such as [Get] and [Scalars], with mapped
// attributes named in a way the Go compiler checks.
//
// Every call that does I/O takes a context.Context first. A Session belongs
// to one goroutine at a time; engines and the registry are safe for
// concurrent use. The Session holds every object it tracks strongly until it
// is expunged or closed, so no change is silently lost to garbage collection.
//
// It builds on the layers below and owns none of them: mapping is
// [github.com/retort-orm/retort/registry], loader strategies are
// [github.com/retort-orm/retort/loading], SQL, engines and results are
// [github.com/retort-orm/retort/core]. Difference from SQLAlchemy: Go cannot
// intercept a field read, so nothing here loads on attribute access; an
// unloaded relationship is loaded by an explicit call with a context, for one
// object or a slice of them.
package orm
