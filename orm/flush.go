package orm

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
)

// The unit of work. A flush is planned first (which objects, which
// statements, in which order) and then emitted by the persistence
// functions of persist.go, as SQLAlchemy separates unitofwork.py from
// persistence.py:
//
//  1. before_flush listeners run (they may change the session);
//  2. the pending, changed and deleted objects are collected and checked
//     (identity conflicts, NULL for NOT NULL columns without a default)
//     before any SQL;
//  3. the mappers' tables are sorted by their foreign keys; for each
//     table in that order the UPDATEs of its changed objects (by primary
//     key order) and then its INSERTs (in Add order) are emitted, then the
//     DELETEs table by table in reverse order, as SQLAlchemy's save_obj
//     and delete_obj do;
//  4. after_flush listeners run, the bookkeeping moves the objects to
//     their new states and snapshots, and after_flush_postexec runs.

// flushPlan is one flush's work.
type flushPlan struct {
	// per mapper work, in table dependency order
	mappers []*mapperWork
	byPlan  map[*plan]*mapperWork
	// saves and deletes are the batches in the order they are written
	// (see order); a mapper written row by row has several
	saves, deletes []*mapperWork
	// rel is the relationship work, nil when no tracked object has a
	// relationship
	rel *relFlush
}

type mapperWork struct {
	p       *plan
	inserts []*instState  // Add order
	updates []*instState  // primary key order
	changed [][]*attrPlan // per update: the changed attributes
	deletes []*instState
}

func (fp *flushPlan) work(p *plan) *mapperWork {
	if w := fp.byPlan[p]; w != nil {
		return w
	}
	w := &mapperWork{p: p}
	fp.byPlan[p] = w
	fp.mappers = append(fp.mappers, w)
	return w
}

// isClean reports that a flush has nothing to do, without building a plan.
func (s *Session) isClean() bool {
	if len(s.pending) > 0 || len(s.deleting) > 0 {
		return false
	}
	// (the tracked objects, walked without indexing those a load just
	// added: the persistent ones are the identity map's)
	for st := range s.objs.each {
		if st.st == Persistent && (st.isDirty() || st.p.hasRels && st.relsDirty()) {
			return false
		}
	}
	return true
}

// relsDirty reports a relationship field differing from its snapshot, or
// an ordering list out of order.
func (st *instState) relsDirty() bool {
	if st.rels == nil {
		// nothing loaded: only an assignment can have happened
		rels, err := st.p.relations()
		if err != nil {
			return true
		}
		for _, rp := range rels {
			if !rp.viewonly && !rp.empty(st.sv()) {
				return true
			}
		}
		return false
	}
	rels, err := st.p.relations()
	if err != nil {
		return true
	}
	for _, rp := range rels {
		if rp.viewonly {
			continue
		}
		rs := &st.relSlice()[rp.i]
		if !rp.unchanged(st.sv(), rs) {
			return true
		}
		if rp.ordering != nil && (rs.loaded || st.st == Pending) && !rp.inOrder(st.sv()) {
			return true
		}
	}
	return false
}

// isDirty reports a field differing from the snapshot.
func (st *instState) isDirty() bool {
	if !st.snap().IsValid() {
		return true
	}
	for _, ap := range st.p.attrs {
		if !ap.eq(ap.field(st.sv()), ap.field(st.snap())) {
			return true
		}
	}
	return false
}

