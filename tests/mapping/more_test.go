package mapping_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/declarative"
	"github.com/retort-orm/retort/registry"
)

// ---- two foreign key paths, disambiguated

type Customer struct {
	ID int `orm:"pk"`
}

type Shipment struct {
	ID         int       `orm:"pk"`
	BillingID  int       `orm:"fk:customers.id"`
	ShippingID int       `orm:"fk:customers.id"`
	Billing    *Customer `orm:"rel;foreign_keys:Shipment.BillingID"`
	Shipping   *Customer `orm:"rel;primaryjoin:Shipment.ShippingID == Customer.ID"`
}

func TestForeignKeysAndPrimaryJoin(t *testing.T) {
	r := configured(t, registry.New(), &Customer{}, &Shipment{})
	m, _ := registry.MapperFor[Shipment](r)
	b, _ := m.Relationship("Billing")
	s, _ := m.Relationship("Shipping")
	assert.Equal(t, registry.ManyToOne, b.Direction())
	assert.Equal(t, []string{"shipments.billing_id=customers.id"}, pairNames(b.Pairs()))
	assert.Equal(t, registry.ManyToOne, s.Direction())
	assert.Equal(t, []string{"shipments.shipping_id=customers.id"}, pairNames(s.Pairs()))
}

// ---- self-referential many-to-many with explicit joins, and a keyed map

type Person struct {
	ID      int               `orm:"pk"`
	Name    string            `orm:"type:varchar(40)"`
	Friends []*Person         `orm:"rel;secondary:friendships;primaryjoin:Person.ID == friendships.left_id;secondaryjoin:Person.ID == friendships.right_id"`
	Notes   map[string]*PNote `orm:"rel;collection:map(Key);back_populates:Person"`
}

type PNote struct {
	ID       int     `orm:"pk"`
	PersonID int     `orm:"fk:persons.id"`
	Key      string  `orm:"type:varchar(20)"`
	Person   *Person `orm:"rel;back_populates:Notes"`
}

func TestSelfReferentialManyToManyAndMap(t *testing.T) {
	md := core.NewMetaData()
	md.MustTable("friendships",
		core.Col("left_id", core.BigInteger{}, core.PrimaryKey(), core.References("persons.id")),
		core.Col("right_id", core.BigInteger{}, core.PrimaryKey(), core.References("persons.id")),
	)
	r := configured(t, registry.New(registry.WithMetaData(md)), &Person{}, &PNote{})
	m, _ := registry.MapperFor[Person](r)
	f, _ := m.Relationship("Friends")
	assert.Equal(t, registry.ManyToMany, f.Direction())
	assert.Equal(t, []string{"persons.id=friendships.left_id"}, pairNames(f.Pairs()))
	assert.Equal(t, []string{"persons.id=friendships.right_id"}, pairNames(f.SecondaryPairs()))
	n, _ := m.Relationship("Notes")
	assert.Equal(t, registry.OneToMany, n.Direction())
	assert.Equal(t, "map", n.Declaration().Collection)
	assert.Equal(t, "Key", n.Declaration().CollectionKey)
	assert.NotNil(t, n.BackPopulates())
}

// ---- inheritance: joined and single table

type Employee struct {
	ID   int    `orm:"pk"`
	Name string `orm:"type:varchar(50)"`
	Type string `orm:"type:varchar(20);polymorphic_on"`
}

func (Employee) MapperArgs() declarative.MapperArgs {
	return declarative.MapperArgs{PolymorphicIdentity: "employee"}
}

type Engineer struct {
	Employee `orm:"inherits;kind:joined;polymorphic_identity:engineer"`
	ID       int    `orm:"pk;column:id;fk:employees.id"`
	Language string `orm:"type:varchar(30)"`
}

type Manager struct {
	Employee `orm:"inherits;kind:single;polymorphic_identity:manager"`
	Budget   *int
}

func TestInheritanceConfiguration(t *testing.T) {
	r := configured(t, registry.New(), &Employee{}, &Engineer{}, &Manager{})
	em, _ := registry.MapperFor[Employee](r)
	en, _ := registry.MapperFor[Engineer](r)
	mg, _ := registry.MapperFor[Manager](r)
	assert.Equal(t, "employee", em.PolymorphicIdentity())
	assert.Equal(t, "Type", em.PolymorphicOn().Name())

	assert.Same(t, em, en.Inherits())
	assert.Equal(t, "joined", en.InheritanceKind())
	assert.Equal(t, "engineers", en.Table().Name())
	assert.Equal(t, "engineer", en.PolymorphicIdentity())
	assert.Equal(t, "Employee.Type", en.PolymorphicOn().Path())
	lang, ok := en.Attribute("Language")
	require.True(t, ok)
	assert.Equal(t, []int{2}, lang.Index())
	name, ok := en.Attribute("Employee.Name")
	require.True(t, ok)
	assert.Equal(t, []int{0, 1}, name.Index())
	own, _ := en.Attribute("ID")
	assert.Equal(t, []int{1}, own.Index(), "Engineer.ID shadows Employee.ID, as in Go")
	require.Len(t, en.PrimaryKey(), 1)
	assert.Equal(t, "employees", en.PrimaryKey()[0].Column().Table().Name(), "a joined subtype's identity is its base's key")

	assert.Same(t, em.Table(), mg.Table(), "single-table subtype shares the base table")
	assert.Equal(t, "single", mg.InheritanceKind())
	budget := em.Table().C("budget")
	require.NotNil(t, budget)
	assert.True(t, budget.Nullable())
	checkGolden(t, "inheritance", []*core.Table{em.Table(), en.Table()})
}

// ---- declaration cache

func TestReadIsCachedPerType(t *testing.T) {
	a, err := declarative.ReadValue(&User{})
	require.NoError(t, err)
	b, err := declarative.ReadValue(User{})
	require.NoError(t, err)
	assert.Same(t, a, b)
	assert.Equal(t, 0.0, testing.AllocsPerRun(100, func() { _, _ = declarative.ReadValue(&User{}) }))
}

func TestNamingConvention(t *testing.T) {
	for in, want := range map[string]string{"User": "users", "BlogPost": "blog_posts", "Category": "categories", "Address": "addresses", "Key": "keys", "HTTPServer": "http_servers", "Box": "boxes"} {
		assert.Equal(t, want, declarative.Plural(declarative.SnakeCase(in)), in)
	}
	assert.Equal(t, "user_id", declarative.SnakeCase("UserID"))
}
