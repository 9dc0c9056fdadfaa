package hybrid

import (
	"errors"
	"fmt"
	"reflect"

	"github.com/retort-orm/retort/core"
)

// Entity is a mapped entity the SQL form of a hybrid is built against. A
// *registry.Mapper implements it: Column resolves a Go field name (or
// dotted path, synonym, composite, column_property or an earlier hybrid)
// to its SQL expression; Probe and FieldColumn resolve the typed field
// handles of [Field].
type Entity interface {
	// Type is the mapped struct type.
	Type() reflect.Type
	// Column is the SQL expression of a mapped attribute named by its Go field.
	Column(field string) (core.Expr, error)
	// Probe is the entity's shared zero *T, used only to take field addresses.
	Probe() any
	// FieldColumn resolves a pointer to a field of Probe() to its column.
	FieldColumn(ptr any) (core.Expr, error)
}

// Cols gives an SQL form the columns of the entity it is built against.
// Like every Retort builder it stores its first error instead of
// panicking: an unknown name yields core.Null() and the hybrid's SQL form
// then fails with the stored error.
type Cols struct {
	e   Entity
	err error
}

// NewCols returns the column accessor of an entity (for callers that build
// SQL forms themselves).
func NewCols(e Entity) *Cols { return &Cols{e: e} }

// Entity is the entity the columns belong to.
func (c *Cols) Entity() Entity { return c.e }

// C is the SQL expression of the attribute with the Go field name field.
func (c *Cols) C(field string) core.Expr {
	x, err := c.e.Column(field)
	if err != nil {
		c.fail(err)
		return core.Null()
	}
	return x
}

// Column is the *core.Column of a plain column attribute (for the SET
// pairs of an update expression).
func (c *Cols) Column(field string) *core.Column {
	x, err := c.e.Column(field)
	if err != nil {
		c.fail(err)
		return nil
	}
	col, ok := x.(*core.Column)
	if !ok {
		c.fail(&core.ArgumentError{Msg: fmt.Sprintf("hybrid: %s.%s is not a plain column", c.e.Type().Name(), field)})
	}
	return col
}

// Err is the first error met while building.
func (c *Cols) Err() error { return c.err }

func (c *Cols) fail(err error) {
	if c.err == nil {
		c.err = err
	}
}

// Field is the typed column of the field f returns the address of: the
// compiler-checked form of c.C("Name").
//
//	hybrid.Field(c, func(i *Interval) *int { return &i.End })
func Field[T, V any](c *Cols, f func(*T) *V) core.Typed[V] {
	p, ok := c.e.Probe().(*T)
	if !ok {
		c.fail(&core.ArgumentError{Msg: fmt.Sprintf("hybrid.Field: the function takes a *%s but the entity maps %s", reflect.TypeFor[T](), c.e.Type())})
		return core.TypedCol[V](core.Null())
	}
	x, err := c.e.FieldColumn(f(p))
	if err != nil {
		c.fail(err)
		return core.TypedCol[V](core.Null())
	}
	return core.TypedCol[V](x)
}

// ErrReadOnly is returned when setting a hybrid property without a setter,
// or asking for the update expression of one without Update.
var ErrReadOnly = errors.New("retort: hybrid: attribute has no setter")

// Attr is a hybrid property or method, as registered on a registry
// (registry.Registry.RegisterHybrids, or a model's Hybrids() method). Only
// [*Property] and [*Method] implement it.
type Attr interface {
	// HybridName is the attribute's name, unique among the model's
	// attributes.
	HybridName() string
	// ModelType is the struct type T the hybrid belongs to.
	ModelType() reflect.Type
	// ValueType is the Go type of the value (a method's result).
	ValueType() reflect.Type
	// IsMethod reports a hybrid method (with an argument).
	IsMethod() bool
	// Check builds the SQL form once against e, reporting unknown
	// attribute names and missing functions; for a property it returns
	// the expression, for a method nil.
	Check(e Entity) (core.Expr, error)
	sealed()
}

