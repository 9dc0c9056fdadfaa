package mapping_test

import (
	"database/sql"
	"reflect"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/declarative"
	"github.com/retort-orm/retort/registry"
)

func colNames(cs []*core.Column) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Table().Name()+"."+c.Name())
	}
	return out
}

func pairNames(ps []registry.ColumnPair) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Local.Table().Name()+"."+p.Local.Name()+"="+p.Remote.Table().Name()+"."+p.Remote.Name())
	}
	return out
}

func TestTutorialMappers(t *testing.T) {
	r := configured(t, registry.New(), &User{}, &Address{})
	um, err := registry.MapperFor[User](r)
	require.NoError(t, err)
	am, err := r.MapperByName("Address")
	require.NoError(t, err)
	assert.Equal(t, reflect.TypeFor[User](), um.Type())
	assert.Equal(t, "user_account", um.Table().Name())
	assert.Equal(t, "Mapper[User(user_account)]", um.String())

	var fields, cols []string
	for _, a := range um.Attributes() {
		fields = append(fields, a.Name())
		cols = append(cols, a.Column().Name())
	}
	assert.Equal(t, []string{"ID", "Name", "Fullname"}, fields)
	assert.Equal(t, []string{"id", "name", "fullname"}, cols)
	require.Len(t, um.PrimaryKey(), 1)
	assert.Equal(t, "ID", um.PrimaryKey()[0].Name())
	a, ok := um.Attribute("Fullname")
	require.True(t, ok)
	assert.True(t, a.Column().Nullable())
	assert.Equal(t, []int{2}, a.Index())
	b, ok := am.AttributeByColumn("user_id")
	require.True(t, ok)
	assert.Equal(t, "UserID", b.Name())
	assert.False(t, b.Column().Nullable())

	ua, ok := um.Relationship("Addresses")
	require.True(t, ok)
	assert.Equal(t, registry.OneToMany, ua.Direction())
	assert.Same(t, am, ua.Target())
	assert.Equal(t, []string{"user_account.id=address.user_id"}, pairNames(ua.Pairs()))
	assert.Equal(t, []string{"address.user_id"}, colNames(ua.ForeignKeys()))
	assert.True(t, ua.UseList())
	assert.True(t, ua.Cascade().Has(declarative.CascadeAll|declarative.CascadeDeleteOrphan))

	au, ok := am.Relationship("User")
	require.True(t, ok)
	assert.Equal(t, registry.ManyToOne, au.Direction())
	assert.Equal(t, []string{"address.user_id=user_account.id"}, pairNames(au.Pairs()))
	assert.Same(t, au, ua.BackPopulates())
	assert.Same(t, ua, au.BackPopulates())
	assert.False(t, au.UseList())
	assert.Equal(t, "save-update, merge", au.Cascade().String())

	// the registry's MetaData holds both tables
	assert.Len(t, r.MetaData().Tables(), 2)
}

func TestBlogMappers(t *testing.T) {
	md := newBlogMetaData()
	r := configured(t, registry.New(registry.WithMetaData(md)), &Author{}, &Post{}, &Tag{}, &Comment{})
	pm, _ := registry.MapperFor[Post](r)
	am, _ := registry.MapperFor[Author](r)
	tm, _ := registry.MapperFor[Tag](r)

	assert.Len(t, am.PrimaryKey(), 2, "composite primary key")
	pa, _ := pm.Relationship("Author")
	assert.Equal(t, registry.ManyToOne, pa.Direction())
	assert.Equal(t, []string{"posts.author_first=authors.first_name", "posts.author_last=authors.last_name"}, pairNames(pa.Pairs()))
	ap, _ := am.Relationship("Posts")
	assert.Equal(t, registry.OneToMany, ap.Direction())
	require.Len(t, ap.OrderBy(), 2)
	assert.Equal(t, "Published", ap.OrderBy()[0].Attr.Name())
	assert.True(t, ap.OrderBy()[0].Desc)
	assert.Same(t, pa, ap.BackPopulates())

	pt, _ := pm.Relationship("Tags")
	assert.Equal(t, registry.ManyToMany, pt.Direction())
	assert.Equal(t, "post_tags", pt.Secondary().Name())
	assert.Equal(t, []string{"posts.id=post_tags.post_id"}, pairNames(pt.Pairs()))
	assert.Equal(t, []string{"tags.id=post_tags.tag_id"}, pairNames(pt.SecondaryPairs()))
	tp, _ := tm.Relationship("Posts")
	assert.Same(t, pt, tp.BackPopulates())
	assert.Equal(t, "selectin", tp.Lazy())

	pc, _ := pm.Relationship("Comments")
	assert.True(t, pc.Declaration().PassiveDeletes)
	assert.Equal(t, registry.OneToMany, pc.Direction())
}

