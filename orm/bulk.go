package orm

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strconv"

	"github.com/retort-orm/retort/core"
)

// ORM bulk DML (SCOPE row S8): SQLAlchemy's "ORM-enabled INSERT, UPDATE
// and DELETE statements". These run statements in the Session's
// transaction, after an autoflush, without the unit of work:
//
//   - [BulkInsert]: many new objects in multi-VALUES INSERTs
//     (insertmanyvalues), keys and server defaults read back by RETURNING;
//     session.execute(insert(User).returning(User), [...]).
//   - [BulkUpdate]: UPDATE by primary key from objects, one executemany;
//     session.execute(update(User), [...]).
//   - [UpdateWhere] and [DeleteWhere]: one UPDATE or DELETE with WHERE
//     criteria and a synchronize_session choice ([SyncMode]).
//
// Differences from SQLAlchemy: rows are given as the mapped structs
// themselves (not dictionaries), so the database-made values are written
// back into the objects the program holds; mapper events
// (before_insert, after_update, …) do not fire for bulk statements, as
// they do not in SQLAlchemy; and a bulk statement that fails rolls the
// session's transaction back (or its innermost SAVEPOINT) as a failed
// flush does, so that a half-written batch can never be committed (see
// [BulkError]).

// BulkOption configures [BulkInsert].
type BulkOption func(*bulkConfig)

type bulkConfig struct {
	track bool
}

// Track makes [BulkInsert] add the inserted objects to the session as
// persistent objects in its identity map, as a flush of new objects does
// (SQLAlchemy's insert(User).returning(User), which returns ORM objects).
// Without it the objects stay transient: they get their keys and
// database-made defaults but the session does not track them, which is
// SQLAlchemy's bulk INSERT without RETURNING and the cheaper choice for
// loading data.
func Track() BulkOption { return func(c *bulkConfig) { c.track = true } }

// SyncMode is how [UpdateWhere] and [DeleteWhere] bring the objects of
// the identity map in line with the rows they changed (SQLAlchemy's
// synchronize_session).
//
// SQLAlchemy's default, "auto", tries "evaluate" first: it evaluates the
// WHERE criteria in Python against the objects in the identity map. Retort
// does not offer it: evaluating arbitrary SQL criteria in Go (collations,
// NULL logic, SQL functions, other tables, the database's own type rules)
// would give answers that differ from the database's in ways a caller
// could not see. SyncAuto therefore means SyncFetch, which asks the
// database which rows matched.
type SyncMode uint8

const (
	// SyncAuto is the default: SyncFetch.
	SyncAuto SyncMode = iota
	// SyncFetch finds the primary keys of the matched rows (with RETURNING
	// where the dialect supports it for the statement, else with a SELECT of
	// the keys under the same WHERE criteria before the statement) and
	// updates the objects of those keys in the identity map: for UPDATE,
	// values given as Go values are set on the object and its snapshot, and
	// an object given an SQL-expression value is expired (its next load
	// refreshes it); for DELETE, the objects become Deleted and leave the
	// identity map (Rollback brings them back, Commit detaches them).
	SyncFetch
	// SyncNone leaves the session's objects alone: they may hold values
	// the database no longer has until they are refreshed or expired.
	SyncNone
)

// String returns "auto", "fetch" or "none".
func (m SyncMode) String() string {
	switch m {
	case SyncAuto:
		return "auto"
	case SyncFetch:
		return "fetch"
	case SyncNone:
		return "none"
	}
	return "SyncMode(" + strconv.Itoa(int(m)) + ")"
}

// BulkError reports a bulk statement ([BulkInsert], [BulkUpdate],
// [UpdateQuery.Execute], [DeleteQuery.Execute]) that failed in the
// database. The session has rolled back its transaction (or, inside
// [Session.BeginNested], its innermost SAVEPOINT, restoring the objects),
// so that no part of the bulk operation can be committed. After a
// rollback of the outermost transaction every call on the session returns
// a *PendingRollbackError until [Session.Rollback] is called, as after a
// failed flush. Keys the database made for the objects of a failed
// BulkInsert are zeroed again.
type BulkError struct {
	// Op is "bulk insert", "bulk update", "update" or "delete".
	Op string
	// Type and Table are the mapped Go type and its table.
	Type, Table string
	// Savepoint reports that only the innermost SAVEPOINT was rolled back.
	Savepoint bool
	Err       error
}

