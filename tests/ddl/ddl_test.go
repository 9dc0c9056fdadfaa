package ddl_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/dialect/mssql"
	"github.com/retort-orm/retort/dialect/mysql"
	"github.com/retort-orm/retort/dialect/oracle"
	"github.com/retort-orm/retort/dialect/postgresql"
	"github.com/retort-orm/retort/dialect/sqlite"
)

var dialects = map[string]core.Dialect{
	"pg":     postgresql.New(),
	"sqlite": sqlite.New(),
	"mysql":  mysql.New(),
	"mssql":  mssql.New(),
	"oracle": oracle.New(),
}

var order = []string{"pg", "sqlite", "mysql", "mssql", "oracle"}

// errUnsupported, errCompile and errArgument stand in a want map for a
// compile error of that kind.
const (
	errUnsupported = "ERR unsupported"
	errCompile     = "ERR compile"
	errArgument    = "ERR argument"
)

type ddlCase struct {
	name  string
	build func(t *testing.T) core.DDLElement
	// want per dialect; a dialect missing from the map is not checked.
	want map[string]string
	// errHas is text every error message must contain (table / column names).
	errHas []string
}

func all(s string) map[string]string {
	return map[string]string{"pg": s, "sqlite": s, "mysql": s, "mssql": s, "oracle": s}
}

func runCases(t *testing.T, cases []ddlCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			el := tc.build(t)
			for _, dn := range order {
				want, ok := tc.want[dn]
				if !ok {
					continue
				}
				got, err := core.Compile(dialects[dn], el)
				switch want {
				case errUnsupported:
					require.Error(t, err, dn)
					assert.True(t, errors.Is(err, core.ErrUnsupported), "%s: %v", dn, err)
				case errCompile:
					var ce *core.CompileError
					require.Error(t, err, dn)
					assert.True(t, errors.As(err, &ce), "%s: %T %v", dn, err, err)
				case errArgument:
					var ae *core.ArgumentError
					require.Error(t, err, dn)
					assert.True(t, errors.As(err, &ae), "%s: %T %v", dn, err, err)
				default:
					if assert.NoError(t, err, dn) {
						assert.Equal(t, want, got.SQL, dn)
						assert.Empty(t, got.Args, dn)
					}
					continue
				}
				if err != nil {
					for _, s := range tc.errHas {
						assert.Contains(t, err.Error(), s, dn)
					}
				}
			}
		})
	}
}

func i64(n int64) *int64 { return &n }
func bptr(b bool) *bool  { return &b }

// schema builds the tables the cases use, one MetaData per call so that
// cases stay independent.
type schema struct {
	md                                        *core.MetaData
	users, parent, child, idt, comp, comp2    *core.Table
	it, cmt, en, sa, my, cp, pkn, seqt, named *core.Table
	s1, s2                                    *core.Sequence
}

func newSchema(t *testing.T) *schema {
	t.Helper()
	s := &schema{md: core.NewMetaData()}
	md := s.md
	must := func(tb *core.Table, err error) *core.Table {
		t.Helper()
		require.NoError(t, err)
		return tb
	}
	s.users = must(md.NewTable("users",
		core.Col("id", core.Integer{}, core.PrimaryKey()),
		core.Col("name", core.String{Length: 50}, core.NotNull(), core.ServerDefault("anon")),
		core.Col("created", core.DateTime{}, core.ServerDefault(core.Now())),
		core.Col("score", core.Numeric{Precision: 10, Scale: 2}),
		core.Col("active", core.Boolean{}, core.ServerDefault(core.True())),
		core.Col("n", core.Integer{}, core.ServerDefault(core.Raw("0", nil))),
		core.TableComment("the users"),
	))
	s.parent = must(md.NewTable("parent", core.Col("id", core.BigInteger{}, core.PrimaryKey())))
	s.child = must(md.NewTable("child",
		core.Col("id", core.Integer{}, core.PrimaryKey(), core.Autoincrement(false)),
		core.Col("code", core.String{Length: 10}, core.Unique()),
		core.Col("pid", core.BigInteger{}, core.References("parent.id", core.OnDelete("CASCADE"))),
		core.Col("flag", core.Boolean{CreateConstraint: true, ConstraintName: "ck_flag"}),
		core.Col("e", core.Enum{Name: "e3", Values: []string{"a", "b"}, CreateConstraint: true}),
		&core.CheckConstraint{Name: "ck_pos", Expr: core.Raw("id > 0", nil)},
		&core.UniqueConstraint{Name: "uq_pc", Columns: []string{"pid", "code"}},
		&core.ForeignKeyConstraint{Name: "fk2", Columns: []string{"pid"}, RefTable: "parent", RefColumns: []string{"id"}},
	))
	s.idt = must(md.NewTable("idt",
		core.Col("id", core.BigInteger{}, core.PrimaryKey(), core.WithIdentity(core.Identity{Always: true, Start: i64(10), Increment: i64(5)})),
		core.Col("v", core.Integer{}, core.WithIdentity(core.Identity{Start: i64(1), MinValue: i64(1), MaxValue: i64(1000), Cycle: true, Cache: i64(20)})),
	))
	s.comp = must(md.NewTable("comp",
		core.Col("a", core.Integer{}),
		core.Col("b", core.Integer{}),
	))
	a := s.comp.C("a")
	s.comp2 = must(md.NewTable("comp2",
		core.Col("a", core.Integer{}),
		core.Col("b", core.Integer{}, core.ComputedAs(a.Mul(2), nil)),
		core.Col("c", core.Integer{}, core.ComputedAs(a.Add(1), bptr(true))),
		core.Col("d", core.Integer{}, core.ComputedAs(a.Add(2), bptr(false))),
	))
	s.it = must(md.NewTable("it",
		core.Col("a", core.String{Length: 20}),
		core.Col("b", core.Integer{}),
		core.Col("c", core.Integer{}),
	))
	s.cmt = must(md.NewTable("cmt",
		core.Col("id", core.Integer{}, core.PrimaryKey(), core.ColumnComment("the id")),
		core.Col("v", core.String{Length: 10}, core.ColumnComment("it's v")),
		core.TableComment("table comment"),
	))
	s.en = must(md.NewTable("en",
		core.Col("id", core.Integer{}, core.PrimaryKey(), core.Autoincrement(false)),
		core.Col("e", core.Enum{Name: "myenum", Values: []string{"a", "b"}, Native: true}),
	))
	s.sa = must(md.NewTable("sa",
		core.Col("id", core.Integer{}, core.PrimaryKey()),
		core.DialectOption("sqlite_autoincrement", "true"),
	))
	s.my = must(md.NewTable("my",
		core.Col("id", core.Integer{}, core.PrimaryKey()),
		core.DialectOption("mysql_engine", "InnoDB"),
		core.DialectOption("mysql_charset", "utf8mb4"),
		core.DialectOption("mysql_collate", "utf8mb4_unicode_ci"),
		core.TableComment("t c"),
	))
	s.cp = must(md.NewTable("cp",
		core.Col("a", core.Integer{}),
		core.Col("b", core.Integer{}),
		&core.PrimaryKeyConstraint{Columns: []string{"a", "b"}},
	))
	s.pkn = must(md.NewTable("pkn",
		core.Col("id", core.BigInteger{}),
		&core.PrimaryKeyConstraint{Name: "pk_pkn", Columns: []string{"id"}},
	))
	s.s1 = &core.Sequence{Name: "s1"}
	s.s2 = &core.Sequence{Name: "s2", Start: i64(5), Increment: i64(2), MinValue: i64(1), MaxValue: i64(100), Cache: i64(10), Cycle: true}
	s.seqt = must(md.NewTable("seqt", core.Col("id", core.Integer{}, core.PrimaryKey(), core.WithSequence(s.s1))))
	return s
}

