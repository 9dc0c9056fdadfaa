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

// TestQueryLoadColumns: scenario 7 of the reference, the load of a
// deferred or unloaded column. Go cannot load on a field read, so the
// reference's implicit load on access is Session.LoadColumns here, with
// the same SQL: one SELECT by primary key per object. Deliberate
// difference: the reference labels the column (`users.fullname AS
// users_fullname`); Retort does not.
func TestQueryLoadColumns(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		f := setup(t, b)
		byKey := func(cols string) string { return "SELECT " + cols + " FROM users WHERE users.id = ?" }

		t.Run("load_only then load a column", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := orm.Select[User](s).OrderBy(f.users.C("id")).Options(loading.LoadOnly("Name")).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []string{"SELECT users.id, users.name FROM users ORDER BY users.id"}, sqlOf(f.rec))
			u1, u2 := us[0], us[1]
			assert.True(t, s.IsLoaded(u1, "ID"))
			assert.True(t, s.IsLoaded(u1, "Name"))
			assert.False(t, s.IsLoaded(u1, "Fullname"))
			assert.False(t, s.IsLoaded(u1, "Bio"))
			// the reference's 7b: one SELECT per object and column access
			require.NoError(t, s.LoadColumns(bg, u1, "Fullname"))
			require.NoError(t, s.LoadColumns(bg, u2, "Fullname"))
			assert.Equal(t, []string{byKey("users.fullname"), byKey("users.fullname")}, sqlOf(f.rec))
			assert.Equal(t, "User 1", u1.Fullname)
			assert.Equal(t, "User 2", u2.Fullname)
			assert.True(t, s.IsLoaded(u1, "Fullname"))
			assert.False(t, s.IsLoaded(u1, "Bio"))
			assert.Empty(t, us[2].Fullname, "only the object asked for")
			// loaded: no SQL again, and the object is clean
			require.NoError(t, s.LoadColumns(bg, u1, "Fullname", "Name"))
			assert.Empty(t, f.rec.Take())
			assert.False(t, s.IsModified(u1))
			require.NoError(t, s.Flush(bg))
			assert.Empty(t, f.rec.Take(), "loading a column is not a change")
			// several columns in one SELECT, in the order named, the loaded
			// ones left out
			require.NoError(t, s.LoadColumns(bg, us[2], "Name", "Bio", "Fullname"))
			assert.Equal(t, []string{byKey("users.bio, users.fullname")}, sqlOf(f.rec))
			assert.Equal(t, "bio of u3", us[2].Bio)
		})

		t.Run("deferred column of a group", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := orm.Select[User](s).Where(f.users.C("id").Eq(1)).All(bg)
			require.NoError(t, err)
			u := us[0]
			assert.False(t, s.IsLoaded(u, "Bio"), "deferred:profile")
			assert.Empty(t, u.Bio)
			require.NoError(t, s.LoadColumns(bg, u, "Bio"))
			// the reference's 7a
			assert.Equal(t, []string{"SELECT users.id, users.name, users.fullname FROM users WHERE users.id = ?", byKey("users.bio")}, sqlOf(f.rec))
			assert.Equal(t, "bio of u1", u.Bio)
			assert.True(t, s.IsLoaded(u, "Bio"))
			// an UndeferGroup query loads it with the row
			us, err = orm.Select[User](s).Where(f.users.C("id").Eq(2)).Options(loading.UndeferGroup("profile")).All(bg)
			require.NoError(t, err)
			assert.True(t, s.IsLoaded(us[0], "Bio"))
			assert.Equal(t, "bio of u2", us[0].Bio)
		})

		t.Run("a later query loads what an earlier one left out", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := orm.Select[User](s).Where(f.users.C("id").Eq(1)).Options(loading.LoadOnly("Name")).All(bg)
			require.NoError(t, err)
			u := us[0]
			us, err = orm.Select[User](s).Where(f.users.C("id").Eq(1)).All(bg)
			require.NoError(t, err)
			assert.Same(t, u, us[0])
			// SQLAlchemy fills the unloaded attributes of an identity-map
			// object from a later row that has them (loading.py's
			// _populate_partial, with state.unloaded) without
			// populate_existing; the loaded ones and pending changes stay.
			assert.Equal(t, "User 1", u.Fullname)
			assert.True(t, s.IsLoaded(u, "Fullname"))
			f.rec.Reset()
			require.NoError(t, s.LoadColumns(bg, u, "Fullname"))
			assert.Empty(t, f.rec.Take())
		})

		t.Run("defer raise", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := orm.Select[User](s).Where(f.users.C("id").Eq(1)).Options(loading.DeferRaise("Fullname")).All(bg)
			require.NoError(t, err)
			f.rec.Reset()
			err = s.LoadColumns(bg, us[0], "Fullname")
			require.Error(t, err)
			// the reference's 7f: "'User.fullname' is not available due to
			// raiseload=True" (Retort names the Go field)
			assert.Contains(t, err.Error(), "User.Fullname is not available due to raiseload")
			assert.Empty(t, f.rec.Take(), "no SQL")
			assert.Empty(t, us[0].Fullname)
			assert.False(t, s.IsLoaded(us[0], "Fullname"))
			// the other deferred column still loads (the reference's 7f2
			// raises for both only with load_only(..., raiseload=True))
			require.NoError(t, s.LoadColumns(bg, us[0], "Bio"))
			assert.Equal(t, "bio of u1", us[0].Bio)
		})

		t.Run("unknown or relationship field", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			u, err := orm.Get[User](bg, s, 1)
			require.NoError(t, err)
			f.rec.Reset()
			err = s.LoadColumns(bg, u, "Fulname")
			require.Error(t, err)
			assert.Contains(t, err.Error(), `did you mean "Fullname"`)
			err = s.LoadColumns(bg, u, "Addresses")
			require.Error(t, err)
			assert.Contains(t, err.Error(), "Addresses")
			err = s.LoadColumns(bg, &User{ID: 1}, "Bio")
			require.Error(t, err, "an object the session does not track")
			assert.Empty(t, f.rec.Take())
		})

		t.Run("a change to an unloaded column is written", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := orm.Select[User](s).OrderBy(f.users.C("id")).Options(loading.LoadOnly("Name")).All(bg)
			require.NoError(t, err)
			f.rec.Reset()
			// unloaded and unchanged: nothing to write (the zero value in
			// the field is not the row's value)
			require.NoError(t, s.Flush(bg))
			assert.Empty(t, f.rec.Take())
			us[0].Fullname = "Changed 1"
			us[1].Bio = "changed bio"
			us[2].Name = "u3x"
			assert.True(t, s.IsModified(us[0]))
			require.NoError(t, s.Flush(bg))
			assert.Equal(t, []string{
				"UPDATE users SET fullname=? WHERE users.id = ?",
				"UPDATE users SET bio=? WHERE users.id = ?",
				"UPDATE users SET name=? WHERE users.id = ?",
			}, sqlOf(f.rec))
			// the session's transaction sees them
			res, err := s.Execute(bg, core.Select(f.users.C("fullname")).From(f.users).Where(f.users.C("id").Eq(1)))
			require.NoError(t, err)
			fn, err := core.ScalarOne[string](res)
			require.NoError(t, err)
			assert.Equal(t, "Changed 1", fn)
			// a written column counts as loaded with the written value (as
			// in SQLAlchemy, where the set value is in __dict__)
			f.rec.Reset()
			require.NoError(t, s.LoadColumns(bg, us[0], "Fullname"))
			assert.Empty(t, f.rec.Take())
			assert.Equal(t, "Changed 1", us[0].Fullname)
			require.NoError(t, s.Rollback(bg))
		})

		t.Run("LoadColumns keeps a pending change of an unloaded column", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := orm.Select[User](s).Where(f.users.C("id").Eq(1)).Options(loading.LoadOnly("Name")).All(bg)
			require.NoError(t, err)
			u := us[0]
			// without autoflush, nothing writes the change before the load:
			// the program's value must survive it ("Loaded attributes are
			// left as they are"; SQLAlchemy's set attribute is loaded and
			// not fetched again)
			require.NoError(t, s.NoAutoflush(func() error {
				u.Fullname = "Pending"
				return s.LoadColumns(bg, u, "Fullname", "Bio")
			}))
			assert.Equal(t, "Pending", u.Fullname, "the pending change is kept")
			assert.Equal(t, "bio of u1", u.Bio)
			assert.True(t, s.IsModified(u))
			f.rec.Reset()
			require.NoError(t, s.Flush(bg))
			assert.Equal(t, []string{"UPDATE users SET fullname=? WHERE users.id = ?"}, sqlOf(f.rec))
		})
	})
}

