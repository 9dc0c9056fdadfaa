package registry

import (
	"fmt"
	"reflect"
	"slices"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/declarative"
	"github.com/retort-orm/retort/hybrid"
)

// Hybrid attributes (SCOPE row M7). A hybrid is declared as a value of
// [hybrid.Property] or [hybrid.Method] and attached to its model either by
// [Registry.RegisterHybrids] or by a model method
//
//	func (Interval) Hybrids() []hybrid.Attr
//
// Configure checks each one (a name unique among the model's attributes, a
// SQL form whose attribute names all exist) and builds a property's SQL
// form once; [Mapper.Column] then resolves the hybrid's name like a field's,
// and the *Mapper is the [hybrid.Entity] that typed SQL forms are built
// against: Length.SQL(mapper).

// hybridSource is a model that declares its hybrids by a method.
type hybridSource interface{ Hybrids() []hybrid.Attr }

var _ hybrid.Entity = (*Mapper)(nil)

// RegisterHybrids attaches hybrid attributes to their models (each
// hybrid's ModelType). Call it before Configure, which validates them.
func (r *Registry) RegisterHybrids(attrs ...hybrid.Attr) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.state.Load() != nil {
		return ErrConfigured
	}
	for _, a := range attrs {
		if a == nil || reflect.ValueOf(a).IsNil() {
			err := &core.ArgumentError{Msg: "registry.RegisterHybrids: nil hybrid"}
			if r.regErr == nil {
				r.regErr = err
			}
			return err
		}
		r.hybrids = append(r.hybrids, a)
	}
	return nil
}

// Probe implements [hybrid.Entity]: the mapped type's shared zero value
// (a *T), used only to take field addresses.
func (m *Mapper) Probe() any { return reflect.NewAt(m.typ, probeOf(m.typ)).Interface() }

// FieldColumn implements [hybrid.Entity]: ptr is a pointer to a field of
// [Mapper.Probe]; the result is that field's column.
func (m *Mapper) FieldColumn(ptr any) (core.Expr, error) {
	v := reflect.ValueOf(ptr)
	if !v.IsValid() || v.Kind() != reflect.Pointer {
		return nil, &declarative.MappingError{Struct: m.Name(), Msg: fmt.Sprintf("FieldColumn needs a pointer to a field, not %T", ptr), Hint: "pass &probe.Field"}
	}
	t, err := m.columnAt(v.UnsafePointer(), v.Type().Elem())
	if err != nil {
		return nil, err
	}
	return t.expr, nil
}

// Hybrids returns the model's hybrid attributes in declaration order (a copy).
func (m *Mapper) Hybrids() []hybrid.Attr { return slices.Clone(m.hybrids) }

// Hybrid returns the hybrid attribute with the given name.
func (m *Mapper) Hybrid(name string) (hybrid.Attr, bool) {
	h, ok := m.hybridBy[name]
	return h, ok
}

func (m *Mapper) hybridColumn(name string) (core.Expr, bool) {
	x, ok := m.hybridSQL[name]
	return x, ok
}

// HybridSQL returns the SQL form of a hybrid property named by a string.
// A hybrid method needs its argument: use its typed SQL method.
func (m *Mapper) HybridSQL(name string) (core.Expr, error) {
	h, ok := m.hybridBy[name]
	if !ok {
		return nil, &declarative.MappingError{Struct: m.Name(), Field: name, Msg: fmt.Sprintf("%s has no hybrid attribute %q", m.Name(), name), Hint: "register it with RegisterHybrids or return it from Hybrids()"}
	}
	if h.IsMethod() {
		return nil, &declarative.MappingError{Struct: m.Name(), Field: name, Msg: "a hybrid method needs an argument", Hint: "call its SQL(mapper, arg) method"}
	}
	return m.hybridSQL[name], nil
}

func (r *Registry) buildHybrids(m *Mapper) *failure {
	var attrs []hybrid.Attr
	if src, ok := reflect.New(m.typ).Interface().(hybridSource); ok {
		attrs = append(attrs, src.Hybrids()...)
	}
	for _, h := range r.hybrids {
		if h.ModelType() == m.typ {
			attrs = append(attrs, h)
		}
	}
	for _, h := range attrs {
		if h == nil || reflect.ValueOf(h).IsNil() {
			return fail(m.Name(), merr(m.decl, "Hybrids", "", "a nil hybrid attribute", "return only non-nil *hybrid.Property and *hybrid.Method values"))
		}
		name := h.HybridName()
		if h.ModelType() != m.typ {
			return fail(m.Name(), merr(m.decl, name, "", fmt.Sprintf("hybrid %q belongs to %s", name, h.ModelType()), "declare it as hybrid.Property["+m.Name()+", V] / hybrid.Method["+m.Name()+", A, R]"))
		}
		if name == "" {
			return fail(m.Name(), merr(m.decl, "", "", "a hybrid attribute has no Name", "set Name"))
		}
		if _, dup := m.hybridBy[name]; dup {
			return fail(m.Name(), merr(m.decl, name, "", fmt.Sprintf("two hybrid attributes are named %q", name), "rename one"))
		}
		if m.taken(name) {
			return fail(m.Name(), merr(m.decl, name, "", fmt.Sprintf("hybrid %q has the name of a mapped field", name), "give the hybrid another name (a Go struct cannot have a field and a hybrid of one name)"))
		}
		x, err := h.Check(m)
		if err != nil {
			return fail(m.Name(), merr(m.decl, name, "", err.Error(), "the SQL form must use mapped attributes of "+m.Name()))
		}
		if m.hybridBy == nil {
			m.hybridBy, m.hybridSQL = map[string]hybrid.Attr{}, map[string]core.Expr{}
		}
		m.hybrids = append(m.hybrids, h)
		m.hybridBy[name] = h
		if x != nil {
			m.hybridSQL[name] = x
		}
	}
	return nil
}

func (m *Mapper) taken(name string) bool {
	if _, ok := m.Attribute(name); ok {
		return true
	}
	_, c := m.compBy[name]
	_, p := m.propBy[name]
	_, rel := m.relBy[name]
	return c || p || rel
}
