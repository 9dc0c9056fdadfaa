// Package compliance_test runs every golden statement of the Core compiler
// (internal/goldencases) through the Engine on each live backend, against a
// fixed seed dataset, and checks the results: equal across SQLite,
// PostgreSQL and MariaDB wherever the backends support the case, and equal
// to hand-written rows for the representative cases of expected_test.go.
package compliance_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/retort-orm/retort/core"
	_ "github.com/retort-orm/retort/dialect/mysql"
	_ "github.com/retort-orm/retort/dialect/postgresql"
	_ "github.com/retort-orm/retort/dialect/sqlite"
	"github.com/retort-orm/retort/internal/goldencases"
	"github.com/retort-orm/retort/internal/testdb"
)

// namespace is this suite's private PostgreSQL schema and MariaDB
// database, so that tables t, o, e, d never meet another suite's tables of
// the same names (tests/compile uses retort_golden).
const namespace = "retort_compliance"

// dump logs every case's normalised rows, for writing expected rows.
var dump = flag.Bool("dump", false, "log every case's normalised rows")

// outcome is what one case gave on one backend.
type outcome struct {
	skipped string   // reason the backend cannot compile the case
	failed  string   // the runtime error an allow-list entry expects
	rows    []string // normalised result rows, one line each
	after   []string // DML only: the tables read back after the statement
	sql     string
}

// text is the outcome compared across backends.
func (o outcome) text() string {
	s := strings.Join(o.rows, "\n")
	if o.after != nil {
		s += "\n-- after\n" + strings.Join(o.after, "\n")
	}
	return s
}

func TestCompliance(t *testing.T) {
	// case name -> backend name -> outcome
	results := map[string]map[string]outcome{}
	var backends []string
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		if b.Name != testdb.SQLite && b.Name != testdb.Postgres && b.Name != testdb.MySQL {
			t.Skipf("%s: the compliance suite runs on SQLite, PostgreSQL and MariaDB", b.Name)
		}
		backends = append(backends, b.Name)
		ran, failed, skipped := 0, 0, 0
		for name, o := range runBackend(t, b) {
			if results[name] == nil {
				results[name] = map[string]outcome{}
			}
			results[name][b.Name] = o
			switch {
			case o.skipped != "":
				skipped++
			case o.failed != "":
				failed++
			default:
				ran++
			}
		}
		t.Logf("%s: of %d cases, %d ran with their rows checked, %d failed as expectError expects, %d skipped (not compilable here or not portable)",
			b.Name, len(goldencases.Cases), ran, failed, skipped)
	})
	if len(backends) == 0 {
		return
	}
	t.Run("cross_backend", func(t *testing.T) { crossCheck(t, backends, results) })
	t.Run("expected", func(t *testing.T) { expectedCheck(t, results) })
}

// crossCheck fails on a case whose rows differ between two backends that
// both ran it.
func crossCheck(t *testing.T, backends []string, results map[string]map[string]outcome) {
	compared := 0
	for _, gc := range goldencases.Cases {
		byB := results[gc.Name]
		var ref string
		var refOut outcome
		n := 0
		for _, b := range backends {
			o, ok := byB[b]
			if !ok || o.skipped != "" || o.failed != "" {
				continue
			}
			got, want := o.text(), refOut.text()
			if _, ok := countOnly[gc.Name]; ok {
				got, want = fmt.Sprintf("%d rows", len(o.rows)), fmt.Sprintf("%d rows", len(refOut.rows))
			}
			if n == 0 {
				ref, refOut = b, o
			} else if got != want {
				if reason, ok := knownDifferences[gc.Name+"/"+b]; ok {
					t.Logf("%s: %s differs from %s (allowed: %s)", gc.Name, b, ref, reason)
				} else {
					t.Errorf("%s: %s differs from %s\n--- %s: %s\n%s\n--- %s: %s\n%s", gc.Name, b, ref, ref, refOut.sql, want, b, o.sql, got)
				}
			}
			n++
		}
		if n > 1 {
			compared++
		}
	}
	t.Logf("%d cases compared across %d backends", compared, len(backends))
}

