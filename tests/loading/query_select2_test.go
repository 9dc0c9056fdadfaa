package loading_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/loading"
	"github.com/retort-orm/retort/orm"
)

// pairIDs is "a/b" for each row of a Select2 (b 0 when B is nil).
func pairIDs[A, B any](rows []orm.Pair[A, B], aid func(*A) int64, bid func(*B) int64) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		var b int64
		if r.B != nil {
			b = bid(r.B)
		}
		out[i] = fmt.Sprintf("%d/%d", aid(r.A), b)
	}
	return out
}

func uid(u *User) int64    { return u.ID }
func aid(a *Address) int64 { return a.ID }

// usersAddrsCols is the column list of select(User, Address): the
// reference's 12a, addresses.id labelled id_1 on its collision.
const usersAddrsCols = "SELECT users.id, users.name, users.fullname, addresses.id AS id_1, addresses.email, addresses.user_id, addresses.deleted"

// TestQuerySelect2: scenario 12a and 12c of the reference, two entities per
// row (orm.Select2), and the aliased entity (orm.Query.From with an alias,
// the reference's aliased(User)).
func TestQuerySelect2(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		f := setup(t, b)

		t.Run("join rows", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			rows, err := orm.Select2[User, Address](s).Join("Addresses").
				Where(f.users.C("id").Eq(1)).OrderBy(f.addrs.C("id")).All(bg)
			require.NoError(t, err)
			// the reference's 12a, identical
			assert.Equal(t, []string{usersAddrsCols +
				" FROM users JOIN addresses ON users.id = addresses.user_id WHERE users.id = ? ORDER BY addresses.id"}, sqlOf(f.rec))
			assert.Equal(t, []string{"1/1", "1/2", "1/3"}, pairIDs(rows, uid, aid))
			require.Len(t, rows, 3)
			assert.Same(t, rows[0].A, rows[1].A, "one *User for the row in every result row")
			assert.Same(t, rows[0].A, rows[2].A)
			assert.Equal(t, "u1", rows[0].A.Name)
			assert.Equal(t, "u1b@other.org", rows[1].B.Email)
			assert.True(t, rows[1].B.Deleted)
			// the identity map: a later load of the same rows is the same objects
			u, err := orm.Get[User](bg, s, 1)
			require.NoError(t, err)
			assert.Same(t, rows[0].A, u)
			a, err := orm.Get[Address](bg, s, 3)
			require.NoError(t, err)
			assert.Same(t, rows[2].B, a)
			assert.Empty(t, f.rec.Take(), "Get answers from the identity map")
			// the relationship is not populated by the rows (no ContainsEager)
			assert.False(t, s.IsLoaded(rows[0].A, "Addresses"))
		})

		t.Run("join rows of every user", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := orm.Select[User](s).OrderBy(f.users.C("id")).All(bg)
			require.NoError(t, err)
			f.rec.Reset()
			var got []*User
			err = orm.Select2[User, Address](s).Join("Addresses").OrderBy(f.addrs.C("id")).
				Each(bg, func(u *User, a *Address) error {
					got = append(got, u)
					assert.Equal(t, u.ID, a.UserID)
					return nil
				})
			require.NoError(t, err)
			assert.Len(t, f.rec.Take(), 1)
			require.Len(t, got, 15)
			for i, u := range got {
				assert.Same(t, us[i/3], u, "row %d: the pointer the earlier query returned", i)
			}
		})

		t.Run("loader options for A and limit", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			rows, err := orm.Select2[User, Address](s).Join("Addresses").Where(f.users.C("id").Le(2)).
				OrderBy(f.addrs.C("id")).Limit(4).Options(loading.SelectInLoad("Orders")).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []string{
				usersAddrsCols + " FROM users JOIN addresses ON users.id = addresses.user_id WHERE users.id <= ? ORDER BY addresses.id " + limitSQL(b, true, false),
				"SELECT orders.id, orders.user_id, orders.description FROM orders WHERE orders.user_id " + in(2),
			}, sqlOf(f.rec), "one selectin load for the distinct users of the rows")
			assert.Equal(t, []string{"1/1", "1/2", "1/3", "2/4"}, pairIDs(rows, uid, aid))
			assert.Equal(t, "u1:[1 2] u2:[3 4]", orderIDs([]*User{rows[0].A, rows[3].A}))
		})

		t.Run("outer join without addresses", func(t *testing.T) {
			// two users without addresses, removed again afterwards
			require.NoError(t, f.e.Transaction(quiet, func(c *core.Connection) error {
				_, err := c.InsertRows(quiet, f.users, []*core.Column{f.users.C("id"), f.users.C("name"), f.users.C("fullname"), f.users.C("bio")},
					[][]any{{int64(6), "u6", "User 6", "bio of u6"}, {int64(7), "u7", "User 7", "bio of u7"}})
				return err
			}))
			defer func() {
				_, err := f.e.Execute(quiet, core.Delete(f.users).Where(f.users.C("id").Gt(5)))
				require.NoError(t, err)
			}()
			s := newSession(f)
			defer s.Close()
			rows, err := orm.Select2[User, Address](s).OuterJoin("Addresses").Where(f.users.C("id").Ge(5)).
				OrderBy(f.users.C("id"), f.addrs.C("id")).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []string{usersAddrsCols +
				" FROM users LEFT OUTER JOIN addresses ON users.id = addresses.user_id WHERE users.id >= ? ORDER BY users.id, addresses.id"}, sqlOf(f.rec))
			assert.Equal(t, []string{"5/13", "5/14", "5/15", "6/0", "7/0"}, pairIDs(rows, uid, aid))
			require.Len(t, rows, 5)
			assert.Nil(t, rows[3].B, "no address row: B is nil")
			assert.Nil(t, rows[4].B)
			assert.Equal(t, "u6", rows[3].A.Name)
			assert.NotSame(t, rows[3].A, rows[4].A)
			assert.Equal(t, 6, s.Len(), "users 5, 6, 7 and addresses 13–15: no empty Address for the NULL rows")
		})

		t.Run("self-join", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			u2 := f.users.Alias("u2")
			rows, err := orm.Select2[User, User](s).JoinOn(u2, f.users.C("id").Lt(u2.C("id"))).FromB(u2).
				Where(u2.C("id").Le(3)).OrderBy(f.users.C("id"), u2.C("id")).All(bg)
			require.NoError(t, err)
			// the reference's 12c with both entities (it selects the ids
			// only) and an ORDER BY for a stable row order; the alias is
			// named by the test (aliased(User, name="u2"), as in 12c2)
			assert.Equal(t, []string{
				"SELECT users.id, users.name, users.fullname, u2.id AS id_1, u2.name AS name_1, u2.fullname AS fullname_1 " +
					"FROM users JOIN users AS u2 ON users.id < u2.id WHERE u2.id <= ? ORDER BY users.id, u2.id",
			}, sqlOf(f.rec))
			assert.Equal(t, []string{"1/2", "1/3", "2/3"}, pairIDs(rows, uid, uid))
			require.Len(t, rows, 3)
			// one object per row whichever side of the join it came from
			assert.Same(t, rows[0].A, rows[1].A)
			assert.Same(t, rows[0].B, rows[2].A, "user 2 as B of row 1 and as A of row 3")
			assert.Same(t, rows[1].B, rows[2].B)
			assert.Equal(t, "User 3", rows[2].B.Fullname)
			assert.Equal(t, 3, s.Len())
		})

		t.Run("aliased entity", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			u2 := f.users.Alias("u2")
			us, err := orm.Select[User](s).From(u2).Where(u2.C("name").Eq("u2")).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []string{"SELECT u2.id, u2.name, u2.fullname FROM users AS u2 WHERE u2.name = ?"}, sqlOf(f.rec))
			require.Len(t, us, 1)
			assert.Equal(t, "User 2", us[0].Fullname)
			direct, err := orm.Select[User](s).Where(f.users.C("id").Eq(2)).All(bg)
			require.NoError(t, err)
			require.Len(t, direct, 1)
			assert.Same(t, us[0], direct[0])
			// Count of an aliased entity counts the alias' rows
			n, err := orm.Select[User](s).From(u2).Where(u2.C("id").Gt(3)).Count(bg)
			require.NoError(t, err)
			assert.Equal(t, int64(2), n)
		})

		t.Run("aliased entity with an of_type join and contains_eager", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			u2, a := f.users.Alias("u2"), f.addrs.Alias("a")
			us, err := orm.Select[User](s).From(u2).JoinAlias("Addresses", a).
				Where(a.C("email").Like("%@other.org")).OrderBy(u2.C("id"), a.C("id")).
				Options(loading.ContainsEager("Addresses").From(a)).All(bg)
			require.NoError(t, err)
			// the reference's 5b on an aliased User: the relationship's
			// join is adapted to both aliases
			assert.Equal(t, []string{
				"SELECT u2.id, u2.name, u2.fullname, a.id AS id_1, a.email, a.user_id, a.deleted " +
					"FROM users AS u2 JOIN addresses AS a ON u2.id = a.user_id WHERE a.email LIKE ? ORDER BY u2.id, a.id",
			}, sqlOf(f.rec))
			assert.Equal(t, "u1:[2]; u2:[5]; u3:[8]; u4:[11]; u5:[14]", addrIDs(us))
			for _, u := range us {
				assert.True(t, s.IsLoaded(u, "Addresses"))
				assert.Same(t, u, u.Addresses[0].User, "back_populates set from the rows")
			}
		})

		t.Run("of_type join as the second entity", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			a := f.addrs.Alias("a")
			rows, err := orm.Select2[User, Address](s).JoinAlias("Addresses", a).
				Where(a.C("email").Like("u2%")).OrderBy(a.C("id")).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []string{
				"SELECT users.id, users.name, users.fullname, a.id AS id_1, a.email, a.user_id, a.deleted " +
					"FROM users JOIN addresses AS a ON users.id = a.user_id WHERE a.email LIKE ? ORDER BY a.id",
			}, sqlOf(f.rec))
			assert.Equal(t, []string{"2/4", "2/5", "2/6"}, pairIDs(rows, uid, aid))
		})
	})
}