func constraintNamed(tb *core.Table, name string) core.Constraint {
	for _, c := range tb.Constraints() {
		if c.ConstraintName() == name {
			return c
		}
	}
	return nil
}

func TestCreateTable(t *testing.T) {
	s := newSchema(t)
	ct := func(tb *core.Table) func(*testing.T) core.DDLElement {
		return func(*testing.T) core.DDLElement { return &core.CreateTable{Table: tb} }
	}
	runCases(t, []ddlCase{
		{name: "server_defaults_and_autoincrement", build: ct(s.users), want: map[string]string{
			"pg":     "CREATE TABLE users (\n\tid SERIAL NOT NULL, \n\tname VARCHAR(50) DEFAULT 'anon' NOT NULL, \n\tcreated TIMESTAMP WITHOUT TIME ZONE DEFAULT now(), \n\tscore NUMERIC(10, 2), \n\tactive BOOLEAN DEFAULT true, \n\tn INTEGER DEFAULT 0, \n\tPRIMARY KEY (id)\n)",
			"sqlite": "CREATE TABLE users (\n\tid INTEGER NOT NULL, \n\tname VARCHAR(50) DEFAULT 'anon' NOT NULL, \n\tcreated DATETIME DEFAULT CURRENT_TIMESTAMP, \n\tscore NUMERIC(10, 2), \n\tactive BOOLEAN DEFAULT 1, \n\tn INTEGER DEFAULT 0, \n\tPRIMARY KEY (id)\n)",
			"mysql":  "CREATE TABLE users (\n\tid INTEGER NOT NULL AUTO_INCREMENT, \n\tname VARCHAR(50) NOT NULL DEFAULT 'anon', \n\tcreated DATETIME DEFAULT (now()), \n\tscore NUMERIC(10, 2), \n\tactive BOOL DEFAULT true, \n\tn INTEGER DEFAULT 0, \n\tPRIMARY KEY (id)\n)COMMENT='the users'",
			"mssql":  "CREATE TABLE users (\n\tid INTEGER NOT NULL IDENTITY, \n\tname VARCHAR(50) NOT NULL DEFAULT 'anon', \n\tcreated DATETIME NULL DEFAULT CURRENT_TIMESTAMP, \n\tscore NUMERIC(10, 2) NULL, \n\tactive BIT NULL DEFAULT 1, \n\tn INTEGER NULL DEFAULT 0, \n\tPRIMARY KEY (id)\n)",
			// deliberate: Oracle gets an identity for an autoincrement key
			"oracle": "CREATE TABLE users (\n\tid INTEGER GENERATED BY DEFAULT AS IDENTITY, \n\tname VARCHAR2(50 CHAR) DEFAULT 'anon' NOT NULL, \n\tcreated DATE DEFAULT CURRENT_TIMESTAMP, \n\tscore NUMERIC(10, 2), \n\tactive SMALLINT DEFAULT 1, \n\tn INTEGER DEFAULT 0, \n\tPRIMARY KEY (id)\n)",
		}},
		{name: "constraints_in_sqlalchemy_order", build: ct(s.child), want: map[string]string{
			"pg":     "CREATE TABLE child (\n\tid INTEGER NOT NULL, \n\tcode VARCHAR(10), \n\tpid BIGINT, \n\tflag BOOLEAN, \n\te VARCHAR(1), \n\tPRIMARY KEY (id), \n\tCONSTRAINT ck_pos CHECK (id > 0), \n\tCONSTRAINT uq_pc UNIQUE (pid, code), \n\tCONSTRAINT fk2 FOREIGN KEY(pid) REFERENCES parent (id), \n\tUNIQUE (code), \n\tFOREIGN KEY(pid) REFERENCES parent (id) ON DELETE CASCADE, \n\tCONSTRAINT e3 CHECK (e IN ('a', 'b'))\n)",
			"sqlite": "CREATE TABLE child (\n\tid INTEGER NOT NULL, \n\tcode VARCHAR(10), \n\tpid BIGINT, \n\tflag BOOLEAN, \n\te VARCHAR(1), \n\tPRIMARY KEY (id), \n\tCONSTRAINT ck_pos CHECK (id > 0), \n\tCONSTRAINT uq_pc UNIQUE (pid, code), \n\tCONSTRAINT fk2 FOREIGN KEY(pid) REFERENCES parent (id), \n\tUNIQUE (code), \n\tFOREIGN KEY(pid) REFERENCES parent (id) ON DELETE CASCADE, \n\tCONSTRAINT ck_flag CHECK (flag IN (0, 1)), \n\tCONSTRAINT e3 CHECK (e IN ('a', 'b'))\n)",
			"mysql":  "CREATE TABLE child (\n\tid INTEGER NOT NULL, \n\tcode VARCHAR(10), \n\tpid BIGINT, \n\tflag BOOL, \n\te VARCHAR(1), \n\tPRIMARY KEY (id), \n\tCONSTRAINT ck_pos CHECK (id > 0), \n\tCONSTRAINT uq_pc UNIQUE (pid, code), \n\tCONSTRAINT fk2 FOREIGN KEY(pid) REFERENCES parent (id), \n\tUNIQUE (code), \n\tFOREIGN KEY(pid) REFERENCES parent (id) ON DELETE CASCADE, \n\tCONSTRAINT ck_flag CHECK (flag IN (0, 1)), \n\tCONSTRAINT e3 CHECK (e IN ('a', 'b'))\n)",
			"mssql":  "CREATE TABLE child (\n\tid INTEGER NOT NULL, \n\tcode VARCHAR(10) NULL, \n\tpid BIGINT NULL, \n\tflag BIT NULL, \n\te VARCHAR(1) NULL, \n\tPRIMARY KEY (id), \n\tCONSTRAINT ck_pos CHECK (id > 0), \n\tCONSTRAINT uq_pc UNIQUE (pid, code), \n\tCONSTRAINT fk2 FOREIGN KEY(pid) REFERENCES parent (id), \n\tUNIQUE (code), \n\tFOREIGN KEY(pid) REFERENCES parent (id) ON DELETE CASCADE, \n\tCONSTRAINT e3 CHECK (e IN ('a', 'b'))\n)",
			"oracle": "CREATE TABLE child (\n\tid INTEGER NOT NULL, \n\tcode VARCHAR2(10 CHAR), \n\tpid NUMBER(19), \n\tflag SMALLINT, \n\te VARCHAR(1 CHAR), \n\tPRIMARY KEY (id), \n\tCONSTRAINT ck_pos CHECK (id > 0), \n\tCONSTRAINT uq_pc UNIQUE (pid, code), \n\tCONSTRAINT fk2 FOREIGN KEY(pid) REFERENCES parent (id), \n\tUNIQUE (code), \n\tFOREIGN KEY(pid) REFERENCES parent (id) ON DELETE CASCADE, \n\tCONSTRAINT ck_flag CHECK (flag IN (0, 1)), \n\tCONSTRAINT e3 CHECK (e IN ('a', 'b'))\n)",
		}},
		{name: "identity", build: ct(s.idt), want: map[string]string{
			"pg": "CREATE TABLE idt (\n\tid BIGINT GENERATED ALWAYS AS IDENTITY (INCREMENT BY 5 START WITH 10), \n\tv INTEGER GENERATED BY DEFAULT AS IDENTITY (START WITH 1 MINVALUE 1 MAXVALUE 1000 CACHE 20 CYCLE), \n\tPRIMARY KEY (id)\n)",
			// deliberate: the key is INTEGER, SQLite's autoincrementing rowid
			"sqlite": "CREATE TABLE idt (\n\tid INTEGER NOT NULL, \n\tv INTEGER NOT NULL, \n\tPRIMARY KEY (id)\n)",
			"mysql":  "CREATE TABLE idt (\n\tid BIGINT NOT NULL AUTO_INCREMENT, \n\tv INTEGER NOT NULL, \n\tPRIMARY KEY (id)\n)",
			"mssql":  "CREATE TABLE idt (\n\tid BIGINT NOT NULL IDENTITY(10,5), \n\tv INTEGER NOT NULL IDENTITY(1,1), \n\tPRIMARY KEY (id)\n)",
			"oracle": "CREATE TABLE idt (\n\tid NUMBER(19) GENERATED ALWAYS AS IDENTITY (INCREMENT BY 5 START WITH 10), \n\tv INTEGER GENERATED BY DEFAULT AS IDENTITY (START WITH 1 MINVALUE 1 MAXVALUE 1000 CACHE 20 CYCLE), \n\tPRIMARY KEY (id)\n)",
		}},
		{name: "computed_columns", build: ct(s.comp2), want: map[string]string{
			"pg":     errUnsupported,
			"sqlite": "CREATE TABLE comp2 (\n\ta INTEGER, \n\tb INTEGER GENERATED ALWAYS AS (a * 2), \n\tc INTEGER GENERATED ALWAYS AS (a + 1) STORED, \n\td INTEGER GENERATED ALWAYS AS (a + 2) VIRTUAL\n)",
			"mysql":  "CREATE TABLE comp2 (\n\ta INTEGER, \n\tb INTEGER GENERATED ALWAYS AS (a * 2), \n\tc INTEGER GENERATED ALWAYS AS (a + 1) STORED, \n\td INTEGER GENERATED ALWAYS AS (a + 2) VIRTUAL\n)",
			"mssql":  "CREATE TABLE comp2 (\n\ta INTEGER NULL, \n\tb AS (a * 2), \n\tc AS (a + 1) PERSISTED, \n\td AS (a + 2)\n)",
			"oracle": errUnsupported,
		}, errHas: []string{`table "comp2"`}},
		{name: "composite_primary_key_no_autoincrement", build: ct(s.cp), want: map[string]string{
			"pg":     "CREATE TABLE cp (\n\ta INTEGER NOT NULL, \n\tb INTEGER NOT NULL, \n\tPRIMARY KEY (a, b)\n)",
			"sqlite": "CREATE TABLE cp (\n\ta INTEGER NOT NULL, \n\tb INTEGER NOT NULL, \n\tPRIMARY KEY (a, b)\n)",
			"mysql":  "CREATE TABLE cp (\n\ta INTEGER NOT NULL, \n\tb INTEGER NOT NULL, \n\tPRIMARY KEY (a, b)\n)",
			"mssql":  "CREATE TABLE cp (\n\ta INTEGER NOT NULL, \n\tb INTEGER NOT NULL, \n\tPRIMARY KEY (a, b)\n)",
			"oracle": "CREATE TABLE cp (\n\ta INTEGER NOT NULL, \n\tb INTEGER NOT NULL, \n\tPRIMARY KEY (a, b)\n)",
		}},
		{name: "named_primary_key_bigint", build: ct(s.pkn), want: map[string]string{
			"pg":     "CREATE TABLE pkn (\n\tid BIGSERIAL NOT NULL, \n\tCONSTRAINT pk_pkn PRIMARY KEY (id)\n)",
			"sqlite": "CREATE TABLE pkn (\n\tid INTEGER NOT NULL, \n\tCONSTRAINT pk_pkn PRIMARY KEY (id)\n)",
			"mysql":  "CREATE TABLE pkn (\n\tid BIGINT NOT NULL AUTO_INCREMENT, \n\tCONSTRAINT pk_pkn PRIMARY KEY (id)\n)",
			"mssql":  "CREATE TABLE pkn (\n\tid BIGINT NOT NULL IDENTITY, \n\tCONSTRAINT pk_pkn PRIMARY KEY (id)\n)",
			"oracle": "CREATE TABLE pkn (\n\tid NUMBER(19) GENERATED BY DEFAULT AS IDENTITY, \n\tCONSTRAINT pk_pkn PRIMARY KEY (id)\n)",
		}},
		{name: "sequence_column", build: ct(s.seqt), want: map[string]string{
			"pg":     "CREATE TABLE seqt (\n\tid INTEGER NOT NULL, \n\tPRIMARY KEY (id)\n)",
			"sqlite": "CREATE TABLE seqt (\n\tid INTEGER NOT NULL, \n\tPRIMARY KEY (id)\n)",
			// MariaDB has sequences: the column takes nextval, not
			// AUTO_INCREMENT (SQLAlchemy's MariaDB dialect does the same;
			// with FeatSequences off, as for MySQL, it is AUTO_INCREMENT)
			"mysql":  "CREATE TABLE seqt (\n\tid INTEGER NOT NULL, \n\tPRIMARY KEY (id)\n)",
			"mssql":  "CREATE TABLE seqt (\n\tid INTEGER NOT NULL, \n\tPRIMARY KEY (id)\n)",
			"oracle": "CREATE TABLE seqt (\n\tid INTEGER NOT NULL, \n\tPRIMARY KEY (id)\n)",
		}},
		{name: "comments", build: ct(s.cmt), want: map[string]string{
			"pg":     "CREATE TABLE cmt (\n\tid SERIAL NOT NULL, \n\tv VARCHAR(10), \n\tPRIMARY KEY (id)\n)",
			"sqlite": "CREATE TABLE cmt (\n\tid INTEGER NOT NULL, \n\tv VARCHAR(10), \n\tPRIMARY KEY (id)\n)",
			"mysql":  "CREATE TABLE cmt (\n\tid INTEGER NOT NULL COMMENT 'the id' AUTO_INCREMENT, \n\tv VARCHAR(10) COMMENT 'it''s v', \n\tPRIMARY KEY (id)\n)COMMENT='table comment'",
			"mssql":  "CREATE TABLE cmt (\n\tid INTEGER NOT NULL IDENTITY, \n\tv VARCHAR(10) NULL, \n\tPRIMARY KEY (id)\n)",
			"oracle": "CREATE TABLE cmt (\n\tid INTEGER GENERATED BY DEFAULT AS IDENTITY, \n\tv VARCHAR2(10 CHAR), \n\tPRIMARY KEY (id)\n)",
		}},
		{name: "native_enum", build: ct(s.en), want: map[string]string{
			"pg":     "CREATE TABLE en (\n\tid INTEGER NOT NULL, \n\te myenum, \n\tPRIMARY KEY (id)\n)",
			"sqlite": "CREATE TABLE en (\n\tid INTEGER NOT NULL, \n\te VARCHAR(1), \n\tPRIMARY KEY (id)\n)",
			"mysql":  "CREATE TABLE en (\n\tid INTEGER NOT NULL, \n\te ENUM('a','b'), \n\tPRIMARY KEY (id)\n)",
			"mssql":  "CREATE TABLE en (\n\tid INTEGER NOT NULL, \n\te VARCHAR(1) NULL, \n\tPRIMARY KEY (id)\n)",
			"oracle": "CREATE TABLE en (\n\tid INTEGER NOT NULL, \n\te VARCHAR(1 CHAR), \n\tPRIMARY KEY (id)\n)",
		}},
		{name: "sqlite_autoincrement_inline_primary_key", build: ct(s.sa), want: map[string]string{
			"sqlite": "CREATE TABLE sa (\n\tid INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT\n)",
			"pg":     "CREATE TABLE sa (\n\tid SERIAL NOT NULL, \n\tPRIMARY KEY (id)\n)",
		}},
		{name: "mysql_table_options", build: ct(s.my), want: map[string]string{
			"mysql": "CREATE TABLE my (\n\tid INTEGER NOT NULL AUTO_INCREMENT, \n\tPRIMARY KEY (id)\n)ENGINE=InnoDB CHARSET=utf8mb4 COMMENT='t c' COLLATE utf8mb4_unicode_ci",
		}},
		{name: "if_not_exists", build: func(*testing.T) core.DDLElement {
			return &core.CreateTable{Table: s.cp, IfNotExists: true}
		}, want: map[string]string{
			"pg":     "CREATE TABLE IF NOT EXISTS cp (\n\ta INTEGER NOT NULL, \n\tb INTEGER NOT NULL, \n\tPRIMARY KEY (a, b)\n)",
			"sqlite": "CREATE TABLE IF NOT EXISTS cp (\n\ta INTEGER NOT NULL, \n\tb INTEGER NOT NULL, \n\tPRIMARY KEY (a, b)\n)",
			"mysql":  "CREATE TABLE IF NOT EXISTS cp (\n\ta INTEGER NOT NULL, \n\tb INTEGER NOT NULL, \n\tPRIMARY KEY (a, b)\n)",
			// deliberate: SQL Server has no CREATE TABLE IF NOT EXISTS
			"mssql":  errUnsupported,
			"oracle": "CREATE TABLE IF NOT EXISTS cp (\n\ta INTEGER NOT NULL, \n\tb INTEGER NOT NULL, \n\tPRIMARY KEY (a, b)\n)",
		}},
		{name: "drop_table", build: func(*testing.T) core.DDLElement { return &core.DropTable{Table: s.it} },
			want: all("DROP TABLE it")},
		{name: "drop_table_if_exists", build: func(*testing.T) core.DDLElement { return &core.DropTable{Table: s.it, IfExists: true} },
			want: all("DROP TABLE IF EXISTS it")},
	})
}

