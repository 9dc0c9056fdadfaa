package core_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/retort-orm/retort/core"
	_ "github.com/retort-orm/retort/dialect/mssql"
	_ "github.com/retort-orm/retort/dialect/mysql"
	_ "github.com/retort-orm/retort/dialect/oracle"
	_ "github.com/retort-orm/retort/dialect/postgresql"
	_ "github.com/retort-orm/retort/dialect/sqlite"
)

var fuzzDialects = []string{"postgresql", "sqlite", "mysql", "mssql", "oracle"}

// hostileSeeds are strings known to break naive quoting.
var hostileSeeds = []string{
	"", "a", "A", "select", "it's", "'; DROP TABLE x; --", "--", ";", `\`, `\'`, `a\`, `\\'`,
	"\x00", "a\x00b", "\u2019", "\u02bc", "\uff07", "$1", "?", ":name", "%", "_", `"`, `""`, "`", "[x]", "]",
	"a b", "\xff", "x\"y`z]w", "N'x'", "é",
}

func FuzzQuoteAndLiteral(f *testing.F) {
	for _, s := range hostileSeeds {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, name, value string) {
		for _, dn := range fuzzDialects {
			d, err := core.LookupDialect(dn)
			if err != nil {
				t.Fatal(err)
			}
			checkIdent(t, d, name)
			checkLiteral(t, d, value)
		}
	})
}

// quoteChars finds the dialect's identifier quotes: "A" must be quoted
// (upper case), so its first and last bytes are the quotes.
func quoteChars(t *testing.T, d core.Dialect) (byte, byte) {
	q := d.AppendIdent(nil, "A")
	if len(q) != 3 || q[1] != 'A' {
		t.Fatalf("%s: AppendIdent(\"A\") = %q, want a quoted A", d.Name(), q)
	}
	return q[0], q[2]
}

// unquoteIdent reverses the dialect's quoting: an unquoted identifier is
// itself; a quoted one is open … close with the close quote doubled inside.
// It fails on an unbalanced quote.
func unquoteIdent(s string, open, closeq byte) (string, bool) {
	if s == "" || s[0] != open {
		return s, !strings.ContainsAny(s, string([]byte{open, closeq, '\'', ' ', ';'}))
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		if s[i] == closeq {
			if i+1 < len(s) && s[i+1] == closeq {
				b.WriteByte(closeq)
				i++
				continue
			}
			return b.String(), i == len(s)-1
		}
		b.WriteByte(s[i])
	}
	return "", false
}

func checkIdent(t *testing.T, d core.Dialect, name string) {
	t.Helper()
	if name == "" || len(name) > 200 {
		return
	}
	md := core.NewMetaData()
	tbl, err := md.NewTable("tbl", core.Col(name, core.Integer{}))
	if err != nil {
		return // the table refused the name: nothing is rendered
	}
	c, err := core.Compile(d, core.Select(tbl.C(name)))
	if err != nil {
		t.Fatalf("%s: compile SELECT of column %q: %v", d.Name(), name, err)
	}
	q := string(d.AppendIdent(nil, name))
	if !strings.Contains(c.SQL, q) {
		t.Fatalf("%s: compiled %q does not contain the quoted identifier %q", d.Name(), c.SQL, q)
	}
	open, closeq := quoteChars(t, d)
	got, ok := unquoteIdent(q, open, closeq)
	if !ok {
		t.Fatalf("%s: identifier %q quoted as %q: unbalanced or unquoted special character", d.Name(), name, q)
	}
	want := name
	if strings.IndexByte(name, 0) >= 0 {
		// NUL cannot be part of an identifier; AppendIdent drops it.
		want = strings.ReplaceAll(name, "\x00", "")
	}
	if got != want {
		t.Fatalf("%s: identifier %q quoted as %q unquotes to %q", d.Name(), name, q, got)
	}
}

