package relationships_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/orm"
)

type relItem struct {
	ID    int64               `orm:"pk"`
	Name  string              `orm:"type:varchar(20)"`
	Notes map[string]*relNote `orm:"rel;collection:map(Keyword);cascade:all,delete-orphan"`
}

func (relItem) TableName() string { return "rel_items" }

type relNote struct {
	ID      int64  `orm:"pk"`
	ItemID  int64  `orm:"fk:rel_items.id"`
	Keyword string `orm:"type:varchar(20)"`
	Text    string `orm:"type:varchar(20)"`
}

func (relNote) TableName() string { return "rel_notes" }

type relSlide struct {
	ID      int64        `orm:"pk"`
	Name    string       `orm:"type:varchar(20)"`
	Bullets []*relBullet `orm:"rel;ordering:Position;cascade:all,delete-orphan"`
}

func (relSlide) TableName() string { return "rel_slides" }

type relBullet struct {
	ID       int64 `orm:"pk"`
	SlideID  int64 `orm:"fk:rel_slides.id"`
	Position int64
	Text     string `orm:"type:varchar(20)"`
}

func (relBullet) TableName() string { return "rel_bullets" }

// TestKeyedMap: scenario 8, attribute_keyed_dict (reference §8): the
// statements are those of a list collection.
func TestKeyedMap(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, nil, &relItem{}, &relNote{})
		notes := table(t, reg, &relNote{})
		s := orm.NewSession(reg, e, orm.WithExpireOnCommit(false))
		defer s.Close()
		na, nb := &relNote{Keyword: "a", Text: "A"}, &relNote{Keyword: "b", Text: "B"}
		it := &relItem{Name: "item", Notes: map[string]*relNote{"a": na, "b": nb}}
		require.NoError(t, s.Add(it))
		require.NoError(t, s.Commit(bg))
		got := rec.Take()
		assert.Equal(t, cat([]string{"INSERT rel_items"}, inserts(e, "rel_notes", 2)), ops(got), "%q", got)
		assert.Equal(t, it.ID, na.ItemID)
		assert.Equal(t, it.ID, nb.ItemID)
		assert.Equal(t, [][]any{{"a", "A", it.ID}, {"b", "B", it.ID}}, rows(t, e, notes, []string{"keyword"}, "keyword", "text", "item_id"))

		// insert a new key
		nc := &relNote{Keyword: "c", Text: "C"}
		it.Notes["c"] = nc
		require.NoError(t, s.Commit(bg))
		assert.Equal(t, []string{"INSERT rel_notes"}, ops(rec.Take()))
		assert.Equal(t, it.ID, nc.ItemID)

		// replace notes["a"] and delete notes["b"]: the INSERT comes before
		// the DELETE (SaveUpdateAll before DeleteAll); the two replaced
		// rows go in one DELETE … IN (SQLAlchemy: one executemany)
		na2 := &relNote{Keyword: "a", Text: "A2"}
		it.Notes["a"] = na2
		delete(it.Notes, "b")
		require.NoError(t, s.Commit(bg))
		got = rec.Take()
		assert.Equal(t, []string{"INSERT rel_notes", "DELETE rel_notes"}, ops(got), "%q", got)
		assert.False(t, s.Contains(na), "deleted and committed: detached")
		assert.Equal(t, [][]any{{na2.ID, "a", "A2"}, {nc.ID, "c", "C"}}, rows(t, e, notes, []string{"keyword"}, "id", "keyword", "text"))

		// loaded back in a new session: keyed by Keyword
		s2 := orm.NewSession(reg, e)
		defer s2.Close()
		g, err := orm.Get[relItem](bg, s2, it.ID)
		require.NoError(t, err)
		require.NoError(t, s2.LoadRelationship(bg, g, "Notes"))
		require.Len(t, g.Notes, 2)
		assert.Equal(t, "A2", g.Notes["a"].Text)
		assert.Equal(t, "C", g.Notes["c"].Text)
	})
}

// TestOrderingList: scenario 8, ordering_list (reference §8).
func TestOrderingList(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, nil, &relSlide{}, &relBullet{})
		bullets := table(t, reg, &relBullet{})
		s := orm.NewSession(reg, e, orm.WithExpireOnCommit(false))
		defer s.Close()
		var bs []*relBullet
		for _, txt := range []string{"b0", "b1", "b2", "b3"} {
			bs = append(bs, &relBullet{Text: txt, Position: 99})
		}
		sl := &relSlide{Name: "s", Bullets: append([]*relBullet(nil), bs...)}
		require.NoError(t, s.Add(sl))
		require.NoError(t, s.Commit(bg))
		got := rec.Take()
		assert.Equal(t, cat([]string{"INSERT rel_slides"}, inserts(e, "rel_bullets", 4)), ops(got), "%q", got)
		for i, bl := range bs {
			assert.EqualValues(t, i, bl.Position, "positions 0..n-1 in slice order")
		}
		assert.Equal(t, [][]any{{"b0", int64(0)}, {"b1", int64(1)}, {"b2", int64(2)}, {"b3", int64(3)}},
			rows(t, e, bullets, []string{"id"}, "text", "position"))

		// reverse the slice: UPDATEs of position only, no INSERT or DELETE
		for i, j := 0, len(sl.Bullets)-1; i < j; i, j = i+1, j-1 {
			sl.Bullets[i], sl.Bullets[j] = sl.Bullets[j], sl.Bullets[i]
		}
		require.NoError(t, s.Commit(bg))
		got = rec.Take()
		require.NotEmpty(t, got)
		for _, q := range got {
			assert.Equal(t, "UPDATE rel_bullets", op(q), "%q", got)
			assert.Regexp(t, "SET [`\"]?position[`\"]?=", q)
			assert.NotContains(t, q, "text")
			assert.NotContains(t, q, "slide_id")
		}
		assert.Equal(t, [][]any{{"b3", int64(0)}, {"b2", int64(1)}, {"b1", int64(2)}, {"b0", int64(3)}},
			rows(t, e, bullets, []string{"position"}, "text", "position"))

		// pop the second: positions renumbered, the orphan deleted
		sl.Bullets = append(sl.Bullets[:1], sl.Bullets[2:]...)
		require.NoError(t, s.Commit(bg))
		got = rec.Take()
		require.NotEmpty(t, got)
		assert.Equal(t, "DELETE rel_bullets", op(got[len(got)-1]), "UPDATEs before the DELETE: %q", got)
		for _, q := range got[:len(got)-1] {
			assert.Equal(t, "UPDATE rel_bullets", op(q), "%q", got)
		}
		assert.Equal(t, [][]any{{"b3", int64(0)}, {"b1", int64(1)}, {"b0", int64(2)}},
			rows(t, e, bullets, []string{"position"}, "text", "position"))
	})
}