func TestIndexes(t *testing.T) {
	s := newSchema(t)
	it := s.it
	ci := func(ix *core.Index, ifNot bool) func(*testing.T) core.DDLElement {
		return func(t *testing.T) core.DDLElement {
			// an Index is attached to a table by NewTable
			md := core.NewMetaData()
			_, err := md.NewTable("it",
				core.Col("a", core.String{Length: 20}),
				core.Col("b", core.Integer{}),
				core.Col("c", core.Integer{}),
				ix)
			require.NoError(t, err)
			return &core.CreateIndex{Index: ix, IfNotExists: ifNot}
		}
	}
	runCases(t, []ddlCase{
		{name: "plain", build: ci(&core.Index{Name: "ix_it_a", Columns: []string{"a"}}, false), want: all("CREATE INDEX ix_it_a ON it (a)")},
		{name: "unique", build: ci(&core.Index{Name: "uq_it_ab", Columns: []string{"a", "b"}, Unique: true}, false), want: all("CREATE UNIQUE INDEX uq_it_ab ON it (a, b)")},
		{name: "functional", build: ci(&core.Index{Name: "ix_it_lower", Exprs: []core.Expr{core.Lower(it.C("a"))}}, false), want: map[string]string{
			"pg": "CREATE INDEX ix_it_lower ON it (lower(a))", "sqlite": "CREATE INDEX ix_it_lower ON it (lower(a))",
			"mysql": "CREATE INDEX ix_it_lower ON it ((lower(a)))", "mssql": "CREATE INDEX ix_it_lower ON it (lower(a))",
			"oracle": "CREATE INDEX ix_it_lower ON it (lower(a))",
		}},
		{name: "descending", build: ci(&core.Index{Name: "ix_it_desc", Exprs: []core.Expr{it.C("b").Desc()}}, false), want: all("CREATE INDEX ix_it_desc ON it (b DESC)")},
		{name: "partial", build: ci(&core.Index{Name: "ix_it_part", Columns: []string{"b"}, Where: it.C("c").Gt(5)}, false), want: map[string]string{
			"pg": "CREATE INDEX ix_it_part ON it (b) WHERE c > 5", "sqlite": "CREATE INDEX ix_it_part ON it (b) WHERE c > 5",
			"mssql": "CREATE INDEX ix_it_part ON it (b) WHERE c > 5",
			// deliberate: SQLAlchemy silently drops the WHERE here
			"mysql": errUnsupported, "oracle": errUnsupported,
		}, errHas: []string{`"it"`, `"ix_it_part"`}},
		{name: "mysql_length", build: ci(&core.Index{Name: "ix_it_len", Columns: []string{"a"}, Options: map[string]string{"mysql_length": "10"}}, false), want: map[string]string{
			"pg": "CREATE INDEX ix_it_len ON it (a)", "mysql": "CREATE INDEX ix_it_len ON it (a(10))",
		}},
		{name: "dialect_options", build: ci(&core.Index{Name: "ix_it_pg", Columns: []string{"a"}, Options: map[string]string{
			"postgresql_using": "gin", "postgresql_concurrently": "true", "postgresql_include": "b",
			"mssql_clustered": "true", "mssql_include": "b",
		}}, false), want: map[string]string{
			"pg":    "CREATE INDEX CONCURRENTLY ix_it_pg ON it USING gin (a) INCLUDE (b)",
			"mssql": "CREATE CLUSTERED INDEX ix_it_pg ON it (a) INCLUDE (b)",
		}},
		{name: "if_not_exists", build: ci(&core.Index{Name: "ix_ine", Columns: []string{"b"}}, true), want: map[string]string{
			"pg": "CREATE INDEX IF NOT EXISTS ix_ine ON it (b)", "sqlite": "CREATE INDEX IF NOT EXISTS ix_ine ON it (b)",
			"mysql": "CREATE INDEX IF NOT EXISTS ix_ine ON it (b)",
			// deliberate: SQLAlchemy silently drops IF NOT EXISTS on SQL Server
			"mssql": errUnsupported,
		}},
		{name: "naming_convention_default", build: func(t *testing.T) core.DDLElement {
			md := core.NewMetaData()
			tb, err := md.NewTable("things", core.Col("code", core.String{Length: 5}, core.Indexed(true)))
			require.NoError(t, err)
			return &core.CreateIndex{Index: tb.Indexes()[0]}
		}, want: all("CREATE UNIQUE INDEX ix_things_code ON things (code)")},
		{name: "schema_create", build: schemaIndex(false), want: map[string]string{
			"pg": "CREATE INDEX ix_st ON sch.st (id)", "sqlite": "CREATE INDEX ix_st ON sch.st (id)", "mysql": "CREATE INDEX ix_st ON sch.st (id)",
			"mssql": "CREATE INDEX ix_st ON sch.st (id)", "oracle": "CREATE INDEX sch.ix_st ON sch.st (id)",
		}},
		{name: "schema_drop", build: schemaIndex(true), want: map[string]string{
			"pg": "DROP INDEX sch.ix_st", "sqlite": "DROP INDEX sch.ix_st", "mysql": "DROP INDEX ix_st ON sch.st",
			"mssql": "DROP INDEX ix_st ON sch.st", "oracle": "DROP INDEX sch.ix_st",
		}},
		{name: "expression_index_needs_a_name", build: ci(&core.Index{Exprs: []core.Expr{core.Lower(it.C("a"))}}, false),
			want: all(errArgument), errHas: []string{`"it"`}},
		{name: "drop", build: func(t *testing.T) core.DDLElement {
			el := ci(&core.Index{Name: "ix_it_a", Columns: []string{"a"}}, false)(t).(*core.CreateIndex)
			return &core.DropIndex{Index: el.Index}
		}, want: map[string]string{
			"pg": "DROP INDEX ix_it_a", "sqlite": "DROP INDEX ix_it_a", "mysql": "DROP INDEX ix_it_a ON it",
			"mssql": "DROP INDEX ix_it_a ON it", "oracle": "DROP INDEX ix_it_a",
		}},
	})
}

