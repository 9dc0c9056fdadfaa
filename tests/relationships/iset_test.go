package relationships_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/collections"
	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/orm"
)

// An instrumented set on one side of a many-to-many, a plain slice on the
// other.
type relpIPost struct {
	ID   int64                     `orm:"pk"`
	Name string                    `orm:"type:varchar(20)"`
	Tags collections.Set[relpITag] `orm:"rel;secondary:relp_iset_links;back_populates:Posts"`
}

func (relpIPost) TableName() string { return "relp_iset_posts" }

type relpITag struct {
	ID    int64        `orm:"pk"`
	Name  string       `orm:"type:varchar(20)"`
	Posts []*relpIPost `orm:"rel;secondary:relp_iset_links;back_populates:Tags"`
}

func (relpITag) TableName() string { return "relp_iset_tags" }

// TestInstrumentedSet: collections.Set adds the new tag to the session and
// the other side at once, writes the association rows at flush, loads on
// demand in a fresh session, and removes.
func TestInstrumentedSet(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		md := core.NewMetaData()
		lk := md.MustTable("relp_iset_links",
			core.Col("post_id", core.BigInteger{}, core.PrimaryKey(), core.References("relp_iset_posts.id")),
			core.Col("tag_id", core.BigInteger{}, core.PrimaryKey(), core.References("relp_iset_tags.id")))
		e, reg, rec := env(t, b, md, &relpIPost{}, &relpITag{})
		links := func() [][]any { return rows(t, e, lk, []string{"post_id", "tag_id"}, "post_id", "tag_id") }
		s := orm.NewSession(reg, e)
		defer s.Close()
		p := &relpIPost{Name: "p"}
		require.NoError(t, s.Add(p))
		t1, t2 := &relpITag{Name: "t1"}, &relpITag{Name: "t2"}
		require.NoError(t, p.Tags.Add(t1, t2))
		assert.Equal(t, orm.Pending, s.StateOf(t1), "save-update cascade at once")
		assert.Equal(t, []*relpIPost{p}, t2.Posts, "the other side at once")
		rec.Reset()
		require.NoError(t, s.Commit(bg))
		got := rec.Take()
		assert.Equal(t, cat3(cat([]string{"INSERT relp_iset_posts"}, inserts(e, "relp_iset_tags", 2)), "INSERT relp_iset_links"), ops(got), "%q", got)
		assert.ElementsMatch(t, [][]any{{p.ID, t1.ID}, {p.ID, t2.ID}}, links())

		s2 := orm.NewSession(reg, e)
		defer s2.Close()
		p2, err := orm.Get[relpIPost](bg, s2, p.ID)
		require.NoError(t, err)
		assert.False(t, p2.Tags.Loaded())
		tags, err := p2.Tags.Items(bg)
		require.NoError(t, err)
		require.Len(t, tags, 2)
		var gone *relpITag
		for _, tg := range tags {
			if tg.Name == "t1" {
				gone = tg
			}
		}
		require.NotNil(t, gone)
		require.NoError(t, p2.Tags.Remove(gone))
		rec.Reset()
		require.NoError(t, s2.Commit(bg))
		assert.Equal(t, []string{"DELETE relp_iset_links"}, ops(rec.Take()))
		assert.Equal(t, [][]any{{p.ID, t2.ID}}, links())
	})
}
