package relationship

import (
	"fmt"
	"reflect"

	"github.com/retort-orm/retort/declarative"
	"github.com/retort-orm/retort/registry"
)

// ScalarProxy is a view of the attribute V of the one object R that a
// scalar (many-to-one, or one-to-one) relationship of T points to:
// SQLAlchemy's association_proxy over a scalar relationship, such as
// Address.user_name over Address.user → User.name:
//
//	var UserName = relationship.MustScalarProxy[Address](
//		"User", func(u *User) *string { return &u.Name })
//
// UserName.Get(a) is a.User.Name (and false when a.User is nil),
// UserName.Set(a, "x") sets a.User.Name, or gives a a new User{Name: "x"}
// when it has none, and UserName.SQL(reg).Eq("x") is the condition
// EXISTS (SELECT 1 FROM users WHERE users.id = addresses.user_id AND
// users.name = ?). The relationship must be loaded by the program, as for
// [Proxy]; nothing is loaded on access.
type ScalarProxy[T, R, V any] struct {
	base[T, R, V]
}

// NewScalarProxy returns the proxy of the attribute of R that attr
// returns the address of, across the scalar relationship field rel of T
// (a *R field). See [NewProxy] for what is checked when.
func NewScalarProxy[T, R, V any](rel string, attr func(*R) *V, opts ...Option[R, V]) (*ScalarProxy[T, R, V], error) {
	p := &ScalarProxy[T, R, V]{}
	if err := p.init("NewScalarProxy", rel, attr, opts); err != nil {
		return nil, err
	}
	if ft, pr := p.field.Type, reflect.PointerTo(reflect.TypeFor[R]()); ft != pr {
		tn := reflect.TypeFor[T]().Name()
		return nil, &declarative.MappingError{Struct: tn, Field: rel, Msg: fmt.Sprintf("%s.%s is a %s, not a %s", tn, rel, ft, pr), Hint: "a scalar proxy needs a *" + pr.Elem().Name() + " relationship field; use NewProxy for a collection"}
	}
	return p, nil
}

// MustScalarProxy is NewScalarProxy for program init: it panics on error.
func MustScalarProxy[T, R, V any](rel string, attr func(*R) *V, opts ...Option[R, V]) *ScalarProxy[T, R, V] {
	p, err := NewScalarProxy[T](rel, attr, opts...)
	if err != nil {
		panic(err)
	}
	return p
}

func (p *ScalarProxy[T, R, V]) target(obj *T) **R {
	return p.fieldValue(obj).Addr().Interface().(**R)
}

// Get returns the proxied value of obj's related object, and false when
// obj or its related object is nil (SQLAlchemy returns None).
func (p *ScalarProxy[T, R, V]) Get(obj *T) (V, bool) {
	var zero V
	if obj == nil {
		return zero, false
	}
	r := *p.target(obj)
	if r == nil {
		return zero, false
	}
	return *p.attr(r), true
}

// Set stores v in obj's related object, or, when obj has none, gives obj
// a new related object made by the creator (default: new(R) with the
// attribute set), as SQLAlchemy's scalar proxy does.
func (p *ScalarProxy[T, R, V]) Set(obj *T, v V) error {
	if obj == nil {
		return nilObj("ScalarProxy", "Set")
	}
	t := p.target(obj)
	if *t != nil {
		*p.attr(*t) = v
		return nil
	}
	r, err := p.create(v)
	if err != nil {
		return err
	}
	*t = r
	return nil
}

// SQL returns the SQL form of the proxy against the configured registry
// reg (Has, Eq, Includes, Contains, Like, Match). See [Proxy.SQL].
func (p *ScalarProxy[T, R, V]) SQL(reg *registry.Registry) *Comparator[V] {
	return p.comparator(reg, "ScalarProxy", false, nil)
}
