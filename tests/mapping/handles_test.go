package mapping_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/declarative"
	"github.com/retort-orm/retort/registry"
)

func compileSQLite(t *testing.T, stmt core.Statement) core.Compiled {
	t.Helper()
	d, err := core.LookupDialect("sqlite")
	require.NoError(t, err)
	c, err := core.Compile(d, stmt)
	require.NoError(t, err)
	return c
}

func TestAttrHandleTyped(t *testing.T) {
	reg := configured(t, registry.New(), &User{}, &Address{})
	name, err := registry.Attr(reg, func(u *User) *string { return &u.Name })
	require.NoError(t, err)
	users, _ := registry.MapperFor[User](reg)
	assert.Same(t, users.Table().C("name"), name.Expr)
	full := registry.MustAttr(reg, func(u *User) **string { return &u.Fullname })
	assert.Same(t, users.Table().C("fullname"), full.Expr)
	id := registry.MustAttr(reg, func(u *User) *int { return &u.ID })
	c := compileSQLite(t, core.Select(users.Table()).Where(core.And(name.Eq("spongebob"), id.Gt(3))))
	assert.Contains(t, c.SQL, "WHERE user_account.name = ? AND user_account.id > ?")
	assert.Equal(t, []any{"spongebob", 3}, c.Args)
	// the same handle twice is the same column (the probe is per type)
	again := registry.MustAttr(reg, func(u *User) *string { return &u.Name })
	assert.Same(t, name.Expr, again.Expr)
	p1, p2 := registry.Probe[User](), registry.Probe[User]()
	assert.Same(t, p1, p2)
}

func TestAttrHandleMixinAndComposite(t *testing.T) {
	reg := configured(t, registry.New(), &Product{}, &Order{}, &Invoice{}, &Vertex{})
	products, _ := registry.MapperFor[Product](reg)
	created := registry.MustAttr(reg, func(p *Product) *time.Time { return &p.CreatedAt })
	assert.Same(t, products.Table().C("created_at"), created.Expr)
	updated := registry.MustAttr(reg, func(o *Order) **time.Time { return &o.Timestamps.UpdatedAt })
	orders, _ := registry.MapperFor[Order](reg)
	assert.Same(t, orders.Table().C("updated_at"), updated.Expr)
	// the model's own CreatedAt overrides the mixin's; the mixin's is not mapped
	invoices, _ := registry.MapperFor[Invoice](reg)
	ic := registry.MustAttr(reg, func(i *Invoice) *time.Time { return &i.CreatedAt })
	assert.Same(t, invoices.Table().C("created_at"), ic.Expr)
	_, err := registry.Attr(reg, func(i *Invoice) *time.Time { return &i.Timestamps.CreatedAt })
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Invoice.Timestamps.CreatedAt")

	vertices, _ := registry.MapperFor[Vertex](reg)
	sx := registry.MustAttr(reg, func(v *Vertex) *int { return &v.Start.X })
	assert.Same(t, vertices.Table().C("start_x"), sx.Expr)
	ey := registry.MustAttr(reg, func(v *Vertex) *int { return &v.End.Y })
	assert.Same(t, vertices.Table().C("y2"), ey.Expr)
	// X is at offset 0 of Start: the Go type tells the composite from its first column
	start := registry.MustAttr(reg, func(v *Vertex) *Point { return &v.Start })
	comp, _ := vertices.Composite("Start")
	assert.Equal(t, comp.Expr(), start.Expr)
	name, err := registry.AttrName(vertices, func(v *Vertex) *int { return &v.Start.X })
	require.NoError(t, err)
	assert.Equal(t, "Start.X", name)
}

var outside string

