package collections

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"unsafe"
)

// Set is an instrumented unordered collection of *T: SQLAlchemy's
// instrumented set. Like List it knows whether it is loaded, loads on
// demand through its owner's session, and fires the append and remove
// events and updates the back_populates side as each change happens. The
// zero Set is an empty, loaded collection.
//
//	Tags collections.Set[Tag] `orm:"rel;secondary:post_tags;back_populates:Posts"`
type Set[T any] struct {
	items    map[*T]struct{}
	unloaded bool
	owner    Owner
}

// NewSet returns a Set holding items (for a new owner object).
func NewSet[T any](items ...*T) Set[T] {
	s := Set[T]{items: make(map[*T]struct{}, len(items))}
	for _, x := range items {
		if x != nil {
			s.items[x] = struct{}{}
		}
	}
	return s
}

// Loaded reports whether the content is loaded.
func (s *Set[T]) Loaded() bool { return !s.unloaded }

// Len is the number of members held.
func (s *Set[T]) Len() int { return len(s.items) }

// Contains reports whether x is held.
func (s *Set[T]) Contains(x *T) bool {
	_, ok := s.items[x]
	return ok
}

// All returns the members held without loading, in a stable order (by
// address: a Set has no order of its own).
func (s *Set[T]) All() []*T {
	out := make([]*T, 0, len(s.items))
	for x := range s.items {
		out = append(out, x)
	}
	slices.SortFunc(out, func(a, b *T) int {
		return cmp.Compare(uintptr(unsafe.Pointer(a)), uintptr(unsafe.Pointer(b)))
	})
	return out
}

// Load loads the content through the owner's session if it is not loaded.
func (s *Set[T]) Load(ctx context.Context) error {
	if !s.unloaded {
		return nil
	}
	if s.owner == nil {
		return ErrNotBound
	}
	return s.owner.LoadCollection(ctx)
}

// Items loads the content if needed and returns it (see All).
func (s *Set[T]) Items(ctx context.Context) ([]*T, error) {
	if err := s.Load(ctx); err != nil {
		return nil, err
	}
	return s.All(), nil
}

// Add adds each item not already held, firing the append event first; an
// error from a listener stops there.
func (s *Set[T]) Add(items ...*T) error {
	for _, x := range items {
		if x == nil {
			return fmt.Errorf("retort: collections: nil %s added", reflect.TypeFor[T]())
		}
		if s.Contains(x) {
			continue
		}
		if s.owner != nil {
			if err := s.owner.Appending(x); err != nil {
				return err
			}
		}
		if s.items == nil {
			s.items = map[*T]struct{}{}
		}
		s.items[x] = struct{}{}
	}
	return nil
}

// Remove removes x if held, firing the remove event first.
func (s *Set[T]) Remove(x *T) error {
	if !s.Contains(x) {
		return nil
	}
	if s.owner != nil {
		if err := s.owner.Removing(x); err != nil {
			return err
		}
	}
	delete(s.items, x)
	return nil
}

// Clear removes every member (loading first, so that every removal is
// known and written).
func (s *Set[T]) Clear(ctx context.Context) error {
	if err := s.Load(ctx); err != nil && !errors.Is(err, ErrNotBound) {
		return err
	}
	for _, x := range s.All() {
		if err := s.Remove(x); err != nil {
			return err
		}
	}
	return nil
}

// CollectionOf is the member type T (read by the mapping).
func (s *Set[T]) CollectionOf() reflect.Type { return reflect.TypeFor[T]() }

// CollectionKind is "set" (read by the mapping).
func (s *Set[T]) CollectionKind() string { return "set" }

// Bind implements Instrumented.
func (s *Set[T]) Bind(o Owner, loaded bool) { s.owner, s.unloaded = o, !loaded }

// IsLoaded implements Instrumented.
func (s *Set[T]) IsLoaded() bool { return !s.unloaded }

// Content implements Instrumented (members in All's order).
func (s *Set[T]) Content(dst []any) []any {
	for _, x := range s.All() {
		dst = append(dst, x)
	}
	return dst
}

// SetContent implements Instrumented.
func (s *Set[T]) SetContent(members []any, loaded bool) {
	s.items = make(map[*T]struct{}, len(members))
	for _, m := range members {
		s.items[m.(*T)] = struct{}{}
	}
	s.unloaded = !loaded
}

// AddQuiet implements Instrumented.
func (s *Set[T]) AddQuiet(m any) bool {
	x := m.(*T)
	if s.Contains(x) {
		return false
	}
	if s.items == nil {
		s.items = map[*T]struct{}{}
	}
	s.items[x] = struct{}{}
	return true
}

// RemoveQuiet implements Instrumented.
func (s *Set[T]) RemoveQuiet(m any) bool {
	x := m.(*T)
	if !s.Contains(x) {
		return false
	}
	delete(s.items, x)
	return true
}
