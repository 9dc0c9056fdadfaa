package relationships_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/orm"
)

type relPDParent struct {
	ID       int64         `orm:"pk"`
	Name     string        `orm:"type:varchar(20)"`
	Children []*relPDChild `orm:"rel;cascade:all;passive_deletes;order_by:ID"`
}

func (relPDParent) TableName() string { return "rel_pd_parents" }

type relPDChild struct {
	ID       int64  `orm:"pk"`
	ParentID int64  `orm:"fk:rel_pd_parents.id,ondelete:cascade"`
	Name     string `orm:"type:varchar(20)"`
}

func (relPDChild) TableName() string { return "rel_pd_children" }

// TestPassiveDeletes: scenario 7 (reference §7): passive_deletes with ON
// DELETE CASCADE.
func TestPassiveDeletes(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, nil, &relPDParent{}, &relPDChild{})
		parents, children := table(t, reg, &relPDParent{}), table(t, reg, &relPDChild{})
		s := orm.NewSession(reg, e)
		defer s.Close()
		p1 := &relPDParent{Name: "p1", Children: []*relPDChild{{Name: "a"}, {Name: "b"}}}
		p2 := &relPDParent{Name: "p2", Children: []*relPDChild{{Name: "c"}, {Name: "d"}}}
		require.NoError(t, s.AddAll(p1, p2))
		require.NoError(t, s.Commit(bg))
		require.NoError(t, s.Close())
		assert.EqualValues(t, 4, count(t, e, children))

		// children not loaded: only DELETE parents; the database removes
		// the children
		s2 := orm.NewSession(reg, e)
		defer s2.Close()
		g1, err := orm.Get[relPDParent](bg, s2, p1.ID)
		require.NoError(t, err)
		require.False(t, s2.IsLoaded(g1, "Children"))
		rec.Reset()
		require.NoError(t, s2.Delete(g1))
		require.NoError(t, s2.Flush(bg))
		got := rec.Take()
		assert.Equal(t, []string{"DELETE rel_pd_parents"}, ops(got), "%q", got)
		require.NoError(t, s2.Commit(bg))
		assert.Equal(t, [][]any{{"c", p2.ID}, {"d", p2.ID}}, rows(t, e, children, []string{"id"}, "name", "parent_id"))

		// children loaded: the ORM deletes them first
		g2, err := orm.Get[relPDParent](bg, s2, p2.ID)
		require.NoError(t, err)
		require.NoError(t, s2.LoadRelationship(bg, g2, "Children"))
		require.Len(t, g2.Children, 2)
		rec.Reset()
		require.NoError(t, s2.Delete(g2))
		require.NoError(t, s2.Flush(bg))
		got = rec.Take()
		assert.Equal(t, []string{"DELETE rel_pd_children", "DELETE rel_pd_parents"}, ops(got), "%q", got)
		require.NoError(t, s2.Commit(bg))
		assert.Zero(t, count(t, e, children))
		assert.Zero(t, count(t, e, parents))
	})
}
