package registry

import (
	"fmt"
	"reflect"
	"sort"
	"sync"
	"unsafe"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/declarative"
)

// Attribute handles (ARCHITECTURE decision 5, SCOPE row B1).
//
// A handle names a mapped attribute with a Go function that takes the
// address of a field, func(u *User) *string { return &u.Name }. The
// function is called once on a per-type "probe" value (one zero value
// allocated per struct type and never written); the returned pointer's
// offset from the probe's address, together with the field's Go type,
// identifies the field, and the mapper's attribute index paths give its
// column. Because the function's result type is *V, the handle is a
// core.Typed[V]: name.Eq("x") compiles and name.Eq(5) does not.

// probes holds one zero value per struct type, allocated once. Handle
// functions only take addresses on it; nothing writes to it.
var probes sync.Map // reflect.Type -> unsafe.Pointer

func probeOf(t reflect.Type) unsafe.Pointer {
	if p, ok := probes.Load(t); ok {
		return p.(unsafe.Pointer)
	}
	p, _ := probes.LoadOrStore(t, reflect.New(t).UnsafePointer())
	return p.(unsafe.Pointer)
}

// Probe returns the per-type probe value of T: a zero *T allocated once and
// shared. Use it only to take field addresses (as handle functions do);
// never write through it.
func Probe[T any]() *T { return (*T)(probeOf(reflect.TypeFor[T]())) }

type handleKey struct {
	off uintptr
	typ reflect.Type
}

type handleTarget struct {
	path string
	expr core.Expr
	attr *Attribute
	comp *Composite
}

// handleIndex maps (offset, Go type) to the attribute at that place.
type handleIndex struct {
	by   map[handleKey]handleTarget
	size uintptr
}

// offsetOf follows a field index path from t and returns the byte offset,
// or false when the path goes through a pointer (not reachable on a probe
// without allocation).
func offsetOf(t reflect.Type, index []int) (uintptr, bool) {
	var off uintptr
	for _, i := range index {
		if t.Kind() != reflect.Struct {
			return 0, false
		}
		f := t.Field(i)
		off += f.Offset
		t = f.Type
	}
	return off, true
}

func (m *Mapper) handles() *handleIndex {
	if h := m.handleIdx.Load(); h != nil {
		return h
	}
	h := &handleIndex{by: map[handleKey]handleTarget{}, size: m.typ.Size()}
	add := func(index []int, typ reflect.Type, t handleTarget) {
		if off, ok := offsetOf(m.typ, index); ok {
			h.by[handleKey{off, typ}] = t
		}
	}
	for _, a := range m.attrs {
		add(a.index, a.goType, handleTarget{path: a.path, expr: a.column, attr: a})
	}
	for _, c := range m.composites {
		add(c.decl.Index, c.decl.GoType, handleTarget{path: c.decl.Path, expr: c.expr, comp: c})
	}
	for _, p := range m.props {
		if p.expr != nil {
			add(p.decl.Index, p.decl.GoType, handleTarget{path: p.decl.Path, expr: p.expr})
		}
	}
	if !m.handleIdx.CompareAndSwap(nil, h) {
		return m.handleIdx.Load()
	}
	return h
}

// columnAt resolves a pointer into the mapper's probe.
func (m *Mapper) columnAt(p unsafe.Pointer, vt reflect.Type) (handleTarget, error) {
	base := probeOf(m.typ)
	h := m.handles()
	if p == nil {
		return handleTarget{}, &declarative.MappingError{Struct: m.Name(), Msg: "the attribute function returned a nil pointer", Hint: "return the address of a mapped field: func(x *" + m.Name() + ") *V { return &x.Field }"}
	}
	off := uintptr(p) - uintptr(base)
	if uintptr(p) < uintptr(base) || off >= h.size {
		return handleTarget{}, &declarative.MappingError{Struct: m.Name(), Msg: "the attribute function returned a pointer that is not to a field of its argument", Hint: "return the address of a mapped field of the argument: &x.Field"}
	}
	if t, ok := h.by[handleKey{off, vt}]; ok {
		return t, nil
	}
	for _, rel := range m.rels {
		if o, ok := offsetOf(m.typ, rel.decl.Index); ok && o == off && rel.decl.GoType == vt {
			return handleTarget{}, &declarative.MappingError{Struct: m.Name(), Field: rel.decl.Path, Msg: "the field is a relationship, not a column attribute", Hint: "name a column of the related model (or the foreign key column) instead"}
		}
	}
	return handleTarget{}, &declarative.MappingError{Struct: m.Name(), Field: fieldNameAt(m.typ, off, vt), Msg: fmt.Sprintf("the field (of Go type %s) is not a mapped column attribute", vt), Hint: "name a mapped column field, composite or column_property (skipped fields and query_expression fields have no single column)"}
}