func (e *BulkError) Error() string {
	what := "the transaction was rolled back"
	if e.Savepoint {
		what = "the SAVEPOINT was rolled back"
	}
	return fmt.Sprintf("retort: orm: %s of %s (table %q) failed; %s: %v", e.Op, e.Type, e.Table, what, e.Err)
}

func (e *BulkError) Unwrap() error { return e.Err }

// bulkFailed rolls back after a failed bulk statement, as flushFailed does
// after a failed flush. states are the objects whose database-made keys
// must be zeroed again.
func (s *Session) bulkFailed(ctx context.Context, be *BulkError, states []*instState) error {
	for _, st := range states {
		st.zeroGeneratedKey()
	}
	var rerr error
	be.Savepoint, rerr = s.rollbackFailedWrite(ctx, be)
	if rerr != nil {
		be.Err = fmt.Errorf("%w (and the rollback failed: %v)", be.Err, rerr)
	}
	return be
}

// bulkPlan checks that p can take bulk statements.
func bulkPlan(p *plan, op string) error {
	if !p.writable {
		return &InvalidRequestError{Msg: fmt.Sprintf("%s of %s: the type is mapped onto a select or a join and is read-only", op, p.name)}
	}
	for _, ap := range p.attrs {
		if !ap.ownTable {
			return &InvalidRequestError{Msg: fmt.Sprintf("%s of %s: the mapping spans several tables (%s is a column of %s); bulk statements take single-table mappings", op, p.name, ap.name, ap.col.Table().Name())}
		}
	}
	if len(p.pk) == 0 {
		return &InvalidRequestError{Msg: fmt.Sprintf("%s of %s: the mapping has no primary key", op, p.name)}
	}
	return nil
}

// bulkStates checks objs (no nil, no repeats) and returns a bookkeeping
// state for each; a state the session already has is returned as it is.
func (s *Session) bulkStates(p *plan, objs []any, op string, allowTracked bool) ([]*instState, error) {
	states := make([]*instState, len(objs))
	seen := make(map[objKey]int, len(objs))
	for i, obj := range objs {
		v := reflect.ValueOf(obj)
		if v.IsNil() {
			return nil, &InvalidRequestError{Msg: fmt.Sprintf("%s of %s: object %d of %d is nil", op, p.name, i, len(objs))}
		}
		sv := v.Elem()
		k := objKey{p: v.UnsafePointer(), t: p}
		if j, dup := seen[k]; dup {
			return nil, &InvalidRequestError{Msg: fmt.Sprintf("%s of %s: objects %d and %d are the same object", op, p.name, j, i)}
		}
		seen[k] = i
		if st := s.objs.get(k); st != nil {
			if !allowTracked {
				return nil, &InvalidRequestError{Msg: fmt.Sprintf("%s of %s: object %d is already %s in this Session; bulk insert takes new objects (a flush writes the session's own)", op, p.name, i, st.st)}
			}
			states[i] = st
			continue
		}
		states[i] = &instState{ptr: sv.Addr().UnsafePointer(), p: p, st: Transient}
	}
	return states, nil
}

func anySlice[T any](objs []*T) []any {
	out := make([]any, len(objs))
	for i, o := range objs {
		if o != nil {
			out[i] = o
		} else {
			out[i] = (*T)(nil)
		}
	}
	return out
}

// ---------------------------------------------------------------- INSERT

