package collections

import (
	"context"
	"errors"
	"fmt"
	"reflect"
)

// Owner is the side of an instrumented collection that the session
// provides when it tracks the collection's owning object: loading, and
// the events and back_populates updates of each change.
type Owner interface {
	// LoadCollection loads the relationship from the database into the
	// collection (an error under lazy:"raise").
	LoadCollection(ctx context.Context) error
	// Appending and Removing run before a member is added or removed:
	// they fire the append and remove attribute events (an error stops
	// the change) and bring the back_populates side in line.
	Appending(member any) error
	Removing(member any) error
}

// Instrumented is implemented by the instrumented collection types; the
// session uses it to bind a collection to its owner and to read and
// change the content without firing events. Programs use the types'
// own methods.
type Instrumented interface {
	// Bind attaches the collection to its owner (nil detaches it) and
	// says whether its content is loaded.
	Bind(o Owner, loaded bool)
	// IsLoaded reports whether the content is loaded (a collection that
	// was never bound is: it is what the program put in it).
	IsLoaded() bool
	// Content appends the members to dst.
	Content(dst []any) []any
	// SetContent replaces the content without events.
	SetContent(members []any, loaded bool)
	// AddQuiet and RemoveQuiet change one member without events.
	AddQuiet(member any) bool
	RemoveQuiet(member any) bool
}

// ErrNotBound is returned when an instrumented collection must load but
// its owner is not tracked by a session.
var ErrNotBound = errors.New("retort: collections: the collection's owner is not in a Session")

// List is an instrumented ordered collection of *T: SQLAlchemy's
// instrumented list. Unlike a plain []*T it knows whether it is loaded,
// loads on demand through its owner's session (Load, Items), fires the
// append and remove attribute events as each change happens, and keeps
// the back_populates side in memory in line at once. The zero List is an
// empty, loaded collection; a List is not safe for concurrent use (it
// belongs to its session's goroutine, as its owner does).
//
// Declare the relationship field as a List (not a pointer to one):
//
//	Addresses collections.List[Address] `orm:"rel;back_populates:User"`
type List[T any] struct {
	items    []*T
	unloaded bool
	owner    Owner
}

// NewList returns a List holding items (for a new owner object).
func NewList[T any](items ...*T) List[T] {
	return List[T]{items: append([]*T(nil), items...)}
}

// Loaded reports whether the content is loaded; an unloaded List holds
// only the members added since (they are written at the next flush).
func (l *List[T]) Loaded() bool { return !l.unloaded }

// Len is the number of members held.
func (l *List[T]) Len() int { return len(l.items) }

// At returns the i-th member.
func (l *List[T]) At(i int) *T { return l.items[i] }

// All returns the members held, in order, without loading (a copy: change
// the List through its methods so that events fire).
func (l *List[T]) All() []*T { return append([]*T(nil), l.items...) }

// Load loads the content through the owner's session if it is not loaded.
func (l *List[T]) Load(ctx context.Context) error {
	if !l.unloaded {
		return nil
	}
	if l.owner == nil {
		return ErrNotBound
	}
	return l.owner.LoadCollection(ctx)
}

// Items loads the content if needed and returns it (a copy).
func (l *List[T]) Items(ctx context.Context) ([]*T, error) {
	if err := l.Load(ctx); err != nil {
		return nil, err
	}
	return l.All(), nil
}

func (l *List[T]) index(x *T) int {
	for i, y := range l.items {
		if y == x {
			return i
		}
	}
	return -1
}

// Contains reports whether x is held.
func (l *List[T]) Contains(x *T) bool { return l.index(x) >= 0 }

// Append adds each item not already held, at the end. Each append fires
// the append event and updates the other side of a back_populates pair
// first; an error from a listener stops there (the items before it are
// added).
func (l *List[T]) Append(items ...*T) error {
	for _, x := range items {
		if x == nil {
			return fmt.Errorf("retort: collections: nil %s appended", reflect.TypeFor[T]())
		}
		if l.index(x) >= 0 {
			continue
		}
		if l.owner != nil {
			if err := l.owner.Appending(x); err != nil {
				return err
			}
		}
		l.items = append(l.items, x)
	}
	return nil
}

// Insert adds x at position i (moving it there if it is held already,
// without events for the move).
func (l *List[T]) Insert(i int, x *T) error {
	if x == nil {
		return fmt.Errorf("retort: collections: nil %s inserted", reflect.TypeFor[T]())
	}
	if j := l.index(x); j >= 0 {
		l.items = append(l.items[:j], l.items[j+1:]...)
	} else if l.owner != nil {
		if err := l.owner.Appending(x); err != nil {
			return err
		}
	}
	i = max(0, min(i, len(l.items)))
	l.items = append(l.items, nil)
	copy(l.items[i+1:], l.items[i:])
	l.items[i] = x
	return nil
}