func build(name string, t reflect.Type, fn func(*Cols) core.Expr, e Entity) (x core.Expr, err error) {
	if e == nil {
		return nil, &core.ArgumentError{Msg: fmt.Sprintf("hybrid %s.%s: nil entity", t.Name(), name)}
	}
	if e.Type() != t {
		return nil, &core.ArgumentError{Msg: fmt.Sprintf("hybrid %s.%s: built against %s", t.Name(), name, e.Type())}
	}
	c := &Cols{e: e}
	defer func() {
		if r := recover(); r != nil {
			x, err = nil, &core.ArgumentError{Msg: fmt.Sprintf("hybrid %s.%s: the SQL form panicked: %v", t.Name(), name, r)}
		}
	}()
	x = fn(c)
	if c.err != nil {
		return nil, fmt.Errorf("hybrid %s.%s: %w", t.Name(), name, c.err)
	}
	if x == nil {
		return nil, &core.ArgumentError{Msg: fmt.Sprintf("hybrid %s.%s: the SQL form returned nil", t.Name(), name)}
	}
	return x, nil
}

// Property is a hybrid property of T with value type V (SQLAlchemy's
// @hybrid_property): Get computes the value on an instance in Go, Expr
// builds the same value as SQL from the entity's columns.
//
//	var Length = &hybrid.Property[Interval, int]{
//		Name: "Length",
//		Get:  func(i *Interval) int { return i.End - i.Start },
//		Expr: func(c *hybrid.Cols) core.Expr { return c.C("End").Sub(c.C("Start")) },
//	}
type Property[T, V any] struct {
	Name string
	// Get is the instance form (required).
	Get func(obj *T) V
	// Expr is the SQL form (required).
	Expr func(c *Cols) core.Expr
	// Set is the optional setter (@x.setter): it writes the mapped fields.
	Set func(obj *T, v V)
	// Update is the optional update expression (@x.update_expression):
	// the SET pairs that assigning v in an UPDATE expands to.
	Update func(c *Cols, v V) []core.Assign
	// Comparator optionally replaces the comparison the property's Eq and
	// Ne build (SQLAlchemy's custom Comparator): given the SQL form and a
	// value, it returns the condition for "equal".
	Comparator func(x core.Expr, v V) core.Expr
}

func (*Property[T, V]) sealed() {}

// HybridName implements Attr.
func (p *Property[T, V]) HybridName() string { return p.Name }

// ModelType implements Attr.
func (p *Property[T, V]) ModelType() reflect.Type { return reflect.TypeFor[T]() }

// ValueType implements Attr.
func (p *Property[T, V]) ValueType() reflect.Type { return reflect.TypeFor[V]() }

// IsMethod implements Attr: false.
func (p *Property[T, V]) IsMethod() bool { return false }

// Check implements Attr.
func (p *Property[T, V]) Check(e Entity) (core.Expr, error) {
	t := reflect.TypeFor[T]()
	if p.Name == "" {
		return nil, &core.ArgumentError{Msg: fmt.Sprintf("hybrid property on %s has no Name", t.Name())}
	}
	if p.Get == nil || p.Expr == nil {
		return nil, &core.ArgumentError{Msg: fmt.Sprintf("hybrid %s.%s: Get and Expr are both required", t.Name(), p.Name)}
	}
	return build(p.Name, t, p.Expr, e)
}

// Value is the instance form: Get(obj).
func (p *Property[T, V]) Value(obj *T) V { return p.Get(obj) }

// SetValue calls the setter; ErrReadOnly without one.
func (p *Property[T, V]) SetValue(obj *T, v V) error {
	if p.Set == nil {
		return fmt.Errorf("%w: %s.%s", ErrReadOnly, reflect.TypeFor[T]().Name(), p.Name)
	}
	p.Set(obj, v)
	return nil
}

// SQL is the SQL form built against e (usually the *registry.Mapper of T),
// typed with V so that comparisons are checked by the compiler.
func (p *Property[T, V]) SQL(e Entity) (core.Typed[V], error) {
	x, err := p.Check(e)
	if err != nil {
		return core.Typed[V]{}, err
	}
	return core.TypedCol[V](x), nil
}

// Eq is the condition "property = v", through the Comparator when there is one.
func (p *Property[T, V]) Eq(e Entity, v V) (core.Expr, error) {
	x, err := p.Check(e)
	if err != nil {
		return nil, err
	}
	if p.Comparator != nil {
		return p.Comparator(x, v), nil
	}
	return x.Eq(v), nil
}