// BulkInsert INSERTs objs, new objects of the mapped type T, in
// multi-VALUES statements (insertmanyvalues: as many rows per statement
// as the dialect's bind-parameter limit allows) on the session's
// connection and in its transaction, after an autoflush. It is
// SQLAlchemy's ORM bulk INSERT, session.execute(insert(User), [...]).
//
// As a flush does, it first applies client-side defaults and the first
// version counter value to zero fields, and rejects a NULL for a NOT NULL
// column without a default before any SQL. Objects leaving different
// columns to the database (a key set by the program on some, left to the
// database on others) are batched by shape, each shape in input order.
// Keys and other values the database makes (autoincrement, identity,
// sequence, server defaults) are read back into the objects by RETURNING,
// matched to the objects in input order; on a dialect without RETURNING
// the objects that need them are inserted one by one and the key is read
// from the driver's last insert id.
//
// Without the [Track] option the objects are not added to the session
// (and must not be in it); with it they become persistent objects of its
// identity map, as after a flush. No mapper event fires. An empty objs is
// a no-op. Bad input (a nil object, the same object twice, an unmapped
// type, a NULL for a NOT NULL column) is an *InvalidRequestError and
// nothing is written; a database error is a *BulkError after a rollback.
func BulkInsert[T any](ctx context.Context, s *Session, objs []*T, opts ...BulkOption) error {
	if err := s.usable(); err != nil {
		return err
	}
	s.calls++
	defer s.leave()
	var cfg bulkConfig
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	p, err := mapperOf[T](s)
	if err != nil {
		return err
	}
	if len(objs) == 0 {
		return nil
	}
	if err := bulkPlan(p, "bulk insert"); err != nil {
		return err
	}
	states, err := s.bulkStates(p, anySlice(objs), "bulk insert", false)
	if err != nil {
		return err
	}
	for _, st := range states {
		if err := prepareInsert(st); err != nil {
			return &InvalidRequestError{Msg: "bulk insert of " + p.name, Err: err}
		}
		if err := st.checkInsertable(nil); err != nil {
			return err
		}
	}
	if cfg.track {
		keys := make(map[identityKey]int, len(states))
		for i, st := range states {
			k, ok := p.explicitKey(st.sv())
			if !ok {
				continue
			}
			if other, dup := s.identity.get(k); dup {
				return &InvalidRequestError{Msg: fmt.Sprintf("bulk insert of %s: object %d has the identity key %s of persistent instance %p in this Session", p.name, i, keyString(k), other.object())}
			}
			if j, dup := keys[k]; dup {
				return &InvalidRequestError{Msg: fmt.Sprintf("bulk insert of %s: objects %d and %d have the same primary key %s", p.name, j, i, keyString(k))}
			}
			keys[k] = i
		}
	}
	// group by shape, each group in input order
	type shape struct {
		mask   insertMask
		fetch  bool
		states []*instState
	}
	var shapes []*shape
	byMask := map[insertMask]*shape{}
	for _, st := range states {
		mask, fetch := insertShape(p, st, p.parts[0])
		sh := byMask[mask]
		if sh == nil {
			sh = &shape{mask: mask, fetch: fetch}
			byMask[mask] = sh
			shapes = append(shapes, sh)
		}
		sh.states = append(sh.states, st)
	}
	if err := s.autoflush(ctx); err != nil {
		return err
	}
	conn, err := s.connFor(ctx, p)
	if err != nil {
		return err
	}
	for _, sh := range shapes {
		if err := s.insertGroup(ctx, conn, p, p.parts[0], sh.states, sh.mask, sh.fetch); err != nil {
			return s.bulkFailed(ctx, &BulkError{Op: "bulk insert", Type: p.name, Table: p.table.Name(), Err: err}, states)
		}
	}
	if cfg.track {
		for _, st := range states {
			s.order++
			st.order = s.order
			s.objs.put(keyOf(p, st.sv()), st)
			if p.hasRels {
				s.relTracked = true
			}
			s.markInserted(st, Transient)
		}
	} else {
		for _, st := range states {
			st.genPK = false
		}
	}
	return nil
}

// ---------------------------------------------------------------- UPDATE by primary key

