// Package registry turns model declarations into immutable mappers: it is
// Retort's equivalent of SQLAlchemy's registry and Mapper (SCOPE row M4, with
// the imperative mapping of M3, the mapper configuration events of E1 and
// the configuration half of R1 and I1).
//
// Programs register their model types with a [Registry] at init
// ([Registry.Register], safe from several goroutines), then call
// [Registry.Configure] once. The registry is the one place that combines the
// mapping building blocks: it reads each type through
// [github.com/retort-orm/retort/declarative], builds the core.Table for it
// inside one core.MetaData (or adopts an existing table, [Registry.MapTable]),
// resolves relationship targets, derives each relationship's direction
// (one-to-many, many-to-one, many-to-many through a secondary table) and
// join column pairs from the foreign keys (or from explicit foreign_keys,
// primaryjoin/secondaryjoin and remote_side), pairs back_populates,
// records inheritance hierarchies (joined, single and concrete table;
// polymorphic_on and polymorphic_identity), and validates the whole. A
// [Mapper] is the result for one type: its table, its column [Attribute]s
// with precomputed field index paths in table column order, its primary key,
// its [Relationship]s, its [Composite]s (M5), its column_property and
// query_expression [Property]s, deferred columns and synonyms (M6), and its
// place in a hierarchy; lookups by Go field name and by column name are map
// reads.
//
// Configure builds mappers under the registry's lock and then publishes them
// through an atomic pointer: reads after Configure are lock-free and safe
// from any goroutine, and no mapper changes afterwards. Configure fails fast
// with errors (never panics): a *declarative.MappingError naming the struct,
// the field and the tag and saying what to write instead (it matches
// *core.ArgumentError), wrapped in a [ConfigureError] naming the mapper that
// failed. The failure is sticky: every later Configure and lookup returns the
// same error. The mapper events of E1 are typed listeners registered on the
// registry before Configure ([Registry.OnBeforeConfigured],
// [Registry.OnMapperConfigured], [Registry.OnAfterConfigured]); with none
// registered they cost nothing.
//
// Not here yet (later issues): the FK-sync and backref runtime of
// [github.com/retort-orm/retort/relationship], the polymorphic loading of
// [github.com/retort-orm/retort/inheritance], hybrid attributes
// ([github.com/retort-orm/retort/hybrid]), validators and mutation tracking
// (M8), the loading and flushing of composites and SQL-expression
// attributes (declared and exposed here), and mapping onto a select() or a
// join.
// Relationship directions and join pairs are derived in this package for
// now; the relationship package will take that code over when it gains its
// runtime.
//
// The registry executes no SQL and holds no session or connection state:
// loading lives in [github.com/retort-orm/retort/loading] and the Session in
// [github.com/retort-orm/retort/orm].
package registry
