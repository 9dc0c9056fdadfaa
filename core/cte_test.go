package core

import (
	"strings"
	"testing"
)

func TestRecursiveCTERendersWholeBody(t *testing.T) {
	md := NewMetaData()
	nodes := md.MustTable("nodes", Col("id", Integer{}, PrimaryKey()), Col("parent_id", Integer{}, References("nodes.id")))
	anchor := Select(nodes.C("id"), nodes.C("parent_id")).Where(nodes.C("id").Eq(1)).CTE("tree", true)
	tree := anchor.UnionAll(Select(nodes.C("id"), nodes.C("parent_id")).Join(anchor, nodes.C("parent_id").Eq(anchor.C("id"))))
	got := strings.ReplaceAll(Select(tree.C("id")).String(), " \n", "\n")
	want := "WITH RECURSIVE tree(id, parent_id) AS\n(SELECT nodes.id AS id, nodes.parent_id AS parent_id\nFROM nodes\nWHERE nodes.id = :id_1 UNION ALL SELECT nodes.id AS id, nodes.parent_id AS parent_id\nFROM nodes JOIN tree ON nodes.parent_id = tree.id)\n SELECT tree.id\nFROM tree"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	// through the cache too
	c, err := NewStatementCache(4).Compile(DefaultDialect, Select(tree.C("id")))
	if err != nil || !strings.Contains(c.SQL, "UNION ALL") || len(c.Args) != 1 {
		t.Fatalf("cached: %q %v %v", c.SQL, c.Args, err)
	}
}
