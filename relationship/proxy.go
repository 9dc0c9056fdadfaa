package relationship

import (
	"fmt"
	"reflect"
	"sync/atomic"
	"unsafe"

	"github.com/retort-orm/retort/collections"
	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/declarative"
	"github.com/retort-orm/retort/registry"
)

// Option configures a proxy whose related type is R and whose proxied
// value is V.
type Option[R, V any] func(*options[R, V])

type options[R, V any] struct {
	creator func(V) *R
	equal   func(a, b V) bool
}

// WithCreator sets the function that makes a new related object for a
// value appended or assigned through the proxy (SQLAlchemy's creator).
// Without it, the proxy makes new(R) and stores the value through the
// proxy's attribute function. A creator that returns nil makes the
// operation fail with an error.
func WithCreator[R, V any](fn func(v V) *R) Option[R, V] {
	return func(o *options[R, V]) { o.creator = fn }
}

// WithEqual sets how the instance form compares values (Contains, Remove,
// and which members Set keeps). Without it, a value with a method
// Equal(V) bool (time.Time, decimal.Decimal) is compared with it, a
// comparable type with ==, anything else with reflect.DeepEqual. R is
// usually written and V inferred: WithEqual[Address](strings.EqualFold).
func WithEqual[R, V any](fn func(a, b V) bool) Option[R, V] {
	return func(o *options[R, V]) { o.equal = fn }
}

// base is what every proxy kind shares: the relationship field of T and
// the attribute function on R, their checks, and the SQL form resolved
// once per registry.
type base[T, R, V any] struct {
	rel   string
	field reflect.StructField
	attr  func(*R) *V
	opts  options[R, V]
	// last is the mapping resolved in the registry used last: programs
	// have one registry, and a proxy used with several resolves again on
	// each switch instead of keeping every registry it saw alive.
	last atomic.Pointer[resolved]
}

func (b *base[T, R, V]) init(kind, rel string, attr func(*R) *V, opts []Option[R, V]) error {
	b.rel, b.attr = rel, attr
	for _, o := range opts {
		if o != nil {
			o(&b.opts)
		}
	}
	if b.opts.equal == nil {
		b.opts.equal = defaultEqual[V]()
	}
	tt, rt := reflect.TypeFor[T](), reflect.TypeFor[R]()
	if tt.Kind() != reflect.Struct {
		return &core.ArgumentError{Msg: fmt.Sprintf("relationship.%s: the owner type %s is not a struct", kind, tt)}
	}
	if rt.Kind() != reflect.Struct {
		return &core.ArgumentError{Msg: fmt.Sprintf("relationship.%s: the related type %s is not a struct", kind, rt)}
	}
	sf, err := structField(tt, rel)
	if err != nil {
		return err
	}
	b.field = sf
	return checkFieldFunc(attr, "attribute")
}

// structField finds the exported field name of t, reachable without
// going through an embedded pointer.
func structField(t reflect.Type, name string) (reflect.StructField, error) {
	sf, ok := t.FieldByName(name)
	if !ok {
		var names []string
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() {
				names = append(names, f.Name)
			}
		}
		hint := "name the relationship field of " + t.Name()
		if cl := declarative.Closest(name, names); cl != "" {
			hint = fmt.Sprintf("did you mean %s?", cl)
		}
		return sf, &declarative.MappingError{Struct: t.Name(), Field: name, Msg: fmt.Sprintf("%s has no field %s", t.Name(), name), Hint: hint}
	}
	if !sf.IsExported() {
		return sf, &declarative.MappingError{Struct: t.Name(), Field: name, Msg: "the field is not exported", Hint: "a proxied relationship must be an exported field"}
	}
	cur := t
	for _, i := range sf.Index[:len(sf.Index)-1] {
		f := cur.Field(i)
		if f.Type.Kind() == reflect.Pointer {
			return sf, &declarative.MappingError{Struct: t.Name(), Field: name, Msg: fmt.Sprintf("the field is reached through the embedded pointer %s", f.Name), Hint: "embed the struct by value"}
		}
		cur = f.Type
	}
	return sf, nil
}

