package collections

import (
	"fmt"
	"reflect"
)

// WriteOnly is a relationship collection that is never loaded whole
// (SQLAlchemy's WriteOnlyMapped, lazy="write_only"): for collections too
// large to load, it holds only the changes the program makes. Add and
// Remove record members to write at the next flush (the foreign key set,
// or set to NULL — a DELETE under delete-orphan — or a row of the
// secondary table added or deleted); after the flush the collection is
// empty again. To read the collection, query it: orm.Related returns a
// query of the members (count them with its Count, page them with Limit).
//
// Declare the field as a WriteOnly (not a pointer to one); the mapping
// makes the relationship lazy:"write_only":
//
//	Addresses collections.WriteOnly[Address] `orm:"rel;back_populates:User"`
//
// Once its owner is in a session, each change fires the append or remove
// attribute event and brings a back_populates many-to-one in line at
// once, as List's do; before that (a new owner not added yet) the flush
// brings the other side in line. Joined,
// selectin and the other loader strategies do not apply to it (an error
// names the path), and an explicit load is an error.
type WriteOnly[T any] struct {
	added   []*T
	removed []*T
	owner   Owner
}

// Add records items as new members, written at the next flush. An item
// removed before in the same flush is taken back instead.
func (w *WriteOnly[T]) Add(items ...*T) error {
	for _, x := range items {
		if x == nil {
			return fmt.Errorf("retort: collections: nil %s added", reflect.TypeFor[T]())
		}
		if i := indexOf(w.removed, x); i >= 0 {
			w.removed = append(w.removed[:i], w.removed[i+1:]...)
			continue
		}
		if indexOf(w.added, x) >= 0 {
			continue
		}
		if w.owner != nil {
			if err := w.owner.Appending(x); err != nil {
				return err
			}
		}
		w.added = append(w.added, x)
	}
	return nil
}

// Remove records items as removed members, written at the next flush
// (an item added in the same flush is taken back instead).
func (w *WriteOnly[T]) Remove(items ...*T) error {
	for _, x := range items {
		if x == nil {
			return fmt.Errorf("retort: collections: nil %s removed", reflect.TypeFor[T]())
		}
		if i := indexOf(w.added, x); i >= 0 {
			w.added = append(w.added[:i], w.added[i+1:]...)
			continue
		}
		if indexOf(w.removed, x) >= 0 {
			continue
		}
		if w.owner != nil {
			if err := w.owner.Removing(x); err != nil {
				return err
			}
		}
		w.removed = append(w.removed, x)
	}
	return nil
}

// Pending returns the members added and removed since the last flush
// (copies).
func (w *WriteOnly[T]) Pending() (added, removed []*T) {
	return append([]*T(nil), w.added...), append([]*T(nil), w.removed...)
}

func indexOf[T any](list []*T, x *T) int {
	for i, y := range list {
		if y == x {
			return i
		}
	}
	return -1
}

// CollectionOf is the member type T (read by the mapping).
func (w *WriteOnly[T]) CollectionOf() reflect.Type { return reflect.TypeFor[T]() }

// CollectionKind is "write_only" (read by the mapping).
func (w *WriteOnly[T]) CollectionKind() string { return "write_only" }

// Bind implements Instrumented.
func (w *WriteOnly[T]) Bind(o Owner, _ bool) { w.owner = o }

// IsLoaded implements Instrumented: a write-only collection is never
// loaded.
func (w *WriteOnly[T]) IsLoaded() bool { return false }

// Content implements Instrumented: the members added since the last
// flush.
func (w *WriteOnly[T]) Content(dst []any) []any {
	for _, x := range w.added {
		dst = append(dst, x)
	}
	return dst
}

// SetContent implements Instrumented: it replaces the pending additions
// (the session empties them after a flush).
func (w *WriteOnly[T]) SetContent(members []any, _ bool) {
	w.added = w.added[:0]
	for _, m := range members {
		w.added = append(w.added, m.(*T))
	}
	if len(members) == 0 {
		w.added = nil
	}
}

// AddQuiet implements Instrumented.
func (w *WriteOnly[T]) AddQuiet(member any) bool {
	x := member.(*T)
	if indexOf(w.added, x) >= 0 {
		return false
	}
	w.added = append(w.added, x)
	return true
}

// RemoveQuiet implements Instrumented.
func (w *WriteOnly[T]) RemoveQuiet(member any) bool {
	x := member.(*T)
	if i := indexOf(w.added, x); i >= 0 {
		w.added = append(w.added[:i], w.added[i+1:]...)
		return true
	}
	return false
}

// Removed returns the members removed since the last flush (the unit of
// work writes them).
func (w *WriteOnly[T]) Removed() []any {
	out := make([]any, len(w.removed))
	for i, x := range w.removed {
		out[i] = x
	}
	return out
}

// PendingRemovals reports removals not written yet.
func (w *WriteOnly[T]) PendingRemovals() bool { return len(w.removed) > 0 }

// ClearPending forgets the pending changes once a flush has written them.
func (w *WriteOnly[T]) ClearPending() { w.added, w.removed = nil, nil }

// Removals is implemented by collections that record removals of
// members they never held (WriteOnly): the unit of work writes them and
// then clears what it wrote.
type Removals interface {
	PendingRemovals() bool
	Removed() []any
	ClearPending()
}
