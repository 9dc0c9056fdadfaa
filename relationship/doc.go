// Package relationship derives how two mapped tables relate and keeps related
// objects consistent in memory (SCOPE rows R1 and R2, with the association
// proxies of R4).
//
// From the tables and the relationship declarations that
// [github.com/retort-orm/retort/declarative] reads, it will work out each
// relationship's direction (one-to-many, many-to-one, one-to-one,
// many-to-many through a secondary table, association objects,
// self-referential adjacency lists), its join condition (from foreign keys,
// from an explicit foreign_keys choice among several join paths, or from a
// custom primaryjoin/secondaryjoin with remote_side), the synchronization
// pairs that copy key values from parent to child, viewonly and order_by, and
// its cascade rules (save-update, merge, delete, delete-orphan, expunge,
// refresh-expire, all; passive_deletes relying on ON DELETE CASCADE). It also
// holds the runtime that copies foreign key values at flush and keeps
// back_populates sides in sync in memory.
//
// It does not decide how a relationship is loaded (that is
// [github.com/retort-orm/retort/loading]), what Go type holds a collection
// (that is [github.com/retort-orm/retort/collections]), or in which order
// rows are written (that is the unit of work in
// [github.com/retort-orm/retort/orm]). Names of targets are resolved, and
// back_populates pairs matched, by [github.com/retort-orm/retort/registry].
//
// Where the work lives today: the derivation (direction, join pairs from
// foreign keys or primaryjoin/secondaryjoin, remote_side, cascades,
// back_populates pairing) is done by the registry at Configure, where the
// tables and every mapper are known (registry/relationship.go). The
// runtime that copies foreign keys and keeps both sides of back_populates
// in line works on session state (the identity map, each object's
// relationship snapshot) and so lives in the orm package (orm/relflush.go,
// orm/instrumented.go). This package is kept for the association proxies
// of R4, which sit on top of both.
//
// Difference from SQLAlchemy: Go cannot intercept a field read, so reading an
// unloaded relationship field never triggers I/O. The session knows which
// relationships are unloaded (as opposed to empty) and loads them through an
// explicit call that takes a context.Context, for one object or a whole slice
// at once; the instrumented collection types are the other way to get
// on-demand loading.
package relationship
