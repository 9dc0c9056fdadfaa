package loading_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/loading"
	"github.com/retort-orm/retort/orm"
)

// subq12i is the reference's 12i statement: the entity's columns from a
// subquery of select(User).where(User.id > 2), the deferred bio inside it
// but not outside.
const subq12i = "SELECT anon_1.id, anon_1.name, anon_1.fullname FROM (SELECT users.id AS id, users.name AS name, users.fullname AS fullname, users.bio AS bio " +
	"FROM users WHERE users.id > ?) AS anon_1 ORDER BY anon_1.id"

// TestQueryFrom: scenarios 12h–12j of the reference, entities read from a
// subquery, a CTE and a UNION ALL (orm.Query.From), and from a textual
// statement (orm.Query.FromStatement). The rows go through the identity
// map: the objects are those a direct load of the same rows returns.
func TestQueryFrom(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		f := setup(t, b)
		// every column of users, bio included, as the reference's
		// select(User) subquery has it
		userCols := func() []core.SelectItem {
			var out []core.SelectItem
			for _, c := range f.users.Columns() {
				out = append(out, c)
			}
			return out
		}
		usersWhere := func(cond core.Expr) *core.SelectStmt {
			return core.Select(userCols()...).From(f.users).Where(cond)
		}
		// direct loads the users with id > 2 in s, and forgets the SQL
		direct := func(t *testing.T, s *orm.Session, cond core.Expr) []*User {
			t.Helper()
			us, err := orm.Select[User](s).Where(cond).OrderBy(f.users.C("id")).All(bg)
			require.NoError(t, err)
			f.rec.Reset()
			return us
		}
		same := func(t *testing.T, want, got []*User) {
			t.Helper()
			require.Equal(t, userIDs(want), userIDs(got))
			for i := range want {
				assert.Same(t, want[i], got[i])
			}
		}

		t.Run("subquery", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			want := direct(t, s, f.users.C("id").Gt(2))
			sub := usersWhere(f.users.C("id").Gt(2)).Subquery("")
			us, err := orm.Select[User](s).From(sub).OrderBy(sub.C("id")).All(bg)
			require.NoError(t, err)
			// the reference's 12i, identical
			assert.Equal(t, []string{
				subq12i,
			}, sqlOf(f.rec))
			same(t, want, us)
		})

		t.Run("subquery fresh session with selectin", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			sub := usersWhere(f.users.C("id").Gt(2)).Subquery("")
			us, err := orm.Select[User](s).From(sub).OrderBy(sub.C("id")).Options(loading.SelectInLoad("Addresses")).All(bg)
			require.NoError(t, err)
			// the reference's 12i2
			assert.Equal(t, []string{
				subq12i,
				selAddrsIn(3),
			}, sqlOf(f.rec))
			assert.Equal(t, "u3:[7 8 9]; u4:[10 11 12]; u5:[13 14 15]", addrIDs(us))
			assert.Empty(t, us[0].Bio, "the deferred column stays unloaded, as the reference's outer SELECT leaves it out")
			// and a direct load afterwards finds the same objects
			same(t, us, direct(t, s, f.users.C("id").Gt(2)))
		})

		t.Run("cte", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			want := direct(t, s, f.users.C("id").Gt(2))
			big := usersWhere(f.users.C("id").Gt(2)).CTE("big", false)
			us, err := orm.Select[User](s).From(big).OrderBy(big.C("id")).All(bg)
			require.NoError(t, err)
			// (the reference has no CTE scenario; SQLAlchemy renders
			// aliased(User, cte) the same way)
			assert.Equal(t, []string{
				"WITH big AS (SELECT users.id AS id, users.name AS name, users.fullname AS fullname, users.bio AS bio FROM users WHERE users.id > ?) SELECT big.id, big.name, big.fullname FROM big ORDER BY big.id",
			}, sqlOf(f.rec))
			same(t, want, us)
			n, err := orm.Select[User](s).From(big).Count(bg)
			require.NoError(t, err)
			assert.Equal(t, int64(3), n)
		})

		t.Run("union all", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			want := direct(t, s, f.users.C("id").Le(2))
			u := usersWhere(f.users.C("id").Eq(1)).UnionAll(usersWhere(f.users.C("id").Eq(2))).Subquery("")
			us, err := orm.Select[User](s).From(u).OrderBy(u.C("id")).All(bg)
			require.NoError(t, err)
			// the reference's 12j, with an ORDER BY for a stable order
			assert.Equal(t, []string{
				"SELECT anon_1.id, anon_1.name, anon_1.fullname FROM (SELECT users.id AS id, users.name AS name, users.fullname AS fullname, users.bio AS bio FROM users WHERE users.id = ? " +
					"UNION ALL SELECT users.id AS id, users.name AS name, users.fullname AS fullname, users.bio AS bio FROM users WHERE users.id = ?) AS anon_1 ORDER BY anon_1.id",
			}, sqlOf(f.rec))
			same(t, want, us)
		})

		t.Run("union all with a duplicate row", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			u := usersWhere(f.users.C("id").Eq(1)).UnionAll(usersWhere(f.users.C("id").Eq(1))).Subquery("")
			us, err := orm.Select[User](s).From(u).All(bg)
			require.NoError(t, err)
			// two rows, one identity: the same pointer twice (SQLAlchemy's
			// scalars().all() without unique() also returns it twice)
			require.Len(t, us, 2)
			assert.Same(t, us[0], us[1])
			assert.Equal(t, 1, s.Len())
		})

		t.Run("from a subquery without the entity's columns", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			sub := core.Select(f.users.C("id"), f.users.C("name")).From(f.users).Subquery("")
			_, err := orm.Select[User](s).From(sub).All(bg)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "User.Fullname")
			assert.Empty(t, f.rec.Take(), "no SQL")
		})

		t.Run("from statement", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := orm.Select[User](s).FromStatement(core.Raw("SELECT * FROM users WHERE id < 3", nil)).All(bg)
			require.NoError(t, err)
			// the reference's 12h: the statement as written
			assert.Equal(t, []string{"SELECT * FROM users WHERE id < 3"}, sqlOf(f.rec))
			assert.Equal(t, []int64{1, 2}, userIDs(us))
			assert.Equal(t, "User 1", us[0].Fullname)
			// Deliberate difference: the reference does not populate the
			// deferred bio even though the text returned it ('bio' in
			// __dict__ is False, a later access SELECTs it again). Retort
			// matches every result column to its attribute by name and
			// loads what the statement returned, deferred or not: the value
			// is at hand, and Go could not load it on access anyway.
			// FromStatement's documentation says as much ("columns the
			// statement does not return stay unloaded"), so a returned
			// column is loaded: IsLoaded says so and LoadColumns has
			// nothing to do.
			assert.Equal(t, "bio of u1", us[0].Bio)
			assert.Equal(t, "bio of u2", us[1].Bio)
			assert.True(t, s.IsLoaded(us[0], "Fullname"))
			assert.True(t, s.IsLoaded(us[0], "Bio"), "bio was returned and populated")
			require.NoError(t, s.LoadColumns(bg, us[0], "Bio"))
			assert.Empty(t, f.rec.Take(), "bio counts as loaded")
			// identity: a direct load returns the same objects
			same(t, us, direct(t, s, f.users.C("id").Lt(3)))
		})

		t.Run("from statement with a column subset", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := orm.Select[User](s).FromStatement(core.Raw("SELECT name, id FROM users WHERE id = 4", nil)).All(bg)
			require.NoError(t, err)
			require.Len(t, us, 1)
			assert.Equal(t, "u4", us[0].Name)
			assert.Empty(t, us[0].Fullname)
			assert.True(t, s.IsLoaded(us[0], "Name"))
			assert.False(t, s.IsLoaded(us[0], "Fullname"), "a column the statement did not return stays unloaded")
			assert.False(t, s.IsLoaded(us[0], "Bio"))
			f.rec.Reset()
			require.NoError(t, s.LoadColumns(bg, us[0], "Fullname"))
			assert.Equal(t, []string{"SELECT users.fullname FROM users WHERE users.id = ?"}, sqlOf(f.rec))
			assert.Equal(t, "User 4", us[0].Fullname)
		})

		t.Run("from statement with selectin", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := orm.Select[User](s).FromStatement(core.Raw("SELECT * FROM users WHERE id < 3", nil)).
				Options(loading.SelectInLoad("Addresses")).All(bg)
			require.NoError(t, err)
			// the reference's 12h2
			assert.Equal(t, []string{"SELECT * FROM users WHERE id < 3", selAddrsIn(2)}, sqlOf(f.rec))
			assert.Equal(t, "u1:[1 2 3]; u2:[4 5 6]", addrIDs(us))
		})

		t.Run("from a union statement", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			u := usersWhere(f.users.C("id").Eq(1)).UnionAll(usersWhere(f.users.C("id").Eq(2)))
			us, err := orm.Select[User](s).FromStatement(u).All(bg)
			require.NoError(t, err)
			// the reference's 12j2
			assert.Equal(t, []string{
				"SELECT users.id, users.name, users.fullname, users.bio FROM users WHERE users.id = ? UNION ALL SELECT users.id, users.name, users.fullname, users.bio FROM users WHERE users.id = ?",
			}, sqlOf(f.rec))
			assert.ElementsMatch(t, []int64{1, 2}, userIDs(us))
		})

		t.Run("from statement without the primary key", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := orm.Select[User](s).FromStatement(core.Raw("SELECT name, fullname FROM users", nil)).All(bg)
			require.Error(t, err)
			assert.Nil(t, us)
			assert.Contains(t, err.Error(), "primary key column id")
			assert.Equal(t, 0, s.Len())
		})
	})
}
