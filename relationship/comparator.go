package relationship

import (
	"fmt"
	"reflect"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/declarative"
	"github.com/retort-orm/retort/registry"
)

// Comparator is the SQL form of a proxy in one registry (what
// SQLAlchemy's User.emails is in a query): each method returns a WHERE
// condition on the proxy's owner type, a correlated EXISTS through the
// proxied relationship (see [Exists] for its SQL).
//
// Like every Retort builder it does not panic: a mistake (the proxy does
// not fit the mapping, an operation the target does not support) is kept,
// reported by Err, and returned when a statement holding one of its
// expressions is compiled.
//
// The operators, with SQLAlchemy's for a proxy User.emails over
// User.addresses → Address.email, and Order.products over Order.items →
// OrderItem.product:
//
//	Any(conds...)     emails.any(crit)            EXISTS (… WHERE users.id = addresses.user_id AND crit)
//	Has(conds...)     user_name.has(crit)         the same for a ScalarProxy
//	Eq(v)             emails == v                 EXISTS (… AND addresses.email = ?)
//	Includes(v)       (none for columns)          EXISTS (… AND addresses.email = ?): membership
//	Contains(v)       emails.contains(v)          EXISTS (… AND (addresses.email LIKE '%' || ? || '%' ESCAPE '/'))
//	Like(p)           emails.like(p)              EXISTS (… AND addresses.email LIKE ?)
//	Match(op)         any other column operator   EXISTS (… AND op(addresses.email))
//	Includes(p)       products.contains(p)        EXISTS (SELECT 1 FROM order_items WHERE orders.id = order_items.order_id AND ? = order_items.product_id)
//
// A known trap, kept for SQLAlchemy compatibility: on a proxy whose value
// is a column, SQLAlchemy's contains() is the string operator LIKE
// '%v%' applied to each related value, not a membership test, so
// User.emails.contains("@other") matches "a@other.org" and
// contains("a@x.org") also matches "ba@x.org". Retort's Contains does the
// same (and, as every Retort Contains, escapes % and _ in v), and only
// on string values; the membership test is Includes (or Eq). On an
// object-target proxy, Contains, Eq and Includes are all membership by
// the target's key, as SQLAlchemy's contains() is there.
type Comparator[V any] struct {
	r    *resolved
	many bool
	err  error
}

// Err returns the error that keeps the proxy from being used in SQL with
// this registry, or nil.
func (c *Comparator[V]) Err() error { return c.err }

// Column returns the SQL expression of the proxied column (addresses.email)
// for conditions passed to Any or Has. An object-target proxy has none.
func (c *Comparator[V]) Column() (core.Expr, error) { return c.column("Column") }

func (c *Comparator[V]) column(op string) (core.Expr, error) {
	if c.err != nil {
		return nil, c.err
	}
	if c.r.col == nil {
		return nil, c.objectTarget(op)
	}
	return c.r.col, nil
}

func (c *Comparator[V]) objectTarget(op string) error {
	rt := c.r.rel.Target()
	return &declarative.MappingError{Struct: rt.Name(), Field: c.r.path,
		Msg:  fmt.Sprintf("%s needs a column target, and %s.%s is a relationship (%s)", op, rt.Name(), c.r.path, c.r.vrel),
		Hint: "use Includes(obj) for membership, or Any/Has with conditions on the target's columns"}
}

func (c *Comparator[V]) fail(err error) core.Expr { return errExpr(err) }

// exists is the EXISTS through the proxied relationship with conds.
func (c *Comparator[V]) exists(conds ...core.Expr) core.Expr {
	return Exists(c.r.rel, conds...)
}

// Any is true for an owner row with a related row matching every
// condition (any related row when there are none): SQLAlchemy's
// proxy.any(). Conditions are written against R's columns. A ScalarProxy
// uses Has.
func (c *Comparator[V]) Any(conds ...core.Expr) core.Expr {
	if c.err != nil {
		return c.fail(c.err)
	}
	if !c.many {
		return c.fail(&declarative.MappingError{Struct: c.r.rel.Parent().Name(), Field: c.r.rel.Name(), Msg: "Any is not implemented for a scalar proxy", Hint: "use Has"})
	}
	return c.exists(conds...)
}

// Has is true for an owner row whose related object exists and matches
// every condition: SQLAlchemy's proxy.has(), for a ScalarProxy. A
// collection proxy uses Any.
func (c *Comparator[V]) Has(conds ...core.Expr) core.Expr {
	if c.err != nil {
		return c.fail(c.err)
	}
	if c.many {
		return c.fail(&declarative.MappingError{Struct: c.r.rel.Parent().Name(), Field: c.r.rel.Name(), Msg: "Has is not implemented for a collection proxy", Hint: "use Any"})
	}
	return c.exists(conds...)
}

// Match applies op to the proxied column inside the EXISTS: the general
// form of SQLAlchemy's comparator operators on a proxy (emails.like(p),
// emails > v, …): c.Match(func(e core.Expr) core.Expr { return e.ILike("%x%") }).
func (c *Comparator[V]) Match(op func(col core.Expr) core.Expr) core.Expr {
	return c.match("Match", op)
}

