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
// resolves a relationship's collection shape ([Relationship.CollectionKind],
// the key attribute of a map, [Relationship.CollectionKey]) and the
// position attribute of an ordered slice ([Relationship.Ordering], which is
// also its default order_by), checks that a post_update relationship's
// foreign key is nullable,
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
// Attribute handles (decision 5, B1): [Attr] (and [AttrOf], [MustAttr])
// name a mapped attribute by a function returning the address of its field,
// func(u *User) *string { return &u.Name }, and return a core.Typed[string]
// whose comparisons the Go compiler checks; no code generation. The
// function is called once on a per-type zero "probe" value; the pointer's
// offset and Go type are looked up among the mapper's attribute index paths
// (through embedded mixins, and into composites: &v.Start.X is the start_x
// column, &v.Start the composite's tuple). String names are validated when
// the expression is built: [Mapper.Column] and [TypedColumn] return a
// *declarative.MappingError naming the struct and the field, with the
// closest name suggested. Difference from SQLAlchemy: User.name is a class
// attribute there; Go has no class-level field values, so the handle is a
// function (or a string), and a handle must be taken after Configure.
//
// Hybrids (M7): [Registry.RegisterHybrids] or a model's Hybrids() method
// attach [github.com/retort-orm/retort/hybrid] attributes; Configure checks
// them and a *Mapper is the hybrid.Entity their SQL forms are built
// against; [Mapper.Column] resolves a hybrid property by name.
//
// Validators (M8): [Validate] and [ValidateField] declare per-attribute
// validators, checked at Configure; [Mapper.Validate] runs them. Go cannot
// intercept a field assignment, so validators run when the unit of work
// (or a session setter) calls Mapper.Validate, not on obj.Field = v, which
// is the difference from SQLAlchemy's @validates. JSON columns tagged
// mutable are tracked by value ([JSONSnapshot] at load, [JSONChanged] at
// flush) instead of by Mutable wrapper types that intercept mutation.
//
// Mapping onto a select or a join (M3): [Registry.MapSelectable] returns a
// read-only mapper, not part of the configured set (see its doc for the
// differences from SQLAlchemy).
//
// Not here yet (later issues): the FK-sync and backref runtime of
// [github.com/retort-orm/retort/relationship], the polymorphic loading of
// [github.com/retort-orm/retort/inheritance], the calls of validators and
// of JSON snapshots by the unit of work, the loading and flushing of
// composites and SQL-expression attributes (declared and exposed here),
// hybrids inherited by subtype mappers, and loading through a
// MapSelectable mapper.
// Relationship directions and join pairs are derived in this package for
// now; the relationship package will take that code over when it gains its
// runtime.
//
// The registry executes no SQL and holds no session or connection state:
// loading lives in [github.com/retort-orm/retort/loading] and the Session in
// [github.com/retort-orm/retort/orm].
package registry