// BulkUpdate UPDATEs the rows of objs by primary key (SQLAlchemy's ORM
// bulk UPDATE by primary key, session.execute(update(User), [...])),
// setting the columns of the named Go fields from each object, or of
// every column field but the primary key, computed columns and the version
// counter when no field is named. It runs one statement shape as an
// executemany, in the session's transaction after an autoflush. The
// objects need not be in the session.
//
// Client-side onupdate values are applied to the columns not named, and a
// version counter is checked and advanced as a flush does (the object's
// version field is the expected one). The rows matched must equal the
// objects: a missing row or a version changed by someone else is a
// *StaleDataError inside a *BulkError, and the transaction is rolled back.
// An object of the same identity in the session (the object itself, or
// another one loaded there) gets the new values in its fields and in its
// snapshot, so it is not seen as changed.
//
// A field name that is not a column field of T, a primary key field, a
// nil object or a NULL for a NOT NULL column is an *InvalidRequestError
// naming the struct and the field, before any SQL.
func BulkUpdate[T any](ctx context.Context, s *Session, objs []*T, fields ...string) error {
	if err := s.usable(); err != nil {
		return err
	}
	s.calls++
	defer s.leave()
	p, err := mapperOf[T](s)
	if err != nil {
		return err
	}
	if err := bulkPlan(p, "bulk update"); err != nil {
		return err
	}
	attrs, err := p.updateFields(fields)
	if err != nil {
		return err
	}
	if len(objs) == 0 {
		return nil
	}
	states, err := s.bulkStates(p, anySlice(objs), "bulk update", true)
	if err != nil {
		return err
	}
	for i, st := range states {
		if _, ok := p.keyOfStruct(st.sv()); !ok {
			return &InvalidRequestError{Msg: fmt.Sprintf("bulk update of %s: object %d has a NULL primary key", p.name, i)}
		}
		for _, ap := range attrs {
			if ap.nullCapable && !ap.nullable && isNull(ap.field(st.sv())) {
				return &InvalidRequestError{Msg: fmt.Sprintf("bulk update of %s: object %d: %s.%s is NULL (a nil %s) for NOT NULL column %s", p.name, i, p.name, ap.name, ap.typ, colName(ap))}
			}
		}
	}
	if err := s.autoflush(ctx); err != nil {
		return err
	}
	// the columns: the named ones, client onupdate values for the others,
	// the version counter
	set := slices.Clone(attrs)
	var onUpd []*attrPlan
	for _, ap := range p.attrs {
		if ap.onUpdate != nil && ap.onUpdate.Expr == nil && !ap.pk && !ap.computed && !containsAttr(attrs, ap) {
			onUpd = append(onUpd, ap)
			set = append(set, ap)
		}
	}
	slices.SortFunc(set, func(a, b *attrPlan) int { return a.i - b.i })
	ver := p.version
	olds := make([]any, len(states))
	newVers := make([]any, len(states))
	for r, st := range states {
		for _, ap := range onUpd {
			var v any
			if ap.onUpdate.Func != nil {
				v = ap.onUpdate.Func()
			} else {
				v = ap.onUpdate.Value
			}
			if err := setFieldValue(ap.field(st.sv()), v, p.name+"."+ap.name+" onupdate"); err != nil {
				return &InvalidRequestError{Msg: "bulk update of " + p.name, Err: err}
			}
		}
		if ver != nil {
			olds[r] = ver.field(st.sv()).Interface()
			nv, err := p.nextVersion(olds[r])
			if err != nil {
				return &InvalidRequestError{Msg: "bulk update of " + p.name, Err: err}
			}
			newVers[r] = nv
		}
	}
	stmtAttrs := set
	if ver != nil {
		stmtAttrs = append(slices.Clone(set), ver)
	}
	conn, err := s.connFor(ctx, p)
	if err != nil {
		return err
	}
	fail := func(err error) error {
		return s.bulkFailed(ctx, &BulkError{Op: "bulk update", Type: p.name, Table: p.table.Name(), Err: err}, nil)
	}
	// the flush's UPDATE shape for these columns, bound from the objects
	// themselves (their key fields, their version field as the one expected)
	mask, extra := attrMask(p, stmtAttrs)
	pr, err := prepare(conn, preparedKey{p: p, kind: prepUpdate, mask: mask, extra: extra, ver: ver != nil},
		func() (core.Statement, bool) { return p.updateStmt(p.parts[0], stmtAttrs, ver != nil), false }, p.resolveKeyed)
	if err != nil {
		return fail(err)
	}
	rows := make([][]any, len(states))
	for r, st := range states {
		args := make([]any, len(pr.src))
		for i, sr := range pr.src {
			switch sr.kind {
			case srcConst:
				args[i] = sr.v
			case srcField, srcSnap:
				args[i] = bindValue(sr.ap.field(st.sv()))
			case srcOldVersion:
				args[i] = olds[r]
			case srcNewVersion:
				args[i] = newVers[r]
			}
		}
		rows[r] = args
	}
	r, err := conn.ExecuteManyCompiled(ctx, pr.c, rows)
	if err != nil {
		return fail(err)
	}
	if r.RowsAffected != int64(len(rows)) {
		return fail(&StaleDataError{Table: p.table.Name(), Op: "UPDATE", Expected: int64(len(rows)), Matched: r.RowsAffected, Versions: ver != nil})
	}
	if len(p.serverUpd) > 0 {
		for _, st := range states {
			if err := s.fetchColumns(ctx, conn, st, p.parts[0], p.serverUpd); err != nil {
				return fail(err)
			}
		}
	}
	// write back: new versions, then the identity map's objects
	synced := slices.Clone(set)
	if ver != nil {
		synced = append(synced, ver)
	}
	synced = append(synced, p.serverUpd...)
	for r, st := range states {
		if ver != nil {
			ver.field(st.sv()).Set(reflect.ValueOf(newVers[r]))
		}
		key, _ := p.keyOfStruct(st.sv())
		twin, _ := s.identity.get(key)
		if twin == nil || twin.st != Persistent {
			continue
		}
		twin.setSnap(cloneStruct(twin.snap(), p))
		for _, ap := range synced {
			v := ap.field(st.sv())
			if twin != st {
				ap.field(twin.sv()).Set(deepCopy(v, ap.mutable))
			}
			ap.field(twin.snap()).Set(deepCopy(v, ap.mutable))
		}
	}
	return nil
}

