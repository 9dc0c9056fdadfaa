package loading_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/loading"
	"github.com/retort-orm/retort/orm"
	"github.com/retort-orm/retort/registry"
)

// TestLoaderCriteria: scenario 6 of the reference,
// with_loader_criteria(Address, Address.deleted == False) hiding the
// soft-deleted addresses 2 and 8 from every load of Address. Deliberate
// difference: the reference renders the False constant as a literal
// (`addresses.deleted = 0`); Retort binds it (`addresses.deleted = ?`).
func TestLoaderCriteria(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		f := setup(t, b)
		live := func() *loading.Criteria { return loading.WithLoaderCriteria[Address](f.addrs.C("deleted").Eq(false)) }
		base := func(s *orm.Session) *orm.Query[User] { return orm.Select[User](s).OrderBy(f.users.C("id")) }
		addrCols := "SELECT addresses.id, addresses.email, addresses.user_id, addresses.deleted FROM addresses"

		t.Run("own entity", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			as, err := orm.Select[Address](s).OrderBy(f.addrs.C("id")).Options(live()).All(bg)
			require.NoError(t, err)
			// the reference's 6d
			assert.Equal(t, []string{addrCols + " WHERE addresses.deleted = ? ORDER BY addresses.id"}, sqlOf(f.rec))
			var ids []int64
			for _, a := range as {
				ids = append(ids, a.ID)
			}
			assert.Equal(t, []int64{1, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15}, ids)
			// with the query's own WHERE: both, ANDed
			n, err := orm.Select[Address](s).Where(f.addrs.C("user_id").Eq(1)).Options(live()).Count(bg)
			require.NoError(t, err)
			assert.Equal(t, int64(2), n)
		})

		t.Run("selectin", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := base(s).Options(loading.SelectInLoad("Addresses"), live()).All(bg)
			require.NoError(t, err)
			// the reference's 6a
			assert.Equal(t, []string{selUsers, addrCols + " WHERE addresses.user_id " + in(5) + " AND addresses.deleted = ? ORDER BY addresses.id"}, sqlOf(f.rec))
			assert.Equal(t, liveAddrs, addrIDs(us))
		})

		t.Run("joined", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := base(s).Options(loading.JoinedLoad("Addresses"), live()).All(bg)
			require.NoError(t, err)
			// the reference's 6b: the criteria go in the ON clause, so
			// that a user whose addresses are all deleted stays
			assert.Equal(t, []string{
				"SELECT users.id, users.name, users.fullname, addresses_1.id AS id_1, addresses_1.email, addresses_1.user_id, addresses_1.deleted " +
					"FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id AND addresses_1.deleted = ? ORDER BY users.id, addresses_1.id",
			}, sqlOf(f.rec))
			assert.Equal(t, liveAddrs, addrIDs(us))
		})

		t.Run("subquery", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := base(s).Options(loading.SubqueryLoad("Addresses"), live()).All(bg)
			require.NoError(t, err)
			// Deliberate difference: the reference's 6g puts the criteria
			// into the JOIN's ON; Retort puts them in the WHERE, which is
			// the same for this inner join.
			assert.Equal(t, []string{selUsers,
				"SELECT addresses.id, addresses.email, addresses.user_id, addresses.deleted, anon_1.users_id FROM (SELECT users.id AS users_id FROM users) AS anon_1 " +
					"JOIN addresses ON anon_1.users_id = addresses.user_id WHERE addresses.deleted = ? ORDER BY anon_1.users_id, addresses.id",
			}, sqlOf(f.rec))
			assert.Equal(t, liveAddrs, addrIDs(us))
		})

		t.Run("immediate", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := base(s).Options(loading.ImmediateLoad("Addresses"), live()).All(bg)
			require.NoError(t, err)
			got := sqlOf(f.rec)
			require.Len(t, got, 6)
			for _, q := range got[1:] {
				assert.Equal(t, addrCols+" WHERE addresses.user_id = ? AND addresses.deleted = ? ORDER BY addresses.id", q)
			}
			assert.Equal(t, liveAddrs, addrIDs(us))
		})

		t.Run("later explicit loads follow the objects", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := base(s).Options(live()).All(bg)
			require.NoError(t, err)
			f.rec.Reset()
			// the reference's 6c: the lazy loads of objects the query
			// loaded carry the criteria
			require.NoError(t, s.LoadRelationship(bg, us[0], "Addresses"))
			assert.Equal(t, []string{addrCols + " WHERE addresses.user_id = ? AND addresses.deleted = ? ORDER BY addresses.id"}, sqlOf(f.rec))
			assert.Equal(t, "u1:[1 3]", addrIDs(us[:1]))
			require.NoError(t, orm.LoadRelated(bg, s, us, "Addresses"))
			assert.Equal(t, []string{addrCols + " WHERE addresses.user_id " + in(4) + " AND addresses.deleted = ? ORDER BY addresses.id"}, sqlOf(f.rec))
			assert.Equal(t, liveAddrs, addrIDs(us))
			require.NoError(t, s.Close()) // SQLite's pool holds one connection

			// objects loaded by a query without the option load everything
			s2 := newSession(f)
			defer s2.Close()
			u1, err := orm.Get[User](bg, s2, int64(1))
			require.NoError(t, err)
			require.NoError(t, s2.LoadRelationship(bg, u1, "Addresses"))
			assert.Equal(t, "u1:[1 2 3]", addrIDs([]*User{u1}))
		})

		t.Run("explicit join", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := orm.Select[User](s).Join("Addresses").Where(f.addrs.C("email").Like("u1%")).Options(live()).All(bg)
			require.NoError(t, err)
			// the reference's 6e: the criteria go in the join's ON
			assert.Equal(t, []string{
				"SELECT users.id, users.name, users.fullname FROM users JOIN addresses ON users.id = addresses.user_id AND addresses.deleted = ? WHERE addresses.email LIKE ?",
			}, sqlOf(f.rec))
			// one row per matching live address, as the reference's
			// select(User).join(User.addresses) returns (2.0 does not
			// de-duplicate a plain join): the same object twice
			require.Len(t, us, 2)
			assert.Same(t, us[0], us[1])
			assert.Equal(t, int64(1), us[0].ID)
			assert.False(t, s.IsLoaded(us[0], "Addresses"), "a plain join does not populate the collection")
		})

		t.Run("func form", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			crit := loading.WithLoaderCriteriaFunc(func(m *registry.Mapper) core.Expr {
				if c := m.Table().C("deleted"); c != nil {
					return c.Eq(false)
				}
				return nil
			})
			us, err := base(s).Options(loading.SelectInLoad("Addresses"), crit).All(bg)
			require.NoError(t, err)
			// the reference's 6f (the lambda form); users have no
			// deleted column and are not filtered
			assert.Equal(t, []string{selUsers, addrCols + " WHERE addresses.user_id " + in(5) + " AND addresses.deleted = ? ORDER BY addresses.id"}, sqlOf(f.rec))
			assert.Equal(t, liveAddrs, addrIDs(us))
		})

		t.Run("non-boolean criteria", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := base(s).Where(f.users.C("id").Le(2)).
				Options(loading.SelectInLoad("Addresses"), loading.WithLoaderCriteria[Address](f.addrs.C("email").Ne("nobody@x"))).All(bg)
			require.NoError(t, err)
			// the reference's 6j
			assert.Equal(t, []string{
				"SELECT users.id, users.name, users.fullname FROM users WHERE users.id <= ? ORDER BY users.id",
				addrCols + " WHERE addresses.user_id " + in(2) + " AND addresses.email != ? ORDER BY addresses.id",
			}, sqlOf(f.rec))
			assert.Equal(t, "u1:[1 2 3]; u2:[4 5 6]", addrIDs(us))
		})
	})
}
