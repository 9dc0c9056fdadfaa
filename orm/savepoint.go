package orm

import (
	"context"
	"reflect"
	"slices"
	"unsafe"

	"github.com/retort-orm/retort/core"
)

// SavePoint is a nested transaction of a Session (SQLAlchemy's
// begin_nested): a SAVEPOINT in the session's transaction. Rolling it back
// restores the objects as they were when it began: field values,
// snapshots and states; objects added or inserted inside it become
// transient again, objects deleted inside it persistent. Committing it
// releases the SAVEPOINT; its changes commit with the outer transaction.
//
// Beginning one flushes first and copies every tracked object's fields
// (one struct copy per object), which is what lets the rollback restore
// them without attribute interception.
type SavePoint struct {
	s     *Session
	tx    *core.Transaction
	bound []*core.Transaction // the SAVEPOINTs on bound engines' connections
	depth int
	done  bool
	saved map[*instState]savedState
	// the session's lists as they were
	pending, deleting, deleted, inserted []*instState
}

type savedState struct {
	vals      reflect.Value
	snap      unsafe.Pointer
	committed unsafe.Pointer
	st        State
	key       identityKey
	keyd      bool
	deleting  bool
	expired   bool
	genPK     bool
	inserted  bool
	rels      []relState
}

// BeginNested flushes and begins a SAVEPOINT.
func (s *Session) BeginNested(ctx context.Context) (*SavePoint, error) {
	if err := s.usable(); err != nil {
		return nil, err
	}
	if err := s.Flush(ctx); err != nil {
		return nil, err
	}
	conn, err := s.connection(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := conn.BeginNested(ctx)
	if err != nil {
		return nil, err
	}
	var bound []*core.Transaction
	for _, b := range s.bound {
		btx, err := b.conn.BeginNested(ctx)
		if err != nil {
			_ = tx.Rollback(ctx)
			for _, t := range bound {
				_ = t.Rollback(ctx)
			}
			return nil, err
		}
		bound = append(bound, btx)
	}
	sp := &SavePoint{s: s, tx: tx, bound: bound, depth: len(s.nested) + 1, saved: make(map[*instState]savedState, s.objs.len()),
		pending: slices.Clone(s.pending), deleting: slices.Clone(s.deleting),
		deleted: slices.Clone(s.deleted), inserted: slices.Clone(s.inserted)}
	for st := range s.objs.all {
		sp.saved[st] = savedState{vals: st.takeSnapshot(), snap: st.snapP, committed: st.committedP, st: st.st,
			key: st.key(), keyd: st.keyd, deleting: st.deleting, expired: st.expired, genPK: st.genPK, inserted: st.insertedTx, rels: cloneRels(st.relSlice())}
	}
	s.nested = append(s.nested, sp)
	return sp, nil
}

// Nested runs fn in a SAVEPOINT: released if fn returns nil, rolled back
// (objects restored) if it returns an error or panics.
func (s *Session) Nested(ctx context.Context, fn func() error) (err error) {
	sp, err := s.BeginNested(ctx)
	if err != nil {
		return err
	}
	ok := false
	defer func() {
		if !ok {
			_ = sp.Rollback(ctx)
		}
	}()
	if err = fn(); err != nil {
		ok = true
		_ = sp.Rollback(ctx)
		return err
	}
	ok = true
	return sp.Commit(ctx)
}

// IsActive reports whether the SAVEPOINT is still open.
func (sp *SavePoint) IsActive() bool { return !sp.done && sp.tx != nil && sp.tx.IsActive() }

// Commit flushes and releases the SAVEPOINT (and any inner ones still open).
func (sp *SavePoint) Commit(ctx context.Context) error {
	s := sp.s
	if err := s.usable(); err != nil {
		return err
	}
	if sp.done {
		return &InvalidRequestError{Msg: "this SAVEPOINT is already committed or rolled back"}
	}
	// a nested transaction's commit fires before_commit and after_commit
	// too, as SQLAlchemy's SessionTransaction.commit does
	if err := s.fire(ctx, evBeforeCommit); err != nil {
		return err
	}
	if err := s.Flush(ctx); err != nil {
		return err
	}
	if sp.done {
		// the failed flush rolled it back
		return &InvalidRequestError{Msg: "this SAVEPOINT was rolled back by a failed flush"}
	}
	for len(s.nested) >= sp.depth {
		top := s.nested[len(s.nested)-1]
		top.done = true
		s.nested = s.nested[:len(s.nested)-1]
		if err := top.tx.Commit(ctx); err != nil {
			return err
		}
		for _, t := range top.bound {
			if err := t.Commit(ctx); err != nil {
				return err
			}
		}
	}
	return s.fire(ctx, evAfterCommit)
}

// Rollback rolls back to the SAVEPOINT and restores the objects.
func (sp *SavePoint) Rollback(ctx context.Context) error {
	if sp.done {
		return nil
	}
	if sp.s.closed {
		return ErrSessionClosed
	}
	return sp.rollback(ctx)
}

func (sp *SavePoint) rollback(ctx context.Context) error {
	s := sp.s
	var err error
	for len(s.nested) >= sp.depth {
		top := s.nested[len(s.nested)-1]
		top.done = true
		s.nested = s.nested[:len(s.nested)-1]
		if top == sp && top.tx.IsActive() {
			err = top.tx.Rollback(ctx)
		}
		if top == sp {
			for _, t := range top.bound {
				if t.IsActive() {
					if rerr := t.Rollback(ctx); err == nil {
						err = rerr
					}
				}
			}
		}
	}
	// ROLLBACK TO SAVEPOINT is a real rollback: SQLAlchemy fires
	// after_rollback for a nested transaction too, before restoring
	if ferr := s.fire(ctx, evAfterRollback); ferr != nil && err == nil {
		err = ferr
	}
	sp.restore()
	if ferr := s.fire(ctx, evAfterSoftRollback); ferr != nil && err == nil {
		err = ferr
	}
	return err
}

// restore puts the session's objects back as they were at BeginNested.
func (sp *SavePoint) restore() {
	s := sp.s
	// objects the session did not have then leave it, except those loaded
	// inside the SAVEPOINT: their rows exist, so they stay persistent,
	// back to their values as loaded, and expired
	var loaded []*instState
	s.objs.index()
	for k, st := range s.objs.m {
		if _, ok := sp.saved[st]; ok {
			continue
		}
		from := st.st
		if st.keyd && !st.insertedTx && (from == Persistent || from == Deleted) && st.committed().IsValid() {
			st.sv().Set(st.takeSnapshotOf(st.committed()))
			st.setSnap(st.takeSnapshot())
			st.committedP = st.snapP
			st.st, st.deleting, st.expired = Persistent, false, true
			loaded = append(loaded, st)
			s.transition(st, from, Persistent)
			continue
		}
		st.zeroGeneratedKey()
		delete(s.objs.m, k)
		if st.keyd && s.identity.is(st.key(), st) {
			s.identity.del(st.key())
		}
		st.st, st.genPK, st.insertedTx, st.deleting = Transient, false, false, false
		s.transition(st, from, Transient)
	}
	s.identity.reset()
	for _, st := range loaded {
		s.identity.put(st.key(), st)
	}
	for st, sv := range sp.saved {
		from := st.st
		st.sv().Set(sv.vals)
		st.snapP, st.committedP = sv.snap, sv.committed
		st.st, st.keyd, st.deleting, st.expired = sv.st, sv.keyd, sv.deleting, sv.expired
		st.setKey(sv.key)
		st.genPK, st.insertedTx = sv.genPK, sv.inserted
		st.setRels(sv.rels)
		if st.p.deep {
			// the restored fields must not share memory with the copy
			st.sv().Set(st.takeSnapshotOf(sv.vals))
		}
		s.objs.put(objKey{p: st.sv().Addr().UnsafePointer(), t: st.p}, st)
		if st.keyd && (st.st == Persistent) {
			s.identity.put(st.key(), st)
		}
		s.transition(st, from, st.st)
	}
	s.pending, s.deleting, s.deleted, s.inserted = sp.pending, sp.deleting, sp.deleted, sp.inserted
}

// takeSnapshotOf deep-copies v, a struct value of st's type.
func (st *instState) takeSnapshotOf(v reflect.Value) reflect.Value {
	c := reflect.New(st.p.typ).Elem()
	c.Set(v)
	for _, i := range st.p.deepIdx {
		ap := st.p.attrs[i]
		ap.field(c).Set(deepCopy(ap.field(v), ap.mutable))
	}
	return c
}
