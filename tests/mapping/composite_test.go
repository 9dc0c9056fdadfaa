package mapping_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/declarative"
	"github.com/retort-orm/retort/registry"
)

type Point struct {
	X int
	Y int
}

type Vertex struct {
	ID    int    `orm:"pk"`
	Start Point  `orm:"composite"`
	End   Point  `orm:"composite;columns:x2,y2;deferred:geo"`
	Label string `orm:"type:varchar(20);deferred"`
}

func (Vertex) MapperArgs() declarative.MapperArgs {
	return declarative.MapperArgs{Synonyms: map[string]string{"Name": "Label"}}
}

type Account struct {
	ID         int      `orm:"pk"`
	Name       string   `orm:"type:varchar(30)"`
	Emails     []*Email `orm:"rel;back_populates:Account"`
	EmailCount int      `orm:"column_property;deferred"`
	Relevance  float64  `orm:"query_expression"`
}

func (Account) ColumnProperties(self *core.Table, md *core.MetaData) map[string]core.Expr {
	emails, _ := md.Table("emails")
	return map[string]core.Expr{
		"EmailCount": core.Select(core.Count()).From(emails).
			Where(emails.C("account_id").Eq(self.C("id"))).ScalarSubquery(),
	}
}

type Email struct {
	ID        int      `orm:"pk"`
	AccountID int      `orm:"fk:accounts.id"`
	Account   *Account `orm:"rel;back_populates:Emails"`
}

func TestCompositesDeferredAndSynonyms(t *testing.T) {
	r := configured(t, registry.New(), &Vertex{})
	m, _ := registry.MapperFor[Vertex](r)
	var cols []string
	for _, c := range m.Table().Columns() {
		cols = append(cols, c.Name())
	}
	assert.Equal(t, []string{"id", "start_x", "start_y", "x2", "y2", "label"}, cols)
	start, ok := m.Composite("Start")
	require.True(t, ok)
	require.Len(t, start.Attributes(), 2)
	assert.Equal(t, []int{1, 0}, start.Attributes()[0].Index())
	assert.Equal(t, "start_y", start.Attributes()[1].Column().Name())
	y, ok := m.Attribute("Start.Y")
	require.True(t, ok)
	assert.Same(t, start.Attributes()[1], y)
	end, _ := m.Composite("End")
	assert.True(t, end.Attributes()[0].Deferred())
	assert.Equal(t, "geo", end.Attributes()[0].DeferGroup())
	label, _ := m.Attribute("Label")
	assert.True(t, label.Deferred())
	syn, ok := m.Attribute("Name")
	require.True(t, ok)
	assert.Same(t, label, syn)

	// the composite compares as a whole
	d, err := core.LookupDialect("postgresql")
	require.NoError(t, err)
	c, err := core.Compile(d, core.Select(m.Table().C("id")).Where(start.Expr().Eq(core.Tuple(3, 4))))
	require.NoError(t, err)
	assert.Contains(t, c.SQL, "(vertexes.start_x, vertexes.start_y) = (")
	checkGolden(t, "composite", []*core.Table{m.Table()})
}

func TestColumnPropertyWithCorrelatedSubquery(t *testing.T) {
	r := configured(t, registry.New(), &Account{}, &Email{})
	m, _ := registry.MapperFor[Account](r)
	p, ok := m.Property("EmailCount")
	require.True(t, ok)
	assert.True(t, p.Deferred())
	assert.False(t, p.QueryExpression())
	d, _ := core.LookupDialect("postgresql")
	c, err := core.Compile(d, core.Select(m.Table().C("name"), p.Expr()).From(m.Table()))
	require.NoError(t, err)
	assert.Equal(t, "SELECT accounts.name, (SELECT count(*) AS count_1 \nFROM emails \nWHERE emails.account_id = accounts.id) AS anon_1 \nFROM accounts", c.SQL)
	q, ok := m.Property("Relevance")
	require.True(t, ok)
	assert.True(t, q.QueryExpression())
	assert.Nil(t, q.Expr())
	_, isCol := m.Attribute("EmailCount")
	assert.False(t, isCol, "a column_property is not a table column")
	assert.Nil(t, m.Table().C("email_count"))
}