func TestSelfReferentialNode(t *testing.T) {
	r := configured(t, registry.New(), &Node{})
	nm, _ := registry.MapperFor[Node](r)
	ch, _ := nm.Relationship("Children")
	pa, _ := nm.Relationship("Parent")
	assert.Equal(t, registry.OneToMany, ch.Direction())
	assert.Equal(t, registry.ManyToOne, pa.Direction())
	assert.Equal(t, []string{"nodes.id=nodes.parent_id"}, pairNames(ch.Pairs()))
	assert.Equal(t, []string{"nodes.parent_id=nodes.id"}, pairNames(pa.Pairs()))
	assert.Same(t, ch, pa.BackPopulates())
}

func TestEveryColumnOption(t *testing.T) {
	r := configured(t, registry.New(registry.WithFunc("token", tokenFunc)), &User{}, &Address{}, &Everything{})
	m, _ := registry.MapperFor[Everything](r)
	tb := m.Table()
	assert.Equal(t, "code_name", tb.Columns()[0].Name(), "sort:-1 puts the column first")
	id := tb.C("id")
	assert.True(t, id.IsPrimaryKey())
	assert.True(t, id.IsAutoincrement())
	assert.Equal(t, "surrogate key", id.Comment())
	assert.Equal(t, 1.5, tb.C("score").Default().Value)
	assert.Equal(t, "draft", tb.C("status").Default().Value)
	assert.Equal(t, "tok", tb.C("token").Default().Func())
	assert.NotNil(t, tb.C("updated_at").OnUpdateDefault().Func)
	assert.NotNil(t, tb.C("updated_at").ServerOnUpdate())
	assert.Equal(t, 0, tb.C("counter").OnUpdateDefault().Value)
	assert.Equal(t, true, tb.C("flag").Default().Value)
	assert.True(t, tb.C("note").Nullable())
	assert.Equal(t, "semi;colon: fine", tb.C("note").Comment())
	assert.True(t, tb.C("owner_id").Nullable())
	assert.False(t, tb.C("code_name").Nullable())
	assert.Equal(t, core.Enum{Values: []string{"draft", "published"}, CreateConstraint: true}, tb.C("status").Type())
	assert.Equal(t, core.Numeric{Precision: 10, Scale: 2}, tb.C("amount").Type())
	assert.Nil(t, tb.C("ignored"))
	assert.Nil(t, tb.C("secret"))
	assert.Equal(t, "every column option", tb.Comment())
	note, _ := m.Attribute("Note")
	assert.Equal(t, reflect.TypeFor[sql.NullString](), note.GoType())
}

func TestMixinUsedByThreeModels(t *testing.T) {
	r := configured(t, registry.New(), &Product{}, &Order{}, &Invoice{})
	for _, model := range []any{Product{}, Order{}, Invoice{}} {
		m, err := r.Mapper(model)
		require.NoError(t, err)
		a, ok := m.Attribute("CreatedAt")
		require.True(t, ok, m.Name())
		assert.Equal(t, "created_at", a.Column().Name())
		u, ok := m.Attribute("Timestamps.UpdatedAt")
		require.True(t, ok, m.Name())
		f := reflect.TypeOf(model).FieldByIndex(u.Index())
		assert.Equal(t, "UpdatedAt", f.Name, m.Name())
		assert.Len(t, m.Table().Indexes(), 1, m.Name())
	}
	inv, _ := registry.MapperFor[Invoice](r)
	ca, _ := inv.Attribute("CreatedAt")
	assert.Equal(t, "CreatedAt", ca.Path(), "the model's own field overrides the mixin's")
	assert.Equal(t, core.DateTime{Timezone: true}, ca.Column().Type())
	om, _ := registry.MapperFor[Order](r)
	op, _ := om.Relationship("Product")
	assert.Equal(t, registry.ManyToOne, op.Direction())
}