// cloneStruct returns a copy of the snapshot v (a struct of p's type) that
// can be changed without changing v, which a SavePoint or the committed
// state may share.
func cloneStruct(v reflect.Value, p *plan) reflect.Value {
	c := reflect.New(p.typ).Elem()
	if v.IsValid() {
		c.Set(v)
	}
	return c
}

// updateFields resolves the Go field names of BulkUpdate: every column
// field but the primary key, computed columns and the version counter
// when none is named.
func (p *plan) updateFields(fields []string) ([]*attrPlan, error) {
	if len(fields) == 0 {
		var out []*attrPlan
		for _, ap := range p.attrs {
			if !ap.pk && !ap.computed && !ap.version {
				out = append(out, ap)
			}
		}
		if len(out) == 0 {
			return nil, &InvalidRequestError{Msg: fmt.Sprintf("bulk update of %s: the type has no column field besides its primary key", p.name)}
		}
		return out, nil
	}
	var out []*attrPlan
	for _, f := range fields {
		ap, err := p.attrNamed(f, "bulk update")
		if err != nil {
			return nil, err
		}
		switch {
		case ap.pk:
			return nil, &InvalidRequestError{Msg: fmt.Sprintf("bulk update of %s: field %s is part of the primary key, which a bulk UPDATE by primary key matches rows by and cannot set (use UpdateWhere)", p.name, f)}
		case ap.computed:
			return nil, &InvalidRequestError{Msg: fmt.Sprintf("bulk update of %s: field %s is a computed column the database makes", p.name, f)}
		case ap.version:
			return nil, &InvalidRequestError{Msg: fmt.Sprintf("bulk update of %s: field %s is the version counter, which the update advances itself", p.name, f)}
		}
		if !containsAttr(out, ap) {
			out = append(out, ap)
		}
	}
	return out, nil
}

// attrNamed finds the column attribute of Go field path f.
func (p *plan) attrNamed(f, op string) (*attrPlan, error) {
	for _, ap := range p.attrs {
		if ap.name == f || ap.a.Name() == f {
			return ap, nil
		}
	}
	msg := fmt.Sprintf("%s of %s: %s has no mapped column field %q", op, p.name, p.name, f)
	if _, err := p.m.Column(f); err != nil {
		return nil, &InvalidRequestError{Msg: msg, Err: err}
	}
	return nil, &InvalidRequestError{Msg: msg + " (it names an SQL-expression attribute, which is not stored in the table)"}
}

// ---------------------------------------------------------------- UPDATE / DELETE with WHERE

type bulkSet struct {
	ap   *attrPlan
	expr core.Expr     // an SQL expression value, or nil
	val  reflect.Value // a Go value, converted to the field's type
	null bool          // the value is NULL
}

// UpdateQuery is an ORM-enabled UPDATE of the mapped type T with WHERE
// criteria (SQLAlchemy's session.execute(update(User).where(...).values(...))).
// Build it with [UpdateWhere]; it is immutable, each method returning a
// copy. Mistakes made while building (an unknown field, a value that does
// not fit the field) are returned by Execute, before any SQL.
//
// Version counters are neither checked nor advanced by it, as in
// SQLAlchemy. For a single-table inheritance subtype, the discriminator
// criterion (its identities) is part of the WHERE, as SQLAlchemy adds it;
// a joined-table subtype spans tables and is refused.
type UpdateQuery[T any] struct {
	s     *Session
	p     *plan
	where []core.Expr
	sets  []bulkSet
	sync  SyncMode
	err   error
}

// UpdateWhere starts an UPDATE of T's table through the session.
func UpdateWhere[T any](s *Session) *UpdateQuery[T] {
	q := &UpdateQuery[T]{s: s}
	if s == nil {
		q.err = ErrSessionClosed
		return q
	}
	p, err := mapperOf[T](s)
	if err == nil {
		err = bulkPlan(p, "update")
	}
	q.p, q.err = p, err
	if err == nil && p.discWhere != nil {
		// a single-table subtype's rows only, as SQLAlchemy adds
		q.where = []core.Expr{p.discWhere}
	}
	return q
}

