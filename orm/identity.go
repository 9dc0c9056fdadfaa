package orm

import (
	"cmp"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"
	"unsafe"
)

// normKey makes a primary key value usable in a map key.
func normKey(v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case []byte:
		return string(x)
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case int64, string:
		return v
	case int:
		return int64(x)
	case int32:
		return int64(x)
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer:
		if rv.IsNil() {
			return nil
		}
		return normKey(rv.Elem().Interface())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return int64(rv.Uint())
	case reflect.String:
		return rv.String()
	}
	if rv.Type().Comparable() {
		return v
	}
	return fmt.Sprintf("%#v", v)
}

// makeKey builds the identity key of p from primary key values.
func (p *plan) makeKey(vals []any) identityKey {
	k := identityKey{root: p.rootPlan}
	for i, v := range vals {
		switch i {
		case 0:
			k.k0 = normKey(v)
			if n, ok := k.k0.(int64); ok {
				k.n0, k.k0 = n, nil
			}
		case 1:
			k.k1 = normKey(v)
		default:
			k.more += fmt.Sprintf("%#v\x00", normKey(v))
		}
	}
	return k
}

// keyOfStruct reads the primary key of the struct sv; ok is false when a
// key value is NULL (a nil pointer).
func (p *plan) keyOfStruct(sv reflect.Value) (identityKey, bool) {
	if p.pkInt64 != nil {
		// one int64 key field, read at its offset
		return identityKey{root: p.rootPlan, n0: *(*int64)(unsafe.Add(sv.Addr().UnsafePointer(), p.pkInt64.off))}, true
	}
	if len(p.pk) == 1 {
		// the common single integer key, without boxing it
		f := p.pk[0].field(sv)
		switch f.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			return identityKey{root: p.rootPlan, n0: f.Int()}, true
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			return identityKey{root: p.rootPlan, n0: int64(f.Uint())}, true
		}
	}
	var buf [4]any
	vals := buf[:0]
	for _, ap := range p.pk {
		f := ap.field(sv)
		if f.Kind() == reflect.Pointer && f.IsNil() {
			return identityKey{}, false
		}
		vals = append(vals, f.Interface())
	}
	return p.makeKey(vals), true
}

// pkValues returns the object's primary key values.
func (st *instState) pkValues() []any {
	out := make([]any, len(st.p.pk))
	for i, ap := range st.p.pk {
		out[i] = ap.field(st.sv()).Interface()
	}
	return out
}

// convertPK converts the arguments of Get to the key fields' Go types.
func (p *plan) convertPK(args []any) ([]any, error) {
	if len(args) != len(p.pk) {
		names := make([]string, len(p.pk))
		for i, ap := range p.pk {
			names[i] = ap.name
		}
		return nil, &InvalidRequestError{Msg: fmt.Sprintf("%s has a primary key of %d column(s) (%s); got %d value(s)", p.name, len(p.pk), strings.Join(names, ", "), len(args))}
	}
	out := make([]any, len(args))
	for i, a := range args {
		ap := p.pk[i]
		if a == nil {
			return nil, &InvalidRequestError{Msg: fmt.Sprintf("%s: primary key value for %s is nil", p.name, ap.name)}
		}
		v := reflect.ValueOf(a)
		ft := ap.typ
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		for v.Kind() == reflect.Pointer && !v.IsNil() {
			v = v.Elem()
		}
		if v.Type() != ft {
			if !v.Type().ConvertibleTo(ft) || kindClass(v.Kind()) != kindClass(ft.Kind()) {
				return nil, &InvalidRequestError{Msg: fmt.Sprintf("%s: primary key value %v (%T) does not fit field %s of type %s", p.name, a, a, ap.name, ap.typ)}
			}
			v = v.Convert(ft)
		}
		out[i] = v.Interface()
	}
	return out, nil
}

func kindClass(k reflect.Kind) int {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return 1
	case reflect.String:
		return 2
	case reflect.Float32, reflect.Float64:
		return 3
	}
	return 100 + int(k)
}

// compareKeys orders identity key values: numbers and strings naturally,
// anything else by its rendering.
func compareKeys(a, b any) int {
	if a == nil || b == nil {
		switch {
		case a == nil && b == nil:
			return 0
		case a == nil:
			return -1
		}
		return 1
	}
	switch x := a.(type) {
	case int64:
		if y, ok := b.(int64); ok {
			return cmp.Compare(x, y)
		}
	case int:
		if y, ok := b.(int); ok {
			return cmp.Compare(x, y)
		}
	case int32:
		if y, ok := b.(int32); ok {
			return cmp.Compare(x, y)
		}
	case string:
		if y, ok := b.(string); ok {
			return cmp.Compare(x, y)
		}
	}
	return cmp.Compare(fmt.Sprint(a), fmt.Sprint(b))
}

