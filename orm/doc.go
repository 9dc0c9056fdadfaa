// Package orm is the package Retort's users import for object-relational
// work: the Session, its unit of work and identity map, object states, and the
// typed query API (SCOPE rows S1 to S9 and L1, with B1 and B5).
//
// A program opens a [Session] per unit of work (an HTTP request, a job),
// adds, queries, changes and deletes plain structs through it, and commits:
//
//	s := orm.NewSession(reg, engine)
//	defer s.Close()
//	u := &User{Name: "spongebob"}
//	s.Add(u)
//	s.Commit(ctx)                      // INSERT … RETURNING id; u.ID is set
//	u, err := orm.Get[User](ctx, s, 1) // identity map first, then one SELECT
//	u.Name = "sandy"
//	s.Commit(ctx)                      // UPDATE users SET name=? WHERE users.id = ?
//
// # States and the identity map
//
// Each object is transient, pending, persistent, deleted or detached
// ([State]; [Session.StateOf], [Session.Inspect]). The identity map keeps
// one object per primary key: every query that returns a row returns the
// same pointer for it, and does not overwrite the object's pending changes
// unless [Query.PopulateExisting] is asked. Objects are held strongly until
// Expunge or Close, so a changed object the program dropped is still
// written.
//
// # Change tracking without attribute interception
//
// Go cannot intercept a field write or read. The session keeps a snapshot
// of each persistent object (a copy of its struct, with pointers, byte
// slices and mutable JSON values copied deeply) taken when the row was
// loaded or last flushed, and a flush compares every mapped field with it:
// only changed columns go into the UPDATE, and a flush with no change emits
// no SQL. The cost is one struct copy per loaded object and a field
// comparison per flush.
//
// "Expired" therefore means: the next load of that row (a query, [Get], or
// [Session.Refresh]) overwrites the object's fields with the database's
// values, keeping only fields the program changed since. Nothing loads on
// field access; Refresh reloads now. Commit expires every object
// (expire_on_commit, [WithExpireOnCommit]).
//
// A zero value counts as "not set" for a column that has a default: an
// autoincrement key, a server default, an identity or sequence, or a
// client-side default (default:, default_func:). Such a column is left to
// its default when the field is zero; use a pointer field to store an
// explicit zero.
//
// # The unit of work
//
// A flush runs before_flush listeners, does the relationship work (see
// Relationships), checks the work before any SQL (identity conflicts, NULL
// for NOT NULL columns without default), orders the mappers by their
// relationships and foreign keys, and emits per mapper the UPDATEs of
// changed objects (in primary key order, consecutive ones with the same
// columns as one executemany) and then the INSERTs of new objects (in Add
// order, batched as multi-row INSERT … RETURNING, rows matched back in
// input order), then the post_update and secondary-table statements, and
// then the DELETEs in reverse order — as
// SQLAlchemy's save_obj and delete_obj do. Keys and server defaults made
// by the database are read back (RETURNING, or the last insert id and a
// SELECT where RETURNING is missing). UPDATE and DELETE row counts are
// checked: a mismatch is a [StaleDataError], and a version counter column
// (tag option version, or version_func for generated versions) is checked
// in their WHERE clauses. DELETE of objects with a one-column key and no
// version counter is one DELETE … WHERE key IN (…) per 500 objects,
// where SQLAlchemy uses an executemany of single-row DELETEs.
//
// A failed flush rolls back its transaction (or, inside [Session.BeginNested],
// the SAVEPOINT) and returns a [FlushError]; no row of it is kept, objects
// keep their in-memory changes, keys the database made are zeroed again.
// After a failed flush outside a SAVEPOINT every call returns a
// [PendingRollbackError] until [Session.Rollback].
//
// # Relationships
//
// Relationship fields (*T, []*T, map[K]*T keyed by a field of T,
// map[*T]struct{} sets, or the instrumented collections.List[T] and
// collections.Set[T]) are persisted by flush, in the order SQLAlchemy's
// unit of work uses:
//
//   - save-update cascade: objects a new or changed object refers to are
//     added (at Add, and again at flush for what was assigned later);
//   - foreign keys are copied from parents to children, also when the
//     parent's key is made by the database in the same flush (the child
//     is then written after it); a child removed from a collection gets a
//     NULL foreign key, or is deleted under delete-orphan; many-to-many
//     changes become rows of the secondary table;
//   - mappers are written in dependency order (parents first, mappers
//     without a dependency by type name, as SQLAlchemy orders by class
//     name); mappers in a dependency cycle (a self-referential adjacency
//     list is one) are written level by level, each row after the rows it
//     takes a key from, one batch per level; a cycle between rows is a
//     [CircularDependencyError] naming the relationships, one of which
//     needs post_update (written as an UPDATE after the INSERTs, and
//     cleared by an UPDATE before the DELETEs);
//   - delete cascade: deleting an object deletes what its delete-cascade
//     relationships hold, loading them (one IN query per relationship and
//     level) unless passive_deletes leaves them to ON DELETE CASCADE;
//     without the cascade, children get a NULL foreign key;
//   - expunge, merge and refresh-expire cascade with [Session.Expunge],
//     [Merge], [Session.Expire] and [Session.Refresh].
//
// Go cannot see a field assignment, so for plain fields the flush compares
// each relationship with a snapshot of the related objects' addresses,
// brings the other side of a back_populates pair in line (after a flush
// both sides agree in memory), and fires the attribute events
// ([OnAppend], [OnRemove], [OnSet]) then. collections.List[T] and
// collections.Set[T] report each change at once: its events fire and the other side updates as the
// program appends or removes.
//
// A relationship of an object loaded from the database is unloaded until
// the program loads it ([Session.LoadRelationship] for one object,
// [LoadRelated] for a slice in one IN query per 500 keys, or
// collections.List's Load and Items); [Session.IsLoaded] tells an unloaded
// relationship from an empty one. Commit and rollback expire
// relationships as SQLAlchemy's do. Objects put in an unloaded collection
// are kept as additions (SQLAlchemy's pending collection); removing an
// object counts when the session saw it in the collection (it loaded or
// wrote it there); likewise setting to nil a many-to-one the session never
// saw set cannot be told from leaving it alone. lazy:"raise" makes loading an
// error naming the relationship, lazy:"noload" leaves it empty.
//
// Deliberate differences from SQLAlchemy 2.0: rows are inserted as one
// multi-row INSERT per table and level on every backend; the delete
// cascade loads unloaded collections with one IN query per level instead
// of one SELECT per object; a new delete-orphan child whose NOT NULL
// foreign key is unset and that no parent holds is refused before any SQL
// (SQLAlchemy lets the database raise IntegrityError); a related object
// this session does not track but whose database-made key is set belongs
// to another session (or was detached) and is refused with a hint to use
// [Merge] (SQLAlchemy re-attaches detached objects); Go's type system
// rejects an object of the wrong type at compile time.
//
// # Querying and loading
//
// [Select] starts a typed query of a mapped type ([Query]): Where,
// FilterBy, OrderBy, Limit and Offset as in Core; Join and OuterJoin along
// relationships (a field name, a dotted path "Orders.Items", or a field
// address on a probe value), JoinAlias for a relationship's target through
// an alias (SQLAlchemy's of_type), JoinOn with an explicit ON clause; From
// to read the entity from an alias (a self-join), a subquery, a CTE or a
// subquery of a UNION; FromStatement for a textual statement matched by
// column name. [Select2] returns two entities per row ([Pair]) and
// [Select3] three ([Triple]); [Any],
// [Has] and [WithParent] are the relationship criteria; [Related] queries a
// relationship without loading it (the way to read a
// collections.WriteOnly collection); [Session.Execute] runs any Core
// statement in the session's transaction. Every row goes through the
// identity map.
//
// Relationships load as the mapping's lazy tag says or as the query's
// loader options (package loading) say, along nested paths: joined (LEFT
// OUTER JOINs of anonymous aliases in the same SELECT, inner joins on
// request and nested inside an outer one as SQLAlchemy nests them; with a
// LIMIT or OFFSET and a joined collection, the limited query is wrapped in
// a subquery), selectin (one IN query per 500 parents after the rows,
// tuple IN for composite keys; a many-to-one takes targets already in the
// identity map without SQL), subquery (one query joining the target to the
// original query), immediate (one query per object), noload (empty),
// raise and raise_on_sql (loading is an error), and lazy (unloaded until
// an explicit load). The options an object was loaded with stay with it:
// its later explicit loads follow the loader criteria and the options
// further along the path, and RaiseLoad keeps raising. Default eager
// strategies on the mapping stop at a mapper already on the path.
//
// Column options choose the columns: LoadOnly, Defer, DeferRaise, Undefer
// and UndeferGroup; [Session.LoadColumns] loads what a query left out
// with one SELECT by key, and [Session.IsLoaded] tells loaded columns
// from unloaded ones. A change to an unloaded column is written.
// column_property attributes load with the row; a query_expression loads
// from the expression WithExpression gives. WithLoaderCriteria adds
// criteria to every SELECT of an entity the query loads: its rows, the ON
// clause of joined loads, the WHERE of selectin, subquery, immediate and
// later explicit loads of the objects. ContainsEager fills a relationship
// from a join the query made. [Query.PopulateExisting] overwrites loaded
// objects and replaces the collections the query loads.
//
// [Query.YieldPer] streams in batches: each batch's eager loads run for
// it, and then the objects the stream brought into the session that have
// no change to write are expunged, so memory stays bounded over any
// number of rows (changed objects stay, and are written). On PostgreSQL a
// stream reads through a server-side cursor inside the transaction, so
// the batches' loads and the callback may run statements between
// fetches; SQLite runs them beside the open rows; MySQL and MariaDB
// cannot run a statement while a result is open, so there a stream with
// loads after each batch is an error, and the callback must not run
// statements on the session until the stream ends.
//
// Deliberate differences from SQLAlchemy 2.0: a query whose joined loads
// of collections repeat rows returns each object once without asking for
// unique(); subquery loading of a many-to-one loads by key; errors in
// options are reported when the query is built, before any SQL; the
// loader SQL lists columns in table order without table_col labels.
//
// # Inheritance
//
// A subtype embeds its base struct as its first field (package
// inheritance documents the declarations). The Session tracks an object
// under its real type, and a pointer to its embedded base is the same
// object to it: a query of the base returns []*Base whose elements point
// into the subtypes' objects, [Concrete] returns the real object for a
// type switch and [As] the typed one. A flush writes a hierarchy table by
// table: a joined subtype's base row first (its key copied into the
// subtype's table), one UPDATE per table with changes, and DELETEs from
// the subtype's table up; single-table subtypes write the one table, with
// the discriminator set to the type's identity.
//
// A query of a base returns each row as its real type with all its
// columns: joined subtypes' tables are LEFT OUTER JOINed in (the default,
// SQLAlchemy's with_polymorphic) or read with one SELECT per subtype after
// the rows (polymorphic_load:selectin, selectin_polymorphic), chosen on
// the mapping or per query with loading.WithPolymorphic and
// loading.SelectInPolymorphic; single-table subtypes' columns come with
// the row, and a query of one adds WHERE discriminator IN (its
// identities); a concrete hierarchy is read through its polymorphic union
// (UNION ALL of its tables). [OfType] narrows a relationship to a subtype
// in Join and in loader paths, [AnyOf] in EXISTS criteria. A row whose
// discriminator no type has is an inheritance.UnknownIdentityError.
//
// # Transactions
//
// A session begins a transaction on first use and keeps it until Commit,
// Rollback or Close. Rollback restores objects: those added or inserted in
// the transaction become transient, deleted ones persistent again, and
// changed ones get back their committed values and are expired. A
// SAVEPOINT ([Session.BeginNested], [Session.Nested]) copies every tracked
// object when it begins, so that its rollback restores field values and
// states exactly as they were. [WithConnection] joins an external
// connection, running the session's transaction as a SAVEPOINT when the
// connection is already in one (the test-suite pattern).
//
// # Events
//
// Session events ([SessionEvents]: before_flush, after_flush,
// after_flush_postexec, after_begin, before_commit, after_commit,
// after_rollback, after_soft_rollback, state transitions) are registered on
// a [Factory] or a Session. Mapper events ([OnBeforeInsert] …) and instance
// events ([OnLoad], [OnRefresh], [OnExpire], [OnInit]) are typed, global per
// mapped type, and with events.Propagate() also run for mapped subtypes
// (with the embedded base value). Nothing is built when nobody listens.
//
// Every call that does I/O takes a context.Context first. A Session belongs
// to one goroutine at a time; engines, factories and the registry are safe
// for concurrent use.
//
// It builds on the layers below: mapping is
// [github.com/retort-orm/retort/registry], loader options and strategy
// names are [github.com/retort-orm/retort/loading] (this package runs
// them, on the session's own state; see that package's doc), SQL, engines
// and results are [github.com/retort-orm/retort/core]. Differences from SQLAlchemy: Go cannot
// intercept a field read, so nothing here loads on attribute access; an
// unloaded relationship is loaded by an explicit call with a context, for one
// object or a slice of them (see Relationships above). [Get] returns core.ErrNoResultFound rather than
// a nil object. A plain struct carries no session state, so a session treats
// an object it does not track as new: use [Merge] to bring an object from
// another session into this one.
package orm