// Flush writes the session's pending changes to the database in its
// transaction (beginning one if needed). A flush with nothing to write
// emits no SQL. If a statement fails, the flush rolls back: the
// transaction (or the innermost SAVEPOINT) is rolled back, no row of the
// flush is kept, objects keep their in-memory changes, keys the database
// made in the flush are zeroed again, and a *FlushError says what failed.
// After a failed flush outside a SAVEPOINT the session answers every call
// with a *PendingRollbackError until Rollback.
func (s *Session) Flush(ctx context.Context) error {
	if err := s.usable(); err != nil {
		return err
	}
	s.calls++
	defer s.leave()
	if s.flushing {
		return &InvalidRequestError{Msg: "the Session is already flushing (a listener or a validator called Flush, or an autoflushing query, during a flush)"}
	}
	if s.isClean() {
		return nil
	}
	s.flushing = true
	defer func() { s.flushing = false }()
	if err := s.fire(ctx, evBeforeFlush); err != nil {
		return s.flushFailed(ctx, &FlushError{Phase: "before_flush", Err: err}, nil)
	}
	rf, err := s.prepareRelations(ctx)
	if err != nil {
		// nothing was written: the transaction stays usable
		return err
	}
	fp, err := s.planFlush(ctx, rf)
	if err != nil {
		return err
	}
	if len(fp.mappers) == 0 && (rf == nil || len(rf.secIns)+len(rf.secDel)+len(rf.postUpd)+len(rf.postNull) == 0) {
		return nil
	}
	var touched []*instState
	if err := s.emit(ctx, fp, &touched); err != nil {
		return s.flushFailed(ctx, err, touched)
	}
	if err := s.fire(ctx, evAfterFlush); err != nil {
		return s.flushFailed(ctx, &FlushError{Phase: "after_flush", Err: err}, touched)
	}
	s.finishFlush(fp)
	if err := s.fire(ctx, evAfterFlushPostexec); err != nil {
		return err
	}
	return nil
}

// planFlush collects the work and checks it before any SQL.
func (s *Session) planFlush(ctx context.Context, rf *relFlush) (*flushPlan, error) {
	fp := &flushPlan{byPlan: map[*plan]*mapperWork{}, rel: rf}
	// pending objects, in Add order; a key given by the program must not
	// clash with the identity map or with another pending object
	newKeys := map[identityKey]*instState{}
	for _, st := range s.pending {
		if st.st != Pending {
			continue
		}
		var skip []*attrPlan
		if rf != nil {
			skip = rf.deferred[st]
		}
		if err := st.checkInsertable(skip); err != nil {
			return nil, err
		}
		// a key filled from a parent the database has not made yet is
		// not known before the parent's INSERT
		if k, ok := st.p.explicitKey(st.sv()); ok && !keyFromParent(st, skip) {
			if other, dup := s.identity.get(k); dup && other != st {
				return nil, &InvalidRequestError{Msg: fmt.Sprintf("new instance of %s with identity key %s conflicts with persistent instance %p in this Session (two objects with the same primary key); use Merge to copy a new object's state onto the persistent one", st.p.name, keyString(k), other.object())}
			}
			if other, dup := newKeys[k]; dup {
				return nil, &InvalidRequestError{Msg: fmt.Sprintf("two pending instances of %s (%p and %p) have the same primary key %s", st.p.name, other.object(), st.object(), keyString(k))}
			}
			newKeys[k] = st
		}
		w := fp.work(st.p)
		if w.inserts == nil {
			// (most flushes insert objects of one or two types: room
			// for all pending ones saves growing the list step by step)
			w.inserts = make([]*instState, 0, len(s.pending))
		}
		w.inserts = append(w.inserts, st)
	}
	// the changed persistent objects, in primary key order (only those
	// are sorted: most objects of a large session are unchanged)
	var dirty []*instState
	for st := range s.identity.all {
		if st.st == Persistent && !st.deleting && (st.isDirty() || rf != nil && rf.deferred[st] != nil) {
			dirty = append(dirty, st)
		}
	}
	sortByKey(dirty)
	for _, st := range dirty {
		ch := st.modified(nil)
		if !attrEvents[AttrSet].Empty() {
			for _, ap := range ch {
				ev := AttributeEvent{Op: AttrSet, Field: ap.a.Declaration().Field, Value: ap.field(st.sv()).Interface(), AtFlush: true}
				if st.snap().IsValid() {
					ev.Old = ap.field(st.snap()).Interface()
				}
				if err := s.fireAttr(ctx, st, ev); err != nil {
					return nil, err
				}
			}
		}
		for _, ap := range ch {
			if ap.pk {
				if k, ok := st.p.keyOfStruct(st.sv()); ok && k != st.key() {
					if other, dup := s.identity.get(k); dup && other != st {
						return nil, &InvalidRequestError{Msg: fmt.Sprintf("%s: the primary key change to %s conflicts with persistent instance %p", st.p.name, keyString(k), other.object())}
					}
				}
			}
			if ap.nullCapable && !ap.nullable && isNull(ap.field(st.sv())) && (rf == nil || !slices.Contains(rf.deferred[st], ap)) {
				return nil, &InvalidRequestError{Msg: fmt.Sprintf("%s.%s: NULL (a nil %s) for NOT NULL column %s", st.p.name, ap.name, ap.typ, colName(ap))}
			}
		}
		w := fp.work(st.p)
		w.updates = append(w.updates, st)
		w.changed = append(w.changed, ch)
	}
	for _, st := range s.deleting {
		w := fp.work(st.p)
		w.deletes = append(w.deletes, st)
	}
	for _, w := range fp.mappers {
		sortByKey(w.deletes)
	}
	// the mappers by name, which orders those without a dependency
	// between them as SQLAlchemy does (by class name); order then sorts
	// them by their relationships and foreign keys
	slices.SortStableFunc(fp.mappers, func(a, b *mapperWork) int { return strings.Compare(a.p.name, b.p.name) })
	if err := fp.order(rf); err != nil {
		return nil, err
	}
	return fp, nil
}

