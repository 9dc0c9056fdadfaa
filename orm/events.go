package orm

import (
	"context"
	"fmt"
	"reflect"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/events"
)

// SessionHook is a session event listener. An error from a "before" hook
// stops the operation (a before_flush error aborts the flush and rolls
// back); errors from "after" hooks are returned by the call that fired them.
type SessionHook func(ctx context.Context, s *Session) error

// BeginHook listens for the start of a session transaction.
type BeginHook func(ctx context.Context, s *Session, c *core.Connection) error

// TransitionHook listens for object state transitions (SQLAlchemy's
// transient_to_pending, pending_to_persistent, persistent_to_deleted,
// deleted_to_detached, persistent_to_detached, loaded_as_persistent …):
// from and to name the transition. A loaded object reports Transient to
// Persistent.
type TransitionHook func(s *Session, obj any, from, to State)

// SessionEvents are the session event lists (SQLAlchemy's SessionEvents).
// Listeners run in the order they were added, a factory's before a
// session's own. Each On… method returns a function that removes the
// listener.
type SessionEvents struct {
	lists      [evCount]events.List[SessionHook]
	afterBegin events.List[BeginHook]
	transition events.List[TransitionHook]
}

type sessionEvent uint8

const (
	evBeforeFlush sessionEvent = iota
	evAfterFlush
	evAfterFlushPostexec
	evBeforeCommit
	evAfterCommit
	evAfterRollback
	evAfterSoftRollback
	evCount
	evAfterBegin = evCount
)

// OnBeforeFlush listens before each flush; the listener may add, change and
// delete objects, and the flush sees its changes.
func (e *SessionEvents) OnBeforeFlush(fn SessionHook, opts ...events.Option) func() {
	return e.lists[evBeforeFlush].Add(fn, opts...)
}

// OnAfterFlush listens after a flush wrote its statements, before the
// session's bookkeeping: Session.New, Dirty and Deleted still list what was
// flushed.
func (e *SessionEvents) OnAfterFlush(fn SessionHook, opts ...events.Option) func() {
	return e.lists[evAfterFlush].Add(fn, opts...)
}

// OnAfterFlushPostexec listens at the very end of a flush, after the
// bookkeeping.
func (e *SessionEvents) OnAfterFlushPostexec(fn SessionHook, opts ...events.Option) func() {
	return e.lists[evAfterFlushPostexec].Add(fn, opts...)
}

// OnBeforeCommit listens at the start of Commit, before its flush.
func (e *SessionEvents) OnBeforeCommit(fn SessionHook, opts ...events.Option) func() {
	return e.lists[evBeforeCommit].Add(fn, opts...)
}

// OnAfterCommit listens after the database committed.
func (e *SessionEvents) OnAfterCommit(fn SessionHook, opts ...events.Option) func() {
	return e.lists[evAfterCommit].Add(fn, opts...)
}

// OnAfterRollback listens after the database transaction rolled back.
func (e *SessionEvents) OnAfterRollback(fn SessionHook, opts ...events.Option) func() {
	return e.lists[evAfterRollback].Add(fn, opts...)
}

// OnAfterSoftRollback listens after every Rollback call, also one that
// had no database transaction to roll back.
func (e *SessionEvents) OnAfterSoftRollback(fn SessionHook, opts ...events.Option) func() {
	return e.lists[evAfterSoftRollback].Add(fn, opts...)
}

// OnAfterBegin listens when the session begins a transaction on a
// connection.
func (e *SessionEvents) OnAfterBegin(fn BeginHook, opts ...events.Option) func() {
	return e.afterBegin.Add(fn, opts...)
}

// OnTransition listens for object state transitions.
func (e *SessionEvents) OnTransition(fn TransitionHook, opts ...events.Option) func() {
	return e.transition.Add(fn, opts...)
}

