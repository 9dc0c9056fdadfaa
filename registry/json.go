package registry

import (
	"reflect"
)

// JSON mutation tracking (SCOPE row M8, SQLAlchemy's MutableDict and
// MutableList).
//
// Difference from SQLAlchemy: Go cannot intercept m["k"] = v or
// append(s, x), so there is no Mutable wrapper type that flags its parent
// on change. A JSON column tagged `orm:"mutable"` is tracked by value
// instead: the session keeps a deep copy of the value when the row is
// loaded or flushed ([JSONSnapshot]) and at flush compares it with the
// field's current value ([JSONChanged]); in-place changes at any depth of
// nested maps and slices are found. Without mutable, a JSON attribute
// counts as changed only when the field is assigned a different map or
// slice (compared by identity), as in SQLAlchemy without Mutable.

// Mutable reports a JSON attribute tracked for in-place changes (tag
// option mutable).
func (a *Attribute) Mutable() bool { return a.decl.Mutable }

// MutableAttributes returns the attributes tagged mutable, in column order.
func (m *Mapper) MutableAttributes() []*Attribute {
	var out []*Attribute
	for _, a := range m.attrs {
		if a.decl.Mutable {
			out = append(out, a)
		}
	}
	return out
}

// JSONSnapshot returns a deep copy of a JSON value: maps, slices, arrays,
// pointers, interfaces and structs are copied at every depth, so that later
// in-place changes to v do not reach the copy. Other values (numbers,
// strings, bools, json.Number, time.Time and the like) are copied as
// values. Unexported struct fields are copied shallowly. Cycles are
// preserved.
func JSONSnapshot(v any) any {
	if v == nil {
		return nil
	}
	rv := reflect.ValueOf(v)
	return deepCopy(rv, map[uintptr]reflect.Value{}).Interface()
}

// JSONSnapshotOf is JSONSnapshot for a typed value.
func JSONSnapshotOf[V any](v V) V {
	c, _ := JSONSnapshot(v).(V)
	return c
}

func deepCopy(v reflect.Value, seen map[uintptr]reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Map:
		if v.IsNil() {
			return reflect.Zero(v.Type())
		}
		if c, ok := seen[v.Pointer()]; ok {
			return c
		}
		c := reflect.MakeMapWithSize(v.Type(), v.Len())
		seen[v.Pointer()] = c
		it := v.MapRange()
		for it.Next() {
			c.SetMapIndex(deepCopy(it.Key(), seen), deepCopy(it.Value(), seen))
		}
		return c
	case reflect.Slice:
		if v.IsNil() {
			return reflect.Zero(v.Type())
		}
		c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := 0; i < v.Len(); i++ {
			c.Index(i).Set(deepCopy(v.Index(i), seen))
		}
		return c
	case reflect.Array:
		c := reflect.New(v.Type()).Elem()
		for i := 0; i < v.Len(); i++ {
			c.Index(i).Set(deepCopy(v.Index(i), seen))
		}
		return c
	case reflect.Pointer:
		if v.IsNil() {
			return reflect.Zero(v.Type())
		}
		if c, ok := seen[v.Pointer()]; ok {
			return c
		}
		c := reflect.New(v.Type().Elem())
		seen[v.Pointer()] = c
		c.Elem().Set(deepCopy(v.Elem(), seen))
		return c
	case reflect.Interface:
		if v.IsNil() {
			return reflect.Zero(v.Type())
		}
		c := reflect.New(v.Type()).Elem()
		c.Set(deepCopy(v.Elem(), seen))
		return c
	case reflect.Struct:
		c := reflect.New(v.Type()).Elem()
		c.Set(v) // unexported fields shallowly
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				c.Field(i).Set(deepCopy(v.Field(i), seen))
			}
		}
		return c
	default:
		return v
	}
}

// JSONChanged reports whether a JSON value differs from its snapshot:
// a deep comparison of maps, slices and structs at every depth. A nil map
// or slice (JSON null) differs from an empty one ({} or []), as their JSON
// does.
func JSONChanged(old, new any) bool { return !reflect.DeepEqual(old, new) }
