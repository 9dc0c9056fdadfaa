package loading_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/loading"
	"github.com/retort-orm/retort/orm"
)

// exampleAddrs is the reference's 5a result: only the matching addresses.
const exampleAddrs = "u1:[1 3]; u2:[4 6]; u3:[7 9]; u4:[10 12]; u5:[13 15]"

// TestContainsEager: scenario 5 of the reference. Retort lists the query's
// entity columns first and the joined target's after them (the reference
// lists the addresses' columns first, the users' after, labelled id_1):
// a deliberate difference of column order only. The queries also order by
// the address id so the collections' order does not depend on the backend
// (the reference's 5a orders by users.id alone).
func TestContainsEager(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		f := setup(t, b)
		like := func(s *orm.Session, pattern string) *orm.Query[User] {
			return orm.Select[User](s).Join("Addresses").Where(f.addrs.C("email").Like(pattern)).
				OrderBy(f.users.C("id"), f.addrs.C("id")).Options(loading.ContainsEager("Addresses"))
		}
		const joinedSQL = "SELECT users.id, users.name, users.fullname, addresses.id AS id_1, addresses.email, addresses.user_id, addresses.deleted " +
			"FROM users JOIN addresses ON users.id = addresses.user_id WHERE addresses.email LIKE ? ORDER BY users.id, addresses.id"

		t.Run("filtered join", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := like(s, "%@example.com").All(bg)
			require.NoError(t, err)
			assert.Equal(t, []string{joinedSQL}, sqlOf(f.rec))
			assert.Equal(t, []int64{1, 2, 3, 4, 5}, userIDs(us), "each user once")
			assert.Equal(t, exampleAddrs, addrIDs(us), "only the filtered rows populate the collection")
			for _, u := range us {
				assert.True(t, s.IsLoaded(u, "Addresses"))
			}
			require.NoError(t, s.LoadRelationship(bg, us[0], "Addresses"))
			assert.Empty(t, f.rec.Take(), "no lazy load afterwards")
		})

		t.Run("alias", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			a := f.addrs.Alias("a")
			us, err := orm.Select[User](s).JoinAlias("Addresses", a).Where(a.C("email").Like("%@example.com")).
				OrderBy(f.users.C("id"), a.C("id")).Options(loading.ContainsEager("Addresses").From(a)).All(bg)
			require.NoError(t, err)
			// the reference's 5b (with aliased(Address) named addresses_1)
			assert.Equal(t, []string{
				"SELECT users.id, users.name, users.fullname, a.id AS id_1, a.email, a.user_id, a.deleted " +
					"FROM users JOIN addresses AS a ON users.id = a.user_id WHERE a.email LIKE ? ORDER BY users.id, a.id",
			}, sqlOf(f.rec))
			assert.Equal(t, exampleAddrs, addrIDs(us))
		})

		t.Run("alias without where", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			a := f.addrs.Alias("a")
			us, err := orm.Select[User](s).JoinAlias("Addresses", a).OrderBy(f.users.C("id"), a.C("id")).
				Options(loading.ContainsEager("Addresses").From(a)).All(bg)
			require.NoError(t, err)
			assert.Len(t, f.rec.Take(), 1)
			assert.Equal(t, allAddrs, addrIDs(us)) // the reference's 5b2
		})

		t.Run("loaded collection kept unless populate existing", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			_, err := like(s, "%@example.com").All(bg)
			require.NoError(t, err)
			us, err := like(s, "%@other.org").All(bg)
			require.NoError(t, err)
			// the reference's 5e
			assert.Equal(t, exampleAddrs, addrIDs(us), "the loaded collections stay")
			us, err = like(s, "%@other.org").PopulateExisting().All(bg)
			require.NoError(t, err)
			assert.Equal(t, "u1:[2]; u2:[5]; u3:[8]; u4:[11]; u5:[14]", addrIDs(us))
			assert.Len(t, f.rec.Take(), 3)
		})

		t.Run("many-to-one", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			as, err := orm.Select[Address](s).Join("User").Where(f.users.C("name").Eq("u2")).OrderBy(f.addrs.C("id")).
				Options(loading.ContainsEager("User")).All(bg)
			require.NoError(t, err)
			// the reference's 5d (users' columns first there)
			assert.Equal(t, []string{
				"SELECT addresses.id, addresses.email, addresses.user_id, addresses.deleted, users.id AS id_1, users.name, users.fullname " +
					"FROM addresses JOIN users ON users.id = addresses.user_id WHERE users.name = ? ORDER BY addresses.id",
			}, sqlOf(f.rec))
			require.Len(t, as, 3)
			for i, a := range as {
				assert.Equal(t, int64(4+i), a.ID)
				require.NotNil(t, a.User)
				assert.Equal(t, int64(2), a.User.ID)
				assert.True(t, s.IsLoaded(a, "User"))
			}
			assert.Same(t, as[0].User, as[2].User)
		})
	})
}