func TestSequencesConstraintsCommentsEnums(t *testing.T) {
	s := newSchema(t)
	el := func(e core.DDLElement) func(*testing.T) core.DDLElement {
		return func(*testing.T) core.DDLElement { return e }
	}
	runCases(t, []ddlCase{
		{name: "create_sequence", build: el(&core.CreateSequence{Sequence: s.s1}), want: map[string]string{
			"pg": "CREATE SEQUENCE s1", "mysql": "CREATE SEQUENCE s1", "mssql": "CREATE SEQUENCE s1", "oracle": "CREATE SEQUENCE s1",
			"sqlite": errUnsupported,
		}},
		{name: "create_sequence_options", build: el(&core.CreateSequence{Sequence: s.s2}), want: map[string]string{
			"pg":     "CREATE SEQUENCE s2 INCREMENT BY 2 START WITH 5 MINVALUE 1 MAXVALUE 100 CACHE 10 CYCLE",
			"oracle": "CREATE SEQUENCE s2 INCREMENT BY 2 START WITH 5 MINVALUE 1 MAXVALUE 100 CACHE 10 CYCLE",
		}},
		{name: "drop_sequence", build: el(&core.DropSequence{Sequence: s.s1, IfExists: true}), want: map[string]string{
			"pg": "DROP SEQUENCE IF EXISTS s1", "mysql": "DROP SEQUENCE IF EXISTS s1", "mssql": "DROP SEQUENCE IF EXISTS s1",
			"oracle": "DROP SEQUENCE IF EXISTS s1", "sqlite": errUnsupported,
		}},
		{name: "add_unique", build: el(&core.AddConstraint{Constraint: constraintNamed(s.child, "uq_pc")}), want: map[string]string{
			"pg": "ALTER TABLE child ADD CONSTRAINT uq_pc UNIQUE (pid, code)", "mysql": "ALTER TABLE child ADD CONSTRAINT uq_pc UNIQUE (pid, code)",
			"mssql": "ALTER TABLE child ADD CONSTRAINT uq_pc UNIQUE (pid, code)", "oracle": "ALTER TABLE child ADD CONSTRAINT uq_pc UNIQUE (pid, code)",
			"sqlite": errUnsupported,
		}},
		{name: "add_foreign_key", build: el(&core.AddConstraint{Constraint: constraintNamed(s.child, "fk2")}), want: map[string]string{
			"pg": "ALTER TABLE child ADD CONSTRAINT fk2 FOREIGN KEY(pid) REFERENCES parent (id)", "oracle": "ALTER TABLE child ADD CONSTRAINT fk2 FOREIGN KEY(pid) REFERENCES parent (id)",
		}},
		{name: "drop_foreign_key", build: el(&core.DropConstraint{Constraint: constraintNamed(s.child, "fk2")}), want: map[string]string{
			"pg": "ALTER TABLE child DROP CONSTRAINT fk2", "mysql": "ALTER TABLE child DROP FOREIGN KEY fk2",
			"mssql": "ALTER TABLE child DROP CONSTRAINT fk2", "oracle": "ALTER TABLE child DROP CONSTRAINT fk2", "sqlite": errUnsupported,
		}},
		{name: "drop_unique", build: el(&core.DropConstraint{Constraint: constraintNamed(s.child, "uq_pc")}), want: map[string]string{
			"pg": "ALTER TABLE child DROP CONSTRAINT uq_pc", "mysql": "ALTER TABLE child DROP INDEX uq_pc",
		}},
		{name: "drop_check", build: el(&core.DropConstraint{Constraint: constraintNamed(s.child, "ck_pos")}), want: map[string]string{
			"pg": "ALTER TABLE child DROP CONSTRAINT ck_pos", "mysql": "ALTER TABLE child DROP CHECK ck_pos",
		}},
		{name: "drop_unnamed_constraint", build: el(&core.DropConstraint{Constraint: s.cp.PrimaryKey()}), want: map[string]string{
			"pg": errArgument, "oracle": errArgument,
		}, errHas: []string{`"cp"`}},
		{name: "table_comment", build: el(&core.SetTableComment{Table: s.cmt}), want: map[string]string{
			"pg": "COMMENT ON TABLE cmt IS 'table comment'", "oracle": "COMMENT ON TABLE cmt IS 'table comment'",
			"mysql":  "ALTER TABLE cmt COMMENT 'table comment'",
			"mssql":  "execute sp_addextendedproperty 'MS_Description', N'table comment', 'schema', dbo, 'table', cmt",
			"sqlite": errUnsupported,
		}},
		{name: "column_comment", build: el(&core.SetColumnComment{Column: s.cmt.C("v")}), want: map[string]string{
			"pg": "COMMENT ON COLUMN cmt.v IS 'it''s v'", "oracle": "COMMENT ON COLUMN cmt.v IS 'it''s v'",
			"mysql":  "ALTER TABLE cmt CHANGE v v VARCHAR(10) COMMENT 'it''s v'",
			"mssql":  "execute sp_addextendedproperty 'MS_Description', N'it''s v', 'schema', dbo, 'table', cmt, 'column', v",
			"sqlite": errUnsupported,
		}},
		{name: "drop_comment", build: el(&core.SetTableComment{Table: s.it}), want: map[string]string{
			"pg": "COMMENT ON TABLE it IS NULL", "oracle": "COMMENT ON TABLE it IS ''",
			"mssql": "execute sp_dropextendedproperty 'MS_Description', 'schema', dbo, 'table', it",
		}},
		{name: "create_enum_type", build: el(&core.CreateEnumType{Enum: core.Enum{Name: "myenum", Values: []string{"a", "b"}, Native: true}}), want: map[string]string{
			"pg": "CREATE TYPE myenum AS ENUM ('a', 'b')", "sqlite": errUnsupported, "mysql": errUnsupported, "mssql": errUnsupported, "oracle": errUnsupported,
		}},
		{name: "drop_enum_type", build: el(&core.DropEnumType{Enum: core.Enum{Name: "myenum", Values: []string{"a", "b"}, Native: true}}), want: map[string]string{
			"pg": "DROP TYPE myenum",
		}},
	})
}

