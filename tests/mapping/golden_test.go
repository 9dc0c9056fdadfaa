package mapping_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	_ "github.com/retort-orm/retort/dialect/mssql"
	_ "github.com/retort-orm/retort/dialect/mysql"
	_ "github.com/retort-orm/retort/dialect/oracle"
	_ "github.com/retort-orm/retort/dialect/postgresql"
	_ "github.com/retort-orm/retort/dialect/sqlite"
	"github.com/retort-orm/retort/registry"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

var dialectNames = []string{"postgresql", "sqlite", "mysql", "mssql", "oracle"}

// ddlOf compiles CREATE TABLE and CREATE INDEX for tables, in order.
func ddlOf(t *testing.T, d core.Dialect, tables []*core.Table) string {
	t.Helper()
	var b strings.Builder
	for _, tb := range tables {
		c, err := core.Compile(d, &core.CreateTable{Table: tb})
		if err != nil {
			b.WriteString("-- error: " + err.Error() + "\n")
		} else {
			b.WriteString(c.SQL + ";\n")
		}
		for _, ix := range tb.Indexes() {
			c, err := core.Compile(d, &core.CreateIndex{Index: ix})
			if err != nil {
				b.WriteString("-- error: " + err.Error() + "\n")
				continue
			}
			b.WriteString(c.SQL + ";\n")
		}
		b.WriteString("\n")
	}
	return b.String()
}

func checkGolden(t *testing.T, name string, tables []*core.Table) {
	t.Helper()
	for _, dn := range dialectNames {
		d, err := core.LookupDialect(dn)
		require.NoError(t, err)
		got := ddlOf(t, d, tables)
		path := filepath.Join("testdata", name+"."+dn+".sql")
		if *update {
			require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
			continue
		}
		want, err := os.ReadFile(path)
		require.NoError(t, err, "missing golden file; run go test ./tests/mapping -update")
		require.Equal(t, string(want), got, "%s (run with -update to rewrite)", path)
	}
}

func tablesOf(t *testing.T, r *registry.Registry, models ...any) []*core.Table {
	t.Helper()
	var out []*core.Table
	for _, m := range models {
		mp, err := r.Mapper(m)
		require.NoError(t, err)
		out = append(out, mp.Table())
	}
	return out
}

func configured(t *testing.T, r *registry.Registry, models ...any) *registry.Registry {
	t.Helper()
	require.NoError(t, r.Register(models...))
	require.NoError(t, r.Configure())
	return r
}

func tokenFunc() any { return "tok" }

func TestGoldenDDL(t *testing.T) {
	t.Run("tutorial", func(t *testing.T) {
		r := configured(t, registry.New(), &User{}, &Address{})
		checkGolden(t, "tutorial", tablesOf(t, r, User{}, Address{}))
	})
	t.Run("blog", func(t *testing.T) {
		md := newBlogMetaData()
		r := configured(t, registry.New(registry.WithMetaData(md)), &Author{}, &Post{}, &Tag{}, &Comment{})
		sec, _ := md.Table("post_tags")
		checkGolden(t, "blog", append(tablesOf(t, r, Author{}, Post{}, Tag{}, Comment{}), sec))
	})
	t.Run("node", func(t *testing.T) {
		r := configured(t, registry.New(), &Node{})
		checkGolden(t, "node", tablesOf(t, r, Node{}))
	})
	t.Run("everything", func(t *testing.T) {
		r := configured(t, registry.New(registry.WithFunc("token", tokenFunc)), &User{}, &Address{}, &Everything{})
		checkGolden(t, "everything", tablesOf(t, r, Everything{}))
	})
	t.Run("mixin", func(t *testing.T) {
		r := configured(t, registry.New(), &Product{}, &Order{}, &Invoice{})
		checkGolden(t, "mixin", tablesOf(t, r, Product{}, Order{}, Invoice{}))
	})
}
