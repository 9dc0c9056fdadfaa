package relationships_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/orm"
)

type relPost struct {
	ID    int64     `orm:"pk"`
	Title string    `orm:"type:varchar(20)"`
	Tags  []*relTag `orm:"rel;secondary:rel_post_tags;back_populates:Posts;order_by:ID"`
}

func (relPost) TableName() string { return "rel_posts" }

type relTag struct {
	ID    int64      `orm:"pk"`
	Name  string     `orm:"type:varchar(20)"`
	Posts []*relPost `orm:"rel;secondary:rel_post_tags;back_populates:Tags;order_by:ID"`
}

func (relTag) TableName() string { return "rel_tags" }

// postTagsMeta defines the secondary table with Core.
func postTagsMeta() (*core.MetaData, *core.Table) {
	md := core.NewMetaData()
	pt := md.MustTable("rel_post_tags",
		core.Col("post_id", core.BigInteger{}, core.PrimaryKey(), core.References("rel_posts.id")),
		core.Col("tag_id", core.BigInteger{}, core.PrimaryKey(), core.References("rel_tags.id")))
	return md, pt
}

// TestManyToMany: scenario 5 (reference §5).
func TestManyToMany(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		md, pt := postTagsMeta()
		e, reg, rec := env(t, b, md, &relPost{}, &relTag{})
		posts, tags := table(t, reg, &relPost{}), table(t, reg, &relTag{})
		secondary := func() [][]any { return rows(t, e, pt, []string{"post_id", "tag_id"}, "post_id", "tag_id") }
		// the objects stay loaded across commits, so each step's table
		// contents can be read after its commit without reloading
		s := orm.NewSession(reg, e, orm.WithExpireOnCommit(false))
		defer s.Close()

		// a new post with three new tags: the secondary is written last,
		// in one statement (its keys are known)
		t1, t2, t3 := &relTag{Name: "t1"}, &relTag{Name: "t2"}, &relTag{Name: "t3"}
		p := &relPost{Title: "p", Tags: []*relTag{t1, t2, t3}}
		require.NoError(t, s.Add(p))
		require.NoError(t, s.Flush(bg))
		got := rec.Take()
		assert.Equal(t, cat([]string{"INSERT rel_posts"}, inserts(e, "rel_tags", 3), []string{"INSERT rel_post_tags"}), ops(got), "%q", got)
		if n := len(got); n > 0 {
			assert.Contains(t, got[n-1], "INSERT INTO rel_post_tags (post_id, tag_id) VALUES ")
		}
		for _, tg := range []*relTag{t1, t2, t3} {
			assert.Equal(t, []*relPost{p}, tg.Posts, "back_populates side filled at flush")
		}
		require.NoError(t, s.Commit(bg))
		assert.Equal(t, [][]any{{p.ID, t1.ID}, {p.ID, t2.ID}, {p.ID, t3.ID}}, secondary())

		// remove one tag: one secondary DELETE; t2 loses the post in memory
		rec.Reset()
		p.Tags = []*relTag{t1, t3}
		require.NoError(t, s.Flush(bg))
		got = rec.Take()
		assert.Equal(t, []string{"DELETE rel_post_tags"}, ops(got), "%q", got)
		if len(got) == 1 {
			assert.Contains(t, got[0], "post_id")
			assert.Contains(t, got[0], "tag_id")
		}
		assert.Empty(t, t2.Posts)
		require.NoError(t, s.Commit(bg))
		assert.Equal(t, [][]any{{p.ID, t1.ID}, {p.ID, t3.ID}}, secondary())
		rec.Reset()

		// append an existing tag and a new one: INSERT the tag, then the
		// two secondary rows in one INSERT
		t4 := &relTag{Name: "t4"}
		p.Tags = append(p.Tags, t2, t4)
		require.NoError(t, s.Flush(bg))
		got = rec.Take()
		assert.Equal(t, []string{"INSERT rel_tags", "INSERT rel_post_tags"}, ops(got), "%q", got)
		assert.Equal(t, []*relPost{p}, t2.Posts)
		assert.Equal(t, []*relPost{p}, t4.Posts)
		require.NoError(t, s.Commit(bg))
		assert.Equal(t, [][]any{{p.ID, t1.ID}, {p.ID, t2.ID}, {p.ID, t3.ID}, {p.ID, t4.ID}}, secondary())

		// clear: the four secondary rows go in one executemany of
		// DELETE … WHERE post_id = ? AND tag_id = ?, as in SQLAlchemy.
		// Core runs an executemany row by row while a before-execute
		// listener (the recorder) is registered, so it is seen here as
		// four executions of one statement. The tags stay.
		rec.Reset()
		p.Tags = nil
		require.NoError(t, s.Flush(bg))
		got = rec.Take()
		assert.Equal(t, rep("DELETE rel_post_tags", 4), ops(got), "%q", got)
		for _, q := range got {
			assert.Equal(t, got[0], q, "one statement, four parameter sets")
		}
		for _, tg := range []*relTag{t1, t2, t3, t4} {
			assert.Empty(t, tg.Posts, tg.Name)
		}
		require.NoError(t, s.Commit(bg))
		assert.Empty(t, secondary())
		assert.EqualValues(t, 4, count(t, e, tags))
		assert.EqualValues(t, 1, count(t, e, posts))

		// the other side: a tag adds a post; then deleting the post (its
		// tags loaded) deletes its secondary rows first
		t1.Posts = append(t1.Posts, p)
		rec.Reset()
		require.NoError(t, s.Flush(bg))
		assert.Equal(t, []string{"INSERT rel_post_tags"}, ops(rec.Take()))
		assert.Equal(t, []*relTag{t1}, p.Tags, "back_populates from the Tag side")
		require.NoError(t, s.Delete(p))
		require.NoError(t, s.Flush(bg))
		got = rec.Take()
		assert.Equal(t, []string{"DELETE rel_post_tags", "DELETE rel_posts"}, ops(got), "%q", got)
		require.NoError(t, s.Commit(bg))
		assert.Empty(t, secondary())
		assert.Zero(t, count(t, e, posts))
	})
}
