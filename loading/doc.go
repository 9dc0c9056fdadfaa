// Package loading turns result rows into mapped objects and holds the loader
// strategies that decide how relationships and columns are fetched (SCOPE
// rows L2, L3 and L4, with the polymorphic loading of I2).
//
// A loader strategy will be one small interface, registered by name: it sets
// itself up on a mapper, changes the statement it is given, and builds the
// per-row processor; selectin adds a batch step after the main rows are
// loaded. The strategies are lazy (select), joined (LEFT OUTER JOIN through
// anonymous aliases, rows de-duplicated, innerjoin on request), selectin (IN
// batches, composite keys included), subquery, immediate, raise and
// raise_on_sql, noload and write_only. Loader options choose among them per
// query along nested paths: joinedload, selectinload, subqueryload, lazyload,
// raiseload, noload, contains_eager, defer, undefer, load_only,
// with_loader_criteria and populate_existing.
//
// Rows become objects through one row processor built per query, not per row,
// scanning straight into struct fields through the index paths that
// [github.com/retort-orm/retort/registry] computed; objects go through the
// session's identity map, so every query returns the same pointer for the same
// primary key, and a polymorphic base query yields each row as its real
// subtype. Streaming in batches (yield_per) keeps memory bounded and does not
// grow the identity map without bound.
//
// This package does not own the Session or the query API users call (that is
// [github.com/retort-orm/retort/orm]), the SQL compiler (that is
// [github.com/retort-orm/retort/core]), or relationship join conditions (that
// is [github.com/retort-orm/retort/relationship]). Difference from
// SQLAlchemy: "lazy" here never means hidden I/O on a field read, which Go
// cannot intercept; a lazy relationship is loaded by an explicit call that
// takes a context.Context, and raise makes that call an error.
package loading