func TestForeignKeyOptions(t *testing.T) {
	build := func(opts ...core.FKOption) func(*testing.T) core.DDLElement {
		return func(t *testing.T) core.DDLElement {
			md := core.NewMetaData()
			md.MustTable("parent", core.Col("id", core.Integer{}, core.PrimaryKey()))
			c, err := md.NewTable("child",
				core.Col("id", core.Integer{}, core.PrimaryKey(), core.Autoincrement(false)),
				core.Col("pid", core.Integer{}, core.References("parent.id", opts...)))
			require.NoError(t, err)
			return &core.CreateTable{Table: c}
		}
	}
	head := "CREATE TABLE child (\n\tid INTEGER NOT NULL, \n\tpid INTEGER, \n\tPRIMARY KEY (id), \n\t"
	runCases(t, []ddlCase{
		{name: "on_delete_on_update", build: build(core.OnDelete("cascade"), core.OnUpdateAction("SET NULL")), want: map[string]string{
			"pg":     head + "FOREIGN KEY(pid) REFERENCES parent (id) ON DELETE CASCADE ON UPDATE SET NULL\n)",
			"sqlite": head + "FOREIGN KEY(pid) REFERENCES parent (id) ON DELETE CASCADE ON UPDATE SET NULL\n)",
			"mysql":  head + "FOREIGN KEY(pid) REFERENCES parent (id) ON DELETE CASCADE ON UPDATE SET NULL\n)",
			// deliberate: SQLAlchemy drops ON UPDATE on Oracle with a warning
			"oracle": errUnsupported,
		}, errHas: []string{"ON UPDATE", `"child"`}},
		{name: "named_with_deferrable", build: build(core.FKName("fk_a"), core.OnDelete("SET NULL"), func(f *core.ForeignKeyConstraint) {
			d := true
			f.Deferrable, f.Initially = &d, "deferred"
		}), want: map[string]string{
			"pg":     head + "CONSTRAINT fk_a FOREIGN KEY(pid) REFERENCES parent (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED\n)",
			"oracle": strings.Replace(head, "id INTEGER NOT NULL", "id INTEGER NOT NULL", 1) + "CONSTRAINT fk_a FOREIGN KEY(pid) REFERENCES parent (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED\n)",
			"mysql":  errUnsupported, "mssql": errUnsupported,
		}},
		{name: "bad_action", build: build(core.OnDelete("DROP TABLE x; --")), want: all(errArgument), errHas: []string{`"child"`}},
		{name: "restrict_on_mssql", build: build(core.OnDelete("RESTRICT")), want: map[string]string{
			"pg": head + "FOREIGN KEY(pid) REFERENCES parent (id) ON DELETE RESTRICT\n)", "mssql": errUnsupported, "oracle": errUnsupported,
		}},
	})
}

