package ddl_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/dialect/mysql"
)

func TestNamingConvention(t *testing.T) {
	md := core.NewMetaData()
	md.Naming = core.NamingConvention{
		"ix": "ix_%(column_0_label)s",
		"uq": "uq_%(table_name)s_%(column_0_name)s",
		"ck": "ck_%(table_name)s_%(constraint_name)s",
		"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
		"pk": "pk_%(table_name)s",
	}
	md.MustTable("np", core.Col("id", core.Integer{}, core.PrimaryKey()))
	nt := md.MustTable("nt",
		core.Col("id", core.Integer{}, core.PrimaryKey()),
		core.Col("pid", core.Integer{}, core.References("np.id")),
		core.Col("e", core.String{Length: 10}, core.Indexed(true)),
		core.Col("f", core.Integer{}),
		&core.CheckConstraint{Name: "fpos", Expr: core.Raw("f > 0", nil)},
		core.Col("g", core.Boolean{CreateConstraint: true, ConstraintName: "gb"}),
	)
	runCases(t, []ddlCase{
		{name: "table", build: func(*testing.T) core.DDLElement { return &core.CreateTable{Table: nt} }, want: map[string]string{
			"pg":     "CREATE TABLE nt (\n\tid SERIAL NOT NULL, \n\tpid INTEGER, \n\te VARCHAR(10), \n\tf INTEGER, \n\tg BOOLEAN, \n\tCONSTRAINT pk_nt PRIMARY KEY (id), \n\tCONSTRAINT ck_nt_fpos CHECK (f > 0), \n\tCONSTRAINT fk_nt_pid_np FOREIGN KEY(pid) REFERENCES np (id)\n)",
			"sqlite": "CREATE TABLE nt (\n\tid INTEGER NOT NULL, \n\tpid INTEGER, \n\te VARCHAR(10), \n\tf INTEGER, \n\tg BOOLEAN, \n\tCONSTRAINT pk_nt PRIMARY KEY (id), \n\tCONSTRAINT ck_nt_fpos CHECK (f > 0), \n\tCONSTRAINT fk_nt_pid_np FOREIGN KEY(pid) REFERENCES np (id), \n\tCONSTRAINT ck_nt_gb CHECK (g IN (0, 1))\n)",
		}},
		{name: "index", build: func(*testing.T) core.DDLElement { return &core.CreateIndex{Index: nt.Indexes()[0]} },
			want: map[string]string{"pg": "CREATE UNIQUE INDEX ix_nt_e ON nt (e)"}},
	})
}

// cycleSchema is a <-> b (a foreign key cycle) and c -> a, plus a
// self-reference on c, which is no cycle.
func cycleSchema(t *testing.T) (*core.MetaData, *core.Table, *core.Table, *core.Table) {
	md := core.NewMetaData()
	a := md.MustTable("a",
		core.Col("id", core.Integer{}, core.PrimaryKey()),
		core.Col("bid", core.Integer{}, core.References("b.id", core.FKName("fk_a_b"))))
	b := md.MustTable("b",
		core.Col("id", core.Integer{}, core.PrimaryKey()),
		core.Col("aid", core.Integer{}, core.References("a.id", core.FKName("fk_b_a"))))
	c := md.MustTable("c",
		core.Col("id", core.Integer{}, core.PrimaryKey()),
		core.Col("aid", core.Integer{}, core.References("a.id")),
		core.Col("parent", core.Integer{}, core.References("c.id")))
	return md, a, b, c
}

func names(ts []*core.Table) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Name()
	}
	return out
}