// checkFieldFunc checks that fn returns the address of a field of the
// R it is given, by calling it on R's shared zero probe.
func checkFieldFunc[R, V any](fn func(*R) *V, what string) (err error) {
	rt := reflect.TypeFor[R]()
	if fn == nil {
		return &declarative.MappingError{Struct: rt.Name(), Msg: "the " + what + " function is nil", Hint: fmt.Sprintf("pass func(r *%s) *%s { return &r.Field }", rt.Name(), reflect.TypeFor[V]())}
	}
	probe := registry.Probe[R]()
	var ptr *V
	func() {
		defer func() {
			if r := recover(); r != nil {
				err = &declarative.MappingError{Struct: rt.Name(), Msg: fmt.Sprintf("the %s function panicked on a zero %s: %v", what, rt.Name(), r), Hint: "return the address of a field of the value it is given (&r.Field), without following pointers"}
			}
		}()
		ptr = fn(probe)
	}()
	if err != nil {
		return err
	}
	lo := uintptr(unsafe.Pointer(probe))
	p := uintptr(unsafe.Pointer(ptr))
	if ptr == nil || p < lo || p+unsafe.Sizeof(*ptr) > lo+rt.Size() {
		return &declarative.MappingError{Struct: rt.Name(), Msg: fmt.Sprintf("the %s function does not return the address of a field of the %s it is given", what, rt.Name()), Hint: "return &r.Field of the value it is given"}
	}
	return nil
}

// create makes the related object for v.
func (b *base[T, R, V]) create(v V) (*R, error) {
	if b.opts.creator == nil {
		r := new(R)
		*b.attr(r) = v
		return r, nil
	}
	r := b.opts.creator(v)
	if r == nil {
		t := reflect.TypeFor[T]()
		return nil, &declarative.MappingError{Struct: t.Name(), Field: b.rel, Msg: fmt.Sprintf("the proxy's creator returned a nil *%s", reflect.TypeFor[R]().Name()), Hint: "return a new object from the creator"}
	}
	return r, nil
}

// fieldValue is the relationship field of obj (addressable).
func (b *base[T, R, V]) fieldValue(obj *T) reflect.Value {
	return reflect.ValueOf(obj).Elem().FieldByIndex(b.field.Index)
}

func defaultEqual[V any]() func(a, b V) bool {
	t := reflect.TypeFor[V]()
	if t.Implements(reflect.TypeFor[interface{ Equal(V) bool }]()) {
		return func(a, b V) bool {
			if e, ok := any(a).(interface{ Equal(V) bool }); ok {
				return e.Equal(b)
			}
			return reflect.DeepEqual(a, b)
		}
	}
	if t.Comparable() && t.Kind() != reflect.Interface {
		return func(a, b V) bool { return any(a) == any(b) }
	}
	return func(a, b V) bool { return reflect.DeepEqual(a, b) }
}

func nilObj(kind, op string) error {
	return &core.ArgumentError{Msg: fmt.Sprintf("relationship.%s.%s: the object is nil", kind, op)}
}

// Proxy is a view of the attribute V of the objects R held in a
// collection relationship of T: SQLAlchemy's association_proxy over a
// list or set. With
//
//	type User struct {
//		ID        int64      `orm:"pk"`
//		Addresses []*Address `orm:"rel;back_populates:User"`
//	}
//	var Emails = relationship.MustProxy[User](
//		"Addresses", func(a *Address) *string { return &a.Email })
//
// Emails.Get(u) is the e-mail of each address of u, Emails.Append(u, "x@y")
// adds a new Address{Email: "x@y"}, and Emails.SQL(reg).Includes("x@y") is
// the WHERE condition of users having that e-mail.
//
// The value may be a column (a scalar-target proxy, as above) or itself a
// scalar relationship of R (an object-target proxy): Order.Items →
// OrderItem.Product gives the products of an order, and
// Products.SQL(reg).Includes(p) finds the orders of product p.
//
// The collection field may be a []*R, a set map[*R]struct{} or
// map[*R]bool, or an instrumented collections.List[R] or collections.Set[R];
// for a map[K]*R keyed collection use [DictProxy], and for a scalar *R
// relationship [ScalarProxy].
//
// Instance form: the methods taking an obj *T read and change the
// collection in memory, on plain structs; nothing is loaded. Go cannot
// intercept a field read, so, unlike SQLAlchemy, reading the proxy of an
// unloaded relationship does not load it: load it first (a query with a
// loader option, orm.LoadRelated, or an instrumented collection's Load),
// or the proxy sees what the field holds (an empty collection). Changes
// made through the proxy are written by the session's next flush like any
// change to the collection field (instrumented collections fire their
// append and remove events at once).
//
// SQL form: SQL(reg) resolves the proxy against a configured registry
// (once, then kept for as long as the same registry is used) and builds
// correlated EXISTS conditions.
//
// A Proxy is immutable after NewProxy and safe for concurrent use; the
// objects it is given are not (they belong to one goroutine, as their
// session does).
type Proxy[T, R, V any] struct {
	base[T, R, V]
	adapter collections.Adapter
}