// fieldNameAt finds the dotted field path at an offset with a type, for
// error messages.
func fieldNameAt(t reflect.Type, off uintptr, vt reflect.Type) string {
	if t == vt && off == 0 {
		return ""
	}
	if t.Kind() != reflect.Struct {
		return ""
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if off < f.Offset || off >= f.Offset+f.Type.Size() {
			continue
		}
		if f.Offset == off && f.Type == vt {
			return f.Name
		}
		if sub := fieldNameAt(f.Type, off-f.Offset, vt); sub != "" {
			return f.Name + "." + sub
		}
	}
	return ""
}

// AttrOf is the handle of the field that field returns the address of,
// resolved on the mapper m of T (see [Attr]).
func AttrOf[T, V any](m *Mapper, field func(*T) *V) (h core.Typed[V], err error) {
	if m == nil {
		return h, &core.ArgumentError{Msg: "registry.AttrOf: nil mapper"}
	}
	if m.typ != reflect.TypeFor[T]() {
		return h, &core.ArgumentError{Msg: fmt.Sprintf("registry.AttrOf: the function takes a *%s but the mapper maps %s", reflect.TypeFor[T](), m.typ)}
	}
	if field == nil {
		return h, &declarative.MappingError{Struct: m.Name(), Msg: "nil attribute function", Hint: "pass func(x *" + m.Name() + ") *V { return &x.Field }"}
	}
	var p *V
	func() {
		defer func() {
			if r := recover(); r != nil {
				err = &declarative.MappingError{Struct: m.Name(), Msg: fmt.Sprintf("the attribute function panicked on the probe value: %v", r), Hint: "only take the address of a field (&x.Field); do not follow pointers or call methods"}
			}
		}()
		p = field(Probe[T]())
	}()
	if err != nil {
		return h, err
	}
	t, err := m.columnAt(unsafe.Pointer(p), reflect.TypeFor[V]())
	if err != nil {
		return h, err
	}
	return core.TypedCol[V](t.expr), nil
}

// Attr returns a typed handle on the mapped attribute whose address field
// returns, for use in core expressions:
//
//	name, err := registry.Attr(reg, func(u *User) *string { return &u.Name })
//	stmt := core.Select(users).Where(name.Eq("spongebob")) // name.Eq(5) does not compile
//
// The function is called once on a shared zero "probe" *T; it must only
// take the address of a field (through embedded mixins and into composite
// value structs too: &v.Start.X). The handle is the field's column; for a
// composite field it is the tuple of its columns, and for a column_property
// its SQL expression. A pointer that is not to a mapped field is an error
// naming the struct and field. The registry must be configured.
func Attr[T, V any](r *Registry, field func(*T) *V) (core.Typed[V], error) {
	m, err := MapperFor[T](r)
	if err != nil {
		return core.Typed[V]{}, err
	}
	return AttrOf(m, field)
}

// MustAttr is Attr for program init: it panics on error.
func MustAttr[T, V any](r *Registry, field func(*T) *V) core.Typed[V] {
	h, err := Attr(r, field)
	if err != nil {
		panic(err)
	}
	return h
}

// AttrName returns the dotted Go field path ("Timestamps.CreatedAt",
// "Start.X") of the field a handle function names.
func AttrName[T, V any](m *Mapper, field func(*T) *V) (string, error) {
	if m.typ != reflect.TypeFor[T]() {
		return "", &core.ArgumentError{Msg: fmt.Sprintf("registry.AttrName: the function takes a *%s but the mapper maps %s", reflect.TypeFor[T](), m.typ)}
	}
	t, err := m.columnAt(unsafe.Pointer(field(Probe[T]())), reflect.TypeFor[V]())
	return t.path, err
}