// Remove removes x if held, firing the remove event first.
func (l *List[T]) Remove(x *T) error {
	i := l.index(x)
	if i < 0 {
		return nil
	}
	if l.owner != nil {
		if err := l.owner.Removing(x); err != nil {
			return err
		}
	}
	l.items = append(l.items[:i], l.items[i+1:]...)
	return nil
}

// Clear removes every member (loading first, so that every removal is
// known and written).
func (l *List[T]) Clear(ctx context.Context) error {
	if err := l.Load(ctx); err != nil && !errors.Is(err, ErrNotBound) {
		return err
	}
	for len(l.items) > 0 {
		if err := l.Remove(l.items[len(l.items)-1]); err != nil {
			return err
		}
	}
	return nil
}

// CollectionOf is the member type T: the mapping reads it to find the
// relationship's target.
func (l *List[T]) CollectionOf() reflect.Type { return reflect.TypeFor[T]() }

// CollectionKind is "slice": a List is ordered (read by the mapping).
func (l *List[T]) CollectionKind() string { return "slice" }

// Bind implements Instrumented.
func (l *List[T]) Bind(o Owner, loaded bool) { l.owner, l.unloaded = o, !loaded }

// IsLoaded implements Instrumented.
func (l *List[T]) IsLoaded() bool { return !l.unloaded }

// Content implements Instrumented.
func (l *List[T]) Content(dst []any) []any {
	for _, x := range l.items {
		dst = append(dst, x)
	}
	return dst
}

// SetContent implements Instrumented.
func (l *List[T]) SetContent(members []any, loaded bool) {
	l.items = l.items[:0]
	for _, m := range members {
		l.items = append(l.items, m.(*T))
	}
	l.unloaded = !loaded
}

// AddQuiet implements Instrumented.
func (l *List[T]) AddQuiet(m any) bool {
	x := m.(*T)
	if l.index(x) >= 0 {
		return false
	}
	l.items = append(l.items, x)
	return true
}

// RemoveQuiet implements Instrumented.
func (l *List[T]) RemoveQuiet(m any) bool {
	i := l.index(m.(*T))
	if i < 0 {
		return false
	}
	l.items = append(l.items[:i], l.items[i+1:]...)
	return true
}

// ---------------------------------------------------------------- adapter

var instrumentedType = reflect.TypeFor[Instrumented]()

// IsInstrumented reports whether a field of type t is an instrumented
// collection.
func IsInstrumented(t reflect.Type) bool { return reflect.PointerTo(t).Implements(instrumentedType) }

// instrumentedAdapter adapts an instrumented collection field.
type instrumentedAdapter struct{ kind Kind }

func instrumentedOf(f reflect.Value) Instrumented { return f.Addr().Interface().(Instrumented) }

func (a instrumentedAdapter) Kind() Kind                { return a.kind }
func (instrumentedAdapter) Check(f reflect.Value) error { return nil }
func (instrumentedAdapter) Len(f reflect.Value) int     { return len(instrumentedOf(f).Content(nil)) }

func (instrumentedAdapter) Members(f reflect.Value, dst []reflect.Value) []reflect.Value {
	for _, m := range instrumentedOf(f).Content(nil) {
		dst = append(dst, reflect.ValueOf(m))
	}
	return dst
}

func (instrumentedAdapter) Contains(f, m reflect.Value) bool {
	for _, x := range instrumentedOf(f).Content(nil) {
		if reflect.ValueOf(x).UnsafePointer() == m.UnsafePointer() {
			return true
		}
	}
	return false
}

func (instrumentedAdapter) Append(f, m reflect.Value) error {
	instrumentedOf(f).AddQuiet(m.Interface())
	return nil
}

func (instrumentedAdapter) Remove(f, m reflect.Value) bool {
	return instrumentedOf(f).RemoveQuiet(m.Interface())
}

func (instrumentedAdapter) Replace(f reflect.Value, members []reflect.Value) error {
	in := instrumentedOf(f)
	ms := make([]any, len(members))
	for i, m := range members {
		ms[i] = m.Interface()
	}
	in.SetContent(ms, in.IsLoaded())
	return nil
}

// Replace makes items the List's whole content: the members not in
// items are removed and the new ones appended, each firing its event (the
// kept ones stay, in items' order).
func (l *List[T]) Replace(ctx context.Context, items []*T) error {
	if err := l.Load(ctx); err != nil && !errors.Is(err, ErrNotBound) {
		return err
	}
	keep := make(map[*T]bool, len(items))
	for _, x := range items {
		if x == nil {
			return fmt.Errorf("retort: collections: nil %s in Replace", reflect.TypeFor[T]())
		}
		keep[x] = true
	}
	for i := len(l.items) - 1; i >= 0; i-- {
		if x := l.items[i]; !keep[x] {
			if err := l.Remove(x); err != nil {
				return err
			}
		}
	}
	for _, x := range items {
		if err := l.Append(x); err != nil {
			return err
		}
	}
	// the order of items
	l.items = append(l.items[:0], items...)
	return nil
}