// NewProxy returns the proxy of the attribute of R that attr returns the
// address of, across the collection relationship field rel of T. attr
// must return the address of a field of the R it is given (&a.Email, or
// &item.Product for an object target); it is checked on a zero R. The
// shape of rel's Go field is checked here; that rel is a mapped
// relationship and attr a mapped attribute is checked by SQL against a
// registry.
func NewProxy[T, R, V any](rel string, attr func(*R) *V, opts ...Option[R, V]) (*Proxy[T, R, V], error) {
	p := &Proxy[T, R, V]{}
	if err := p.init("NewProxy", rel, attr, opts); err != nil {
		return nil, err
	}
	ft, tn, rt := p.field.Type, reflect.TypeFor[T]().Name(), reflect.TypeFor[R]()
	pr := reflect.PointerTo(rt)
	ok := false
	switch {
	case collections.IsInstrumented(ft):
		if c, is := reflect.New(ft).Interface().(interface{ CollectionOf() reflect.Type }); is {
			ok = c.CollectionOf() == rt
		}
	case ft.Kind() == reflect.Slice:
		ok = ft.Elem() == pr
	case ft.Kind() == reflect.Map && ft.Key() == pr:
		ok = true
	case ft.Kind() == reflect.Map && ft.Elem() == pr:
		return nil, &declarative.MappingError{Struct: tn, Field: rel, Msg: fmt.Sprintf("%s.%s is a keyed map (%s)", tn, rel, ft), Hint: "use relationship.NewDictProxy for a map collection"}
	case ft == pr:
		return nil, &declarative.MappingError{Struct: tn, Field: rel, Msg: fmt.Sprintf("%s.%s is a scalar relationship (%s)", tn, rel, ft), Hint: "use relationship.NewScalarProxy for a scalar relationship"}
	}
	if !ok {
		return nil, &declarative.MappingError{Struct: tn, Field: rel, Msg: fmt.Sprintf("%s.%s is a %s, not a collection of *%s", tn, rel, ft, rt.Name()),
			Hint: fmt.Sprintf("declare it as []*%s, map[*%[1]s]struct{}, collections.List[%[1]s] or collections.Set[%[1]s], or give the proxy the field's member type", rt.Name())}
	}
	a, err := collections.For(ft, nil)
	if err != nil {
		return nil, &declarative.MappingError{Struct: tn, Field: rel, Msg: err.Error()}
	}
	p.adapter = a
	return p, nil
}

// MustProxy is NewProxy for program init (package-level variables): it
// panics on error.
func MustProxy[T, R, V any](rel string, attr func(*R) *V, opts ...Option[R, V]) *Proxy[T, R, V] {
	p, err := NewProxy[T](rel, attr, opts...)
	if err != nil {
		panic(err)
	}
	return p
}

// members returns the related objects of obj in the collection's order
// (slice order; sets by address).
func (p *Proxy[T, R, V]) members(obj *T) []*R {
	ms := p.adapter.Members(p.fieldValue(obj), nil)
	out := make([]*R, len(ms))
	for i, m := range ms {
		out[i] = m.Interface().(*R)
	}
	return out
}

// Get returns the proxied value of each related object of obj, in the
// collection's order (a slice's order; a set's members by address, so a
// stable but arbitrary order). It is a copy: changing it changes nothing.
// A nil obj gives nil.
func (p *Proxy[T, R, V]) Get(obj *T) []V {
	if obj == nil {
		return nil
	}
	ms := p.members(obj)
	out := make([]V, len(ms))
	for i, r := range ms {
		out[i] = *p.attr(r)
	}
	return out
}

// Len is the number of related objects of obj (0 for a nil obj).
func (p *Proxy[T, R, V]) Len(obj *T) int {
	if obj == nil {
		return 0
	}
	return p.adapter.Len(p.fieldValue(obj))
}

// Contains reports whether a related object of obj has the value v (Go's
// form of SQLAlchemy's `v in user.emails`), compared as WithEqual says.
func (p *Proxy[T, R, V]) Contains(obj *T, v V) bool {
	if obj == nil {
		return false
	}
	for _, r := range p.members(obj) {
		if p.opts.equal(*p.attr(r), v) {
			return true
		}
	}
	return false
}

// Append adds one new related object per value to obj's collection,
// each made by the creator (default: new(R) with the attribute set).
// On an instrumented collection each append fires its event, and an
// error from a listener stops there.
func (p *Proxy[T, R, V]) Append(obj *T, vs ...V) error {
	if obj == nil {
		return nilObj("Proxy", "Append")
	}
	f := p.fieldValue(obj)
	for _, v := range vs {
		r, err := p.create(v)
		if err != nil {
			return err
		}
		if err := p.adapter.Append(f, reflect.ValueOf(r)); err != nil {
			return err
		}
	}
	return nil
}

// Remove removes the first related object of obj whose value equals v
// and reports whether there was one. The object itself is not deleted:
// removing it from the collection is what the session sees at flush
// (a delete-orphan cascade deletes it then).
func (p *Proxy[T, R, V]) Remove(obj *T, v V) (bool, error) {
	if obj == nil {
		return false, nilObj("Proxy", "Remove")
	}
	for _, r := range p.members(obj) {
		if p.opts.equal(*p.attr(r), v) {
			return p.adapter.Remove(p.fieldValue(obj), reflect.ValueOf(r)), nil
		}
	}
	return false, nil
}

