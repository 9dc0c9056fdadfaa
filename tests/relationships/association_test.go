package relationships_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/orm"
)

// The association object pattern (SQLAlchemy's basic_relationships
// "Association Object").
type relParent struct {
	ID       int64       `orm:"pk"`
	Name     string      `orm:"type:varchar(20)"`
	Children []*relAssoc `orm:"rel;back_populates:Parent;cascade:all,delete-orphan"`
}

func (relParent) TableName() string { return "rel_parents" }

type relChild struct {
	ID   int64  `orm:"pk"`
	Name string `orm:"type:varchar(20)"`
}

func (relChild) TableName() string { return "rel_children" }

type relAssoc struct {
	ParentID int64      `orm:"pk;fk:rel_parents.id"`
	ChildID  int64      `orm:"pk;fk:rel_children.id"`
	Extra    string     `orm:"type:varchar(20)"`
	Parent   *relParent `orm:"rel;back_populates:Children"`
	Child    *relChild  `orm:"rel"`
}

func (relAssoc) TableName() string { return "rel_assoc" }

// TestAssociationObject: scenario 6 (reference §6).
func TestAssociationObject(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, nil, &relParent{}, &relChild{}, &relAssoc{})
		parents, children, assoc := table(t, reg, &relParent{}), table(t, reg, &relChild{}), table(t, reg, &relAssoc{})
		s := orm.NewSession(reg, e)
		defer s.Close()

		// children first ("relChild" < "relParent", unrelated mappers by
		// type name), then the parent, then the association rows in one
		// INSERT without RETURNING (their keys are known)
		c1, c2 := &relChild{Name: "c1"}, &relChild{Name: "c2"}
		a1, a2 := &relAssoc{Extra: "x1", Child: c1}, &relAssoc{Extra: "x2", Child: c2}
		p := &relParent{Name: "p", Children: []*relAssoc{a1, a2}}
		require.NoError(t, s.Add(p))
		require.NoError(t, s.Flush(bg))
		got := rec.Take()
		assert.Equal(t, cat(inserts(e, "rel_children", 2), []string{"INSERT rel_parents", "INSERT rel_assoc"}), ops(got), "%q", got)
		if n := len(got); n > 0 {
			assert.NotContains(t, got[n-1], "RETURNING")
		}
		assert.Equal(t, p.ID, a1.ParentID)
		assert.Equal(t, c1.ID, a1.ChildID)
		assert.Equal(t, c2.ID, a2.ChildID)
		assert.Same(t, p, a2.Parent)
		require.NoError(t, s.Commit(bg))
		assert.Equal(t, [][]any{{p.ID, c1.ID, "x1"}, {p.ID, c2.ID, "x2"}},
			rows(t, e, assoc, []string{"child_id"}, "parent_id", "child_id", "extra"))

		// remove an association: DELETE of its row by its composite key
		require.NoError(t, s.LoadRelationship(bg, p, "Children"))
		require.Len(t, p.Children, 2)
		rec.Reset()
		p.Children = []*relAssoc{a2}
		require.NoError(t, s.Flush(bg))
		got = rec.Take()
		assert.Equal(t, []string{"DELETE rel_assoc"}, ops(got), "%q", got)
		if len(got) == 1 {
			assert.Contains(t, got[0], "parent_id")
			assert.Contains(t, got[0], "child_id")
		}
		require.NoError(t, s.Commit(bg))
		assert.Equal(t, [][]any{{p.ID, c2.ID, "x2"}}, rows(t, e, assoc, []string{"child_id"}, "parent_id", "child_id", "extra"))

		// delete the parent (new session, nothing loaded): its
		// associations are loaded and deleted first; the children stay
		s2 := orm.NewSession(reg, e)
		defer s2.Close()
		p2, err := orm.Get[relParent](bg, s2, p.ID)
		require.NoError(t, err)
		rec.Reset()
		require.NoError(t, s2.Delete(p2))
		require.NoError(t, s2.Flush(bg))
		got = rec.Take()
		assert.Equal(t, []string{"SELECT rel_assoc", "DELETE rel_assoc", "DELETE rel_parents"}, ops(got), "%q", got)
		require.NoError(t, s2.Commit(bg))
		assert.Zero(t, count(t, e, assoc))
		assert.Zero(t, count(t, e, parents))
		assert.EqualValues(t, 2, count(t, e, children))
	})
}

// TestAssociationObjectKnownKeys: scenario 6 with the parent and children
// already in the database, so the associations' keys are known when they
// are added; covers removal and the parent's delete independently of the
// all-new insert of TestAssociationObject.
func TestAssociationObjectKnownKeys(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, nil, &relParent{}, &relChild{}, &relAssoc{})
		parents, children, assoc := table(t, reg, &relParent{}), table(t, reg, &relChild{}), table(t, reg, &relAssoc{})
		s := orm.NewSession(reg, e, orm.WithExpireOnCommit(false))
		defer s.Close()
		c1, c2 := &relChild{Name: "c1"}, &relChild{Name: "c2"}
		p := &relParent{Name: "p"}
		require.NoError(t, s.AddAll(c1, c2, p))
		require.NoError(t, s.Commit(bg))
		rec.Reset()

		a1 := &relAssoc{ParentID: p.ID, ChildID: c1.ID, Extra: "x1", Child: c1}
		a2 := &relAssoc{ParentID: p.ID, ChildID: c2.ID, Extra: "x2", Child: c2}
		p.Children = []*relAssoc{a1, a2}
		require.NoError(t, s.Commit(bg))
		got := rec.Take()
		// known keys: one INSERT of both rows without RETURNING
		assert.Equal(t, []string{"INSERT rel_assoc"}, ops(got), "%q", got)
		if len(got) == 1 {
			assert.NotContains(t, got[0], "RETURNING")
		}
		assert.Same(t, p, a1.Parent, "back_populates")
		assert.Equal(t, [][]any{{p.ID, c1.ID, "x1"}, {p.ID, c2.ID, "x2"}},
			rows(t, e, assoc, []string{"child_id"}, "parent_id", "child_id", "extra"))

		p.Children = []*relAssoc{a2}
		require.NoError(t, s.Commit(bg))
		got = rec.Take()
		assert.Equal(t, []string{"DELETE rel_assoc"}, ops(got), "%q", got)
		if len(got) == 1 {
			assert.Contains(t, got[0], "parent_id")
			assert.Contains(t, got[0], "child_id")
		}
		assert.Equal(t, [][]any{{p.ID, c2.ID, "x2"}}, rows(t, e, assoc, []string{"child_id"}, "parent_id", "child_id", "extra"))

		require.NoError(t, s.Delete(p))
		require.NoError(t, s.Commit(bg))
		got = rec.Take()
		assert.Equal(t, []string{"DELETE rel_assoc", "DELETE rel_parents"}, ops(got), "%q", got)
		assert.Zero(t, count(t, e, assoc))
		assert.Zero(t, count(t, e, parents))
		assert.EqualValues(t, 2, count(t, e, children))
	})
}