// sortByKey orders states by primary key, as SQLAlchemy orders persistent
// states within a mapper.
func sortByKey(list []*instState) {
	if slices.IsSortedFunc(list, compareStates) {
		return // the usual order of loads and deletes
	}
	slices.SortStableFunc(list, compareStates)
}

func compareStates(a, b *instState) int {
	if c := cmp.Compare(a.key().n0, b.key().n0); c != 0 {
		return c
	}
	if c := compareKeys(a.key().k0, b.key().k0); c != 0 {
		return c
	}
	if c := compareKeys(a.key().k1, b.key().k1); c != 0 {
		return c
	}
	return cmp.Compare(a.key().more, b.key().more)
}

// identityMap is the session's identity map: keys that are one integer
// (the usual case) live in one table per hierarchy root keyed by the
// integer alone (see intMap); others in the general map.
type identityMap struct {
	roots []rootInts
	last  int // the index in roots of the last root used
	gen   map[identityKey]*instState
	// spare are emptied tables of a closed session, for the next roots
	spare []rootInts
}

// rootInts are the integer keys of one hierarchy root.
type rootInts struct {
	root *plan
	m    *intMap
}

func (k identityKey) isInt() bool { return k.k0 == nil && k.k1 == nil && k.more == "" }

// ints is root's table of integer keys; nil when it has none and not
// make.
func (m *identityMap) ints(root *plan, make_ bool) *intMap {
	if m.last < len(m.roots) && m.roots[m.last].root == root {
		return m.roots[m.last].m
	}
	for i := range m.roots {
		if m.roots[i].root == root {
			m.last = i
			return m.roots[i].m
		}
	}
	if !make_ {
		return nil
	}
	r := rootInts{root: root}
	if n := len(m.spare); n > 0 {
		r.m = m.spare[n-1].m
		m.spare[n-1] = rootInts{}
		m.spare = m.spare[:n-1]
	} else {
		r.m = newIntMap(0)
	}
	m.roots = append(m.roots, r)
	m.last = len(m.roots) - 1
	return r.m
}

func (m *identityMap) get(k identityKey) (*instState, bool) {
	if k.isInt() {
		if mm := m.ints(k.root, false); mm != nil {
			st := mm.get(k.n0)
			return st, st != nil
		}
		return nil, false
	}
	st, ok := m.gen[k]
	return st, ok
}

// is reports whether st holds k.
func (m *identityMap) is(k identityKey, st *instState) bool {
	got, ok := m.get(k)
	return ok && got == st
}

func (m *identityMap) put(k identityKey, st *instState) {
	if k.isInt() {
		m.ints(k.root, true).put(k.n0, st)
		return
	}
	if m.gen == nil {
		m.gen = map[identityKey]*instState{}
	}
	m.gen[k] = st
}

func (m *identityMap) del(k identityKey) {
	if k.isInt() {
		if mm := m.ints(k.root, false); mm != nil {
			mm.del(k.n0)
		}
		return
	}
	delete(m.gen, k)
}

func (m *identityMap) len() int {
	n := len(m.gen)
	for _, r := range m.roots {
		n += r.m.len()
	}
	return n
}

// all iterates the states (in no order).
func (m *identityMap) all(yield func(*instState) bool) {
	for _, r := range m.roots {
		for st := range r.m.all {
			if !yield(st) {
				return
			}
		}
	}
	for _, st := range m.gen {
		if !yield(st) {
			return
		}
	}
}

// grow makes room for n more integer keys of root.
func (m *identityMap) grow(root *plan, n int) {
	if n <= 64 {
		return
	}
	m.ints(root, true).grow(n)
}

// room is the most keys any of its integer tables (spares too) holds
// before it grows.
func (m *identityMap) room() int {
	n := 0
	for _, r := range m.roots {
		n = max(n, r.m.room())
	}
	for _, r := range m.spare {
		n = max(n, r.m.room())
	}
	return n
}

// reset empties the map, keeping its integer maps as spares for the
// roots of the session's next work.
func (m *identityMap) reset() {
	for i, r := range m.roots {
		r.m.clear()
		m.spare = append(m.spare, rootInts{m: r.m})
		m.roots[i] = rootInts{}
	}
	m.roots, m.last, m.gen = m.roots[:0], 0, nil
}
