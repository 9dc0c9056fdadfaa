package relationships_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/orm"
)

type relNode struct {
	ID       int64      `orm:"pk"`
	ParentID *int64     `orm:"fk:rel_nodes.id"`
	Name     string     `orm:"type:varchar(20)"`
	Children []*relNode `orm:"rel;back_populates:Parent;cascade:all,delete-orphan;order_by:ID"`
	Parent   *relNode   `orm:"rel;remote_side:ID;back_populates:Children"`
}

func (relNode) TableName() string { return "rel_nodes" }

// TestSelfReferentialTree: scenario 3 (reference §3). A 4-level tree of
// 1+2+4+4 nodes is INSERTed one statement per level (the cycle is broken
// into rows, and rows of one level go together); deleting the root in a
// fresh session loads the children and deletes leaves first, one DELETE
// per level.
func TestSelfReferentialTree(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, nil, &relNode{})
		nodes := table(t, reg, &relNode{})
		s := orm.NewSession(reg, e)
		defer s.Close()
		root := &relNode{Name: "root"}
		var level2, level3, level4 []*relNode
		for i := 1; i <= 2; i++ {
			c := &relNode{Name: fmt.Sprintf("c%d", i)}
			for j := 1; j <= 2; j++ {
				g := &relNode{Name: fmt.Sprintf("c%d%d", i, j)}
				gg := &relNode{Name: fmt.Sprintf("c%d%dx", i, j)}
				g.Children = []*relNode{gg}
				c.Children = append(c.Children, g)
				level3 = append(level3, g)
				level4 = append(level4, gg)
			}
			root.Children = append(root.Children, c)
			level2 = append(level2, c)
		}
		require.NoError(t, s.Add(root))
		require.NoError(t, s.Flush(bg))
		got := rec.Take()
		assert.Equal(t, cat(
			[]string{"INSERT rel_nodes"},
			inserts(e, "rel_nodes", 2),
			inserts(e, "rel_nodes", 4),
			inserts(e, "rel_nodes", 4),
		), ops(got), "%q", got)
		assert.Nil(t, root.ParentID)
		for _, n := range level2 {
			require.NotNil(t, n.ParentID)
			assert.Equal(t, root.ID, *n.ParentID)
			assert.Same(t, root, n.Parent, "back_populates")
		}
		for i, n := range level3 {
			assert.Equal(t, level2[i/2].ID, *n.ParentID)
			assert.Same(t, level2[i/2], n.Parent)
		}
		for i, n := range level4 {
			assert.Equal(t, level3[i].ID, *n.ParentID)
		}
		require.NoError(t, s.Commit(bg))
		require.NoError(t, s.Close())
		assert.EqualValues(t, 11, count(t, e, nodes))
		tree := rows(t, e, nodes, []string{"id"}, "name", "parent_id")
		require.Len(t, tree, 11)
		assert.Equal(t, []any{"root", nil}, tree[0])
		assert.Equal(t, []any{"c11", level2[0].ID}, tree[3], "level 3 is written after level 2, in order")

		// delete the root from a new session, nothing loaded: the
		// children are loaded one level at a time (Retort: one IN query
		// per level, SQLAlchemy: one SELECT per node), then the DELETEs
		// run leaves first, one per level (Retort: DELETE … IN (…),
		// SQLAlchemy: an executemany)
		s2 := orm.NewSession(reg, e)
		defer s2.Close()
		r2, err := orm.Get[relNode](bg, s2, root.ID)
		require.NoError(t, err)
		assert.False(t, s2.IsLoaded(r2, "Children"))
		rec.Reset()
		require.NoError(t, s2.Delete(r2))
		require.NoError(t, s2.Flush(bg))
		got = rec.Take()
		assert.Equal(t, cat(rep("SELECT rel_nodes", 4), rep("DELETE rel_nodes", 4)), ops(got), "%q", got)
		if len(got) == 8 {
			assert.Contains(t, got[4], " IN (", "4 leaves in one DELETE")
			assert.Contains(t, got[5], " IN (")
			assert.Contains(t, got[6], " IN (")
		}
		require.NoError(t, s2.Commit(bg))
		assert.Zero(t, count(t, e, nodes))
	})
}
