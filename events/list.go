package events

import (
	"reflect"
	"sync"
	"sync/atomic"
)

// List is a typed list of listeners for one event: F is the listener's
// function type. The zero value is an empty list ready to use. Add and the
// remove functions it returns are safe from several goroutines; reading the
// listeners (Len, Each, Snapshot) takes no lock, so dispatch from hot paths
// costs one atomic load when nobody listens.
type List[F any] struct {
	mu   sync.Mutex
	cur  atomic.Pointer[[]*entry[F]]
	next uint64
}

type entry[F any] struct {
	fn   F
	id   uint64
	once bool
	done atomic.Bool
	// consumed runs after a Once listener removed itself (ByType's count)
	consumed func()
}

// Option changes how a listener is added.
type Option func(*options)

type options struct {
	once      bool
	prepend   bool
	propagate bool
	consumed  func() // set by ByType only
}

// Once makes the listener run at most once: the first dispatch that reaches
// it removes it (SQLAlchemy's once=True).
func Once() Option { return func(o *options) { o.once = true } }

// Prepend puts the listener before those already added (SQLAlchemy's
// insert=True).
func Prepend() Option { return func(o *options) { o.prepend = true } }

// Propagate makes a listener added for a type in a [ByType] list also run
// for that type's subtypes (SQLAlchemy's propagate=True). It has no effect on
// a plain [List].
func Propagate() Option { return func(o *options) { o.propagate = true } }

func apply(opts []Option) options {
	var o options
	for _, f := range opts {
		if f != nil {
			f(&o)
		}
	}
	return o
}

// Add adds fn and returns a function that removes it. Removing twice is
// harmless.
func (l *List[F]) Add(fn F, opts ...Option) (remove func()) {
	o := apply(opts)
	l.mu.Lock()
	l.next++
	e := &entry[F]{fn: fn, id: l.next, once: o.once, consumed: o.consumed}
	var old []*entry[F]
	if p := l.cur.Load(); p != nil {
		old = *p
	}
	nl := make([]*entry[F], 0, len(old)+1)
	if o.prepend {
		nl = append(nl, e)
		nl = append(nl, old...)
	} else {
		nl = append(nl, old...)
		nl = append(nl, e)
	}
	l.cur.Store(&nl)
	l.mu.Unlock()
	return func() { l.remove(e.id) }
}

func (l *List[F]) remove(id uint64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	p := l.cur.Load()
	if p == nil {
		return
	}
	old := *p
	for i, e := range old {
		if e.id == id {
			nl := make([]*entry[F], 0, len(old)-1)
			nl = append(nl, old[:i]...)
			nl = append(nl, old[i+1:]...)
			if len(nl) == 0 {
				l.cur.Store(nil)
			} else {
				l.cur.Store(&nl)
			}
			return
		}
	}
}

// Len is the number of listeners. Dispatchers check it before building an
// event's arguments.
func (l *List[F]) Len() int {
	if l == nil {
		return 0
	}
	p := l.cur.Load()
	if p == nil {
		return 0
	}
	return len(*p)
}

// Each calls call for each listener in order, stopping at the first error,
// which it returns. A Once listener is removed before it runs.
func (l *List[F]) Each(call func(F) error) error {
	if l == nil {
		return nil
	}
	p := l.cur.Load()
	if p == nil {
		return nil
	}
	for _, e := range *p {
		if e.once {
			if !e.done.CompareAndSwap(false, true) {
				continue
			}
			l.remove(e.id)
			if e.consumed != nil {
				e.consumed()
			}
		}
		if err := call(e.fn); err != nil {
			return err
		}
	}
	return nil
}

// Snapshot returns the listeners in order (a copy). Once listeners are
// included and not consumed.
func (l *List[F]) Snapshot() []F {
	if l == nil {
		return nil
	}
	p := l.cur.Load()
	if p == nil {
		return nil
	}
	out := make([]F, len(*p))
	for i, e := range *p {
		out[i] = e.fn
	}
	return out
}

// ByType holds listeners keyed by a Go type (a mapped struct type), with
// propagation from a type to its subtypes. Which types are subtypes of which
// is the caller's knowledge: For takes the chain of base types. The zero
// value is ready to use; registration is safe from several goroutines and
// lookups take no lock.
type ByType[F any] struct {
	mu  sync.Mutex
	m   atomic.Pointer[map[reflect.Type]*typed[F]]
	gen atomic.Uint64
	n   atomic.Int64
}

type typed[F any] struct {
	own  List[F] // listeners for the type itself
	prop List[F] // listeners also for its subtypes
}

// Add adds fn for type t; with [Propagate] it also runs for t's subtypes.
// It returns a function that removes it.
func (b *ByType[F]) Add(t reflect.Type, fn F, opts ...Option) (remove func()) {
	o := apply(opts)
	b.mu.Lock()
	var cur map[reflect.Type]*typed[F]
	if p := b.m.Load(); p != nil {
		cur = *p
	}
	tl := cur[t]
	if tl == nil {
		tl = &typed[F]{}
		nm := make(map[reflect.Type]*typed[F], len(cur)+1)
		for k, v := range cur {
			nm[k] = v
		}
		nm[t] = tl
		b.m.Store(&nm)
	}
	b.mu.Unlock()
	b.gen.Add(1)
	b.n.Add(1)
	// the count drops once: on removal, or when a Once listener has run
	var done atomic.Bool
	release := func() {
		if done.CompareAndSwap(false, true) {
			b.n.Add(-1)
			b.gen.Add(1)
		}
	}
	opts = append(opts[:len(opts):len(opts)], func(o *options) { o.consumed = release })
	var rm func()
	if o.propagate {
		rm = tl.prop.Add(fn, opts...)
	} else {
		rm = tl.own.Add(fn, opts...)
	}
	return func() {
		rm()
		release()
	}
}

// Empty reports whether no listener of any type is registered: one atomic
// load, for the zero-cost check. A Once listener stops counting when it
// has run.
func (b *ByType[F]) Empty() bool {
	return b == nil || b.n.Load() <= 0
}

// Lists returns the listener lists that apply to an object of type t whose
// base types, nearest first, are bases: t's own and propagating listeners,
// then each base's propagating listeners. The result is for dispatch in
// that order; depth says which base a list belongs to (0 for t itself,
// 1 for bases[0], …) so that a caller can adapt the object it passes.
func (b *ByType[F]) Lists(t reflect.Type, bases []reflect.Type, visit func(depth int, l *List[F]) error) error {
	if b == nil {
		return nil
	}
	p := b.m.Load()
	if p == nil {
		return nil
	}
	m := *p
	if tl := m[t]; tl != nil {
		if err := visit(0, &tl.own); err != nil {
			return err
		}
		if err := visit(0, &tl.prop); err != nil {
			return err
		}
	}
	for i, bt := range bases {
		if tl := m[bt]; tl != nil {
			if err := visit(i+1, &tl.prop); err != nil {
				return err
			}
		}
	}
	return nil
}

// Generation changes whenever a listener is added or removed; callers may
// cache derived lookups keyed by it.
func (b *ByType[F]) Generation() uint64 { return b.gen.Load() }