func (s *Session) fire(ctx context.Context, ev sessionEvent) error {
	for _, evs := range [2]*SessionEvents{s.factoryEvents, &s.events} {
		if evs == nil || evs.lists[ev].Len() == 0 {
			continue
		}
		s.calls++
		err := evs.lists[ev].Each(func(fn SessionHook) error { return fn(ctx, s) })
		s.calls--
		if err != nil {
			return err
		}
	}
	return nil
}

func (s *Session) fireConn(ctx context.Context, _ sessionEvent, c *core.Connection) error {
	for _, evs := range [2]*SessionEvents{s.factoryEvents, &s.events} {
		if evs == nil || evs.afterBegin.Len() == 0 {
			continue
		}
		s.calls++
		err := evs.afterBegin.Each(func(fn BeginHook) error { return fn(ctx, s, c) })
		s.calls--
		if err != nil {
			return err
		}
	}
	return nil
}

// hasTransitionHooks reports whether a state transition hook listens.
func (s *Session) hasTransitionHooks() bool {
	return s.factoryEvents != nil && s.factoryEvents.transition.Len() > 0 || s.events.transition.Len() > 0
}

func (s *Session) transition(st *instState, from, to State) {
	if from == to {
		return
	}
	for _, evs := range [2]*SessionEvents{s.factoryEvents, &s.events} {
		if evs == nil || evs.transition.Len() == 0 {
			continue
		}
		s.calls++
		_ = evs.transition.Each(func(fn TransitionHook) error { fn(s, st.object(), from, to); return nil })
		s.calls--
	}
}

// ---------------------------------------------------------------- mapper and instance events

type mapperHook func(ctx context.Context, c *core.Connection, obj any) error
type instanceHook func(ctx context.Context, s *Session, obj any) error

type mapperEvent uint8

const (
	mBeforeInsert mapperEvent = iota
	mAfterInsert
	mBeforeUpdate
	mAfterUpdate
	mBeforeDelete
	mAfterDelete
	mCount
)

type instanceEvent uint8

const (
	instInit instanceEvent = iota
	instLoad
	instRefresh
	instExpire
	instCount
)

var (
	mapperEvents   [mCount]events.ByType[mapperHook]
	instanceEvents [instCount]events.ByType[instanceHook]
)

// MapperHook is a typed mapper event listener: it receives the statement's
// connection and the object.
type MapperHook[T any] func(ctx context.Context, c *core.Connection, obj *T) error

// InstanceHook is a typed instance event listener.
type InstanceHook[T any] func(ctx context.Context, s *Session, obj *T) error

func addMapper[T any](ev mapperEvent, fn MapperHook[T], opts []events.Option) func() {
	t := reflect.TypeFor[T]()
	return mapperEvents[ev].Add(t, func(ctx context.Context, c *core.Connection, obj any) error {
		return fn(ctx, c, obj.(*T))
	}, opts...)
}

func addInstance[T any](ev instanceEvent, fn InstanceHook[T], opts []events.Option) func() {
	t := reflect.TypeFor[T]()
	return instanceEvents[ev].Add(t, func(ctx context.Context, s *Session, obj any) error {
		return fn(ctx, s, obj.(*T))
	}, opts...)
}

// OnBeforeInsert listens before each object of type T is INSERTed (the
// listener may still change its fields). With events.Propagate() it also
// runs for mapped subtypes of T, receiving their embedded T. Listeners are
// global, keyed by type: register them at program init. It returns a
// function that removes the listener.
func OnBeforeInsert[T any](fn MapperHook[T], opts ...events.Option) func() {
	return addMapper(mBeforeInsert, fn, opts)
}

// OnAfterInsert listens after each object of type T was INSERTed (its
// generated key is set).
func OnAfterInsert[T any](fn MapperHook[T], opts ...events.Option) func() {
	return addMapper(mAfterInsert, fn, opts)
}