// Ne is NOT (property = v) with a Comparator, property != v otherwise.
func (p *Property[T, V]) Ne(e Entity, v V) (core.Expr, error) {
	x, err := p.Check(e)
	if err != nil {
		return nil, err
	}
	if p.Comparator != nil {
		return core.Not(p.Comparator(x, v)), nil
	}
	return x.Ne(v), nil
}

// UpdateValues is the SET pairs assigning v expands to; ErrReadOnly
// without an Update function.
func (p *Property[T, V]) UpdateValues(e Entity, v V) ([]core.Assign, error) {
	if p.Update == nil {
		return nil, fmt.Errorf("%w: %s.%s has no update expression", ErrReadOnly, reflect.TypeFor[T]().Name(), p.Name)
	}
	var out []core.Assign
	_, err := build(p.Name, reflect.TypeFor[T](), func(c *Cols) core.Expr {
		out = p.Update(c, v)
		return core.Null()
	}, e)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Method is a hybrid method of T taking an argument of type A and
// returning R (SQLAlchemy's @hybrid_method). Several arguments go in a
// struct or array type A.
//
//	var Contains = &hybrid.Method[Interval, int, bool]{
//		Name: "Contains",
//		Call: func(i *Interval, p int) bool { return i.Start <= p && p < i.End },
//		Expr: func(c *hybrid.Cols, p int) core.Expr {
//			return core.And(c.C("Start").Le(p), c.C("End").Gt(p))
//		},
//	}
type Method[T, A, R any] struct {
	Name string
	// Call is the instance form (required).
	Call func(obj *T, arg A) R
	// Expr is the SQL form (required); arg is a Go value (bound) and may
	// also be passed to core operators as a core.Expr through A = core.Expr.
	Expr func(c *Cols, arg A) core.Expr
}

func (*Method[T, A, R]) sealed() {}

// HybridName implements Attr.
func (m *Method[T, A, R]) HybridName() string { return m.Name }

// ModelType implements Attr.
func (m *Method[T, A, R]) ModelType() reflect.Type { return reflect.TypeFor[T]() }

// ValueType implements Attr: the result type R.
func (m *Method[T, A, R]) ValueType() reflect.Type { return reflect.TypeFor[R]() }

// ArgType is the argument type A.
func (m *Method[T, A, R]) ArgType() reflect.Type { return reflect.TypeFor[A]() }

// IsMethod implements Attr: true.
func (m *Method[T, A, R]) IsMethod() bool { return true }

// Check implements Attr: it builds the SQL form once with the zero A to
// validate the attribute names it uses, and returns nil.
func (m *Method[T, A, R]) Check(e Entity) (core.Expr, error) {
	t := reflect.TypeFor[T]()
	if m.Name == "" {
		return nil, &core.ArgumentError{Msg: fmt.Sprintf("hybrid method on %s has no Name", t.Name())}
	}
	if m.Call == nil || m.Expr == nil {
		return nil, &core.ArgumentError{Msg: fmt.Sprintf("hybrid %s.%s: Call and Expr are both required", t.Name(), m.Name)}
	}
	var zero A
	_, err := build(m.Name, t, func(c *Cols) core.Expr { return m.Expr(c, zero) }, e)
	return nil, err
}

// Invoke is the instance form: Call(obj, arg).
func (m *Method[T, A, R]) Invoke(obj *T, arg A) R { return m.Call(obj, arg) }

// SQL is the SQL form for arg built against e, typed with R.
func (m *Method[T, A, R]) SQL(e Entity, arg A) (core.Typed[R], error) {
	if m.Call == nil || m.Expr == nil {
		_, err := m.Check(e)
		return core.Typed[R]{}, err
	}
	x, err := build(m.Name, reflect.TypeFor[T](), func(c *Cols) core.Expr { return m.Expr(c, arg) }, e)
	if err != nil {
		return core.Typed[R]{}, err
	}
	return core.TypedCol[R](x), nil
}

var (
	_ Attr = (*Property[struct{}, int])(nil)
	_ Attr = (*Method[struct{}, int, bool])(nil)
)