func TestSortTables(t *testing.T) {
	t.Run("dependency_order", func(t *testing.T) {
		md := core.NewMetaData()
		child := md.MustTable("child", core.Col("id", core.Integer{}, core.PrimaryKey()), core.Col("pid", core.Integer{}, core.References("parent.id")))
		gchild := md.MustTable("gchild", core.Col("id", core.Integer{}, core.PrimaryKey()), core.Col("cid", core.Integer{}, core.References("child.id")))
		parent := md.MustTable("parent", core.Col("id", core.Integer{}, core.PrimaryKey()))
		ordered, cycles, err := core.SortTables([]*core.Table{gchild, child, parent})
		require.NoError(t, err)
		assert.Equal(t, []string{"parent", "child", "gchild"}, names(ordered))
		assert.Empty(t, cycles)
	})
	t.Run("cycle", func(t *testing.T) {
		md, a, b, _ := cycleSchema(t)
		ordered, cycles, err := core.SortTables(md.Tables())
		require.NoError(t, err)
		assert.Equal(t, []string{"a", "b", "c"}, names(ordered))
		require.Len(t, cycles, 2)
		assert.Same(t, a.ForeignKeys()[0], cycles[0])
		assert.Same(t, b.ForeignKeys()[0], cycles[1])
	})
	t.Run("use_alter", func(t *testing.T) {
		md := core.NewMetaData()
		x := md.MustTable("x", core.Col("id", core.Integer{}, core.PrimaryKey()),
			core.Col("yid", core.Integer{}, core.References("y.id", core.FKName("fk_x_y"), func(f *core.ForeignKeyConstraint) { f.UseAlter = true })))
		md.MustTable("y", core.Col("id", core.Integer{}, core.PrimaryKey()))
		ordered, cycles, err := core.SortTables(md.Tables())
		require.NoError(t, err)
		assert.Equal(t, []string{"x", "y"}, names(ordered))
		require.Len(t, cycles, 1)
		assert.Same(t, x.ForeignKeys()[0], cycles[0])
		got, err := core.Compile(dialects["pg"], &core.CreateTable{Table: x})
		require.NoError(t, err)
		assert.Equal(t, "CREATE TABLE x (\n\tid SERIAL NOT NULL, \n\tyid INTEGER, \n\tPRIMARY KEY (id)\n)", got.SQL)
	})
	t.Run("unknown_table", func(t *testing.T) {
		md := core.NewMetaData()
		x := md.MustTable("x", core.Col("id", core.Integer{}, core.PrimaryKey()), core.Col("zid", core.Integer{}, core.References("nowhere.id")))
		_, _, err := core.SortTables([]*core.Table{x})
		var ae *core.ArgumentError
		require.True(t, errors.As(err, &ae), "%v", err)
		assert.Contains(t, err.Error(), `"nowhere"`)
	})
}

func compileAll(t *testing.T, d core.Dialect, els []core.DDLElement) []string {
	t.Helper()
	var out []string
	for _, e := range core.DDLFor(d, els) {
		c, err := core.Compile(d, e)
		require.NoError(t, err, "%T", e)
		out = append(out, c.SQL)
	}
	return out
}

