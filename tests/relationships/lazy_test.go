package relationships_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/orm"
)

type relAuthor struct {
	ID    int64      `orm:"pk"`
	Name  string     `orm:"type:varchar(20)"`
	Books []*relBook `orm:"rel;lazy:raise"`
}

func (relAuthor) TableName() string { return "rel_authors" }

type relBook struct {
	ID       int64      `orm:"pk"`
	AuthorID int64      `orm:"fk:rel_authors.id"`
	Title    string     `orm:"type:varchar(20)"`
	Author   *relAuthor `orm:"rel;lazy:noload"`
}

func (relBook) TableName() string { return "rel_books" }

// TestExplicitLazyLoading: scenario 9. Go cannot load on a field read, so
// loading is an explicit call with a context.
func TestExplicitLazyLoading(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, nil, &relUser{}, &relAddress{}, &relAuthor{}, &relBook{})
		users := table(t, reg, &relUser{})
		seed := orm.NewSession(reg, e)
		var seeded []*relUser
		for _, n := range []string{"u1", "u2", "u3"} {
			seeded = append(seeded, &relUser{Name: n, Addresses: []*relAddress{{EmailAddress: n + "a"}, {EmailAddress: n + "b"}}})
		}
		au := &relAuthor{Name: "au", Books: []*relBook{{Title: "b1"}, {Title: "b2"}}}
		require.NoError(t, seed.AddAll(seeded[0], seeded[1], seeded[2], au))
		require.NoError(t, seed.Commit(bg))
		require.NoError(t, seed.Close())
		rec.Reset()

		s := orm.NewSession(reg, e)
		defer s.Close()
		us, err := orm.Select[relUser](s).OrderBy(users.C("id")).All(bg)
		require.NoError(t, err)
		require.Len(t, us, 3)
		assert.Len(t, rec.Take(), 1)
		for _, u := range us {
			assert.False(t, s.IsLoaded(u, "Addresses"), "not loaded after a query")
			assert.Nil(t, u.Addresses)
		}

		// one object: one SELECT
		require.NoError(t, s.LoadRelationship(bg, us[0], "Addresses"))
		got := rec.Take()
		assert.Equal(t, []string{"SELECT rel_addresses"}, ops(got), "%q", got)
		assert.True(t, s.IsLoaded(us[0], "Addresses"))
		require.Len(t, us[0].Addresses, 2)
		assert.Equal(t, "u1a", us[0].Addresses[0].EmailAddress)
		require.NoError(t, s.LoadRelationship(bg, us[0], "Addresses"))
		assert.Empty(t, rec.Take(), "a loaded relationship is not loaded again")

		// a slice: one SELECT fills all (the loaded one is skipped)
		require.NoError(t, s.Expire(us[0]))
		require.NoError(t, s.Refresh(bg, us[0]))
		rec.Reset()
		require.False(t, s.IsLoaded(us[0], "Addresses"))
		require.NoError(t, orm.LoadRelated(bg, s, us, "Addresses"))
		got = rec.Take()
		assert.Equal(t, []string{"SELECT rel_addresses"}, ops(got), "%q", got)
		for i, u := range us {
			assert.True(t, s.IsLoaded(u, "Addresses"))
			require.Len(t, u.Addresses, 2, u.Name)
			assert.Equal(t, seeded[i].Name+"a", u.Addresses[0].EmailAddress)
			assert.Equal(t, seeded[i].Name+"b", u.Addresses[1].EmailAddress)
		}

		// many-to-one whose target is in the identity map: no SQL
		addr := us[1].Addresses[0]
		require.NoError(t, s.LoadRelationship(bg, addr, "User"))
		assert.Same(t, us[1], addr.User)
		assert.Empty(t, rec.Take(), "the user comes from the identity map")

		// lazy:raise: an error naming the relationship, no SQL
		a, err := orm.Get[relAuthor](bg, s, au.ID)
		require.NoError(t, err)
		rec.Reset()
		err = s.LoadRelationship(bg, a, "Books")
		require.Error(t, err)
		assert.Contains(t, err.Error(), "Books")
		assert.Contains(t, err.Error(), "raise")
		assert.Empty(t, rec.Take())
		assert.Nil(t, a.Books)

		// lazy:noload: empty, no SQL
		bks, err := orm.Select[relBook](s).All(bg)
		require.NoError(t, err)
		require.Len(t, bks, 2)
		rec.Reset()
		require.NoError(t, s.LoadRelationship(bg, bks[0], "Author"))
		assert.Nil(t, bks[0].Author)
		assert.Empty(t, rec.Take())
		require.NoError(t, orm.LoadRelated(bg, s, bks, "Author"))
		assert.Nil(t, bks[1].Author)
		assert.Empty(t, rec.Take())
	})
}