func (c *Comparator[V]) match(name string, op func(col core.Expr) core.Expr) core.Expr {
	col, err := c.column(name)
	if err != nil {
		return c.fail(err)
	}
	if op == nil {
		return c.fail(&core.ArgumentError{Msg: "relationship.Comparator.Match: op is nil"})
	}
	return c.exists(op(col))
}

// Eq is true for an owner row with a related value equal to v
// (SQLAlchemy's proxy == v). For an object target it is Includes.
func (c *Comparator[V]) Eq(v V) core.Expr {
	if c.err != nil {
		return c.fail(c.err)
	}
	if c.r.vrel != nil {
		return c.Includes(v)
	}
	return c.exists(c.r.col.Eq(v))
}

// Includes is the membership test: true for an owner row with a related
// value equal to v. For a column target it is Eq; for an object target v
// is the related object, matched by its key: the foreign key on R's
// table for a many-to-one (? = order_items.product_id, as SQLAlchemy's
// contains(obj)), else an EXISTS of the target with that primary key.
// The key is read from v when the expression is built; a nil v or a key
// that is a nil pointer is an error (a zero key is bound as it is, and
// matches nothing for a pending object).
func (c *Comparator[V]) Includes(v V) core.Expr {
	if c.err != nil {
		return c.fail(c.err)
	}
	if c.r.vrel == nil {
		return c.exists(c.r.col.Eq(v))
	}
	cond, err := c.member(v)
	if err != nil {
		return c.fail(err)
	}
	return c.exists(cond)
}

// Contains is SQLAlchemy's proxy.contains(v): for a string column target
// the LIKE '%v%' string operator on each related value (see the trap in
// the type's doc); for an object target, membership (Includes). A column
// target that is not a string is an error pointing at Includes.
func (c *Comparator[V]) Contains(v V) core.Expr {
	if c.err != nil {
		return c.fail(c.err)
	}
	if c.r.vrel != nil {
		return c.Includes(v)
	}
	s, ok := any(v).(string)
	if !ok {
		return c.fail(&declarative.MappingError{Struct: c.r.rel.Target().Name(), Field: c.r.path,
			Msg:  fmt.Sprintf("Contains is the string LIKE operator (as SQLAlchemy's contains() on a column proxy), and %s.%s is a %s", c.r.rel.Target().Name(), c.r.path, reflect.TypeFor[V]()),
			Hint: "use Includes (or Eq) for membership"})
	}
	return c.exists(c.r.col.Contains(s))
}

// Like is true for an owner row with a related value matching the LIKE
// pattern (SQLAlchemy's proxy.like(p)).
func (c *Comparator[V]) Like(pattern string) core.Expr {
	return c.match("Like", func(e core.Expr) core.Expr { return e.Like(pattern) })
}

// member is the condition, on R's row, that its target relationship
// holds obj.
func (c *Comparator[V]) member(obj V) (core.Expr, error) {
	vrel := c.r.vrel
	rt, xt := c.r.rel.Target(), vrel.Target()
	if isCollection(vrel) {
		return nil, &declarative.MappingError{Struct: rt.Name(), Field: c.r.path, Msg: fmt.Sprintf("membership through %s, a collection, is not supported", vrel), Hint: "proxy a scalar relationship of " + rt.Name() + ", or use Any with Exists"}
	}
	ov := reflect.ValueOf(any(obj))
	if !ov.IsValid() || ov.Kind() != reflect.Pointer || ov.IsNil() {
		return nil, &core.ArgumentError{Msg: fmt.Sprintf("relationship: membership of a nil *%s through %s.%s", xt.Name(), rt.Name(), c.r.path)}
	}
	if vrel.Direction() == registry.ManyToOne {
		var conds []core.Expr
		for _, p := range vrel.Pairs() {
			val, err := keyValue(xt, ov, p.Remote)
			if err != nil {
				return nil, err
			}
			conds = append(conds, core.Bind(val, p.Remote.Type()).Eq(p.Local))
		}
		return core.And(conds...), nil
	}
	var conds []core.Expr
	for _, a := range xt.PrimaryKey() {
		val, err := keyValue(xt, ov, a.Column())
		if err != nil {
			return nil, err
		}
		conds = append(conds, a.Column().Eq(val))
	}
	return Exists(vrel, conds...), nil
}

// keyValue reads the value of col's attribute from obj (a *X of m).
func keyValue(m *registry.Mapper, obj reflect.Value, col *core.Column) (any, error) {
	a, ok := m.AttributeByColumn(col.Name())
	if !ok {
		return nil, &declarative.MappingError{Struct: m.Name(), Msg: fmt.Sprintf("column %s is not mapped by %s", col.Name(), m.Name())}
	}
	f, err := obj.Elem().FieldByIndexErr(a.Index())
	if err != nil {
		return nil, &declarative.MappingError{Struct: m.Name(), Field: a.Path(), Msg: "cannot read the key: " + err.Error()}
	}
	if f.Kind() == reflect.Pointer {
		if f.IsNil() {
			return nil, &declarative.MappingError{Struct: m.Name(), Field: a.Path(), Msg: fmt.Sprintf("%s.%s is nil: the object has no key to compare", m.Name(), a.Path()), Hint: "flush the object first, or compare with Any and your own condition"}
		}
		f = f.Elem()
	}
	return f.Interface(), nil
}
