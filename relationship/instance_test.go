package relationship_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/collections"
	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/declarative"
	"github.com/retort-orm/retort/relationship"
)

// TestProxySlice: the instance form on a plain []*R (reference 14a, 14b).
func TestProxySlice(t *testing.T) {
	u := &User{Addresses: []*Address{{Email: "a@x"}, {Email: "b@y"}}}
	assert.Equal(t, []string{"a@x", "b@y"}, emails.Get(u))
	assert.Equal(t, 2, emails.Len(u))
	assert.True(t, emails.Contains(u, "b@y"))
	assert.False(t, emails.Contains(u, "c@z"))

	require.NoError(t, emails.Append(u, "c@z", "d@w"))
	require.Len(t, u.Addresses, 4)
	assert.Equal(t, &Address{Email: "c@z"}, u.Addresses[2], "default creator: new(R) with the attribute set")

	removed := u.Addresses[1]
	ok, err := emails.Remove(u, "b@y")
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, []string{"a@x", "c@z", "d@w"}, emails.Get(u))
	assert.Equal(t, "b@y", removed.Email, "the removed object is left as it was")
	ok, err = emails.Remove(u, "nope")
	require.NoError(t, err)
	assert.False(t, ok)

	first := u.Addresses[0]
	require.NoError(t, emails.Set(u, []string{"a@x", "e@v"}))
	assert.Equal(t, []string{"a@x", "e@v"}, emails.Get(u))
	assert.NotSame(t, first, u.Addresses[0], "a list proxy's Set makes new objects, as SQLAlchemy's")

	// nil and empty
	assert.Nil(t, emails.Get(nil))
	assert.Equal(t, 0, emails.Len(nil))
	assert.False(t, emails.Contains(nil, "a@x"))
	assert.Empty(t, emails.Get(&User{}))
	for _, err := range []error{emails.Append(nil, "x"), emails.Set(nil, nil)} {
		assert.True(t, errors.As(err, new(*core.ArgumentError)), "%v", err)
	}
	_, err = emails.Remove(nil, "x")
	assert.Error(t, err)
}

// TestProxyObjectTarget: Order.products over Order.items → OrderItem.product.
func TestProxyObjectTarget(t *testing.T) {
	p1, p2 := &Product{ID: 1}, &Product{ID: 2}
	o := &Order{Items: []*OrderItem{{Product: p1}, {Product: p2}}}
	assert.Equal(t, []*Product{p1, p2}, products.Get(o))
	assert.True(t, products.Contains(o, p2))
	assert.False(t, products.Contains(o, &Product{ID: 2}), "object targets compare by identity")

	withQty := relationship.MustProxy[Order]("Items", func(i *OrderItem) **Product { return &i.Product },
		relationship.WithCreator(func(p *Product) *OrderItem { return &OrderItem{Product: p, Qty: 1} }))
	p3 := &Product{ID: 3}
	require.NoError(t, withQty.Append(o, p3))
	assert.Equal(t, &OrderItem{Product: p3, Qty: 1}, o.Items[2])

	bad := relationship.MustProxy[Order]("Items", func(i *OrderItem) **Product { return &i.Product },
		relationship.WithCreator(func(*Product) *OrderItem { return nil }))
	err := bad.Append(o, p3)
	var me *declarative.MappingError
	require.True(t, errors.As(err, &me), "%v", err)
	assert.Equal(t, "Order", me.Struct)
	assert.Equal(t, "Items", me.Field)
	assert.ErrorContains(t, err, "creator returned a nil *OrderItem")
}

type setOwner struct {
	Addresses map[*Address]struct{}
}

type listOwner struct {
	Addresses collections.List[Address]
}

// TestProxySetAndList: sets keep members whose value stays; instrumented
// lists go through the collections adapter.
func TestProxySetAndList(t *testing.T) {
	sp := relationship.MustProxy[setOwner]("Addresses", func(a *Address) *string { return &a.Email })
	a := &Address{Email: "a"}
	s := &setOwner{Addresses: map[*Address]struct{}{a: {}}}
	require.NoError(t, sp.Append(s, "b"))
	assert.ElementsMatch(t, []string{"a", "b"}, sp.Get(s))
	require.NoError(t, sp.Set(s, []string{"a", "c"}))
	assert.ElementsMatch(t, []string{"a", "c"}, sp.Get(s))
	assert.Contains(t, s.Addresses, a, "a set proxy's Set keeps the member whose value stays")

	lp := relationship.MustProxy[listOwner]("Addresses", func(a *Address) *string { return &a.Email })
	l := &listOwner{}
	require.NoError(t, lp.Append(l, "x", "y"))
	assert.Equal(t, 2, l.Addresses.Len())
	assert.Equal(t, []string{"x", "y"}, lp.Get(l))
	ok, err := lp.Remove(l, "x")
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, "y", l.Addresses.At(0).Email)
	require.NoError(t, lp.Set(l, []string{"z"}))
	assert.Equal(t, []string{"z"}, lp.Get(l))
}