// expectedCheck compares the backends' rows with the hand-written rows.
func expectedCheck(t *testing.T, results map[string]map[string]outcome) {
	names := map[string]bool{}
	for _, gc := range goldencases.Cases {
		names[gc.Name] = true
	}
	checked := 0
	for name, want := range expected {
		if !names[name] {
			t.Errorf("expected rows for %s, which is no golden case", name)
			continue
		}
		ran := false
		for b, o := range results[name] {
			if o.skipped != "" || o.failed != "" {
				continue
			}
			ran = true
			if want.rows != nil || want.after == nil {
				if got := strings.Join(o.rows, "\n"); got != strings.Join(want.rows, "\n") {
					t.Errorf("%s on %s: rows\n%s\nwant\n%s\nSQL: %s", name, b, got, strings.Join(want.rows, "\n"), o.sql)
				}
			}
			tables := map[string]bool{}
			for _, line := range want.after {
				tbl, _, _ := strings.Cut(line, ":")
				if tables[tbl] {
					continue
				}
				tables[tbl] = true
				var got []string
				for _, a := range o.after {
					if strings.HasPrefix(a, tbl+":") {
						got = append(got, a)
					}
				}
				var wantTbl []string
				for _, w := range want.after {
					if strings.HasPrefix(w, tbl+":") {
						wantTbl = append(wantTbl, w)
					}
				}
				if strings.Join(got, "\n") != strings.Join(wantTbl, "\n") {
					t.Errorf("%s on %s: table %s after the statement\n%s\nwant\n%s", name, b, tbl, strings.Join(got, "\n"), strings.Join(wantTbl, "\n"))
				}
			}
		}
		if ran {
			checked++
		}
	}
	if checked < 30 {
		t.Errorf("only %d cases checked against hand-written rows; want at least 30", checked)
	}
	t.Logf("%d cases checked against hand-written rows", checked)
}

// engineURL turns a testdb backend into a URL for core.CreateEngine.
func engineURL(t *testing.T, b testdb.Backend) string {
	switch b.Name {
	case testdb.SQLite:
		return "sqlite://"
	case testdb.MySQL:
		return testdb.MySQLURL(b.URL)
	}
	return b.URL
}

