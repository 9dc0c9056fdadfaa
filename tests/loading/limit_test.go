package loading_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/loading"
	"github.com/retort-orm/retort/orm"
)

// wrappedJoined is the reference's 4a shape: the query with its LIMIT/OFFSET
// wrapped as anon_1, the joined collection outside it.
func wrappedJoined(where, limit string) string {
	if where != "" {
		where = " WHERE " + where
	}
	return "SELECT anon_1.id, anon_1.name, anon_1.fullname, addresses_1.id AS id_1, addresses_1.email, addresses_1.user_id, addresses_1.deleted " +
		"FROM (SELECT users.id AS id, users.name AS name, users.fullname AS fullname FROM users" + where + " ORDER BY users.id " + limit + ") AS anon_1 " +
		"LEFT OUTER JOIN addresses AS addresses_1 ON anon_1.id = addresses_1.user_id ORDER BY anon_1.id, addresses_1.id"
}

// TestJoinedLimit: scenario 4 of the reference, joinedload with
// LIMIT/OFFSET. The reference always renders OFFSET on SQLite (params
// (2, 0)); Retort renders only what the query sets.
func TestJoinedLimit(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		f := setup(t, b)
		base := func(s *orm.Session) *orm.Query[User] {
			return orm.Select[User](s).OrderBy(f.users.C("id")).Options(loading.JoinedLoad("Addresses"))
		}

		t.Run("limit", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := base(s).Limit(2).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []string{wrappedJoined("", limitSQL(b, true, false))}, sqlOf(f.rec))
			assert.Equal(t, "u1:[1 2 3]; u2:[4 5 6]", addrIDs(us), "2 users, each with all 3 addresses")
		})

		t.Run("limit offset", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := base(s).Limit(2).Offset(1).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []string{wrappedJoined("", limitSQL(b, true, true))}, sqlOf(f.rec))
			assert.Equal(t, "u2:[4 5 6]; u3:[7 8 9]", addrIDs(us))
		})

		t.Run("offset", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := base(s).Offset(1).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []string{wrappedJoined("", limitSQL(b, false, true))}, sqlOf(f.rec))
			assert.Equal(t, []int64{2, 3, 4, 5}, userIDs(us))
			assert.Equal(t, "u2:[4 5 6]; u3:[7 8 9]; u4:[10 11 12]; u5:[13 14 15]", addrIDs(us))
		})

		t.Run("limit where", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := base(s).Where(f.users.C("name").Ne("u1")).Limit(2).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []string{wrappedJoined("users.name != ?", limitSQL(b, true, false))}, sqlOf(f.rec))
			assert.Equal(t, "u2:[4 5 6]; u3:[7 8 9]", addrIDs(us))
		})

		t.Run("first", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			u, err := base(s).First(bg)
			require.NoError(t, err)
			got := sqlOf(f.rec)
			require.Len(t, got, 1)
			assert.Contains(t, got[0], ") AS anon_1 LEFT OUTER JOIN addresses AS addresses_1 ON anon_1.id = addresses_1.user_id", "First limits the users, not the joined rows")
			assert.Equal(t, "u1:[1 2 3]", addrIDs([]*User{u}))
		})

		t.Run("many-to-one not wrapped", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			as, err := orm.Select[Address](s).OrderBy(f.addrs.C("id")).Options(loading.JoinedLoad("User")).Limit(3).All(bg)
			require.NoError(t, err)
			// the reference's 4f
			assert.Equal(t, []string{
				"SELECT addresses.id, addresses.email, addresses.user_id, addresses.deleted, users_1.id AS id_1, users_1.name, users_1.fullname " +
					"FROM addresses LEFT OUTER JOIN users AS users_1 ON users_1.id = addresses.user_id ORDER BY addresses.id " + limitSQL(b, true, false),
			}, sqlOf(f.rec))
			require.Len(t, as, 3)
			for _, a := range as {
				require.NotNil(t, a.User)
				assert.Equal(t, int64(1), a.User.ID)
				assert.True(t, s.IsLoaded(a, "User"))
			}
		})

		t.Run("many-to-one then collection wrapped", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			as, err := orm.Select[Address](s).OrderBy(f.addrs.C("id")).Options(loading.JoinedLoad("User").JoinedLoad("Orders")).Limit(3).All(bg)
			require.NoError(t, err)
			// the reference's 4g (which lists orders_1's columns before
			// users_1's; Retort keeps path order)
			got := sqlOf(f.rec)
			require.Len(t, got, 1)
			assert.True(t, strings.HasPrefix(got[0], "SELECT anon_1.id, anon_1.email, anon_1.user_id, anon_1.deleted, "), got[0])
			assert.Contains(t, got[0], "FROM (SELECT addresses.id AS id, addresses.email AS email, addresses.user_id AS user_id, addresses.deleted AS deleted FROM addresses ORDER BY addresses.id "+limitSQL(b, true, false)+") AS anon_1 "+
				"LEFT OUTER JOIN users AS users_1 ON users_1.id = anon_1.user_id LEFT OUTER JOIN orders AS orders_1 ON users_1.id = orders_1.user_id ORDER BY anon_1.id")
			require.Len(t, as, 3)
			for _, a := range as {
				require.NotNil(t, a.User)
				assert.Equal(t, "u1:[1 2]", orderIDs([]*User{a.User}))
			}
		})

		t.Run("subquery limit", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := orm.Select[User](s).OrderBy(f.users.C("id")).Options(loading.SubqueryLoad("Addresses")).Limit(2).All(bg)
			require.NoError(t, err)
			// the reference's 4h: with a LIMIT the inner query keeps its
			// ORDER BY and LIMIT
			assert.Equal(t, []string{
				"SELECT users.id, users.name, users.fullname FROM users ORDER BY users.id " + limitSQL(b, true, false),
				"SELECT addresses.id, addresses.email, addresses.user_id, addresses.deleted, anon_1.users_id FROM (SELECT users.id AS users_id FROM users ORDER BY users.id " + limitSQL(b, true, false) + ") AS anon_1 " +
					"JOIN addresses ON anon_1.users_id = addresses.user_id ORDER BY anon_1.users_id, addresses.id",
			}, sqlOf(f.rec))
			assert.Equal(t, "u1:[1 2 3]; u2:[4 5 6]", addrIDs(us))
		})

		t.Run("selectin limit", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := orm.Select[User](s).OrderBy(f.users.C("id")).Options(loading.SelectInLoad("Addresses")).Limit(2).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []string{
				"SELECT users.id, users.name, users.fullname FROM users ORDER BY users.id " + limitSQL(b, true, false),
				selAddrsIn(2),
			}, sqlOf(f.rec))
			assert.Equal(t, "u1:[1 2 3]; u2:[4 5 6]", addrIDs(us))
		})
	})
}
