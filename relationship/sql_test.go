package relationship_test

import (
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/declarative"
	_ "github.com/retort-orm/retort/dialect/postgresql"
	_ "github.com/retort-orm/retort/dialect/sqlite"
	"github.com/retort-orm/retort/registry"
	"github.com/retort-orm/retort/relationship"
)

// The proxies of the reference scenarios.
var (
	// User.emails = association_proxy("addresses", "email")
	emails = relationship.MustProxy[User]("Addresses", func(a *Address) *string { return &a.Email })
	// Address.user_name = association_proxy("user", "name")
	userName = relationship.MustScalarProxy[Address]("User", func(u *User) *string { return &u.Name })
	// Order.products = association_proxy("items", "product")
	products = relationship.MustProxy[Order]("Items", func(i *OrderItem) **Product { return &i.Product })
	// Post.tag_names = association_proxy("tags", "name")
	tagNames = relationship.MustProxy[Post]("Tags", func(t *Tag) *string { return &t.Name })
	// User.note_text = association_proxy("notes", "text") over a keyed dict
	noteText = relationship.MustDictProxy[User]("Notes", func(n *Note) *string { return &n.Key }, func(n *Note) *string { return &n.Text })
	// Node.child_names = association_proxy("children", "name")
	childNames = relationship.MustProxy[Node]("Children", func(n *Node) *string { return &n.Name })
)

