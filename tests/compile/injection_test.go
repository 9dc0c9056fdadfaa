package compile_test

import (
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"

	_ "github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/internal/testdb"
)

// hostile are values that break SQL built by pasting strings.
var hostile = []string{
	"'", "''", "it's", "'; DROP TABLE x; --", "--", ";", `\`, `\'`, `trailing\`, `\\'`,
	"a\x00b", "\u2019", "\u02bc", "\uff07", "$1", "?", ":name", "%", "_", "50%_off",
	`"`, "`", "]", "\n", "é",
}

// liveDB is one reachable database with the dialect that compiles for it.
type liveDB struct {
	name string
	db   *sql.DB
	d    core.Dialect
	// tableSuffix completes CREATE TABLE (MySQL needs utf8mb4 and a binary
	// collation so that text compares byte for byte).
	tableSuffix string
}

func openLive(t *testing.T, b testdb.Backend) liveDB {
	t.Helper()
	var driver, dsn, dialect, suffix string
	switch b.Name {
	case testdb.SQLite:
		driver, dsn, dialect = "sqlite", ":memory:", "sqlite"
	case testdb.Postgres:
		driver, dsn, dialect = "pgx", b.URL, "postgresql"
	case testdb.MySQL:
		driver, dsn, dialect = "mysql", b.URL, "mysql"
		suffix = " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
	default:
		t.Skipf("%s: the injection suite runs on SQLite, PostgreSQL and MariaDB", b.Name)
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1) // one connection: the in-memory SQLite database lives in it
	t.Cleanup(func() { db.Close() })
	if err := db.Ping(); err != nil {
		t.Fatalf("%s: %v", b.Name, err)
	}
	d, err := core.LookupDialect(dialect)
	if err != nil {
		t.Fatal(err)
	}
	return liveDB{name: b.Name, db: db, d: d, tableSuffix: suffix}
}

func (l liveDB) exec(t *testing.T, stmt core.Statement) {
	t.Helper()
	c, err := core.Compile(l.d, stmt)
	if err != nil {
		t.Fatalf("%s: compile: %v", l.name, err)
	}
	if _, err := l.db.Exec(c.SQL, c.Args...); err != nil {
		t.Fatalf("%s: %s %v: %v", l.name, c.SQL, c.Args, err)
	}
}

// scratch creates table name(id, s) with the dialect's own quoting and
// drops it when the test ends.
func (l liveDB) scratch(t *testing.T, name, idCol, sCol string) *core.Table {
	t.Helper()
	q := func(s string) string { return string(l.d.AppendIdent(nil, s)) }
	drop := "DROP TABLE IF EXISTS " + q(name)
	if _, err := l.db.Exec(drop); err != nil {
		t.Fatalf("%s: %s: %v", l.name, drop, err)
	}
	create := fmt.Sprintf("CREATE TABLE %s (%s INTEGER PRIMARY KEY, %s TEXT)%s", q(name), q(idCol), q(sCol), l.tableSuffix)
	if _, err := l.db.Exec(create); err != nil {
		t.Fatalf("%s: %s: %v", l.name, create, err)
	}
	t.Cleanup(func() { l.db.Exec(drop) })
	md := core.NewMetaData()
	return md.MustTable(name, core.Col(idCol, core.Integer{}, core.PrimaryKey(), core.Autoincrement(false)), core.Col(sCol, core.Text{}))
}

// rejectsNUL reports whether the backend refuses NUL in text values
// (PostgreSQL does; the others store it).
func rejectsNUL(name string) bool { return name == testdb.Postgres }

// TestInjectionBoundValues stores each hostile value as a bound parameter
// and reads it back: the SQL text never changes with the value, and the
// value round-trips unchanged.
func TestInjectionBoundValues(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		l := openLive(t, b)
		tbl := l.scratch(t, "retort_inj_values", "id", "s")
		id, s := tbl.C("id"), tbl.C("s")
		benignIns, err := core.Compile(l.d, core.Insert(tbl).Values(map[string]any{"id": 0, "s": "benign"}))
		if err != nil {
			t.Fatal(err)
		}
		stored := map[int]string{}
		for i, v := range hostile {
			i++
			ins, err := core.Compile(l.d, core.Insert(tbl).Values(map[string]any{"id": i, "s": v}))
			if err != nil {
				t.Fatalf("compile insert of %q: %v", v, err)
			}
			if ins.SQL != benignIns.SQL {
				t.Errorf("insert SQL changed with the value %q:\n%s\nvs\n%s", v, ins.SQL, benignIns.SQL)
			}
			if len(v) > 2 && strings.Contains(ins.SQL, v) {
				t.Errorf("value %q appears in the SQL text %q", v, ins.SQL)
			}
			if !slices.Contains(ins.Args, any(v)) {
				t.Errorf("value %q is not among the args %#v", v, ins.Args)
			}
			_, err = l.db.Exec(ins.SQL, ins.Args...)
			if strings.IndexByte(v, 0) >= 0 && rejectsNUL(l.name) {
				if err == nil {
					t.Errorf("%s stored %q without error; want NUL refused, not truncated", l.name, v)
				} else if !strings.Contains(err.Error(), "0x00") {
					t.Errorf("%s: NUL refused with an unclear error: %v", l.name, err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("insert %q: %v", v, err)
			}
			stored[i] = v
		}
		for i, v := range stored {
			q, err := core.Compile(l.d, core.Select(id, s).Where(s.Eq(v)))
			if err != nil {
				t.Fatal(err)
			}
			var gotID int
			var got string
			if err := l.db.QueryRow(q.SQL, q.Args...).Scan(&gotID, &got); err != nil {
				t.Errorf("select where s = %q: %v", v, err)
				continue
			}
			if gotID != i || got != v {
				t.Errorf("select where s = %q: got id %d value %q, want id %d", v, gotID, got, i)
			}
		}
		// LIKE wildcards inside Contains match literally.
		for _, w := range []string{"%", "_"} {
			q, err := core.Compile(l.d, core.Select(id).Where(s.Contains(w)).OrderBy(id))
			if err != nil {
				t.Fatal(err)
			}
			rows, err := l.db.Query(q.SQL, q.Args...)
			if err != nil {
				t.Fatalf("%s %v: %v", q.SQL, q.Args, err)
			}
			var got, want []int
			for rows.Next() {
				var n int
				if err := rows.Scan(&n); err != nil {
					t.Fatal(err)
				}
				got = append(got, n)
			}
			rows.Close()
			for i, v := range stored {
				if strings.Contains(v, w) {
					want = append(want, i)
				}
			}
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("Contains(%q) matched ids %v, want %v", w, got, want)
			}
		}
		var n int
		if err := l.db.QueryRow("SELECT count(*) FROM retort_inj_values").Scan(&n); err != nil || n != len(stored) {
			t.Errorf("table holds %d rows (err %v), want %d", n, err, len(stored))
		}
	})
}

// hostileIdents are table and column names with quote characters, spaces
// and statement separators.
var hostileIdents = []string{`we"ird`, "sp ace", "back`tick", "br[ack]et", "it's", "semi;colon", "--dash", "MixedCase", "select"}

// TestInjectionIdentifiers creates a table and column for each hostile name,
// writes and reads through them: the quoted identifier round-trips.
func TestInjectionIdentifiers(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		l := openLive(t, b)
		for i, name := range hostileIdents {
			t.Run(fmt.Sprintf("ident_%d", i), func(t *testing.T) {
				tblName := "rt " + name
				tbl := l.scratch(t, tblName, "id "+name, name)
				l.exec(t, core.Insert(tbl).Values(map[string]any{"id " + name: 1, name: "v" + name}))
				q, err := core.Compile(l.d, core.Select(tbl.C(name)).Where(tbl.C("id "+name).Eq(1)))
				if err != nil {
					t.Fatal(err)
				}
				rows, err := l.db.Query(q.SQL, q.Args...)
				if err != nil {
					t.Fatalf("%s: %v", q.SQL, err)
				}
				defer rows.Close()
				cols, _ := rows.Columns()
				if len(cols) != 1 || cols[0] != name {
					t.Errorf("result column %q, want %q", cols, name)
				}
				if !rows.Next() {
					t.Fatalf("no row from %s", q.SQL)
				}
				var got string
				if err := rows.Scan(&got); err != nil {
					t.Fatal(err)
				}
				if got != "v"+name {
					t.Errorf("read %q, want %q", got, "v"+name)
				}
			})
		}
	})
}

// TestInjectionRenderLiteral executes statements rendered with
// core.RenderLiteral: each is one statement (no ';' outside quoted text)
// that returns exactly the original string. NUL and invalid UTF-8 are
// refused at render time.
func TestInjectionRenderLiteral(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		l := openLive(t, b)
		tbl := l.scratch(t, "retort_inj_literal", "id", "s")
		l.exec(t, core.Insert(tbl).Values(map[string]any{"id": 1, "s": "row"}))
		for _, v := range append(hostile, "\xff", "ok\xc3") {
			stmt := core.Select(core.Bind(v, core.String{}).Label("v")).Where(tbl.C("id").Eq(1)).From(tbl)
			text, err := core.RenderLiteral(l.d, stmt)
			if strings.IndexByte(v, 0) >= 0 || !isUTF8(v) {
				if err == nil {
					t.Errorf("RenderLiteral of %q gave %q, want an error", v, text)
				}
				continue
			}
			if err != nil {
				t.Errorf("RenderLiteral of %q: %v", v, err)
				continue
			}
			if i := semicolonOutsideQuotes(text, l.d.Name() == "mysql"); i >= 0 {
				t.Errorf("rendered SQL %q has a ';' outside quotes at %d", text, i)
			}
			var got string
			if err := l.db.QueryRow(text).Scan(&got); err != nil {
				t.Errorf("run %q: %v", text, err)
				continue
			}
			if got != v {
				t.Errorf("literal %q returned %q, want %q", text, got, v)
			}
		}
	})
}

func isUTF8(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

// semicolonOutsideQuotes returns the index of the first ';' that is not in
// a '…' literal or a "…", `…` or […] identifier, or -1. backslashes: a
// backslash escapes the next character inside '…' (MySQL).
func semicolonOutsideQuotes(s string, backslashes bool) int {
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; ch {
		case ';':
			return i
		case '\'', '"', '`', '[':
			end := ch
			if ch == '[' {
				end = ']'
			}
			for i++; i < len(s); i++ {
				if ch == '\'' && backslashes && s[i] == '\\' {
					i++
					continue
				}
				if s[i] == end {
					if i+1 < len(s) && s[i+1] == end {
						i++
						continue
					}
					break
				}
			}
		}
	}
	return -1
}
