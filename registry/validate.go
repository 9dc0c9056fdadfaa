package registry

import (
	"fmt"
	"reflect"
	"slices"
	"sort"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/declarative"
)

// Validators (SCOPE row M8, SQLAlchemy's @validates). A validator is a
// function called with the object and the value about to be assigned to
// one attribute; it returns the value to store (possibly normalised) or an
// error that rejects the assignment.
//
// Difference from SQLAlchemy: Go cannot intercept a field assignment, so a
// validator does not run when a program writes a field. The unit of work
// calls the validators of each changed attribute before it flushes (and
// Session setters call them at once); [Mapper.Validate] is the helper both
// use, exported so that a program can validate a value itself.

// Validator validates the value for one attribute of obj (a pointer to
// the mapped struct) and returns the value to store.
type Validator func(obj any, value any) (any, error)

type validatorDecl struct {
	typ     reflect.Type
	field   string
	resolve func(m *Mapper) (string, error) // typed form: resolved at Configure
	fn      Validator
}

// ValidationError is a value rejected by a validator.
type ValidationError struct {
	Struct string
	Field  string
	Value  any
	Err    error
}

func (e *ValidationError) Error() string {
	return fmt.Sprintf("retort: validating %s.%s: %v", e.Struct, e.Field, e.Err)
}

// Unwrap returns the validator's error.
func (e *ValidationError) Unwrap() error { return e.Err }

func (r *Registry) addValidator(d validatorDecl) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.state.Load() != nil {
		return ErrConfigured
	}
	if d.fn == nil {
		err := &declarative.MappingError{Struct: d.typ.Name(), Field: d.field, Msg: "nil validator", Hint: "pass a func(obj *T, value any) (any, error)"}
		if r.regErr == nil {
			r.regErr = err
		}
		return err
	}
	r.validators = append(r.validators, d)
	return nil
}

// Validate declares a validator for the attribute field of T (a Go field
// name or dotted path, a composite, a relationship or a synonym). Call it
// before Configure, which checks that the attribute exists. Several
// validators of one attribute run in declaration order, each receiving the
// previous one's result.
func Validate[T any](r *Registry, field string, fn func(obj *T, value any) (any, error)) error {
	d := validatorDecl{typ: reflect.TypeFor[T](), field: field}
	if fn != nil {
		d.fn = func(obj any, v any) (any, error) { return fn(obj.(*T), v) }
	}
	return r.addValidator(d)
}

// ValidateField is the typed form of [Validate]: the attribute is named by
// a field-address function (see [Attr]) and the validator receives and
// returns the field's Go type.
func ValidateField[T, V any](r *Registry, field func(*T) *V, fn func(obj *T, value V) (V, error)) error {
	d := validatorDecl{typ: reflect.TypeFor[T](), resolve: func(m *Mapper) (string, error) { return AttrName(m, field) }}
	if fn != nil {
		d.fn = func(obj any, v any) (any, error) {
			tv, ok := v.(V)
			if !ok && v != nil {
				return nil, &core.ArgumentError{Msg: fmt.Sprintf("validator wants a %s, got %T", reflect.TypeFor[V](), v)}
			}
			return fn(obj.(*T), tv)
		}
	}
	if field == nil {
		d.fn = nil
	}
	return r.addValidator(d)
}

// canonical resolves an attribute name to the key validators are stored
// under: the attribute's dotted path.
func (m *Mapper) canonical(name string) (string, bool) {
	if a, ok := m.Attribute(name); ok {
		return a.path, true
	}
	if c, ok := m.compBy[name]; ok {
		return c.decl.Path, true
	}
	if rel, ok := m.relBy[name]; ok {
		return rel.decl.Path, true
	}
	return "", false
}

func (r *Registry) buildValidators(m *Mapper) *failure {
	for _, d := range r.validators {
		if d.typ != m.typ {
			continue
		}
		name := d.field
		if d.resolve != nil {
			n, err := d.resolve(m)
			if err != nil {
				return fail(m.Name(), err)
			}
			name = n
		}
		key, ok := m.canonical(name)
		if !ok {
			hint := "name a mapped column, composite or relationship field"
			if cl := declarative.Closest(name, m.attributeNames()); cl != "" {
				hint = fmt.Sprintf("did you mean %q?", cl)
			}
			return fail(m.Name(), merr(m.decl, name, "", "a validator names an attribute that is not mapped", hint))
		}
		if m.validators == nil {
			m.validators = map[string][]Validator{}
		}
		m.validators[key] = append(m.validators[key], d.fn)
	}
	return nil
}

// HasValidator reports whether an attribute has validators.
func (m *Mapper) HasValidator(field string) bool {
	key, ok := m.canonical(field)
	return ok && len(m.validators[key]) > 0
}

// ValidatedAttributes lists the attribute paths that have validators, sorted.
func (m *Mapper) ValidatedAttributes() []string {
	out := make([]string, 0, len(m.validators))
	for k := range m.validators {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Validators returns the validators of an attribute in call order (a copy).
func (m *Mapper) Validators(field string) []Validator {
	key, _ := m.canonical(field)
	return slices.Clone(m.validators[key])
}

// Validate runs the validators of field for obj (a pointer to the mapped
// struct) and value, and returns the value to store: value itself when the
// attribute has no validator. A validator's error is returned as a
// *ValidationError naming the struct and the field; an unknown field or an
// obj of the wrong type is a *core.ArgumentError.
func (m *Mapper) Validate(obj any, field string, value any) (any, error) {
	key, ok := m.canonical(field)
	if !ok {
		return nil, &declarative.MappingError{Struct: m.Name(), Field: field, Msg: fmt.Sprintf("%s has no mapped attribute %q", m.Name(), field), Hint: "name a mapped field"}
	}
	if reflect.TypeOf(obj) != reflect.PointerTo(m.typ) || reflect.ValueOf(obj).IsNil() {
		return nil, &core.ArgumentError{Msg: fmt.Sprintf("Mapper[%s].Validate: obj must be a non-nil *%s, not %T", m.Name(), m.Name(), obj)}
	}
	v := value
	for _, fn := range m.validators[key] {
		nv, err := fn(obj, v)
		if err != nil {
			return nil, &ValidationError{Struct: m.Name(), Field: key, Value: v, Err: err}
		}
		v = nv
	}
	return v, nil
}