// UserCP and AddressCP map the reference's users and addresses tables
// again, in a registry of their own: UserCP.NAddr is a column_property, a
// correlated count of the user's addresses, and UserCP.Score a
// query_expression.
type UserCP struct {
	ID        int64        `orm:"pk"`
	Name      string       `orm:"type:varchar(30)"`
	Fullname  string       `orm:"type:varchar(30)"`
	Bio       string       `orm:"type:varchar(30);deferred:profile"`
	Addresses []*AddressCP `orm:"rel;back_populates:User;order_by:ID"`
	NAddr     int64        `orm:"column_property"`
	Score     int64        `orm:"query_expression"`
}

func (UserCP) TableName() string { return "users" }

// ColumnProperties: NAddr is correlated to users only (SQLAlchemy's
// correlate_except(Address)), so that a query of addresses joining the
// users keeps addresses in the subquery's FROM.
func (UserCP) ColumnProperties(self *core.Table, md *core.MetaData) map[string]core.Expr {
	a, _ := md.Table("addresses")
	return map[string]core.Expr{
		"NAddr": core.Select(core.Count()).From(a).Where(a.C("user_id").Eq(self.C("id"))).Correlate(self).ScalarSubquery(),
	}
}

type AddressCP struct {
	ID      int64   `orm:"pk"`
	Email   string  `orm:"type:varchar(50)"`
	UserID  int64   `orm:"fk:users.id"`
	Deleted bool    `orm:""`
	User    *UserCP `orm:"rel;back_populates:Addresses"`
}