// parseStringLiteral reads one SQL string literal at the start of s:
// optional N prefix, '…' with ” for a quote, and with backslash escapes
// (\\ and \') when backslashes is set. It returns the value and the rest of
// s, or ok false for an unterminated or malformed literal.
func parseStringLiteral(s string, backslashes bool) (val, rest string, ok bool) {
	if strings.HasPrefix(s, "N'") {
		s = s[1:]
	}
	if s == "" || s[0] != '\'' {
		return "", s, false
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch == '\\' && backslashes:
			if i+1 >= len(s) {
				return "", "", false
			}
			i++
			b.WriteByte(s[i])
		case ch == '\'':
			if i+1 < len(s) && s[i+1] == '\'' {
				b.WriteByte('\'')
				i++
				continue
			}
			return b.String(), s[i+1:], true
		default:
			b.WriteByte(ch)
		}
	}
	return "", "", false
}

// backslashStyle reports whether the dialect's string literals treat a
// backslash as an escape character (MySQL/MariaDB by default).
func backslashStyle(d core.Dialect) bool { return d.Name() == "mysql" }

func checkLiteral(t *testing.T, d core.Dialect, value string) {
	t.Helper()
	md := core.NewMetaData()
	tbl := md.MustTable("tbl", core.Col("id", core.Integer{}, core.PrimaryKey()), core.Col("s", core.String{}))
	sql, err := core.RenderLiteral(d, core.Select(tbl.C("id")).Where(tbl.C("s").Eq(value)))
	bad := !utf8.ValidString(value) || strings.IndexByte(value, 0) >= 0
	if bad {
		if err == nil {
			t.Fatalf("%s: RenderLiteral of %q (NUL or invalid UTF-8) gave %q, want an error", d.Name(), value, sql)
		}
		return
	}
	if err != nil {
		t.Fatalf("%s: RenderLiteral of %q: %v", d.Name(), value, err)
	}
	i := strings.Index(sql, "WHERE tbl.s = ")
	if i < 0 {
		t.Fatalf("%s: no WHERE tbl.s = in %q", d.Name(), sql)
	}
	lit := sql[i+len("WHERE tbl.s = "):]
	got, rest, ok := parseStringLiteral(lit, backslashStyle(d))
	if !ok {
		t.Fatalf("%s: literal for %q is unbalanced: %q", d.Name(), value, lit)
	}
	if got != value {
		t.Fatalf("%s: literal %q for %q parses back as %q", d.Name(), lit, value, got)
	}
	if strings.ContainsAny(rest, "';") {
		t.Fatalf("%s: text after the literal for %q holds a quote or semicolon: %q", d.Name(), value, rest)
	}
}

// FuzzStandardLiteral checks AppendStandardLiteral in both string styles:
// standard (PostgreSQL, SQLite, SQL Server, Oracle) and backslash-escaping
// (MySQL without NO_BACKSLASH_ESCAPES).
func FuzzStandardLiteral(f *testing.F) {
	for _, s := range hostileSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, value string) {
		bad := !utf8.ValidString(value) || strings.IndexByte(value, 0) >= 0
		for _, st := range []core.LiteralStyle{{}, {BackslashEscapes: true}, {NationalPrefix: true}} {
			out, err := core.AppendStandardLiteral(nil, value, st)
			if bad {
				if err == nil {
					t.Fatalf("%+v: %q rendered as %q, want an error", st, value, out)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%+v: %q: %v", st, value, err)
			}
			got, rest, ok := parseStringLiteral(string(out), st.BackslashEscapes)
			if !ok || rest != "" || got != value {
				t.Fatalf("%+v: %q rendered as %q parses back as %q (rest %q, ok %v)", st, value, out, got, rest, ok)
			}
			if !st.BackslashEscapes {
				// Read by a backslash-escaping parser, a standard literal
				// must not end early: that would be an injection on MySQL.
				continue
			}
		}
	})
}