func TestAttrHandleErrors(t *testing.T) {
	reg := configured(t, registry.New(), &User{}, &Address{})
	var me *declarative.MappingError
	var ae *core.ArgumentError
	cases := []struct {
		name string
		get  func() error
		want string
	}{
		{"relationship field", func() error {
			_, err := registry.Attr(reg, func(u *User) *[]*Address { return &u.Addresses })
			return err
		}, "User.Addresses"},
		{"pointer outside the struct", func() error {
			_, err := registry.Attr(reg, func(u *User) *string { return &outside })
			return err
		}, "not to a field of its argument"},
		{"nil pointer", func() error {
			_, err := registry.Attr(reg, func(u *User) *string { return nil })
			return err
		}, "nil pointer"},
		{"follows a nil pointer field", func() error {
			_, err := registry.Attr(reg, func(u *User) *byte { return &[]byte(*u.Fullname)[0] })
			return err
		}, "panicked"},
		{"nil function", func() error {
			_, err := registry.Attr[User, string](reg, nil)
			return err
		}, "nil attribute function"},
		{"mapper of another type", func() error {
			_, err := registry.Attr(reg, func(u *User) *int { return &u.ID })
			if err != nil {
				return err
			}
			_, err = registry.AttrOf(mustMapper[Address](t, reg), func(u *User) *int { return &u.ID })
			return err
		}, "the function takes a *mapping_test.User"},
		{"unmapped type", func() error {
			_, err := registry.Attr(reg, func(p *Point) *int { return &p.X })
			return err
		}, "not mapped"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.get()
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.True(t, errors.As(err, &ae), "matches *core.ArgumentError: %v", err)
		})
	}
	_, err := registry.Attr(reg, func(u *User) *[]*Address { return &u.Addresses })
	require.ErrorAs(t, err, &me)
	assert.Equal(t, "User", me.Struct)
	assert.Equal(t, "Addresses", me.Field)
	assert.Panics(t, func() { registry.MustAttr(reg, func(u *User) *string { return &outside }) })
	_, err = registry.Attr(registry.New(), func(u *User) *string { return &u.Name })
	assert.ErrorIs(t, err, registry.ErrNotConfigured)
}

func mustMapper[T any](t *testing.T, reg *registry.Registry) *registry.Mapper {
	t.Helper()
	m, err := registry.MapperFor[T](reg)
	require.NoError(t, err)
	return m
}

func TestMapperColumnByName(t *testing.T) {
	reg := configured(t, registry.New(), &Product{}, &Vertex{})
	products := mustMapper[Product](t, reg)
	for _, n := range []string{"Name", "CreatedAt", "Timestamps.CreatedAt"} {
		x, err := products.Column(n)
		require.NoError(t, err, n)
		assert.IsType(t, &core.Column{}, x)
	}
	_, err := products.Column("Nmae")
	var me *declarative.MappingError
	require.ErrorAs(t, err, &me)
	assert.Equal(t, "Product", me.Struct)
	assert.Equal(t, "Nmae", me.Field)
	assert.Contains(t, err.Error(), `did you mean "Name"?`)

	vertices := mustMapper[Vertex](t, reg)
	x, err := vertices.Column("Name") // synonym of Label
	require.NoError(t, err)
	assert.Same(t, vertices.Table().C("label"), x)
	_, err = vertices.Column("Start")
	require.NoError(t, err)

	typed, err := registry.TypedColumn[string](products, "Name")
	require.NoError(t, err)
	assert.Same(t, products.Table().C("name"), typed.Expr)
	_, err = registry.TypedColumn[int](products, "Name")
	require.ErrorAs(t, err, &me)
	assert.Contains(t, err.Error(), "holds a string, not a int")
}

func TestAttrHandleConcurrent(t *testing.T) {
	reg := configured(t, registry.New(), &User{}, &Address{})
	done := make(chan core.Typed[string], 8)
	for range 8 {
		go func() { done <- registry.MustAttr(reg, func(u *User) *string { return &u.Name }) }()
	}
	first := <-done
	for range 7 {
		assert.Same(t, first.Expr, (<-done).Expr)
	}
}