// TestScalarProxy: Address.user_name over Address.user → User.name.
func TestScalarProxy(t *testing.T) {
	a := &Address{}
	_, ok := userName.Get(a)
	assert.False(t, ok)
	require.NoError(t, userName.Set(a, "u1"))
	require.NotNil(t, a.User, "Set on an empty relationship creates the target")
	assert.Equal(t, "u1", a.User.Name)
	u := a.User
	require.NoError(t, userName.Set(a, "u2"))
	assert.Same(t, u, a.User, "Set on a present target changes it")
	v, ok := userName.Get(a)
	assert.True(t, ok)
	assert.Equal(t, "u2", v)
	_, ok = userName.Get(nil)
	assert.False(t, ok)
	assert.Error(t, userName.Set(nil, "x"))
}

// TestDictProxy: map[K]*R → map[K]V.
func TestDictProxy(t *testing.T) {
	u := &User{}
	assert.Empty(t, noteText.Get(u))
	require.NoError(t, noteText.Put(u, "k1", "one"))
	require.NoError(t, noteText.Put(u, "k2", "two"))
	assert.Equal(t, &Note{Key: "k1", Text: "one"}, u.Notes["k1"], "the key attribute is set on new objects")
	n1 := u.Notes["k1"]
	require.NoError(t, noteText.Put(u, "k1", "uno"))
	assert.Same(t, n1, u.Notes["k1"])
	assert.Equal(t, map[string]string{"k1": "uno", "k2": "two"}, noteText.Get(u))
	v, ok := noteText.Lookup(u, "k2")
	assert.True(t, ok)
	assert.Equal(t, "two", v)
	assert.Equal(t, 2, noteText.Len(u))
	assert.True(t, noteText.Delete(u, "k2"))
	assert.False(t, noteText.Delete(u, "k2"))
	require.NoError(t, noteText.Set(u, map[string]string{"k1": "1", "k3": "3"}))
	assert.Same(t, n1, u.Notes["k1"], "Set keeps the object of a kept key")
	assert.Equal(t, map[string]string{"k1": "1", "k3": "3"}, noteText.Get(u))
}

type event struct {
	At []*Stamp
}

type Stamp struct{ T time.Time }

// TestEqual: Equal methods and WithEqual.
func TestEqual(t *testing.T) {
	now := time.Now()
	p := relationship.MustProxy[event]("At", func(s *Stamp) *time.Time { return &s.T })
	e := &event{At: []*Stamp{{T: now}}}
	assert.True(t, p.Contains(e, now.In(time.FixedZone("x", 3600))), "time.Time compares with its Equal method")

	fold := relationship.MustProxy[User]("Addresses", func(a *Address) *string { return &a.Email },
		relationship.WithEqual[Address](strings.EqualFold))
	assert.True(t, fold.Contains(&User{Addresses: []*Address{{Email: "A@X"}}}, "a@x"))
}

type badOwner struct {
	Scalar *Address
	List   []*Address
	Dict   map[string]*Address
	hidden []*Address
	Other  []*Note
}

// TestConstructorErrors: the Go shape is checked by the constructors.
func TestConstructorErrors(t *testing.T) {
	email := func(a *Address) *string { return &a.Email }
	check := func(t *testing.T, err error, field, msg string) {
		t.Helper()
		var me *declarative.MappingError
		require.True(t, errors.As(err, &me), "%T %v", err, err)
		assert.Equal(t, field, me.Field)
		assert.Contains(t, err.Error(), msg)
	}
	_, err := relationship.NewProxy[badOwner]("Lst", email)
	check(t, err, "Lst", "did you mean List?")
	_, err = relationship.NewProxy[badOwner]("hidden", email)
	check(t, err, "hidden", "not exported")
	_, err = relationship.NewProxy[badOwner]("Scalar", email)
	check(t, err, "Scalar", "NewScalarProxy")
	_, err = relationship.NewProxy[badOwner]("Dict", email)
	check(t, err, "Dict", "NewDictProxy")
	_, err = relationship.NewProxy[badOwner]("Other", email)
	check(t, err, "Other", "not a collection of *Address")
	_, err = relationship.NewScalarProxy[badOwner]("List", email)
	check(t, err, "List", "not a *relationship_test.Address")
	_, err = relationship.NewDictProxy[badOwner]("List", func(a *Address) *int64 { return &a.ID }, email)
	check(t, err, "List", "not a map[int64]*relationship_test.Address")
	_, err = relationship.NewDictProxy[badOwner]("Dict", func(a *Address) *int64 { return &a.ID }, email)
	check(t, err, "Dict", "map[string]*relationship_test.Address")

	var global string
	_, err = relationship.NewProxy[badOwner]("List", func(*Address) *string { return &global })
	assert.ErrorContains(t, err, "does not return the address of a field of the Address")
	_, err = relationship.NewProxy[badOwner]("List", (func(*Address) *string)(nil))
	assert.ErrorContains(t, err, "function is nil")
	_, err = relationship.NewProxy[badOwner]("List", func(a *Address) *string { return &a.User.Name })
	assert.ErrorContains(t, err, "panicked")
	_, err = relationship.NewProxy[int]("List", email)
	assert.ErrorContains(t, err, "not a struct")

	assert.Panics(t, func() { relationship.MustProxy[badOwner]("Nope", email) })
	assert.Panics(t, func() { relationship.MustScalarProxy[badOwner]("Nope", email) })
	assert.Panics(t, func() { relationship.MustDictProxy[badOwner]("Nope", email, email) })
}
