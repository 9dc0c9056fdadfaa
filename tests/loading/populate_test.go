package loading_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/loading"
	"github.com/retort-orm/retort/orm"
)

// TestPopulateExisting: scenario 9 of the reference.
func TestPopulateExisting(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		f := setup(t, b)
		const byID = "SELECT users.id, users.name, users.fullname FROM users WHERE users.id = ?"
		one := func(s *orm.Session) *orm.Query[User] { return orm.Select[User](s).Where(f.users.C("id").Eq(1)) }

		t.Run("autoflush", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			u, err := orm.Get[User](bg, s, int64(1))
			require.NoError(t, err)
			u.Name = "CHANGED"
			u2, err := only(one(s))
			require.NoError(t, err)
			assert.Same(t, u, u2)
			assert.Equal(t, "CHANGED", u2.Name)
			assert.False(t, s.IsModified(u), "flushed")
			u3, err := only(one(s).PopulateExisting())
			require.NoError(t, err)
			assert.Same(t, u, u3)
			assert.Equal(t, "CHANGED", u3.Name, "the database has the flushed value")
			// the reference's 9: the change is flushed before the query
			got := sqlOf(f.rec)
			require.Len(t, got, 4, "%q", got)
			assert.Equal(t, byID, got[0])
			assert.Equal(t, "UPDATE users SET name=? WHERE users.id = ?", got[1])
			assert.Equal(t, []string{byID, byID}, got[2:])
			require.NoError(t, s.Rollback(bg))
		})

		t.Run("no autoflush", func(t *testing.T) {
			s := newSession(f, orm.WithAutoflush(false))
			defer s.Close()
			u, err := orm.Get[User](bg, s, int64(1))
			require.NoError(t, err)
			u.Name = "CHANGED"
			u2, err := only(one(s))
			require.NoError(t, err)
			// the reference's 9b: the row is ignored for an object in the
			// identity map; the change stays pending
			assert.Equal(t, "CHANGED", u2.Name)
			assert.True(t, s.IsModified(u))
			u3, err := only(one(s).PopulateExisting())
			require.NoError(t, err)
			assert.Same(t, u, u3)
			assert.Equal(t, "u1", u3.Name, "overwritten with the database value")
			assert.False(t, s.IsModified(u), "the pending change is discarded")
			assert.Equal(t, []string{byID, byID, byID}, sqlOf(f.rec))
		})

		t.Run("collection", func(t *testing.T) {
			s := newSession(f, orm.WithAutoflush(false))
			defer s.Close()
			u, err := orm.Get[User](bg, s, int64(1))
			require.NoError(t, err)
			require.NoError(t, s.LoadRelationship(bg, u, "Addresses"))
			require.Len(t, u.Addresses, 3)
			u.Addresses = u.Addresses[:2]
			f.rec.Reset()
			u3, err := only(one(s).Options(loading.SelectInLoad("Addresses")).PopulateExisting())
			require.NoError(t, err)
			// the reference's 9c (IN (?) there: Retort renders one key
			// as =)
			assert.Equal(t, []string{byID, "SELECT addresses.id, addresses.email, addresses.user_id, addresses.deleted FROM addresses WHERE addresses.user_id = ? ORDER BY addresses.id"}, sqlOf(f.rec))
			assert.Equal(t, "u1:[1 2 3]", addrIDs([]*User{u3}))
		})
	})
}