// keyFromParent reports a primary key attribute among the attributes a
// deferred foreign key sync fills.
func keyFromParent(st *instState, filled []*attrPlan) bool {
	for _, ap := range filled {
		if ap.pk {
			return true
		}
	}
	return false
}

func colName(ap *attrPlan) string {
	return ap.col.Table().Name() + "." + ap.col.Name()
}

func keyString(k identityKey) string {
	var s string
	if k.k0 == nil {
		s = fmt.Sprintf("(%d", k.n0)
	} else {
		s = fmt.Sprintf("(%v", k.k0)
	}
	if k.k1 != nil {
		s += fmt.Sprintf(", %v", k.k1)
	}
	return s + ")"
}

var (
	valuerType  = reflect.TypeFor[driver.Valuer]()
	valuerTypes sync.Map // reflect.Type -> bool
)

// implementsValuer caches Type.Implements, which scans the method set.
func implementsValuer(t reflect.Type) bool {
	if v, ok := valuerTypes.Load(t); ok {
		return v.(bool)
	}
	ok := t.Implements(valuerType)
	valuerTypes.Store(t, ok)
	return ok
}

// isNull reports a field value bound as NULL: a nil pointer or
// interface, or a Valuer returning nil. A nil slice or map is not NULL (a
// []byte binds as empty, a JSON value as the JSON null).
func isNull(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		return v.IsNil()
	case reflect.Map, reflect.Slice:
		return false
	}
	if !implementsValuer(v.Type()) {
		// the common case, without boxing the value
		return false
	}
	if vl, ok := v.Interface().(driver.Valuer); ok {
		x, err := vl.Value()
		return err == nil && x == nil
	}
	return false
}

// explicitKey returns the key of a pending object whose primary key the
// program set (no field left for the database to fill).
func (p *plan) explicitKey(sv reflect.Value) (identityKey, bool) {
	for _, ap := range p.pk {
		f := ap.field(sv)
		if (ap.autoinc || ap.serverDefault || ap.def != nil) && f.IsZero() {
			return identityKey{}, false
		}
	}
	return p.keyOfStruct(sv)
}

// checkInsertable rejects a NULL for a NOT NULL column with no default.
func (st *instState) checkInsertable(filled []*attrPlan) error {
	for _, ap := range st.p.attrs {
		if !ap.nullCapable || ap.nullable || ap.hasDefault || ap.computed || ap.version || slices.Contains(filled, ap) {
			continue
		}
		if isNull(ap.field(st.sv())) {
			return &InvalidRequestError{Msg: fmt.Sprintf("%s.%s: NULL (a nil %s) for NOT NULL column %s, which has no default; set the field or declare a default", st.p.name, ap.name, ap.typ, colName(ap))}
		}
	}
	return nil
}