// OnBeforeUpdate listens before each changed object of type T is UPDATEd.
// It also runs for an object whose only changes are to relationships,
// as SQLAlchemy's does; the listener's own field changes are written.
func OnBeforeUpdate[T any](fn MapperHook[T], opts ...events.Option) func() {
	return addMapper(mBeforeUpdate, fn, opts)
}

// OnAfterUpdate listens after each object of type T was UPDATEd.
func OnAfterUpdate[T any](fn MapperHook[T], opts ...events.Option) func() {
	return addMapper(mAfterUpdate, fn, opts)
}

// OnBeforeDelete listens before each object of type T is DELETEd.
func OnBeforeDelete[T any](fn MapperHook[T], opts ...events.Option) func() {
	return addMapper(mBeforeDelete, fn, opts)
}

// OnAfterDelete listens after each object of type T was DELETEd.
func OnAfterDelete[T any](fn MapperHook[T], opts ...events.Option) func() {
	return addMapper(mAfterDelete, fn, opts)
}

// OnInit listens when a session first sees a new object of type T (in
// Add). Go has no constructors to hook, so this is where SQLAlchemy's
// init event lands.
func OnInit[T any](fn InstanceHook[T], opts ...events.Option) func() {
	return addInstance(instInit, fn, opts)
}

// OnLoad listens when an object of type T is made from a row.
func OnLoad[T any](fn InstanceHook[T], opts ...events.Option) func() {
	return addInstance(instLoad, fn, opts)
}

// OnRefresh listens when an object of type T already in the session is
// refreshed from a row (Refresh, a load of an expired object, or
// populate-existing).
func OnRefresh[T any](fn InstanceHook[T], opts ...events.Option) func() {
	return addInstance(instRefresh, fn, opts)
}

// OnExpire listens when an object of type T is expired.
func OnExpire[T any](fn InstanceHook[T], opts ...events.Option) func() {
	return addInstance(instExpire, fn, opts)
}

// baseChain returns the embedded base types of p's mapped type, nearest
// first, with the index path from p's struct to each.
func (p *plan) baseChain() ([]reflect.Type, [][]int) {
	p.basesOnce.Do(func() {
		var idx []int
		for m := p.m; m.Inherits() != nil; m = m.Inherits() {
			d := m.Declaration()
			if d.Base == nil {
				break
			}
			idx = append(append([]int(nil), idx...), d.Base.Index...)
			bt := m.Inherits().Type()
			for bt.Kind() == reflect.Pointer {
				bt = bt.Elem()
			}
			p.bases = append(p.bases, bt)
			p.baseIdx = append(p.baseIdx, idx)
		}
	})
	return p.bases, p.baseIdx
}

// objAt returns the object to pass to a listener registered at depth.
func (p *plan) objAt(st *instState, depth int) any {
	if depth == 0 {
		return st.object()
	}
	_, idx := p.baseChain()
	return st.sv().FieldByIndex(idx[depth-1]).Addr().Interface()
}

func (s *Session) fireMapper(ctx context.Context, ev mapperEvent, c *core.Connection, st *instState) error {
	if mapperEvents[ev].Empty() {
		return nil
	}
	bases, _ := st.p.baseChain()
	s.calls++
	defer func() { s.calls-- }()
	return mapperEvents[ev].Lists(st.p.typ, bases, func(depth int, l *events.List[mapperHook]) error {
		if l.Len() == 0 {
			return nil
		}
		obj := st.p.objAt(st, depth)
		return l.Each(func(fn mapperHook) error { return fn(ctx, c, obj) })
	})
}

func (s *Session) fireInstance(ctx context.Context, ev instanceEvent, st *instState) error {
	if instanceEvents[ev].Empty() {
		return nil
	}
	bases, _ := st.p.baseChain()
	s.calls++
	defer func() { s.calls-- }()
	return instanceEvents[ev].Lists(st.p.typ, bases, func(depth int, l *events.List[instanceHook]) error {
		if l.Len() == 0 {
			return nil
		}
		obj := st.p.objAt(st, depth)
		return l.Each(func(fn instanceHook) error { return fn(ctx, s, obj) })
	})
}

