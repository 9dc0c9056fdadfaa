package compile_test

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/retort-orm/retort/core"
	_ "github.com/retort-orm/retort/dialect/mssql"
	_ "github.com/retort-orm/retort/dialect/mysql"
	_ "github.com/retort-orm/retort/dialect/oracle"
	_ "github.com/retort-orm/retort/dialect/postgresql"
	_ "github.com/retort-orm/retort/dialect/sqlite"
)

var (
	update      = flag.Bool("update", false, "rewrite the golden files under testdata/")
	onlyDialect = flag.String("dialect", "", "with -update, rewrite only this dialect's files")
)

// dialectNames are the five dialects every case compiles for, by the name
// used in golden file names.
var dialectNames = []string{"postgresql", "sqlite", "mysql", "mssql", "oracle"}

// goldenCase is one construct compiled for every dialect. note records a
// deliberate difference from SQLAlchemy 2.0's output; it is written at the
// top of each golden file.
type goldenCase struct {
	name  string
	build func() core.Statement
	note  string
}

// render is the golden file text of one compilation.
func render(note string, c core.Compiled, err error) string {
	var b strings.Builder
	if note != "" {
		b.WriteString("-- note: " + note + "\n")
	}
	if err != nil {
		b.WriteString("-- error: " + err.Error() + "\n")
		return b.String()
	}
	b.WriteString(c.SQL)
	b.WriteString("\n-- args: ")
	b.WriteString(formatArgs(c.Args))
	b.WriteString("\n")
	return b.String()
}

// formatArgs prints args with %#v, one after another, so that golden files
// show both value and Go type.
func formatArgs(args []any) string {
	if len(args) == 0 {
		return "none"
	}
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = fmt.Sprintf("%#v", a)
	}
	return strings.Join(parts, ", ")
}

func lookupDialect(t *testing.T, name string) core.Dialect {
	t.Helper()
	d, err := core.LookupDialect(name)
	if err != nil {
		t.Fatalf("dialect %s: %v", name, err)
	}
	return d
}

func TestGoldenSQL(t *testing.T) {
	if *onlyDialect != "" && !contains(dialectNames, *onlyDialect) {
		t.Fatalf("-dialect=%s: unknown (one of %s)", *onlyDialect, strings.Join(dialectNames, ", "))
	}
	seen := map[string]bool{}
	for _, gc := range cases {
		if seen[gc.name] {
			t.Fatalf("duplicate case name %q", gc.name)
		}
		seen[gc.name] = true
	}
	compiled := map[string]int{}
	failed := map[string]int{}
	for _, gc := range cases {
		t.Run(gc.name, func(t *testing.T) {
			for _, dn := range dialectNames {
				t.Run(dn, func(t *testing.T) {
					d := lookupDialect(t, dn)
					c, err := core.Compile(d, gc.build())
					if err != nil {
						failed[dn]++
					} else {
						compiled[dn]++
					}
					checkCache(t, d, gc, c, err)
					got := render(gc.note, c, err)
					path := filepath.Join("testdata", gc.name+"."+dn+".sql")
					if *update && (*onlyDialect == "" || *onlyDialect == dn) {
						if err := os.MkdirAll("testdata", 0o755); err != nil {
							t.Fatal(err)
						}
						if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
							t.Fatal(err)
						}
						return
					}
					want, rerr := os.ReadFile(path)
					if rerr != nil {
						t.Fatalf("%v (run go test ./tests/compile -update)", rerr)
					}
					if !bytes.Equal(want, []byte(got)) {
						t.Errorf("%s differs from the compiled statement (go test ./tests/compile -update -dialect=%s rewrites it)\n--- want\n%s--- got\n%s", path, dn, want, got)
					}
				})
			}
		})
	}
	for _, dn := range dialectNames {
		t.Logf("%-10s %3d statements compile, %3d are compile errors", dn, compiled[dn], failed[dn])
	}
}

// checkCache compiles the case through a StatementCache twice, from two
// separately built statements: the first is a miss, the second must be a
// hit, and both must equal core.Compile's answer.
func checkCache(t *testing.T, d core.Dialect, gc goldenCase, want core.Compiled, wantErr error) {
	t.Helper()
	sc := core.NewStatementCache(16)
	for round, label := range []string{"cold", "hit"} {
		got, err := sc.Compile(d, gc.build())
		if (err != nil) != (wantErr != nil) || (err != nil && err.Error() != wantErr.Error()) {
			t.Errorf("cache %s: error %v, core.Compile gave %v", label, err, wantErr)
			continue
		}
		if err != nil {
			continue
		}
		if got.SQL != want.SQL {
			t.Errorf("cache %s: SQL\n%s\ncore.Compile gave\n%s", label, got.SQL, want.SQL)
		}
		if !reflect.DeepEqual(got.Args, want.Args) {
			t.Errorf("cache %s: args %s, core.Compile gave %s", label, formatArgs(got.Args), formatArgs(want.Args))
		}
		hits, misses := sc.Stats()
		_, isDDL := gc.build().(core.DDLElement)
		if round == 1 && !isDDL && (hits != 1 || misses != 1) {
			t.Errorf("cache %s: %d hits, %d misses after two compiles of the same shape; want 1 and 1", label, hits, misses)
		}
	}
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// TestGoldenFilesHaveCases fails on golden files left behind by a renamed or
// deleted case.
func TestGoldenFilesHaveCases(t *testing.T) {
	names := map[string]bool{}
	for _, gc := range cases {
		names[gc.name] = true
	}
	files, err := filepath.Glob(filepath.Join("testdata", "*.sql"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		base := strings.TrimSuffix(filepath.Base(f), ".sql")
		i := strings.LastIndexByte(base, '.')
		if i < 0 || !names[base[:i]] || !contains(dialectNames, base[i+1:]) {
			t.Errorf("%s belongs to no case and dialect; delete it", f)
		}
	}
}

var _ = errors.Is
