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
// orm/instrumented.go). This package holds the association proxies of R4,
// which sit on top of both, and the relationship EXISTS conditions they are
// built from.
//
// # Association proxies (R4)
//
// A [Proxy] is SQLAlchemy's association_proxy: a view of one attribute of
// the objects held by a relationship. User.Emails over User.Addresses →
// Address.Email is
//
//	var Emails = relationship.MustProxy[User](
//		"Addresses", func(a *Address) *string { return &a.Email })
//
// The attribute may be a column (a scalar target) or a scalar relationship
// of the related type (an object target: Order.Products over Order.Items →
// OrderItem.Product). [Proxy] covers slices, sets and the instrumented
// List and Set; [DictProxy] a keyed map collection (map[K]*R viewed as
// map[K]V); [ScalarProxy] a many-to-one relationship (Address.UserName over
// Address.User → User.Name). Options set the creator of new related
// objects ([WithCreator]) and the equality of values ([WithEqual]).
//
// Each proxy has two forms. The instance form (Get, Len, Contains, Append,
// Remove, Set; Lookup, Put, Delete for a dict) works on plain structs in
// memory. The SQL form, [Proxy.SQL] with a configured registry, is a
// [Comparator] whose Any, Has, Eq, Includes, Contains, Like and Match build
// correlated EXISTS conditions for a WHERE clause. A proxy's Go shape is
// checked when it is made; its fit with the mapping is checked on first use
// with a registry, and a mistake is kept in the Comparator (Err) and in its
// expressions, returned when they are compiled; nothing panics except the
// Must constructors meant for program init.
//
// Beneath them, [Exists] is the correlated EXISTS of a relationship's target
// rows (through the secondary table of a many-to-many, against an alias for
// a self-referential relationship), and [Any] and [Has] name the
// relationship by field: SQLAlchemy's User.addresses.any(crit) and
// Address.user.has(crit), for the ORM's queries to reuse.
//
// Differences from SQLAlchemy's association proxy:
//   - Reading a proxy never loads anything: Go cannot intercept a field
//     read, so the proxied relationship must be loaded by the program first
//     (a loader option, orm.LoadRelated, or an instrumented collection's
//     Load), or the proxy sees what the field holds.
//   - A proxy is a value used with its owner (Emails.Get(u)), not an
//     attribute of the class (u.emails), and its SQL form is built against
//     a registry (Emails.SQL(reg).Eq(v)), not the class.
//   - On a column proxy SQLAlchemy's contains() is the string LIKE '%v%'
//     operator, not a membership test (a known trap: contains("@other")
//     matches every address with "@other" in it). Retort's Contains keeps
//     that meaning, for strings only, and escapes % and _; membership is
//     Includes (the same as Eq). On an object-target proxy Contains, Eq and
//     Includes are all membership by the target's key.
//   - A dict proxy's creator takes the value; the proxy sets the key
//     attribute itself (SQLAlchemy's creator takes both).
//   - The SQL renders NOT EXISTS for a negated condition where SQLAlchemy
//     writes NOT (EXISTS (…)), and Contains adds ESCAPE '/'.
//
// Difference from SQLAlchemy: Go cannot intercept a field read, so reading an
// unloaded relationship field never triggers I/O. The session knows which
// relationships are unloaded (as opposed to empty) and loads them through an
// explicit call that takes a context.Context, for one object or a whole slice
// at once; the instrumented collection types are the other way to get
// on-demand loading.
package relationship
