// Package loading holds the loader strategies and the loader options of
// ORM queries (SCOPE rows L2 and L3, with the loading side of M6): which
// strategy loads each relationship along each path of a query, which
// columns each entity loads, and the loader criteria. Options are plain
// values built once and reused:
//
//	orm.Select[User](s).Options(
//		loading.SelectInLoad("Orders").SelectInLoad("Items"),
//		loading.JoinedLoad("Profile"),
//		loading.RaiseLoad("*"),
//		loading.LoadOnly("Name"),
//		loading.WithLoaderCriteria[Address](addresses.C("deleted").Eq(false)),
//	)
//
// A path element is a Go field name or the address of the field on the
// entity's probe value (&registry.Probe[User]().Orders), which the Go
// compiler checks. [Resolve] checks a set of options against the query's
// entity and returns a [Tree]: a path that names no relationship of the
// entity it starts from, a strategy that a relationship cannot take (any
// loading of a write-only relationship), a column option naming a
// relationship: each is an [*Error] naming the option's path, before any
// SQL.
//
// The strategies are [LazySelect] (unloaded until an explicit load: Go
// cannot load on a field read), [LazyJoined], [LazySelectIn],
// [LazySubquery], [LazyImmediate], [LazyRaise], [LazyRaiseOnSQL],
// [LazyNoLoad] and [LazyWriteOnly]; the mapping's lazy tag gives the
// default, an option overrides it for one query, and the "*" wildcard
// sets it for every other relationship at and below its path, as
// SQLAlchemy's does.
//
// Where this package departs from ARCHITECTURE.md: the strategies are
// executed by github.com/retort-orm/retort/orm, not here. Running a
// strategy means reading rows into the session's identity map, object
// states and relationship snapshots, which are the Session's own; putting
// them behind an interface for this package would have added an
// indirection on the hottest path of loading for no second user. This
// package owns what a query asks for (options, paths, strategies, column
// choices, criteria) and checks it; orm owns how it is done (the SELECTs,
// the row processors, the batches of IN queries, streaming).
package loading
