// Package registry turns model declarations into immutable mappers: it is
// Retort's equivalent of SQLAlchemy's registry and Mapper (SCOPE row M4, with
// the imperative mapping of M3).
//
// Programs register their model types with a [Registry] at init, then call
// Configure once. The registry will be the one place that combines the
// mapping building blocks: it reads each type through
// [github.com/retort-orm/retort/declarative], builds or adopts the
// core.Table for it inside one core.MetaData, resolves relationship targets
// by name, pairs back_populates, derives relationships
// through [github.com/retort-orm/retort/relationship], assembles inheritance
// hierarchies through [github.com/retort-orm/retort/inheritance], attaches
// hybrid attributes ([github.com/retort-orm/retort/hybrid]), composites (M5)
// and SQL-expression attributes such as column_property and deferral groups
// (M6), and validates the whole. A [Mapper] is the result for one type: its
// table or selectable, its columns and attributes with precomputed field
// index paths and converters, its relationships and its place in a hierarchy.
// Mapping onto an existing or reflected core.Table, a select() or a join (M3)
// goes through the same registry.
//
// Configure builds mappers under a lock, with an in-progress map so that
// mutually recursive relationships resolve, and then publishes them
// immutable: reads after Configure are lock-free and safe from any
// goroutine. Configure fails fast with errors (never panics) naming the
// struct, the field and the tag, and a failure is sticky: every later use of
// the registry returns it again, naming the mapper that failed. The mapper
// events of E1 (mapper_configured, before_configured, after_configured) are
// fired from here.
//
// The registry executes no SQL and holds no session or connection state:
// loading lives in [github.com/retort-orm/retort/loading] and the Session in
// [github.com/retort-orm/retort/orm].
package registry