// flushFailed rolls back after a failed flush and undoes what the flush
// did to the objects.
func (s *Session) flushFailed(ctx context.Context, err error, touched []*instState) error {
	for _, st := range touched {
		if !st.insertedTx {
			st.zeroGeneratedKey()
		}
	}
	s.newVersions = nil
	var fe *FlushError
	if !errors.As(err, &fe) {
		err = &FlushError{Phase: "flush", Err: err}
	}
	if _, rerr := s.rollbackFailedWrite(ctx, err); rerr != nil {
		err = errors.Join(err, rerr)
	}
	return err
}

// rollbackFailedWrite rolls back after a failed flush or bulk statement:
// the innermost SAVEPOINT (which restores the objects; the session stays
// usable), or else the transaction, after which the session answers with a
// PendingRollbackError for cause until Rollback. SQLAlchemy fires
// after_rollback and after_soft_rollback for either.
func (s *Session) rollbackFailedWrite(ctx context.Context, cause error) (savepoint bool, err error) {
	if n := len(s.nested); n > 0 {
		return true, s.nested[n-1].rollback(ctx)
	}
	if s.InTransaction() {
		_ = s.endTransaction(ctx, false)
		s.failed = cause
		_ = s.fire(ctx, evAfterRollback)
		_ = s.fire(ctx, evAfterSoftRollback)
	}
	return false, nil
}

// finishFlush moves the flushed objects to their new states.
func (s *Session) finishFlush(fp *flushPlan) {
	defer func() {
		// what the flush wrote leaves the pending and deleting lists
		// (filtered once: removing one by one would be quadratic)
		s.pending = slices.DeleteFunc(s.pending, func(st *instState) bool { return st.st != Pending })
		s.deleting = slices.DeleteFunc(s.deleting, func(st *instState) bool { return !st.deleting })
	}()
	n := 0
	for _, w := range fp.saves {
		n += len(w.inserts)
	}
	if n > 64 && n > s.identity.len() {
		// many new identities: size the maps once rather than growing
		// them step by step
		for _, w := range fp.saves {
			if len(w.inserts) > 64 {
				s.identity.grow(w.p.rootPlan, len(w.inserts))
			}
		}
		s.inserted = slices.Grow(s.inserted, n)
	}
	for _, w := range fp.saves {
		for _, st := range w.inserts {
			s.markInserted(st, Pending)
		}
		for i, st := range w.updates {
			if st.ln != nil && st.ln.partial && i < len(w.changed) {
				// a column the UPDATE wrote is loaded now
				var wrote []*attrPlan
				for _, ap := range w.changed[i] {
					if !slices.Contains(st.ln.cols, ap) {
						wrote = append(wrote, ap)
					}
				}
				if len(wrote) > 0 {
					st.ln = st.ln.withLoaded(wrote, nil)
				}
			}
			if v, ok := s.newVersions[st]; ok {
				st.p.version.field(st.sv()).Set(reflect.ValueOf(v))
				delete(s.newVersions, st)
			}
			if k, ok := st.p.keyOfStruct(st.sv()); ok && k != st.key() {
				if s.identity.is(st.key(), st) {
					s.identity.del(st.key())
				}
				st.setKey(k)
				s.identity.put(k, st)
			}
			st.setSnap(s.snapshot(st))
		}
	}
	if fp.rel != nil {
		fp.rel.retakeRelSnapshots()
	}
	for _, w := range fp.deletes {
		for _, st := range w.deletes {
			st.deleting = false
			if s.identity.is(st.key(), st) {
				s.identity.del(st.key())
			}
			st.st = Deleted
			s.deleted = append(s.deleted, st)
			s.transition(st, Persistent, Deleted)
		}
	}
}