// AttrOp is the kind of an attribute event.
type AttrOp uint8

// Attribute event kinds.
const (
	// AttrAppend: an object joined a collection.
	AttrAppend AttrOp = iota + 1
	// AttrRemove: an object left a collection.
	AttrRemove
	// AttrSet: a scalar relationship or a column attribute got a new
	// value.
	AttrSet
)

func (o AttrOp) String() string {
	switch o {
	case AttrAppend:
		return "append"
	case AttrRemove:
		return "remove"
	case AttrSet:
		return "set"
	}
	return fmt.Sprintf("AttrOp(%d)", uint8(o))
}

// AttributeEvent describes a change of one attribute of an object
// (SQLAlchemy's attribute events).
type AttributeEvent struct {
	Op AttrOp
	// Field is the Go field name of the attribute.
	Field string
	// Value is the object appended or removed, or the new value set
	// (nil for a cleared reference).
	Value any
	// Old is the value before a set: the object a reference held, or a
	// column's value as the database has it.
	Old any
	// AtFlush reports a change found by the flush's comparison with the
	// snapshot (a plain field: Go cannot see the assignment when it
	// happens), rather than reported by an instrumented collection when
	// it happened.
	AtFlush bool
}

// AttributeHook is a typed attribute event listener; an error stops the
// change (an instrumented collection's append or remove) or the flush
// (before any SQL).
type AttributeHook[T any] func(ctx context.Context, s *Session, obj *T, ev AttributeEvent) error

type attrHook func(ctx context.Context, s *Session, obj any, ev AttributeEvent) error

var attrEvents [AttrSet + 1]events.ByType[attrHook]

func addAttr[T any](op AttrOp, field string, fn AttributeHook[T], opts []events.Option) func() {
	t := reflect.TypeFor[T]()
	if _, ok := t.FieldByName(field); !ok {
		panic(fmt.Sprintf("retort: orm: On%s[%s](%q): %s has no field %s", op, t.Name(), field, t.Name(), field))
	}
	return attrEvents[op].Add(t, func(ctx context.Context, s *Session, obj any, ev AttributeEvent) error {
		if ev.Field != field {
			return nil
		}
		return fn(ctx, s, obj.(*T), ev)
	}, opts...)
}

// OnAppend listens for objects joining the collection relationship field
// of T: at once for an instrumented collection, at flush for a plain
// slice or map. It panics if T has no such field (a programming error,
// caught at init). It returns a function that removes the listener.
func OnAppend[T any](field string, fn AttributeHook[T], opts ...events.Option) func() {
	return addAttr(AttrAppend, field, fn, opts)
}

// OnRemove listens for objects leaving the collection field of T (as
// OnAppend).
func OnRemove[T any](field string, fn AttributeHook[T], opts ...events.Option) func() {
	return addAttr(AttrRemove, field, fn, opts)
}

// OnSet listens for new values of the field of T: a scalar relationship
// (a reference to another object) or a column attribute, reported at
// flush with the old value (Go cannot see an assignment when it happens).
func OnSet[T any](field string, fn AttributeHook[T], opts ...events.Option) func() {
	return addAttr(AttrSet, field, fn, opts)
}

// fireAttr fires an attribute event for st.
func (s *Session) fireAttr(ctx context.Context, st *instState, ev AttributeEvent) error {
	if attrEvents[ev.Op].Empty() {
		return nil
	}
	bases, _ := st.p.baseChain()
	s.calls++
	defer func() { s.calls-- }()
	return attrEvents[ev.Op].Lists(st.p.typ, bases, func(depth int, l *events.List[attrHook]) error {
		if l.Len() == 0 {
			return nil
		}
		obj := st.p.objAt(st, depth)
		return l.Each(func(fn attrHook) error { return fn(ctx, s, obj, ev) })
	})
}