// Where adds WHERE criteria (ANDed). Without any, every row is updated.
func (q *UpdateQuery[T]) Where(conds ...core.Expr) *UpdateQuery[T] {
	c := *q
	c.where = append(slices.Clip(q.where), conds...)
	return &c
}

// Set sets the column of the Go field to value: a Go value (bound as a
// parameter, and set on the matched objects by SyncFetch) or a core.Expr
// (an SQL expression such as col + 1, which SyncFetch handles by expiring
// the matched objects).
func (q *UpdateQuery[T]) Set(field string, value any) *UpdateQuery[T] {
	c := *q
	if c.err != nil {
		return &c
	}
	ap, err := q.p.attrNamed(field, "update")
	if err != nil {
		c.err = err
		return &c
	}
	if ap.computed {
		c.err = &InvalidRequestError{Msg: fmt.Sprintf("update of %s: field %s is a computed column the database makes", q.p.name, field)}
		return &c
	}
	for _, x := range q.sets {
		if x.ap == ap {
			c.err = &InvalidRequestError{Msg: fmt.Sprintf("update of %s: field %s is set twice", q.p.name, field)}
			return &c
		}
	}
	bs := bulkSet{ap: ap}
	if e, ok := value.(core.Expr); ok && e != nil {
		bs.expr = e
	} else if value == nil {
		if !ap.nullable {
			c.err = &InvalidRequestError{Msg: fmt.Sprintf("update of %s: NULL for NOT NULL column %s (field %s)", q.p.name, colName(ap), field)}
			return &c
		}
		bs.val, bs.null = reflect.New(ap.typ).Elem(), true
	} else {
		bs.val = reflect.New(ap.typ).Elem()
		if err := setFieldValue(bs.val, value, q.p.name+"."+ap.name); err != nil {
			c.err = &InvalidRequestError{Msg: "update of " + q.p.name, Err: err}
			return &c
		}
		if !ap.nullable && isNull(bs.val) {
			c.err = &InvalidRequestError{Msg: fmt.Sprintf("update of %s: NULL for NOT NULL column %s (field %s)", q.p.name, colName(ap), field)}
			return &c
		}
	}
	c.sets = append(slices.Clip(q.sets), bs)
	return &c
}

// Synchronize chooses how the session's objects are brought in line with
// the rows the statement changes; the default is SyncAuto (SyncFetch).
func (q *UpdateQuery[T]) Synchronize(mode SyncMode) *UpdateQuery[T] {
	c := *q
	if mode > SyncNone && c.err == nil {
		c.err = &InvalidRequestError{Msg: fmt.Sprintf("update: unknown synchronize mode %v", mode)}
	}
	c.sync = mode
	return &c
}

// Statement is the Core UPDATE the query runs (without the RETURNING that
// SyncFetch may add).
func (q *UpdateQuery[T]) Statement() (*core.UpdateStmt, error) {
	if q.err != nil {
		return nil, q.err
	}
	if len(q.sets) == 0 {
		return nil, &InvalidRequestError{Msg: fmt.Sprintf("update of %s: no field to set; call Set", q.p.name)}
	}
	u := core.Update(q.p.table)
	for _, bs := range q.sets {
		if bs.expr != nil {
			u = u.Set(bs.ap.col, bs.expr)
		} else if bs.null {
			u = u.Set(bs.ap.col, nil)
		} else {
			u = u.Set(bs.ap.col, bindValue(bs.val))
		}
	}
	if len(q.where) > 0 {
		u = u.Where(q.where...)
	}
	if err := u.Err(); err != nil {
		return nil, &InvalidRequestError{Msg: "update of " + q.p.name, Err: err}
	}
	return u, nil
}