// Column returns the SQL expression of a mapped attribute named by a
// string: a Go field name or dotted path ("Name", "Timestamps.CreatedAt",
// "Start.X"), a synonym, a composite (the tuple of its columns), a
// column_property, or a hybrid property (its SQL form). An unknown name is
// a *declarative.MappingError naming the struct and the field, with the
// closest mapped name suggested.
func (m *Mapper) Column(name string) (core.Expr, error) {
	if a, ok := m.Attribute(name); ok {
		return a.column, nil
	}
	if c, ok := m.compBy[name]; ok {
		return c.expr, nil
	}
	if p, ok := m.propBy[name]; ok {
		if p.expr == nil {
			return nil, &declarative.MappingError{Struct: m.Name(), Field: name, Msg: "a query_expression has no SQL expression of its own", Hint: "give the expression in the query"}
		}
		return p.expr, nil
	}
	if e, ok := m.hybridColumn(name); ok {
		return e, nil
	}
	hint := "name a mapped Go field"
	if cl := declarative.Closest(name, m.attributeNames()); cl != "" {
		hint = fmt.Sprintf("did you mean %q?", cl)
	}
	return nil, &declarative.MappingError{Struct: m.Name(), Field: name, Msg: fmt.Sprintf("%s has no mapped attribute %q", m.Name(), name), Hint: hint}
}

// TypedColumn is [Mapper.Column] typed with the attribute's Go type V; V
// must be the field's Go type (or, for a hybrid, its value type).
func TypedColumn[V any](m *Mapper, name string) (core.Typed[V], error) {
	e, err := m.Column(name)
	if err != nil {
		return core.Typed[V]{}, err
	}
	want := reflect.TypeFor[V]()
	var got reflect.Type
	if a, ok := m.Attribute(name); ok {
		got = a.goType
	} else if c, ok := m.compBy[name]; ok {
		got = c.decl.GoType
	} else if p, ok := m.propBy[name]; ok {
		got = p.decl.GoType
	} else if h, ok := m.hybridBy[name]; ok {
		got = h.ValueType()
	}
	if got != nil && got != want {
		return core.Typed[V]{}, &declarative.MappingError{Struct: m.Name(), Field: name, Msg: fmt.Sprintf("the attribute holds a %s, not a %s", got, want), Hint: fmt.Sprintf("use registry.TypedColumn[%s]", got)}
	}
	return core.TypedCol[V](e), nil
}

func (m *Mapper) attributeNames() []string {
	var out []string
	for k := range m.byField {
		out = append(out, k)
	}
	for k := range m.synonyms {
		out = append(out, k)
	}
	for k := range m.compBy {
		out = append(out, k)
	}
	for k := range m.propBy {
		out = append(out, k)
	}
	for k := range m.hybridBy {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// MustAttrOf is AttrOf for program init: it panics on error.
func MustAttrOf[T, V any](m *Mapper, field func(*T) *V) core.Typed[V] {
	h, err := AttrOf(m, field)
	if err != nil {
		panic(err)
	}
	return h
}

// ProbeField resolves ptr, the address of a field of a mapped type's
// probe value (&Probe[User]().Addresses), to that type's mapper and the
// dotted Go field path ("Addresses", "Timestamps.CreatedAt"). It is how
// options written with field addresses (loader paths, joins) name
// relationships and columns in a way the compiler checks. A pointer into
// no mapped type's probe is an error saying what to pass instead.
func (r *Registry) ProbeField(ptr any) (*Mapper, string, error) {
	v := reflect.ValueOf(ptr)
	if !v.IsValid() || v.Kind() != reflect.Pointer || v.IsNil() {
		return nil, "", &core.ArgumentError{Msg: fmt.Sprintf("a field is named by a string or by the address of a field of a probe value (&registry.Probe[T]().Field), not by %T", ptr)}
	}
	ms, err := r.Mappers()
	if err != nil {
		return nil, "", err
	}
	p := uintptr(v.UnsafePointer())
	for _, m := range ms {
		base, ok := probes.Load(m.typ)
		if !ok {
			continue
		}
		b := uintptr(base.(unsafe.Pointer))
		if p < b || p >= b+m.typ.Size() {
			continue
		}
		name := fieldNameAt(m.typ, p-b, v.Type().Elem())
		if name == "" {
			return nil, "", &declarative.MappingError{Struct: m.Name(), Msg: fmt.Sprintf("the pointer (to a %s) is not the address of a field of %s's probe", v.Type().Elem(), m.Name()), Hint: "pass &probe.Field with probe := registry.Probe[" + m.Name() + "]()"}
		}
		return m, name, nil
	}
	return nil, "", &core.ArgumentError{Msg: fmt.Sprintf("the pointer (to a %s) is not the address of a field of a mapped type's probe value: take the address on registry.Probe[T](), not on an object of your own", v.Type().Elem())}
}
