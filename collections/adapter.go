package collections

import (
	"cmp"
	"fmt"
	"reflect"
	"slices"
)

// Kind is a collection kind.
type Kind uint8

// Collection kinds.
const (
	// KindSlice is a []*T (or a List): SQLAlchemy's list.
	KindSlice Kind = iota + 1
	// KindSet is a map[*T]struct{} or map[*T]bool (or a Set):
	// SQLAlchemy's set.
	KindSet
	// KindMap is a map[K]*T keyed by an attribute of T:
	// attribute_keyed_dict.
	KindMap
)

func (k Kind) String() string {
	switch k {
	case KindSlice:
		return "slice"
	case KindSet:
		return "set"
	case KindMap:
		return "map"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Adapter reads and changes one kind of collection field. Fields and
// members are reflect.Values: a field is the (addressable) struct field
// that holds the collection, a member a non-nil *T. The unit of work
// diffs a collection's Members against the snapshot it took at load or
// at the last flush, so every kind answers the same questions.
type Adapter interface {
	Kind() Kind
	// Len is the number of members.
	Len(field reflect.Value) int
	// Members appends the members to dst in the collection's order (slice
	// order; sets and maps in a stable order: by key for maps, by address
	// for sets) and returns it. Nil entries are skipped.
	Members(field reflect.Value, dst []reflect.Value) []reflect.Value
	// Append adds member (a no-op if it is present).
	Append(field, member reflect.Value) error
	// Remove removes member and reports whether it was present.
	Remove(field, member reflect.Value) bool
	// Contains reports whether member is present.
	Contains(field, member reflect.Value) bool
	// Replace makes members the collection's whole content.
	Replace(field reflect.Value, members []reflect.Value) error
	// Check reports a collection whose content is inconsistent (a map
	// entry whose key is not its member's key attribute).
	Check(field reflect.Value) error
}

// For returns the adapter for a collection field of type t: []*T, a set
// map[*T]struct{} / map[*T]bool, a map[K]*T keyed by the attribute at
// keyIndex of T (required for maps, ignored otherwise), or an
// instrumented collection such as List[T].
func For(t reflect.Type, keyIndex []int) (Adapter, error) {
	if IsInstrumented(t) {
		a := instrumentedAdapter{kind: KindSlice}
		if k, ok := reflect.New(t).Interface().(interface{ CollectionKind() string }); ok && k.CollectionKind() == "set" {
			a.kind = KindSet
		}
		return a, nil
	}
	switch t.Kind() {
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Pointer && t.Elem().Elem().Kind() == reflect.Struct {
			return sliceAdapter{t}, nil
		}
	case reflect.Map:
		if t.Key().Kind() == reflect.Pointer && t.Key().Elem().Kind() == reflect.Struct {
			e := t.Elem()
			if e.Kind() == reflect.Bool || e.Kind() == reflect.Struct && e.NumField() == 0 {
				return setAdapter{t}, nil
			}
		}
		if t.Elem().Kind() == reflect.Pointer && t.Elem().Elem().Kind() == reflect.Struct {
			if len(keyIndex) == 0 {
				return nil, fmt.Errorf("a map collection %s needs the attribute it is keyed by", t)
			}
			kf := t.Elem().Elem().FieldByIndex(keyIndex)
			kt := kf.Type
			if kt != t.Key() && !(kt.Kind() == reflect.Pointer && kt.Elem() == t.Key()) && !keyConvertible(kt, t.Key()) {
				return nil, fmt.Errorf("a map collection %s is keyed by %s.%s of type %s, which does not convert to the map's key type", t, t.Elem().Elem().Name(), kf.Name, kt)
			}
			return mapAdapter{t: t, key: keyIndex, keyName: kf.Name}, nil
		}
	}
	return nil, fmt.Errorf("%s is not a collection of pointers to structs ([]*T, map[*T]struct{}, map[*T]bool or map[K]*T)", t)
}

// keyConvertible reports a key field type whose values convert to the
// map's key type without changing meaning: numbers to numbers, strings
// to strings (not Go's integer-to-character conversion).
func keyConvertible(from, to reflect.Type) bool {
	if !from.ConvertibleTo(to) {
		return false
	}
	num := func(k reflect.Kind) bool {
		return k >= reflect.Int && k <= reflect.Float64
	}
	switch {
	case num(from.Kind()) && num(to.Kind()):
		return true
	case from.Kind() == reflect.String && to.Kind() == reflect.String:
		return true
	}
	return from.Kind() == to.Kind()
}

// ---------------------------------------------------------------- slice

type sliceAdapter struct{ t reflect.Type }

func (sliceAdapter) Kind() Kind                  { return KindSlice }
func (sliceAdapter) Len(f reflect.Value) int     { return f.Len() }
func (sliceAdapter) Check(f reflect.Value) error { return nil }

func (sliceAdapter) Members(f reflect.Value, dst []reflect.Value) []reflect.Value {
	for i, n := 0, f.Len(); i < n; i++ {
		if m := f.Index(i); !m.IsNil() {
			dst = append(dst, m)
		}
	}
	return dst
}

func (a sliceAdapter) Contains(f, m reflect.Value) bool { return a.index(f, m) >= 0 }

func (sliceAdapter) index(f, m reflect.Value) int {
	p := m.UnsafePointer()
	for i, n := 0, f.Len(); i < n; i++ {
		if f.Index(i).UnsafePointer() == p {
			return i
		}
	}
	return -1
}

func (a sliceAdapter) Append(f, m reflect.Value) error {
	if a.index(f, m) < 0 {
		f.Set(reflect.Append(f, m))
	}
	return nil
}

func (a sliceAdapter) Remove(f, m reflect.Value) bool {
	i := a.index(f, m)
	if i < 0 {
		return false
	}
	n := f.Len()
	reflect.Copy(f.Slice(i, n), f.Slice(i+1, n))
	f.Index(n - 1).SetZero()
	f.SetLen(n - 1)
	return true
}

func (a sliceAdapter) Replace(f reflect.Value, members []reflect.Value) error {
	s := reflect.MakeSlice(a.t, len(members), len(members))
	for i, m := range members {
		s.Index(i).Set(m)
	}
	f.Set(s)
	return nil
}

// ---------------------------------------------------------------- set

type setAdapter struct{ t reflect.Type }

func (setAdapter) Kind() Kind                  { return KindSet }
func (setAdapter) Len(f reflect.Value) int     { return f.Len() }
func (setAdapter) Check(f reflect.Value) error { return nil }

func (a setAdapter) Members(f reflect.Value, dst []reflect.Value) []reflect.Value {
	start := len(dst)
	it := f.MapRange()
	for it.Next() {
		k := it.Key()
		if k.IsNil() {
			continue
		}
		if v := it.Value(); v.Kind() == reflect.Bool && !v.Bool() {
			continue // map[*T]bool: false is "not a member"
		}
		dst = append(dst, k)
	}
	slices.SortFunc(dst[start:], func(x, y reflect.Value) int {
		return cmp.Compare(uintptr(x.UnsafePointer()), uintptr(y.UnsafePointer()))
	})
	return dst
}

func (a setAdapter) Contains(f, m reflect.Value) bool {
	v := f.MapIndex(m)
	return v.IsValid() && (v.Kind() != reflect.Bool || v.Bool())
}

func (a setAdapter) yes() reflect.Value {
	if a.t.Elem().Kind() == reflect.Bool {
		return reflect.ValueOf(true).Convert(a.t.Elem())
	}
	return reflect.Zero(a.t.Elem())
}

func (a setAdapter) Append(f, m reflect.Value) error {
	if f.IsNil() {
		f.Set(reflect.MakeMap(a.t))
	}
	f.SetMapIndex(m, a.yes())
	return nil
}

func (a setAdapter) Remove(f, m reflect.Value) bool {
	if !a.Contains(f, m) {
		return false
	}
	f.SetMapIndex(m, reflect.Value{})
	return true
}

func (a setAdapter) Replace(f reflect.Value, members []reflect.Value) error {
	s := reflect.MakeMapWithSize(a.t, len(members))
	for _, m := range members {
		s.SetMapIndex(m, a.yes())
	}
	f.Set(s)
	return nil
}

// ---------------------------------------------------------------- keyed map

type mapAdapter struct {
	t       reflect.Type
	key     []int
	keyName string
}

func (mapAdapter) Kind() Kind              { return KindMap }
func (mapAdapter) Len(f reflect.Value) int { return f.Len() }

// keyOf is the map key of member m: its key attribute, converted to the
// map's key type (a nil pointer key attribute gives an invalid Value).
func (a mapAdapter) keyOf(m reflect.Value) reflect.Value {
	k := m.Elem().FieldByIndex(a.key)
	if k.Kind() == reflect.Pointer && a.t.Key().Kind() != reflect.Pointer {
		if k.IsNil() {
			return reflect.Value{}
		}
		k = k.Elem()
	}
	if k.Type() != a.t.Key() {
		k = k.Convert(a.t.Key())
	}
	return k
}

func (a mapAdapter) Members(f reflect.Value, dst []reflect.Value) []reflect.Value {
	keys := f.MapKeys()
	slices.SortFunc(keys, compareValues)
	for _, k := range keys {
		if m := f.MapIndex(k); !m.IsNil() {
			dst = append(dst, m)
		}
	}
	return dst
}

func (a mapAdapter) Contains(f, m reflect.Value) bool {
	it := f.MapRange()
	p := m.UnsafePointer()
	for it.Next() {
		if it.Value().UnsafePointer() == p {
			return true
		}
	}
	return false
}

func (a mapAdapter) Append(f, m reflect.Value) error {
	k := a.keyOf(m)
	if !k.IsValid() {
		return fmt.Errorf("cannot add a %s to the map collection: its key attribute %s is nil", m.Type().Elem().Name(), a.keyName)
	}
	if f.IsNil() {
		f.Set(reflect.MakeMap(a.t))
	}
	f.SetMapIndex(k, m)
	return nil
}

func (a mapAdapter) Remove(f, m reflect.Value) bool {
	it := f.MapRange()
	p := m.UnsafePointer()
	for it.Next() {
		if it.Value().UnsafePointer() == p {
			f.SetMapIndex(it.Key(), reflect.Value{})
			return true
		}
	}
	return false
}

func (a mapAdapter) Replace(f reflect.Value, members []reflect.Value) error {
	s := reflect.MakeMapWithSize(a.t, len(members))
	for _, m := range members {
		k := a.keyOf(m)
		if !k.IsValid() {
			return fmt.Errorf("cannot add a %s to the map collection: its key attribute %s is nil", m.Type().Elem().Name(), a.keyName)
		}
		s.SetMapIndex(k, m)
	}
	f.Set(s)
	return nil
}

func (a mapAdapter) Check(f reflect.Value) error {
	it := f.MapRange()
	for it.Next() {
		m := it.Value()
		if m.IsNil() {
			continue
		}
		k := a.keyOf(m)
		if !k.IsValid() || !k.Equal(it.Key()) {
			var got any = "nil"
			if k.IsValid() {
				got = k.Interface()
			}
			return fmt.Errorf("map entry %v holds a %s whose %s is %v: a keyed map's key must be its member's %s", it.Key().Interface(), m.Type().Elem().Name(), a.keyName, got, a.keyName)
		}
	}
	return nil
}

// compareValues orders map keys of one type for a stable iteration.
func compareValues(x, y reflect.Value) int {
	switch x.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return cmp.Compare(x.Int(), y.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return cmp.Compare(x.Uint(), y.Uint())
	case reflect.Float32, reflect.Float64:
		return cmp.Compare(x.Float(), y.Float())
	case reflect.String:
		return cmp.Compare(x.String(), y.String())
	case reflect.Bool:
		if x.Bool() == y.Bool() {
			return 0
		}
		if !x.Bool() {
			return -1
		}
		return 1
	}
	return cmp.Compare(fmt.Sprint(x.Interface()), fmt.Sprint(y.Interface()))
}

// Reorder sets the position attribute (at posIndex of each member, an
// integer field or pointer to one) of the members of a slice collection
// to their index plus from, as SQLAlchemy's ordering_list does, and
// returns the members whose position changed.
func Reorder(members []reflect.Value, posIndex []int, from int, changed []reflect.Value) []reflect.Value {
	for i, m := range members {
		f := m.Elem().FieldByIndex(posIndex)
		want := int64(i + from)
		if f.Kind() == reflect.Pointer {
			if !f.IsNil() && positionIs(f.Elem(), want) {
				continue
			}
			v := reflect.New(f.Type().Elem())
			setPosition(v.Elem(), want)
			f.Set(v)
			changed = append(changed, m)
			continue
		}
		if positionIs(f, want) {
			continue
		}
		setPosition(f, want)
		changed = append(changed, m)
	}
	return changed
}

func positionIs(f reflect.Value, want int64) bool {
	if f.CanInt() {
		return f.Int() == want
	}
	return f.Uint() == uint64(want)
}

func setPosition(f reflect.Value, want int64) {
	if f.CanInt() {
		f.SetInt(want)
	} else {
		f.SetUint(uint64(want))
	}
}