func (AddressCP) TableName() string { return "addresses" }

// TestQueryColumnProperty: a column_property loaded in the query's SELECT,
// through joined eager loading and from an alias, and a query_expression
// with loading.WithExpression (the reference's 12l is the same correlated
// count as a column of a select).
func TestQueryColumnProperty(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		f := setup(t, b)
		reg := registry.New()
		reg.MustRegister(&UserCP{}, &AddressCP{})
		require.NoError(t, reg.Configure())
		users, addrs := table(t, reg, &UserCP{}), table(t, reg, &AddressCP{})
		newS := func() *orm.Session {
			f.rec.Reset()
			return orm.NewSession(reg, f.e)
		}
		// a soft-deleted address less for users 1 and 3
		nAddr := map[int64]int64{1: 3, 2: 3, 3: 3, 4: 3, 5: 3}
		const count = "(SELECT count(*) AS count_1 FROM addresses WHERE addresses.user_id = users.id) AS n_addr"

		t.Run("in the query's select", func(t *testing.T) {
			s := newS()
			defer s.Close()
			us, err := orm.Select[UserCP](s).OrderBy(users.C("id")).All(bg)
			require.NoError(t, err)
			// SQLAlchemy renders a column_property as `(SELECT count(*) AS
			// count_1 FROM addresses WHERE addresses.user_id = users.id) AS
			// anon_1` after the table's columns. Deliberate difference:
			// Retort labels it with the attribute's column name, n_addr.
			assert.Equal(t, []string{"SELECT users.id, users.name, users.fullname, " + count + " FROM users ORDER BY users.id"}, sqlOf(f.rec))
			require.Len(t, us, 5)
			for _, u := range us {
				assert.Equal(t, nAddr[u.ID], u.NAddr, "user %d", u.ID)
				assert.Zero(t, u.Score, "a query_expression without WithExpression stays unloaded")
			}
			// the property in a WHERE: the same correlated subquery
			m, err := reg.Mapper(&UserCP{})
			require.NoError(t, err)
			n, err := m.Column("NAddr")
			require.NoError(t, err)
			us, err = orm.Select[UserCP](s).Where(core.And(n.(interface{ Ge(any) core.Expr }).Ge(3), users.C("id").Le(2))).All(bg)
			require.NoError(t, err)
			assert.Len(t, us, 2)
		})

		t.Run("joined eager load of the entity", func(t *testing.T) {
			s := newS()
			defer s.Close()
			as, err := orm.Select[AddressCP](s).Where(addrs.C("id").In(1, 4, 13)).OrderBy(addrs.C("id")).
				Options(loading.JoinedLoad("User")).All(bg)
			require.NoError(t, err)
			// the count correlated to the anonymous alias users_1; its
			// addresses stay uncorrelated (correlate_except)
			assert.Equal(t, []string{
				"SELECT addresses.id, addresses.email, addresses.user_id, addresses.deleted, users_1.id AS id_1, users_1.name, users_1.fullname, " +
					"(SELECT count(*) AS count_1 FROM addresses WHERE addresses.user_id = users_1.id) AS n_addr " +
					"FROM addresses LEFT OUTER JOIN users AS users_1 ON users_1.id = addresses.user_id WHERE addresses.id IN (?, ?, ?) ORDER BY addresses.id",
			}, sqlOf(f.rec))
			require.Len(t, as, 3)
			for _, a := range as {
				require.NotNil(t, a.User)
				assert.Equal(t, a.UserID, a.User.ID)
				assert.Equal(t, int64(3), a.User.NAddr, "user %d", a.User.ID)
			}
		})

		t.Run("selectin load of the entity", func(t *testing.T) {
			s := newS()
			defer s.Close()
			as, err := orm.Select[AddressCP](s).Where(addrs.C("id").In(1, 4)).OrderBy(addrs.C("id")).
				Options(loading.SelectInLoad("User")).All(bg)
			require.NoError(t, err)
			require.Len(t, f.rec.Take(), 2)
			require.Len(t, as, 2)
			assert.Equal(t, int64(3), as[0].User.NAddr)
			assert.Equal(t, int64(3), as[1].User.NAddr)
		})

		t.Run("from an alias", func(t *testing.T) {
			s := newS()
			defer s.Close()
			u2 := users.Alias("u2")
			us, err := orm.Select[UserCP](s).From(u2).Where(u2.C("id").Eq(5)).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []string{
				"SELECT u2.id, u2.name, u2.fullname, (SELECT count(*) AS count_1 FROM addresses WHERE addresses.user_id = u2.id) AS n_addr FROM users AS u2 WHERE u2.id = ?",
			}, sqlOf(f.rec))
			require.Len(t, us, 1)
			assert.Equal(t, int64(3), us[0].NAddr)
		})

		t.Run("query expression", func(t *testing.T) {
			s := newS()
			defer s.Close()
			us, err := orm.Select[UserCP](s).OrderBy(users.C("id")).
				Options(loading.WithExpression("Score", users.C("id").Mul(10))).All(bg)
			require.NoError(t, err)
			sql := sqlOf(f.rec)
			require.Len(t, sql, 1)
			// (SQLAlchemy labels with_expression's column anon_1 too)
			assert.Equal(t, "SELECT users.id, users.name, users.fullname, (SELECT count(*) AS count_1 FROM addresses WHERE addresses.user_id = users.id) AS n_addr, "+
				"users.id * ? AS score FROM users ORDER BY users.id", sql[0])
			for _, u := range us {
				assert.Equal(t, 10*u.ID, u.Score)
				assert.Equal(t, int64(3), u.NAddr)
			}
			// a WithExpression naming a column is an error naming it
			_, err = orm.Select[UserCP](s).Options(loading.WithExpression("Name", users.C("id"))).All(bg)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "UserCP.Name is not a query_expression attribute")
		})

		t.Run("a column_property is not written", func(t *testing.T) {
			s := newS()
			defer s.Close()
			u, err := orm.Get[UserCP](bg, s, 1)
			require.NoError(t, err)
			assert.Equal(t, int64(3), u.NAddr, "Get loads it too")
			u.NAddr = 99
			u.Score = 7
			f.rec.Reset()
			require.NoError(t, s.Flush(bg))
			assert.Empty(t, f.rec.Take())
		})
	})
}