func TestTypeErrors(t *testing.T) {
	col := func(typ core.Type) func(*testing.T) core.DDLElement {
		return func(t *testing.T) core.DDLElement {
			md := core.NewMetaData()
			tb, err := md.NewTable("nl", core.Col("s", typ))
			require.NoError(t, err)
			return &core.CreateTable{Table: tb}
		}
	}
	runCases(t, []ddlCase{
		{name: "string_without_length", build: col(core.String{}), want: map[string]string{
			"pg": "CREATE TABLE nl (\n\ts VARCHAR\n)", "sqlite": "CREATE TABLE nl (\n\ts VARCHAR\n)",
			"mysql": errCompile, "mssql": "CREATE TABLE nl (\n\ts VARCHAR(max) NULL\n)",
			// deliberate: SQLAlchemy writes VARCHAR2, which Oracle rejects
			"oracle": errCompile,
		}, errHas: []string{`table "nl"`, `column "s"`, "requires a length"}},
		{name: "array_only_on_postgresql", build: col(core.Array{Item: core.String{Length: 10}, Dimensions: 2}), want: map[string]string{
			"pg": "CREATE TABLE nl (\n\ts VARCHAR(10)[][]\n)", "sqlite": errUnsupported, "mysql": errUnsupported, "mssql": errUnsupported, "oracle": errUnsupported,
		}, errHas: []string{`column "s"`}},
		{name: "json", build: col(core.JSON{}), want: map[string]string{
			"pg": "CREATE TABLE nl (\n\ts JSON\n)", "sqlite": "CREATE TABLE nl (\n\ts JSON\n)", "mysql": "CREATE TABLE nl (\n\ts JSON\n)",
			"mssql": "CREATE TABLE nl (\n\ts NVARCHAR(max) NULL\n)", "oracle": errUnsupported,
		}},
		{name: "uuid", build: col(core.UUID{}), want: map[string]string{
			"pg": "CREATE TABLE nl (\n\ts UUID\n)", "sqlite": "CREATE TABLE nl (\n\ts CHAR(32)\n)", "mysql": "CREATE TABLE nl (\n\ts CHAR(32)\n)",
			"mssql": "CREATE TABLE nl (\n\ts UNIQUEIDENTIFIER NULL\n)", "oracle": "CREATE TABLE nl (\n\ts CHAR(32)\n)",
		}},
	})
}