// Set makes vs the proxied values of obj's collection (SQLAlchemy's
// user.emails = [...]): for a slice or list every value gets a new related
// object, as SQLAlchemy's list proxy does; for a set, a member whose value
// is in vs is kept and only the other values get new objects, as its set
// proxy does. The objects no longer in the collection are removed from
// it, not deleted.
func (p *Proxy[T, R, V]) Set(obj *T, vs []V) error {
	if obj == nil {
		return nilObj("Proxy", "Set")
	}
	var keep []*R
	if p.adapter.Kind() == collections.KindSet {
		keep = p.members(obj)
	}
	out := make([]reflect.Value, 0, len(vs))
	used := make([]bool, len(keep))
next:
	for _, v := range vs {
		for i, r := range keep {
			if !used[i] && p.opts.equal(*p.attr(r), v) {
				used[i] = true
				out = append(out, reflect.ValueOf(r))
				continue next
			}
		}
		r, err := p.create(v)
		if err != nil {
			return err
		}
		out = append(out, reflect.ValueOf(r))
	}
	return p.adapter.Replace(p.fieldValue(obj), out)
}

// SQL returns the SQL form of the proxy against the configured registry
// reg. A proxy that does not fit the mapping (rel is not a collection
// relationship of T's mapper to R, attr is not a mapped attribute of R,
// reg is not configured) gives a Comparator whose Err reports it and whose
// expressions fail to compile with it.
func (p *Proxy[T, R, V]) SQL(reg *registry.Registry) *Comparator[V] {
	return p.comparator(reg, "Proxy", true, nil)
}

// resolved is a proxy's mapping in one registry.
type resolved struct {
	reg  *registry.Registry
	rel  *registry.Relationship // the proxied relationship of T
	col  core.Expr              // a column target: its SQL expression
	vrel *registry.Relationship // an object target: R's relationship
	path string                 // the Go field path of the target on R
}

func (b *base[T, R, V]) comparator(reg *registry.Registry, kind string, many bool, check func(*resolved) error) *Comparator[V] {
	c := &Comparator[V]{many: many}
	if reg == nil {
		c.err = &core.ArgumentError{Msg: "relationship." + kind + ".SQL: the registry is nil"}
		return c
	}
	if r := b.last.Load(); r != nil && r.reg == reg {
		c.r = r
		return c
	}
	r, err := b.resolve(reg, many)
	if err == nil && check != nil {
		err = check(r)
	}
	if err != nil {
		c.err = err
		return c
	}
	b.last.Store(r)
	c.r = r
	return c
}

func (b *base[T, R, V]) resolve(reg *registry.Registry, many bool) (*resolved, error) {
	mt, err := registry.MapperFor[T](reg)
	if err != nil {
		return nil, err
	}
	rel, ok := mt.Relationship(b.rel)
	if !ok {
		return nil, notRelationship(mt, b.rel)
	}
	rt := reflect.TypeFor[R]()
	mr := rel.Target()
	if mr.Type() != rt {
		return nil, &declarative.MappingError{Struct: mt.Name(), Field: b.rel, Msg: fmt.Sprintf("%s relates %s to %s, not to %s", rel, mt.Name(), mr.Name(), rt.Name()), Hint: fmt.Sprintf("give the proxy an attribute function of *%s", mr.Name())}
	}
	if isCollection(rel) != many {
		if many {
			return nil, &declarative.MappingError{Struct: mt.Name(), Field: b.rel, Msg: fmt.Sprintf("%s is a scalar relationship", rel), Hint: "use a ScalarProxy"}
		}
		return nil, &declarative.MappingError{Struct: mt.Name(), Field: b.rel, Msg: fmt.Sprintf("%s is a collection", rel), Hint: "use a Proxy (or a DictProxy for a map)"}
	}
	m, path, err := reg.ProbeField(b.attr(registry.Probe[R]()))
	if err != nil {
		return nil, &declarative.MappingError{Struct: rt.Name(), Msg: "the proxy's attribute is not a mapped attribute of " + rt.Name() + ": " + err.Error(), Hint: "return the address of a column or relationship field of " + rt.Name()}
	}
	if m != mr {
		return nil, &declarative.MappingError{Struct: rt.Name(), Msg: fmt.Sprintf("the proxy's attribute resolves to %s, not to %s", m.Name(), mr.Name())}
	}
	r := &resolved{reg: reg, rel: rel, path: path}
	if vr, ok := mr.Relationship(path); ok {
		r.vrel = vr
		return r, nil
	}
	col, err := mr.Column(path)
	if err != nil {
		return nil, err
	}
	r.col = col
	return r, nil
}
