package core_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
)

// The default dialect renders the generic (ANSI) DDL forms of BaseDialect;
// the per-dialect forms are tested in tests/ddl.
func TestDDLGenericForms(t *testing.T) {
	md := core.NewMetaData()
	parent := md.MustTable("parent", core.Col("id", core.Integer{}, core.PrimaryKey()))
	persisted := true
	tb := md.MustTable("item",
		core.Col("id", core.BigInteger{}, core.PrimaryKey()),
		core.Col("pid", core.Integer{}, core.NotNull(), core.References("parent.id", core.OnDelete("set null"))),
		core.Col("qty", core.Integer{}, core.ServerDefault(core.Raw("1", nil))),
		core.Col("name", core.String{Length: 20}, core.ServerDefault("it's")),
		core.Col("twice", core.Integer{}, core.ComputedAs(core.LiteralColumn("qty * 2", core.Integer{}), &persisted)),
		core.Col("seq", core.Integer{}, core.WithIdentity(core.Identity{Always: true})),
		&core.CheckConstraint{Name: "ck_qty", Expr: core.Raw("qty > 0", nil)},
		&core.Index{Name: "ix_item_name", Columns: []string{"name"}, Where: core.Raw("qty > 1", nil)},
	)
	_ = parent
	cases := []struct {
		name string
		el   core.DDLElement
		want string
	}{
		{"create_table", &core.CreateTable{Table: tb},
			"CREATE TABLE item (\n\tid BIGINT NOT NULL, \n\tpid INTEGER NOT NULL, \n\tqty INTEGER DEFAULT 1, \n\tname VARCHAR(20) DEFAULT 'it''s', \n\ttwice INTEGER GENERATED ALWAYS AS (qty * 2) STORED, \n\tseq INTEGER GENERATED ALWAYS AS IDENTITY, \n\tPRIMARY KEY (id), \n\tCONSTRAINT ck_qty CHECK (qty > 0), \n\tFOREIGN KEY(pid) REFERENCES parent (id) ON DELETE SET NULL\n)"},
		{"create_index_partial", &core.CreateIndex{Index: tb.Indexes()[0], IfNotExists: true},
			"CREATE INDEX IF NOT EXISTS ix_item_name ON item (name) WHERE qty > 1"},
		{"drop_index", &core.DropIndex{Index: tb.Indexes()[0], IfExists: true}, "DROP INDEX IF EXISTS ix_item_name"},
		{"add_check", &core.AddConstraint{Constraint: tb.Checks()[0]}, "ALTER TABLE item ADD CONSTRAINT ck_qty CHECK (qty > 0)"},
		{"drop_table", &core.DropTable{Table: tb}, "DROP TABLE item"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := core.Compile(core.DefaultDialect, tc.el)
			require.NoError(t, err)
			assert.Equal(t, tc.want, c.SQL)
			assert.Empty(t, c.Args)
		})
	}
}

func TestDDLErrorsNameTableAndColumn(t *testing.T) {
	md := core.NewMetaData()
	tb := md.MustTable("nl", core.Col("x", core.NullType{}))
	_, err := core.Compile(core.DefaultDialect, &core.CreateTable{Table: tb})
	var ce *core.CompileError
	require.True(t, errors.As(err, &ce), "%T %v", err, err)
	assert.Contains(t, err.Error(), `(in table "nl", column "x")`)

	_, err = core.Compile(core.DefaultDialect, &core.CreateTable{})
	var ae *core.ArgumentError
	assert.True(t, errors.As(err, &ae))
}

func TestSortTablesCycle(t *testing.T) {
	md := core.NewMetaData()
	a := md.MustTable("a", core.Col("id", core.Integer{}, core.PrimaryKey()), core.Col("bid", core.Integer{}, core.References("b.id")))
	b := md.MustTable("b", core.Col("id", core.Integer{}, core.PrimaryKey()), core.Col("cid", core.Integer{}, core.References("c.id")))
	c := md.MustTable("c", core.Col("id", core.Integer{}, core.PrimaryKey()), core.Col("aid", core.Integer{}, core.References("a.id")))
	d := md.MustTable("d", core.Col("id", core.Integer{}, core.PrimaryKey()), core.Col("cid", core.Integer{}, core.References("c.id")))
	ordered, cycles, err := core.SortTables([]*core.Table{d, c, b, a})
	require.NoError(t, err)
	// d depends on c; the a -> b -> c -> a cycle is broken by its three foreign keys
	assert.Equal(t, []*core.Table{c, d, b, a}, ordered)
	assert.Len(t, cycles, 3)
}

// CreateAllDDL lists a MetaData's CREATE statements in dependency order.
func ExampleCreateAllDDL() {
	md := core.NewMetaData()
	md.MustTable("author", core.Col("id", core.Integer{}, core.PrimaryKey()), core.Col("name", core.String{Length: 50}, core.NotNull()))
	md.MustTable("book",
		core.Col("id", core.Integer{}, core.PrimaryKey()),
		core.Col("author_id", core.Integer{}, core.References("author.id", core.OnDelete("CASCADE")), core.Indexed(false)))
	for _, el := range core.CreateAllDDL(md, true) {
		c, err := core.Compile(core.DefaultDialect, el)
		if err != nil {
			panic(err)
		}
		// SQLAlchemy's layout ends lines with ", "; trimmed here for the doc
		fmt.Println(strings.ReplaceAll(c.SQL, ", \n", ",\n") + ";")
	}
	// Output:
	// CREATE TABLE IF NOT EXISTS author (
	// 	id INTEGER NOT NULL,
	// 	name VARCHAR(50) NOT NULL,
	// 	PRIMARY KEY (id)
	// );
	// CREATE TABLE IF NOT EXISTS book (
	// 	id INTEGER NOT NULL,
	// 	author_id INTEGER,
	// 	PRIMARY KEY (id),
	// 	FOREIGN KEY(author_id) REFERENCES author (id) ON DELETE CASCADE
	// );
	// CREATE INDEX IF NOT EXISTS ix_book_author_id ON book (author_id);
}