// TestQueryGet: Query.Get, the reference's session.get(User, pk,
// options=[…]) (11f), with the query's loader options.
func TestQueryGet(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		f := setup(t, b)

		t.Run("selectin", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			u, err := orm.Select[User](s).Options(loading.SelectInLoad("Addresses")).Get(bg, 2)
			require.NoError(t, err)
			// a selectin batch of one key renders `addresses.user_id = ?`
			// (see helpers_test.go)
			assert.Equal(t, []string{"SELECT users.id, users.name, users.fullname FROM users WHERE users.id = ?", selAddrsOf}, sqlOf(f.rec))
			assert.True(t, s.IsLoaded(u, "Addresses"))
			assert.Equal(t, "u2:[4 5 6]", addrIDs([]*User{u}))
			// an identity-map hit: no SQL, the same pointer
			again, err := orm.Select[User](s).Options(loading.SelectInLoad("Addresses")).Get(bg, 2)
			require.NoError(t, err)
			assert.Same(t, u, again)
			again, err = orm.Get[User](bg, s, 2)
			require.NoError(t, err)
			assert.Same(t, u, again)
			assert.Empty(t, f.rec.Take())
		})

		t.Run("joined", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			u, err := orm.Select[User](s).Options(loading.JoinedLoad("Addresses")).Get(bg, 1)
			require.NoError(t, err)
			// the reference's 11f, unlabelled (as every Retort SELECT)
			assert.Equal(t, []string{
				"SELECT users.id, users.name, users.fullname, addresses_1.id AS id_1, addresses_1.email, addresses_1.user_id, addresses_1.deleted " +
					"FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id WHERE users.id = ? ORDER BY addresses_1.id",
			}, sqlOf(f.rec))
			assert.Equal(t, "u1:[1 2 3]", addrIDs([]*User{u}))
		})

		t.Run("identity map hit keeps the relationship as it is", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			u, err := orm.Get[User](bg, s, 3)
			require.NoError(t, err)
			f.rec.Reset()
			// as SQLAlchemy's get: the object in the identity map is
			// returned without SQL, its relationships loaded or not
			again, err := orm.Select[User](s).Options(loading.SelectInLoad("Addresses")).Get(bg, 3)
			require.NoError(t, err)
			assert.Same(t, u, again)
			assert.Empty(t, f.rec.Take())
			assert.False(t, s.IsLoaded(u, "Addresses"))
		})

		t.Run("column options and criteria", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			u, err := orm.Select[User](s).Options(loading.UndeferGroup("profile"),
				loading.SelectInLoad("Addresses"), loading.WithLoaderCriteria[Address](f.addrs.C("deleted").Eq(false))).Get(bg, 3)
			require.NoError(t, err)
			assert.Equal(t, []string{
				"SELECT users.id, users.name, users.fullname, users.bio FROM users WHERE users.id = ?",
				"SELECT addresses.id, addresses.email, addresses.user_id, addresses.deleted FROM addresses WHERE addresses.user_id = ? AND addresses.deleted = ? ORDER BY addresses.id",
			}, sqlOf(f.rec))
			assert.Equal(t, "bio of u3", u.Bio)
			assert.Equal(t, "u3:[7 9]", addrIDs([]*User{u}))
		})

		t.Run("no row", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			u, err := orm.Select[User](s).Options(loading.SelectInLoad("Addresses")).Get(bg, 99)
			assert.ErrorIs(t, err, core.ErrNoResultFound)
			assert.Nil(t, u)
			assert.Len(t, f.rec.Take(), 1, "no selectin load for no row")
			_, err = orm.Select[User](s).Get(bg, 1, 2)
			require.Error(t, err, "two key values for a one-column key")
		})
	})
}