func TestCreateAllDropAll(t *testing.T) {
	md, _, _, _ := cycleSchema(t)
	t.Run("postgresql_cycle", func(t *testing.T) {
		// the same statements as SQLAlchemy's create_all / drop_all
		assert.Equal(t, []string{
			"CREATE TABLE a (\n\tid SERIAL NOT NULL, \n\tbid INTEGER, \n\tPRIMARY KEY (id)\n)",
			"CREATE TABLE b (\n\tid SERIAL NOT NULL, \n\taid INTEGER, \n\tPRIMARY KEY (id)\n)",
			"CREATE TABLE c (\n\tid SERIAL NOT NULL, \n\taid INTEGER, \n\tparent INTEGER, \n\tPRIMARY KEY (id), \n\tFOREIGN KEY(aid) REFERENCES a (id), \n\tFOREIGN KEY(parent) REFERENCES c (id)\n)",
			"ALTER TABLE a ADD CONSTRAINT fk_a_b FOREIGN KEY(bid) REFERENCES b (id)",
			"ALTER TABLE b ADD CONSTRAINT fk_b_a FOREIGN KEY(aid) REFERENCES a (id)",
		}, compileAll(t, dialects["pg"], core.CreateAllDDL(md, false)))
		assert.Equal(t, []string{
			"ALTER TABLE a DROP CONSTRAINT fk_a_b",
			"ALTER TABLE b DROP CONSTRAINT fk_b_a",
			"DROP TABLE c",
			"DROP TABLE b",
			"DROP TABLE a",
		}, compileAll(t, dialects["pg"], core.DropAllDDL(md, false)))
	})
	t.Run("sqlite_keeps_cycle_inline", func(t *testing.T) {
		// deliberate: SQLAlchemy leaves these foreign keys out on SQLite
		assert.Equal(t, []string{
			"CREATE TABLE IF NOT EXISTS a (\n\tid INTEGER NOT NULL, \n\tbid INTEGER, \n\tPRIMARY KEY (id), \n\tCONSTRAINT fk_a_b FOREIGN KEY(bid) REFERENCES b (id)\n)",
			"CREATE TABLE IF NOT EXISTS b (\n\tid INTEGER NOT NULL, \n\taid INTEGER, \n\tPRIMARY KEY (id), \n\tCONSTRAINT fk_b_a FOREIGN KEY(aid) REFERENCES a (id)\n)",
			"CREATE TABLE IF NOT EXISTS c (\n\tid INTEGER NOT NULL, \n\taid INTEGER, \n\tparent INTEGER, \n\tPRIMARY KEY (id), \n\tFOREIGN KEY(aid) REFERENCES a (id), \n\tFOREIGN KEY(parent) REFERENCES c (id)\n)",
		}, compileAll(t, dialects["sqlite"], core.CreateAllDDL(md, true)))
		assert.Equal(t, []string{"DROP TABLE IF EXISTS c", "DROP TABLE IF EXISTS b", "DROP TABLE IF EXISTS a"},
			compileAll(t, dialects["sqlite"], core.DropAllDDL(md, true)))
	})
	t.Run("types_sequences_indexes_comments", func(t *testing.T) {
		md := core.NewMetaData()
		seq := &core.Sequence{Name: "item_seq"}
		md.MustTable("item",
			core.Col("id", core.Integer{}, core.PrimaryKey(), core.WithSequence(seq)),
			core.Col("mood", core.Enum{Name: "mood", Values: []string{"ok", "sad"}, Native: true}),
			core.Col("code", core.String{Length: 5}, core.Indexed(false), core.ColumnComment("the code")),
			core.TableComment("items"))
		assert.Equal(t, []string{
			"CREATE TYPE mood AS ENUM ('ok', 'sad')",
			"CREATE SEQUENCE item_seq",
			"CREATE TABLE item (\n\tid INTEGER NOT NULL, \n\tmood mood, \n\tcode VARCHAR(5), \n\tPRIMARY KEY (id)\n)",
			"CREATE INDEX ix_item_code ON item (code)",
			"COMMENT ON TABLE item IS 'items'",
			"COMMENT ON COLUMN item.code IS 'the code'",
		}, compileAll(t, dialects["pg"], core.CreateAllDDL(md, false)))
		assert.Equal(t, []string{"DROP TABLE item", "DROP SEQUENCE item_seq", "DROP TYPE mood"},
			compileAll(t, dialects["pg"], core.DropAllDDL(md, false)))
		// MariaDB: the sequence is created and feeds the key (as
		// SQLAlchemy's MariaDB dialect does); inline ENUM and comments
		assert.Equal(t, []string{
			"CREATE SEQUENCE item_seq",
			"CREATE TABLE item (\n\tid INTEGER NOT NULL, \n\tmood ENUM('ok','sad'), \n\tcode VARCHAR(5) COMMENT 'the code', \n\tPRIMARY KEY (id)\n)COMMENT='items'",
			"CREATE INDEX ix_item_code ON item (code)",
		}, compileAll(t, dialects["mysql"], core.CreateAllDDL(md, false)))
		// MySQL (no sequences: the FeatSequences bit off): AUTO_INCREMENT
		// instead, and no CREATE SEQUENCE
		my := mysql.New()
		my.Feat &^= core.FeatSequences
		assert.Equal(t, []string{
			"CREATE TABLE item (\n\tid INTEGER NOT NULL AUTO_INCREMENT, \n\tmood ENUM('ok','sad'), \n\tcode VARCHAR(5) COMMENT 'the code', \n\tPRIMARY KEY (id)\n)COMMENT='items'",
			"CREATE INDEX ix_item_code ON item (code)",
		}, compileAll(t, my, core.CreateAllDDL(md, false)))
		assert.Equal(t, []string{
			"CREATE TABLE item (\n\tid INTEGER NOT NULL, \n\tmood VARCHAR(3), \n\tcode VARCHAR(5), \n\tPRIMARY KEY (id)\n)",
			"CREATE INDEX ix_item_code ON item (code)",
		}, compileAll(t, dialects["sqlite"], core.CreateAllDDL(md, false)))
	})
}