// Execute runs the UPDATE in the session's transaction, after an
// autoflush, synchronizes the session's objects, and returns the number of
// rows matched.
func (q *UpdateQuery[T]) Execute(ctx context.Context) (int64, error) {
	if q.err != nil {
		return 0, q.err
	}
	s, p := q.s, q.p
	if err := s.usable(); err != nil {
		return 0, err
	}
	s.calls++
	defer s.leave()
	stmt, err := q.Statement()
	if err != nil {
		return 0, err
	}
	fetch := q.sync != SyncNone
	setsPK := false
	for _, bs := range q.sets {
		if bs.ap.pk {
			setsPK = true
			if bs.expr != nil && fetch {
				return 0, &InvalidRequestError{Msg: fmt.Sprintf("update of %s: the primary key field %s is set to an SQL expression, so the session cannot know the rows' new identities; use Synchronize(SyncNone) and expunge the objects", p.name, bs.ap.name)}
			}
		}
	}
	if err := s.autoflush(ctx); err != nil {
		return 0, err
	}
	conn, err := s.connFor(ctx, p)
	if err != nil {
		return 0, err
	}
	fail := func(err error) (int64, error) {
		return 0, s.bulkFailed(ctx, &BulkError{Op: "update", Type: p.name, Table: p.table.Name(), Err: err}, nil)
	}
	if fetch && !s.tracksAny(p) {
		fetch = false // nothing to synchronize
	}
	var keys []identityKey
	var n int64
	// RETURNING gives the keys after the update: with a key set, the old
	// keys are needed, from a SELECT first
	if fetch && !setsPK && conn.Engine().Dialect().Features().Has(core.FeatReturningUpdate) {
		res, err := conn.Execute(ctx, stmt.Returning(p.pkItems()...))
		if err != nil {
			return fail(err)
		}
		if keys, err = p.readKeys(res); err != nil {
			return fail(err)
		}
		n = int64(len(keys))
	} else {
		if fetch {
			if keys, err = s.selectKeys(ctx, conn, p, q.where); err != nil {
				return fail(err)
			}
		}
		res, err := conn.Execute(ctx, stmt)
		if err != nil {
			return fail(err)
		}
		n = res.RowsAffected()
		res.Close()
	}
	if !fetch {
		return n, nil
	}
	for _, key := range keys {
		st, _ := s.identity.get(key)
		if st == nil || st.st != Persistent {
			continue
		}
		expire := false
		st.setSnap(cloneStruct(st.snap(), p))
		for _, bs := range q.sets {
			if bs.expr != nil {
				expire = true
				continue
			}
			bs.ap.field(st.sv()).Set(deepCopy(bs.val, bs.ap.mutable))
			bs.ap.field(st.snap()).Set(deepCopy(bs.val, bs.ap.mutable))
		}
		if setsPK {
			if nk, ok := p.keyOfStruct(st.sv()); ok && nk != st.key() {
				if s.identity.is(st.key(), st) {
					s.identity.del(st.key())
				}
				st.setKey(nk)
				s.identity.put(nk, st)
			}
		}
		if expire {
			st.expire()
			if err := s.fireInstance(ctx, instExpire, st); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

// DeleteQuery is an ORM-enabled DELETE of the mapped type T with WHERE
// criteria (SQLAlchemy's session.execute(delete(User).where(...))). Build
// it with [DeleteWhere]; it is immutable, each method returning a copy.
// Version counters are not checked; relationship cascades are not applied
// (the database's ON DELETE rules are), as in SQLAlchemy.
type DeleteQuery[T any] struct {
	s     *Session
	p     *plan
	where []core.Expr
	sync  SyncMode
	err   error
}

// DeleteWhere starts a DELETE from T's table through the session.
func DeleteWhere[T any](s *Session) *DeleteQuery[T] {
	q := &DeleteQuery[T]{s: s}
	if s == nil {
		q.err = ErrSessionClosed
		return q
	}
	p, err := mapperOf[T](s)
	if err == nil {
		err = bulkPlan(p, "delete")
	}
	q.p, q.err = p, err
	if err == nil && p.discWhere != nil {
		// a single-table subtype's rows only, as SQLAlchemy adds
		q.where = []core.Expr{p.discWhere}
	}
	return q
}

// Where adds WHERE criteria (ANDed). Without any, every row is deleted.
func (q *DeleteQuery[T]) Where(conds ...core.Expr) *DeleteQuery[T] {
	c := *q
	c.where = append(slices.Clip(q.where), conds...)
	return &c
}

// Synchronize chooses how the session's objects are brought in line with
// the rows the statement deletes; the default is SyncAuto (SyncFetch).
func (q *DeleteQuery[T]) Synchronize(mode SyncMode) *DeleteQuery[T] {
	c := *q
	if mode > SyncNone && c.err == nil {
		c.err = &InvalidRequestError{Msg: fmt.Sprintf("delete: unknown synchronize mode %v", mode)}
	}
	c.sync = mode
	return &c
}

// Statement is the Core DELETE the query runs (without the RETURNING that
// SyncFetch may add).
func (q *DeleteQuery[T]) Statement() (*core.DeleteStmt, error) {
	if q.err != nil {
		return nil, q.err
	}
	d := core.Delete(q.p.table)
	if len(q.where) > 0 {
		d = d.Where(q.where...)
	}
	if err := d.Err(); err != nil {
		return nil, &InvalidRequestError{Msg: "delete of " + q.p.name, Err: err}
	}
	return d, nil
}

// Execute runs the DELETE in the session's transaction, after an
// autoflush, synchronizes the session's objects, and returns the number of
// rows deleted. Under SyncFetch the objects of the deleted rows become
// Deleted and leave the identity map, as after a flush of Session.Delete:
// Commit detaches them, Rollback makes them persistent again.
func (q *DeleteQuery[T]) Execute(ctx context.Context) (int64, error) {
	if q.err != nil {
		return 0, q.err
	}
	s, p := q.s, q.p
	if err := s.usable(); err != nil {
		return 0, err
	}
	s.calls++
	defer s.leave()
	stmt, err := q.Statement()
	if err != nil {
		return 0, err
	}
	if err := s.autoflush(ctx); err != nil {
		return 0, err
	}
	conn, err := s.connFor(ctx, p)
	if err != nil {
		return 0, err
	}
	fail := func(err error) (int64, error) {
		return 0, s.bulkFailed(ctx, &BulkError{Op: "delete", Type: p.name, Table: p.table.Name(), Err: err}, nil)
	}
	fetch := q.sync != SyncNone && s.tracksAny(p)
	var keys []identityKey
	var n int64
	if fetch && conn.Engine().Dialect().Features().Has(core.FeatReturningDelete) {
		res, err := conn.Execute(ctx, stmt.Returning(p.pkItems()...))
		if err != nil {
			return fail(err)
		}
		if keys, err = p.readKeys(res); err != nil {
			return fail(err)
		}
		n = int64(len(keys))
	} else {
		if fetch {
			if keys, err = s.selectKeys(ctx, conn, p, q.where); err != nil {
				return fail(err)
			}
		}
		res, err := conn.Execute(ctx, stmt)
		if err != nil {
			return fail(err)
		}
		n = res.RowsAffected()
		res.Close()
	}
	for _, key := range keys {
		st, _ := s.identity.get(key)
		if st == nil || st.st != Persistent {
			continue
		}
		if st.deleting {
			st.deleting = false
			s.deleting = removeState(s.deleting, st)
		}
		s.identity.del(key)
		st.st = Deleted
		s.deleted = append(s.deleted, st)
		s.transition(st, Persistent, Deleted)
	}
	return n, nil
}

// tracksAny reports whether the identity map holds an object of p's
// hierarchy (when it holds none, there is nothing to synchronize).
func (s *Session) tracksAny(p *plan) bool {
	for st := range s.identity.all {
		if st.key().root == p.rootPlan {
			return true
		}
	}
	return false
}

// pkItems are the primary key columns, for RETURNING and SELECT.
func (p *plan) pkItems() []core.SelectItem {
	out := make([]core.SelectItem, len(p.pk))
	for i, ap := range p.pk {
		out[i] = ap.col
	}
	return out
}

// readKeys reads rows of primary key values (p.pk order) into identity
// keys, closing res.
func (p *plan) readKeys(res *core.Result) (keys []identityKey, err error) {
	defer func() {
		if cerr := res.Close(); err == nil {
			err = cerr
		}
	}()
	tmp := reflect.New(p.typ).Elem()
	dest := make([]any, len(p.pk))
	for i, ap := range p.pk {
		dest[i] = ap.field(tmp).Addr().Interface()
	}
	seen := map[identityKey]bool{}
	for res.Next() {
		if err := res.Scan(dest...); err != nil {
			return nil, err
		}
		k, ok := p.keyOfStruct(tmp)
		if !ok || seen[k] {
			continue
		}
		seen[k] = true
		keys = append(keys, k)
	}
	return keys, res.Err()
}

// selectKeys SELECTs the primary keys of the rows matching where (the
// fetch strategy where the dialect has no RETURNING for the statement).
func (s *Session) selectKeys(ctx context.Context, conn *core.Connection, p *plan, where []core.Expr) ([]identityKey, error) {
	sel := core.Select(p.pkItems()...).From(p.table)
	if len(where) > 0 {
		sel = sel.Where(where...)
	}
	res, err := conn.Execute(ctx, sel)
	if err != nil {
		return nil, err
	}
	return p.readKeys(res)
}