// pg numbers the placeholders of SQLite-style SQL as PostgreSQL's $n.
func pg(sql string) string {
	var b strings.Builder
	n := 0
	for _, r := range sql {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func mapper[T any](t *testing.T, reg *registry.Registry) *registry.Mapper {
	t.Helper()
	m, err := registry.MapperFor[T](reg)
	require.NoError(t, err)
	return m
}

func must(e core.Expr, err error) core.Expr {
	if err != nil {
		return core.Custom(failing{err}, core.Boolean{})
	}
	return e
}

type failing struct{ err error }

func (f failing) CompileSQL(*core.Compiler) error { return f.err }
func (f failing) CacheKey(k *core.KeyWriter)      { k.WriteString(f.err.Error()) }

// TestSQL compiles each proxy and relationship condition for SQLite and
// PostgreSQL. want is the SQLite text, which is SQLAlchemy 2.0.52's
// (reference §14) except where note says; PostgreSQL's differs only by
// its $n placeholders.
func TestSQL(t *testing.T) {
	reg := newRegistry(t)
	users := mapper[User](t, reg).Table()
	addresses := mapper[Address](t, reg).Table()
	orders := mapper[Order](t, reg).Table()
	posts := mapper[Post](t, reg).Table()
	tags := mapper[Tag](t, reg).Table()
	nodes := mapper[Node](t, reg).Table()
	email := addresses.C("email")
	selUsers := func(w core.Expr) core.Statement { return core.Select(users.C("id")).Where(w) }
	p1 := &Product{ID: 1, Name: "p1"}

	cases := []struct {
		name  string
		build func() core.Statement
		want  string
		args  []any
		note  string
	}{
		{
			name:  "collection proxy any without criteria (14e)",
			build: func() core.Statement { return selUsers(emails.SQL(reg).Any()) },
			want:  "SELECT users.id \nFROM users \nWHERE EXISTS (SELECT 1 \nFROM addresses \nWHERE users.id = addresses.user_id)",
		},
		{
			name:  "collection proxy any with criteria (14d)",
			build: func() core.Statement { return selUsers(emails.SQL(reg).Any(email.Like("%other%"))) },
			want:  "SELECT users.id \nFROM users \nWHERE EXISTS (SELECT 1 \nFROM addresses \nWHERE users.id = addresses.user_id AND addresses.email LIKE ?)",
			args:  []any{"%other%"},
		},
		{
			name:  "collection proxy equals (14f)",
			build: func() core.Statement { return selUsers(emails.SQL(reg).Eq("u1a@example.com")) },
			want:  "SELECT users.id \nFROM users \nWHERE EXISTS (SELECT 1 \nFROM addresses \nWHERE users.id = addresses.user_id AND addresses.email = ?)",
			args:  []any{"u1a@example.com"},
		},
		{
			name:  "collection proxy includes is membership",
			build: func() core.Statement { return selUsers(emails.SQL(reg).Includes("u1a@example.com")) },
			want:  "SELECT users.id \nFROM users \nWHERE EXISTS (SELECT 1 \nFROM addresses \nWHERE users.id = addresses.user_id AND addresses.email = ?)",
			args:  []any{"u1a@example.com"},
			note:  "no SQLAlchemy equivalent for a column proxy: its contains() is LIKE",
		},
		{
			name:  "collection proxy contains is the string LIKE operator (14c)",
			build: func() core.Statement { return selUsers(emails.SQL(reg).Contains("u1a@example.com")) },
			want:  "SELECT users.id \nFROM users \nWHERE EXISTS (SELECT 1 \nFROM addresses \nWHERE users.id = addresses.user_id AND (addresses.email LIKE '%' || ? || '%' ESCAPE '/'))",
			args:  []any{"u1a@example.com"},
			note:  "ESCAPE '/': Retort's Contains always escapes % and _ (autoescape)",
		},
		{
			name:  "contains escapes the value's wildcards",
			build: func() core.Statement { return selUsers(emails.SQL(reg).Contains("50%_off")) },
			want:  "SELECT users.id \nFROM users \nWHERE EXISTS (SELECT 1 \nFROM addresses \nWHERE users.id = addresses.user_id AND (addresses.email LIKE '%' || ? || '%' ESCAPE '/'))",
			args:  []any{"50/%/_off"},
		},
		{
			name:  "collection proxy like (14g)",
			build: func() core.Statement { return selUsers(emails.SQL(reg).Like("%u3%")) },
			want:  "SELECT users.id \nFROM users \nWHERE EXISTS (SELECT 1 \nFROM addresses \nWHERE users.id = addresses.user_id AND addresses.email LIKE ?)",
			args:  []any{"%u3%"},
		},
		{
			name: "collection proxy match with another operator",
			build: func() core.Statement {
				return selUsers(emails.SQL(reg).Match(func(e core.Expr) core.Expr { return e.StartsWith("u1") }))
			},
			want: "SELECT users.id \nFROM users \nWHERE EXISTS (SELECT 1 \nFROM addresses \nWHERE users.id = addresses.user_id AND (addresses.email LIKE ? || '%' ESCAPE '/'))",
			args: []any{"u1"},
		},
		{
			name:  "negated any",
			build: func() core.Statement { return selUsers(core.Not(emails.SQL(reg).Any())) },
			want:  "SELECT users.id \nFROM users \nWHERE NOT EXISTS (SELECT 1 \nFROM addresses \nWHERE users.id = addresses.user_id)",
			note:  "SQLAlchemy renders NOT (EXISTS (...)); the compiler's NOT EXISTS is core's",
		},
		{
			name: "scalar proxy equals is has() (14h)",
			build: func() core.Statement {
				return core.Select(addresses.C("id")).Where(userName.SQL(reg).Eq("u2"))
			},
			want: "SELECT addresses.id \nFROM addresses \nWHERE EXISTS (SELECT 1 \nFROM users \nWHERE users.id = addresses.user_id AND users.name = ?)",
			args: []any{"u2"},
		},
		{
			name: "scalar proxy has",
			build: func() core.Statement {
				return core.Select(addresses.C("id")).Where(userName.SQL(reg).Has(users.C("name").Ne("x")))
			},
			want: "SELECT addresses.id \nFROM addresses \nWHERE EXISTS (SELECT 1 \nFROM users \nWHERE users.id = addresses.user_id AND users.name != ?)",
			args: []any{"x"},
		},
		{
			name: "object-target proxy contains is membership by key (14i)",
			build: func() core.Statement {
				return core.Select(orders.C("id")).Where(products.SQL(reg).Contains(p1)).OrderBy(orders.C("id"))
			},
			want: "SELECT orders.id \nFROM orders \nWHERE EXISTS (SELECT 1 \nFROM order_items \nWHERE orders.id = order_items.order_id AND ? = order_items.product_id) ORDER BY orders.id",
			args: []any{int64(1)},
		},
		{
			name:  "object-target proxy includes",
			build: func() core.Statement { return core.Select(orders.C("id")).Where(products.SQL(reg).Includes(p1)) },
			want:  "SELECT orders.id \nFROM orders \nWHERE EXISTS (SELECT 1 \nFROM order_items \nWHERE orders.id = order_items.order_id AND ? = order_items.product_id)",
			args:  []any{int64(1)},
		},
		{
			name:  "many-to-many proxy goes through the secondary table",
			build: func() core.Statement { return core.Select(posts.C("id")).Where(tagNames.SQL(reg).Eq("go")) },
			want:  "SELECT posts.id \nFROM posts \nWHERE EXISTS (SELECT 1 \nFROM post_tags, tags \nWHERE posts.id = post_tags.post_id AND tags.id = post_tags.tag_id AND tags.name = ?)",
			args:  []any{"go"},
		},
		{
			name:  "dict proxy",
			build: func() core.Statement { return selUsers(noteText.SQL(reg).Eq("hello")) },
			want:  "SELECT users.id \nFROM users \nWHERE EXISTS (SELECT 1 \nFROM notes \nWHERE users.id = notes.user_id AND notes.text = ?)",
			args:  []any{"hello"},
		},
		{
			name:  "self-referential proxy aliases the target",
			build: func() core.Statement { return core.Select(nodes.C("id")).Where(childNames.SQL(reg).Eq("leaf")) },
			want:  "SELECT nodes.id \nFROM nodes \nWHERE EXISTS (SELECT 1 \nFROM nodes AS nodes_1 \nWHERE nodes.id = nodes_1.parent_id AND nodes_1.name = ?)",
			args:  []any{"leaf"},
		},
		{
			name: "Any of a one-to-many",
			build: func() core.Statement {
				return selUsers(must(relationship.Any(mapper[User](t, reg), "Addresses", email.Eq("a@x"))))
			},
			want: "SELECT users.id \nFROM users \nWHERE EXISTS (SELECT 1 \nFROM addresses \nWHERE users.id = addresses.user_id AND addresses.email = ?)",
			args: []any{"a@x"},
		},
		{
			name: "Has of a many-to-one",
			build: func() core.Statement {
				return core.Select(addresses.C("id")).Where(must(relationship.Has(mapper[Address](t, reg), "User", users.C("name").Eq("u1"))))
			},
			want: "SELECT addresses.id \nFROM addresses \nWHERE EXISTS (SELECT 1 \nFROM users \nWHERE users.id = addresses.user_id AND users.name = ?)",
			args: []any{"u1"},
		},
		{
			name: "Any of a many-to-many",
			build: func() core.Statement {
				return core.Select(posts.C("id")).Where(must(relationship.Any(mapper[Post](t, reg), "Tags", tags.C("name").Eq("go"))))
			},
			want: "SELECT posts.id \nFROM posts \nWHERE EXISTS (SELECT 1 \nFROM post_tags, tags \nWHERE posts.id = post_tags.post_id AND tags.id = post_tags.tag_id AND tags.name = ?)",
			args: []any{"go"},
		},
		{
			name: "Has of a self-referential many-to-one",
			build: func() core.Statement {
				return core.Select(nodes.C("id")).Where(must(relationship.Has(mapper[Node](t, reg), "Parent", nodes.C("name").Eq("root"))))
			},
			want: "SELECT nodes.id \nFROM nodes \nWHERE EXISTS (SELECT 1 \nFROM nodes AS nodes_1 \nWHERE nodes_1.id = nodes.parent_id AND nodes_1.name = ?)",
			args: []any{"root"},
		},
		{
			name: "Any keeps the target when the enclosing query joins it",
			build: func() core.Statement {
				return core.Select(users.C("id")).Join(addresses, nil).Where(emails.SQL(reg).Eq("a@x"))
			},
			want: "SELECT users.id \nFROM users JOIN addresses ON users.id = addresses.user_id \nWHERE EXISTS (SELECT 1 \nFROM addresses \nWHERE users.id = addresses.user_id AND addresses.email = ?)",
			args: []any{"a@x"},
			note: "correlates only to the parent, as SQLAlchemy's correlate_except(target)",
		},
		{
			name:  "Exists outside a query of the parent keeps the parent in FROM",
			build: func() core.Statement { return core.Select(addresses.C("id")).Where(emails.SQL(reg).Any()) },
			want:  "SELECT addresses.id \nFROM addresses \nWHERE EXISTS (SELECT 1 \nFROM addresses, users \nWHERE users.id = addresses.user_id)",
		},
	}
	for _, dn := range []string{"sqlite", "postgresql"} {
		d, err := core.LookupDialect(dn)
		require.NoError(t, err)
		for _, tc := range cases {
			t.Run(dn+"/"+tc.name, func(t *testing.T) {
				c, err := core.Compile(d, tc.build())
				require.NoError(t, err)
				want := tc.want
				if dn == "postgresql" {
					want = pg(want)
				}
				assert.Equal(t, want, c.SQL)
				assert.Equal(t, tc.args, nilIfEmpty(c.Args))
			})
		}
	}
}

func nilIfEmpty(a []any) []any {
	if len(a) == 0 {
		return nil
	}
	return a
}

// TestSQLErrors: every mistake is an error naming the struct and field,
// returned by Err and by compilation; nothing panics.
func TestSQLErrors(t *testing.T) {
	reg := newRegistry(t)
	d, err := core.LookupDialect("sqlite")
	require.NoError(t, err)
	users := mapper[User](t, reg).Table()
	compileErr := func(e core.Expr) error {
		_, err := core.Compile(d, core.Select(users.C("id")).Where(e))
		return err
	}
	mappingErr := func(t *testing.T, err error, structName, field, msg string) {
		t.Helper()
		require.Error(t, err)
		var me *declarative.MappingError
		require.True(t, errors.As(err, &me), "%T %v", err, err)
		assert.Equal(t, structName, me.Struct)
		assert.Equal(t, field, me.Field)
		assert.Contains(t, err.Error(), msg)
		assert.True(t, errors.As(err, new(*core.ArgumentError)))
	}

	t.Run("relationship field is a column", func(t *testing.T) {
		_, err := relationship.Any(mapper[User](t, reg), "Name")
		mappingErr(t, err, "User", "Name", "User.Name is a column attribute (name), not a relationship")
	})
	t.Run("unknown relationship suggests the closest", func(t *testing.T) {
		_, err := relationship.Any(mapper[User](t, reg), "Adresses")
		mappingErr(t, err, "User", "Adresses", "did you mean Addresses?")
	})
	t.Run("Any on a scalar relationship", func(t *testing.T) {
		_, err := relationship.Any(mapper[Address](t, reg), "User")
		mappingErr(t, err, "Address", "User", "Use has()")
	})
	t.Run("Has on a collection", func(t *testing.T) {
		_, err := relationship.Has(mapper[User](t, reg), "Addresses")
		mappingErr(t, err, "User", "Addresses", "Use any()")
	})
	t.Run("nil mapper and nil relationship", func(t *testing.T) {
		_, err := relationship.Any(nil, "Addresses")
		assert.True(t, errors.As(err, new(*core.ArgumentError)))
		err = compileErr(relationship.Exists(nil))
		assert.ErrorContains(t, err, "relationship.Exists: the relationship is nil")
	})
	t.Run("proxy attribute not mapped", func(t *testing.T) {
		// Nick is tagged orm:"-"
		p := relationship.MustScalarProxy[Address]("User", func(u *User) *string { return &u.Nick })
		c := p.SQL(reg)
		require.Error(t, c.Err())
		assert.ErrorContains(t, c.Err(), "Nick")
		assert.Equal(t, c.Err(), compileErr(c.Eq("x")))
	})
	t.Run("proxy over a relationship of another type", func(t *testing.T) {
		p, err := relationship.NewProxy[User]("Addresses", func(n *Note) *string { return &n.Text })
		// the Go field is []*Address: caught at construction
		assert.Nil(t, p)
		mappingErr(t, err, "User", "Addresses", "not a collection of *Note")
	})
	t.Run("field that is not a mapped relationship", func(t *testing.T) {
		type Loose struct {
			ID    int64      `orm:"pk"`
			Addrs []*Address `orm:"-"`
		}
		p := relationship.MustProxy[Loose]("Addrs", func(a *Address) *string { return &a.Email })
		assert.Equal(t, []string{"x"}, p.Get(&Loose{Addrs: []*Address{{Email: "x"}}}), "the instance form needs no mapping")
		c := p.SQL(reg)
		require.Error(t, c.Err())
		assert.ErrorContains(t, c.Err(), "Loose")
	})
	t.Run("column operators on an object-target proxy", func(t *testing.T) {
		c := products.SQL(reg)
		require.NoError(t, c.Err())
		_, err := c.Column()
		mappingErr(t, err, "OrderItem", "Product", "Column needs a column target")
		assert.ErrorContains(t, compileErr(c.Like("x")), "Like")
	})
	t.Run("Contains on a non-string column", func(t *testing.T) {
		ids := relationship.MustProxy[User]("Addresses", func(a *Address) *int64 { return &a.ID })
		err := compileErr(ids.SQL(reg).Contains(3))
		mappingErr(t, err, "Address", "ID", "use Includes")
		_, err = core.Compile(d, core.Select(users.C("id")).Where(ids.SQL(reg).Includes(3)))
		assert.NoError(t, err)
	})
	t.Run("Any on a scalar proxy, Has on a collection proxy", func(t *testing.T) {
		assert.ErrorContains(t, compileErr(userName.SQL(reg).Any()), "use Has")
		assert.ErrorContains(t, compileErr(emails.SQL(reg).Has()), "use Any")
	})
	t.Run("membership of nil or keyless objects", func(t *testing.T) {
		assert.ErrorContains(t, compileErr(products.SQL(reg).Includes(nil)), "nil *Product")
	})
	t.Run("nil and unconfigured registries", func(t *testing.T) {
		assert.ErrorContains(t, emails.SQL(nil).Err(), "registry is nil")
		fresh := registry.New()
		fresh.MustRegister(&User{}, &Address{}, &Note{})
		assert.ErrorIs(t, emails.SQL(fresh).Err(), registry.ErrNotConfigured)
		require.NoError(t, fresh.Configure())
		assert.NoError(t, emails.SQL(fresh).Err(), "an error before Configure is not kept")
		assert.NoError(t, emails.SQL(reg).Err(), "switching back to the first registry")
	})
	t.Run("dict proxy keyed by another attribute", func(t *testing.T) {
		p := relationship.MustDictProxy[User]("Notes", func(n *Note) *string { return &n.Text }, func(n *Note) *string { return &n.Text })
		mappingErr(t, p.SQL(reg).Err(), "User", "Notes", "is keyed by Key")
	})
}

// TestConcurrentSQL: a proxy declared once is used from many goroutines,
// with two registries in turn (run with -race).
func TestConcurrentSQL(t *testing.T) {
	regs := []*registry.Registry{newRegistry(t), newRegistry(t)}
	d, err := core.LookupDialect("sqlite")
	require.NoError(t, err)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 50 {
				reg := regs[(i+j)%2]
				users := mapper[User](t, reg).Table()
				_, err := core.Compile(d, core.Select(users.C("id")).Where(emails.SQL(reg).Includes("x")))
				assert.NoError(t, err)
			}
		})
	}
	wg.Wait()
}