// runBackend creates the schema in a private namespace, loads the seed and
// runs every case, each in a transaction that is rolled back.
func runBackend(t *testing.T, b testdb.Backend) map[string]outcome {
	ctx := context.Background()
	eng, err := core.CreateEngine(engineURL(t, b))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	conn, err := eng.Connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	exec := func(q string) {
		t.Helper()
		res, err := conn.Execute(ctx, core.Raw(q, nil))
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		res.Close()
	}
	switch b.Name {
	case testdb.Postgres:
		exec("DROP SCHEMA IF EXISTS " + namespace + " CASCADE")
		exec("CREATE SCHEMA " + namespace)
		exec("SET search_path TO " + namespace)
		t.Cleanup(func() { exec("DROP SCHEMA IF EXISTS " + namespace + " CASCADE") })
	case testdb.MySQL:
		var cur string
		res, err := conn.Execute(ctx, core.Raw("SELECT DATABASE()", nil))
		if err != nil {
			t.Fatal(err)
		}
		v, err := res.Scalar()
		if err != nil {
			t.Fatal(err)
		}
		if bs, ok := v.([]byte); ok {
			v = string(bs)
		}
		cur = fmt.Sprint(v)
		exec("DROP DATABASE IF EXISTS " + namespace)
		// a binary collation, so that = and LIKE compare case-sensitively as
		// on PostgreSQL (MariaDB's default collations ignore case)
		exec("CREATE DATABASE " + namespace + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
		exec("USE " + namespace)
		t.Cleanup(func() {
			exec("DROP DATABASE IF EXISTS " + namespace)
			exec("USE " + cur)
		})
	}
	for _, tbl := range []*core.Table{goldencases.T, goldencases.O, goldencases.E, goldencases.D} {
		res, err := conn.Execute(ctx, &core.CreateTable{Table: tbl})
		if err != nil {
			t.Fatalf("create %s: %v", tbl.Name(), err)
		}
		res.Close()
	}
	for _, st := range seed() {
		res, err := conn.Execute(ctx, st)
		if err != nil {
			t.Fatalf("seed: %v", err)
		}
		res.Close()
	}
	if err := conn.Commit(ctx); err != nil {
		t.Fatal(err)
	}

	out := map[string]outcome{}
	d := eng.Dialect()
	for _, gc := range goldencases.Cases {
		if strings.HasPrefix(gc.Name, "ddl_") {
			continue
		}
		stmt := gc.Build()
		c, err := core.Compile(d, stmt)
		if err != nil {
			if errors.Is(err, core.ErrUnsupported) {
				t.Logf("%s: skipped, %v", gc.Name, err)
				out[gc.Name] = outcome{skipped: err.Error()}
			} else if strings.HasSuffix(gc.Name, "_is_error") {
				// the case is a compile error on every dialect: nothing to run
				out[gc.Name] = outcome{skipped: "compile error by design: " + err.Error()}
			} else {
				t.Errorf("%s: compile: %v", gc.Name, err)
			}
			continue
		}
		if reason, ok := notPortable[gc.Name+"/"+b.Name]; ok {
			t.Logf("%s: skipped, %s", gc.Name, reason)
			out[gc.Name] = outcome{skipped: reason}
			continue
		}
		o, err := runCase(ctx, conn, b.Name, stmt, c)
		if reason, ok := expectError[gc.Name+"/"+b.Name]; ok {
			if err == nil {
				t.Errorf("%s: ran, but expectError says it fails on %s (%s): remove the entry", gc.Name, b.Name, reason)
				continue
			}
			t.Logf("%s: fails as expected (%s): %v", gc.Name, reason, firstLine(err.Error()))
			out[gc.Name] = outcome{failed: err.Error(), sql: c.SQL}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v\n%s", gc.Name, err, c.SQL)
			continue
		}
		if *dump {
			t.Logf("%s:\n%s", gc.Name, o.text())
		}
		out[gc.Name] = o
	}
	return out
}

// runCase runs one statement in a transaction that is rolled back, reading
// its rows and, for DML, the tables afterwards.
func runCase(ctx context.Context, conn *core.Connection, backend string, stmt core.Statement, c core.Compiled) (o outcome, err error) {
	o.sql = c.SQL
	dml := isDML(stmt)
	if dml {
		if err := resetSequences(ctx, conn, backend); err != nil {
			return o, fmt.Errorf("reset sequences: %w", err)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	tx, err := conn.Begin(ctx)
	if err != nil {
		return o, fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if rerr := tx.Rollback(context.WithoutCancel(ctx)); rerr != nil && err == nil {
			err = fmt.Errorf("rollback: %w", rerr)
		}
	}()
	res, err := conn.Execute(ctx, stmt, goldencases.NamedValues)
	if err != nil {
		return o, err
	}
	if res.ReturnsRows() {
		rows, err := res.All()
		if err != nil {
			return o, err
		}
		o.rows = normaliseRows(rows, !hasTopLevelOrderBy(c.SQL))
	} else if err := res.Close(); err != nil {
		return o, err
	}
	if dml {
		o.after = []string{}
		for _, tbl := range []*core.Table{goldencases.T, goldencases.O, goldencases.E, goldencases.D} {
			res, err := conn.Execute(ctx, core.Select(tbl).OrderBy(tbl.C("id")))
			if err != nil {
				return o, fmt.Errorf("read back %s: %w", tbl.Name(), err)
			}
			rows, err := res.All()
			if err != nil {
				return o, fmt.Errorf("read back %s: %w", tbl.Name(), err)
			}
			for _, r := range normaliseRows(rows, false) {
				o.after = append(o.after, tbl.Name()+": "+r)
			}
		}
	}
	return o, nil
}

func isDML(stmt core.Statement) bool {
	switch stmt.(type) {
	case *core.InsertStmt, *core.UpdateStmt, *core.DeleteStmt:
		return true
	}
	return false
}

// resetSequences makes the next generated key of each table its largest
// key plus one, as on a freshly seeded database: PostgreSQL sequences and
// MariaDB AUTO_INCREMENT counters do not roll back with the transaction
// of an earlier case. SQLite's rowid keys are max+1 already.
func resetSequences(ctx context.Context, conn *core.Connection, backend string) error {
	var qs []string
	for _, tbl := range []string{"t", "o", "e", "d"} {
		switch backend {
		case testdb.Postgres:
			qs = append(qs, fmt.Sprintf("SELECT setval(pg_get_serial_sequence('%s', 'id'), COALESCE((SELECT max(id) FROM %s), 0) + 1, false)", tbl, tbl))
		case testdb.MySQL:
			// ALTER TABLE commits implicitly: it runs between cases, where
			// the tables hold the seed and nothing is pending
			qs = append(qs, "ALTER TABLE "+tbl+" AUTO_INCREMENT = 1")
		}
	}
	for _, q := range qs {
		res, err := conn.Execute(ctx, core.Raw(q, nil))
		if err != nil {
			return err
		}
		if err := res.Close(); err != nil {
			return err
		}
	}
	if conn.InTransaction() {
		return conn.Commit(ctx)
	}
	return nil
}

// hasTopLevelOrderBy reports whether the statement orders its result: an
// ORDER BY outside parentheses (not one inside OVER (…) or a subquery) and
// outside quotes.
func hasTopLevelOrderBy(q string) bool {
	depth := 0
	var quote byte
	u := strings.ToUpper(q)
	for i := 0; i < len(u); i++ {
		ch := u[i]
		switch {
		case quote != 0:
			if ch == quote {
				quote = 0
			}
		case ch == '\'' || ch == '"' || ch == '`':
			quote = ch
		case ch == '(':
			depth++
		case ch == ')':
			depth--
		case depth == 0 && strings.HasPrefix(u[i:], "ORDER BY"):
			return true
		}
	}
	return false
}

// normaliseRows renders each row as one line of canonical values separated
// by " | ", sorted when the statement leaves the order to the database.
func normaliseRows(rows []core.Row, sortRows bool) []string {
	lines := make([]string, len(rows))
	for i, r := range rows {
		vals := r.Values()
		parts := make([]string, len(vals))
		for j, v := range vals {
			parts[j] = canonical(v)
		}
		lines[i] = strings.Join(parts, " | ")
	}
	if sortRows {
		sort.Strings(lines)
	}
	return lines
}

// recent is the time after which a value must come from now() (the
// seed's times are all in 2019–2021): such values are masked.
var recent = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// canonical renders a value so that the backends' representations of the
// same SQL value compare equal: numbers (int64, float64, decimal, numeric
// strings) as a decimal rounded to 4 places without trailing zeros,
// booleans as true/false, times in UTC RFC 3339, NULL as NULL.
func canonical(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		if x.After(recent) {
			return "<now>"
		}
		return x.UTC().Format(time.RFC3339)
	case []byte:
		return canonicalString(string(x))
	case string:
		return canonicalString(x)
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return fmt.Sprint(x)
	case float32:
		return canonicalNumber(strconv.FormatFloat(float64(x), 'f', -1, 32))
	case float64:
		return canonicalNumber(strconv.FormatFloat(x, 'f', -1, 64))
	case fmt.Stringer: // decimal.Decimal and the like
		return canonicalString(x.String())
	}
	return fmt.Sprintf("%v", v)
}

func canonicalString(s string) string {
	if n := canonicalNumber(s); n != "" {
		return n
	}
	return strconv.Quote(s)
}

// canonicalNumber is s as a number rounded to 4 decimal places with
// trailing zeros cut, or "" when s is no number.
func canonicalNumber(s string) string {
	if s == "" || strings.ContainsAny(s, " _xXpP") {
		return ""
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return ""
	}
	f := r.FloatString(4)
	f = strings.TrimRight(f, "0")
	f = strings.TrimSuffix(f, ".")
	if f == "-0" {
		f = "0"
	}
	return f
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