func TestImperativeMapTable(t *testing.T) {
	md := core.NewMetaData()
	users := md.MustTable("legacy_users",
		core.Col("uid", core.Integer{}, core.PrimaryKey()),
		core.Col("login", core.String{Length: 40}, core.NotNull()),
		core.Col("extra", core.Text{}),
	)
	type LegacyUser struct {
		ID    int `orm:"column:uid"`
		Login string
	}
	r := registry.New(registry.WithMetaData(md))
	require.NoError(t, r.MapTable(&LegacyUser{}, users))
	require.NoError(t, r.Configure())
	m, err := registry.MapperFor[LegacyUser](r)
	require.NoError(t, err)
	assert.Same(t, users, m.Table())
	assert.True(t, m.Imperative())
	require.Len(t, m.PrimaryKey(), 1)
	assert.Equal(t, "ID", m.PrimaryKey()[0].Name())
	a, _ := m.AttributeByColumn("login")
	assert.Equal(t, "Login", a.Name())
}

func TestMapperEvents(t *testing.T) {
	r := registry.New()
	var seen []string
	require.NoError(t, r.OnBeforeConfigured(func(*registry.Registry) error { seen = append(seen, "before"); return nil }))
	require.NoError(t, r.OnMapperConfigured(func(m *registry.Mapper) error { seen = append(seen, "mapper:"+m.Name()); return nil }))
	require.NoError(t, r.OnAfterConfigured(func(r *registry.Registry) error {
		ms, err := r.Mappers()
		seen = append(seen, "after")
		require.NoError(t, err)
		assert.Len(t, ms, 2)
		return nil
	}))
	configured(t, r, &User{}, &Address{})
	assert.Equal(t, []string{"before", "mapper:User", "mapper:Address", "after"}, seen)
	assert.ErrorIs(t, r.OnMapperConfigured(func(*registry.Mapper) error { return nil }), registry.ErrConfigured)
	assert.ErrorIs(t, r.Register(&Node{}), registry.ErrConfigured)
}

func TestListenerErrorIsSticky(t *testing.T) {
	r := registry.New()
	require.NoError(t, r.OnMapperConfigured(func(m *registry.Mapper) error {
		if m.Name() == "Address" {
			return &core.ArgumentError{Msg: "no addresses today"}
		}
		return nil
	}))
	require.NoError(t, r.Register(&User{}, &Address{}))
	err := r.Configure()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "configuring mapper Address")
	assert.Same(t, err, r.Configure(), "the failure is sticky")
	_, err2 := r.Mapper(&User{})
	assert.Same(t, err, err2)
}

func TestNotConfigured(t *testing.T) {
	r := registry.New()
	_, err := r.Mapper(&User{})
	assert.ErrorIs(t, err, registry.ErrNotConfigured)
}

func TestConcurrentRegisterConfigureAndRead(t *testing.T) {
	for range 5 {
		md := newBlogMetaData()
		r := registry.New(registry.WithMetaData(md))
		models := []any{&User{}, &Address{}, &Author{}, &Post{}, &Tag{}, &Comment{}, &Node{}, &Product{}, &Order{}, &Invoice{}}
		var wg sync.WaitGroup
		for g := range 8 {
			wg.Go(func() {
				// each goroutine registers every model, in its own order
				for i := range models {
					assert.NoError(t, r.Register(models[(i+g)%len(models)]))
				}
			})
		}
		wg.Wait()
		for range 4 {
			wg.Go(func() { assert.NoError(t, r.Configure()) })
		}
		wg.Wait()
		for range 8 {
			wg.Go(func() {
				for _, mdl := range models {
					m, err := r.Mapper(mdl)
					if !assert.NoError(t, err) {
						return
					}
					for _, a := range m.Attributes() {
						_ = a.Column().Name()
						_ = a.Index()
					}
					for _, rel := range m.Relationships() {
						_ = rel.Direction()
						_ = rel.Pairs()
						_ = rel.Target().Table().Name()
					}
					_, _ = m.Attribute("ID")
				}
			})
		}
		wg.Wait()
		ms, err := r.Mappers()
		require.NoError(t, err)
		assert.Len(t, ms, len(models))
	}
}