// typeCase is one generic type's DDL and CAST spelling per dialect, in the
// order pg, sqlite, mysql, mssql, oracle ("!" is an error).
type typeCase struct {
	typ  core.Type
	ddl  [5]string
	cast [5]string
}

func TestTypeNames(t *testing.T) {
	cases := []typeCase{
		{core.Integer{}, [5]string{"INTEGER", "INTEGER", "INTEGER", "INTEGER", "INTEGER"}, [5]string{"INTEGER", "INTEGER", "SIGNED INTEGER", "INTEGER", "INTEGER"}},
		{core.BigInteger{}, [5]string{"BIGINT", "BIGINT", "BIGINT", "BIGINT", "NUMBER(19)"}, [5]string{"BIGINT", "BIGINT", "SIGNED INTEGER", "BIGINT", "NUMBER(19)"}},
		{core.SmallInteger{}, [5]string{"SMALLINT", "SMALLINT", "SMALLINT", "SMALLINT", "SMALLINT"}, [5]string{"SMALLINT", "SMALLINT", "SIGNED INTEGER", "SMALLINT", "SMALLINT"}},
		{core.String{Length: 50}, [5]string{"VARCHAR(50)", "VARCHAR(50)", "VARCHAR(50)", "VARCHAR(50)", "VARCHAR2(50 CHAR)"}, [5]string{"VARCHAR(50)", "VARCHAR(50)", "CHAR(50)", "VARCHAR(50)", "VARCHAR2(50 CHAR)"}},
		{core.String{}, [5]string{"VARCHAR", "VARCHAR", "!", "VARCHAR(max)", "!"}, [5]string{"VARCHAR", "VARCHAR", "CHAR", "VARCHAR(max)", "VARCHAR2"}},
		{core.String{Length: 20, National: true}, [5]string{"VARCHAR(20)", "VARCHAR(20)", "NATIONAL VARCHAR(20)", "NVARCHAR(20)", "NVARCHAR2(20)"}, [5]string{"VARCHAR(20)", "VARCHAR(20)", "CHAR(20)", "NVARCHAR(20)", "NVARCHAR2(20)"}},
		{core.Text{}, [5]string{"TEXT", "TEXT", "TEXT", "VARCHAR(max)", "CLOB"}, [5]string{"TEXT", "TEXT", "CHAR", "VARCHAR(max)", "CLOB"}},
		{core.Boolean{}, [5]string{"BOOLEAN", "BOOLEAN", "BOOL", "BIT", "SMALLINT"}, [5]string{"BOOLEAN", "BOOLEAN", "!", "BIT", "SMALLINT"}},
		{core.Float{}, [5]string{"FLOAT", "FLOAT", "FLOAT", "FLOAT", "FLOAT"}, [5]string{"FLOAT", "FLOAT", "FLOAT", "FLOAT", "FLOAT"}},
		{core.Double{}, [5]string{"DOUBLE PRECISION", "DOUBLE", "DOUBLE", "DOUBLE PRECISION", "DOUBLE PRECISION"}, [5]string{"DOUBLE PRECISION", "DOUBLE", "DOUBLE", "DOUBLE PRECISION", "DOUBLE PRECISION"}},
		{core.Numeric{Precision: 10, Scale: 2}, [5]string{"NUMERIC(10, 2)", "NUMERIC(10, 2)", "NUMERIC(10, 2)", "NUMERIC(10, 2)", "NUMERIC(10, 2)"}, [5]string{"NUMERIC(10, 2)", "NUMERIC(10, 2)", "DECIMAL(10, 2)", "NUMERIC(10, 2)", "NUMERIC(10, 2)"}},
		{core.Numeric{}, [5]string{"NUMERIC", "NUMERIC", "NUMERIC", "NUMERIC", "NUMERIC"}, [5]string{"NUMERIC", "NUMERIC", "DECIMAL", "NUMERIC", "NUMERIC"}},
		{core.Date{}, [5]string{"DATE", "DATE", "DATE", "DATE", "DATE"}, [5]string{"DATE", "DATE", "DATE", "DATE", "DATE"}},
		// deliberate: Oracle has no TIME type
		{core.Time{}, [5]string{"TIME WITHOUT TIME ZONE", "TIME", "TIME", "TIME", "!"}, [5]string{"TIME WITHOUT TIME ZONE", "TIME", "TIME", "TIME", "!"}},
		{core.DateTime{}, [5]string{"TIMESTAMP WITHOUT TIME ZONE", "DATETIME", "DATETIME", "DATETIME", "DATE"}, [5]string{"TIMESTAMP WITHOUT TIME ZONE", "DATETIME", "DATETIME", "DATETIME", "DATE"}},
		// deliberate: Oracle keeps the zone (SQLAlchemy: DATE)
		{core.DateTime{Timezone: true}, [5]string{"TIMESTAMP WITH TIME ZONE", "DATETIME", "DATETIME", "DATETIMEOFFSET", "TIMESTAMP WITH TIME ZONE"}, [5]string{"TIMESTAMP WITH TIME ZONE", "DATETIME", "DATETIME", "DATETIMEOFFSET", "TIMESTAMP WITH TIME ZONE"}},
		{core.Interval{}, [5]string{"INTERVAL", "DATETIME", "DATETIME", "DATETIME", "INTERVAL DAY TO SECOND"}, [5]string{"INTERVAL", "DATETIME", "DATETIME", "DATETIME", "INTERVAL DAY TO SECOND"}},
		// MySQL: LONGBLOB, since BLOB holds only 64 KiB (SQLAlchemy writes BLOB)
		{core.LargeBinary{}, [5]string{"BYTEA", "BLOB", "LONGBLOB", "VARBINARY(max)", "BLOB"}, [5]string{"BYTEA", "BLOB", "BINARY", "VARBINARY(max)", "BLOB"}},
		{core.JSON{}, [5]string{"JSON", "JSON", "JSON", "NVARCHAR(max)", "!"}, [5]string{"JSON", "JSON", "JSON", "NVARCHAR(max)", "!"}},
		{core.UUID{}, [5]string{"UUID", "CHAR(32)", "CHAR(32)", "UNIQUEIDENTIFIER", "CHAR(32)"}, [5]string{"UUID", "CHAR(32)", "!", "UNIQUEIDENTIFIER", "CHAR(32)"}},
		{core.Enum{Name: "color", Values: []string{"red", "green"}}, [5]string{"VARCHAR(5)", "VARCHAR(5)", "VARCHAR(5)", "VARCHAR(5)", "VARCHAR(5 CHAR)"}, [5]string{"VARCHAR(5)", "VARCHAR(5)", "!", "VARCHAR(5)", "VARCHAR(5 CHAR)"}},
		{core.Enum{Name: "color", Values: []string{"red", "green"}, Native: true}, [5]string{"color", "VARCHAR(5)", "ENUM('red','green')", "VARCHAR(5)", "VARCHAR(5 CHAR)"}, [5]string{"color", "VARCHAR(5)", "!", "VARCHAR(5)", "VARCHAR(5 CHAR)"}},
		{core.Array{Item: core.Integer{}}, [5]string{"INTEGER[]", "!", "!", "!", "!"}, [5]string{"INTEGER[]", "!", "!", "!", "!"}},
	}
	for _, tc := range cases {
		for i, dn := range order {
			d := dialects[dn]
			for _, forCast := range []bool{false, true} {
				want := tc.ddl[i]
				kind := "ddl"
				if forCast {
					want, kind = tc.cast[i], "cast"
				}
				got, err := typeSQL(d, tc.typ, forCast)
				if want == "!" {
					assert.Error(t, err, "%s %s %s", tc.typ.TypeName(), dn, kind)
					continue
				}
				if assert.NoError(t, err, "%s %s %s", tc.typ.TypeName(), dn, kind) {
					assert.Equal(t, want, got, "%s %s %s", tc.typ.TypeName(), dn, kind)
				}
			}
		}
	}
}

// typeProbe is a custom construct that records the dialect's TypeSQL.
type typeProbe struct {
	typ     core.Type
	forCast bool
	got     *string
}

func (p typeProbe) CompileSQL(c *core.Compiler) error {
	s, err := c.Dialect().TypeSQL(c, p.typ, p.forCast)
	*p.got = s
	c.WriteString("1")
	return err
}

func (p typeProbe) CacheKey(k *core.KeyWriter) {}

func typeSQL(d core.Dialect, typ core.Type, forCast bool) (string, error) {
	var got string
	_, err := core.Compile(d, core.Select(core.Custom(typeProbe{typ, forCast, &got}, typ)))
	return got, err
}

func schemaIndex(drop bool) func(*testing.T) core.DDLElement {
	return func(t *testing.T) core.DDLElement {
		md := core.NewMetaData()
		ix := &core.Index{Name: "ix_st", Columns: []string{"id"}}
		_, err := md.NewTable("st", core.Col("id", core.Integer{}, core.PrimaryKey()), core.InSchema("sch"), ix)
		require.NoError(t, err)
		if drop {
			return &core.DropIndex{Index: ix}
		}
		return &core.CreateIndex{Index: ix}
	}
}
