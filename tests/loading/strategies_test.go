package loading_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/loading"
	"github.com/retort-orm/retort/orm"
	"github.com/retort-orm/retort/registry"
)

// The statements of scenario 1 (5 users × 3 addresses), flattened. Retort
// selects columns in table order without table_col labels.
const (
	selUsers = "SELECT users.id, users.name, users.fullname FROM users ORDER BY users.id"
	// lazy/immediate load of one user's addresses; the reference renders
	// `WHERE ? = addresses.user_id` (deliberate difference: Retort puts the
	// column first).
	selAddrsOf = "SELECT addresses.id, addresses.email, addresses.user_id, addresses.deleted FROM addresses WHERE addresses.user_id = ? ORDER BY addresses.id"
	// joined: identical to the reference's 1b.
	selUsersJoined = "SELECT users.id, users.name, users.fullname, addresses_1.id AS id_1, addresses_1.email, addresses_1.user_id, addresses_1.deleted FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id ORDER BY users.id, addresses_1.id"
)

// selAddrsIn is the selectin load of n users' addresses. The reference
// selects addresses.user_id first (its grouping key) and labels every
// column; Retort keeps table order (deliberate difference).
func selAddrsIn(n int) string {
	return "SELECT addresses.id, addresses.email, addresses.user_id, addresses.deleted FROM addresses WHERE addresses.user_id " + in(n) + " ORDER BY addresses.id"
}

// newSession opens a session on the fixture and forgets the statements
// recorded so far.
func newSession(f *fixture, opts ...orm.Option) *orm.Session {
	f.rec.Reset()
	return orm.NewSession(f.reg, f.e, opts...)
}

// TestStrategies: scenario 1 of the reference, each strategy for
// User.Addresses on 5 users × 3 addresses.
func TestStrategies(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		f := setup(t, b)
		base := func(s *orm.Session) *orm.Query[User] { return orm.Select[User](s).OrderBy(f.users.C("id")) }

		t.Run("lazy", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := base(s).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []int64{1, 2, 3, 4, 5}, userIDs(us))
			assert.Equal(t, []string{selUsers}, sqlOf(f.rec))
			for _, u := range us {
				assert.False(t, s.IsLoaded(u, "Addresses"))
				assert.Nil(t, u.Addresses)
			}
			// the explicit form of loading them all: one IN query (the
			// reference's implicit lazy loads are one per user, 1+5)
			require.NoError(t, orm.LoadRelated(bg, s, us, "Addresses"))
			assert.Equal(t, []string{selAddrsIn(5)}, sqlOf(f.rec))
			assert.Equal(t, allAddrs, addrIDs(us))
			for _, u := range us {
				assert.True(t, s.IsLoaded(u, "Addresses"))
			}
			require.NoError(t, orm.LoadRelated(bg, s, us, "Addresses"))
			assert.Empty(t, f.rec.Take(), "loaded collections are skipped")
		})

		t.Run("lazy one by one", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := base(s).All(bg)
			require.NoError(t, err)
			f.rec.Reset()
			for _, u := range us {
				require.NoError(t, s.LoadRelationship(bg, u, "Addresses"))
				assert.Equal(t, []string{selAddrsOf}, sqlOf(f.rec), "one SELECT per user (reference 1a)")
				assert.True(t, s.IsLoaded(u, "Addresses"))
			}
			assert.Equal(t, allAddrs, addrIDs(us))
			// the many-to-one back is populated (back_populates) or loads
			// from the identity map without SQL
			a := us[1].Addresses[0]
			require.NoError(t, s.LoadRelationship(bg, a, "User"))
			assert.Same(t, us[1], a.User)
			assert.Empty(t, f.rec.Take())
		})

		t.Run("joined", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := base(s).Options(loading.JoinedLoad("Addresses")).All(bg)
			require.NoError(t, err)
			// one object per user without unique() (the reference needs
			// .unique(); Retort de-duplicates a joined collection itself)
			assert.Equal(t, []int64{1, 2, 3, 4, 5}, userIDs(us))
			assert.Equal(t, []string{selUsersJoined}, sqlOf(f.rec))
			assert.Equal(t, allAddrs, addrIDs(us))
			for _, u := range us {
				assert.True(t, s.IsLoaded(u, "Addresses"))
				for _, a := range u.Addresses {
					assert.Same(t, u, a.User, "back_populates sets the many-to-one")
				}
			}
		})

		t.Run("joined inner", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := base(s).Options(loading.JoinedLoadInner("Addresses")).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []string{"SELECT users.id, users.name, users.fullname, addresses_1.id AS id_1, addresses_1.email, addresses_1.user_id, addresses_1.deleted FROM users JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id ORDER BY users.id, addresses_1.id"}, sqlOf(f.rec))
			assert.Equal(t, allAddrs, addrIDs(us))
		})

		t.Run("selectin", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := base(s).Options(loading.SelectInLoad("Addresses")).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []string{selUsers, selAddrsIn(5)}, sqlOf(f.rec))
			assert.Equal(t, allAddrs, addrIDs(us))
			for _, u := range us {
				assert.True(t, s.IsLoaded(u, "Addresses"))
			}
		})

		t.Run("subquery", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := base(s).Options(loading.SubqueryLoad("Addresses")).All(bg)
			require.NoError(t, err)
			// The inner subquery drops the query's ORDER BY, as the
			// reference's does (1d). Deliberate differences: Retort does
			// not label anon_1.users_id, and orders by the parent key
			// first (ORDER BY anon_1.users_id, addresses.id; the reference
			// has ORDER BY addresses.id) so that each parent's rows come
			// together.
			assert.Equal(t, []string{selUsers,
				"SELECT addresses.id, addresses.email, addresses.user_id, addresses.deleted, anon_1.users_id FROM (SELECT users.id AS users_id FROM users) AS anon_1 JOIN addresses ON anon_1.users_id = addresses.user_id ORDER BY anon_1.users_id, addresses.id",
			}, sqlOf(f.rec))
			assert.Equal(t, allAddrs, addrIDs(us))
			for _, u := range us {
				assert.True(t, s.IsLoaded(u, "Addresses"))
			}
		})

		t.Run("immediate", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := base(s).Options(loading.ImmediateLoad("Addresses")).All(bg)
			require.NoError(t, err)
			// 1 + 5, all run while the query loads (reference 1e)
			assert.Equal(t, append([]string{selUsers}, selAddrsOf, selAddrsOf, selAddrsOf, selAddrsOf, selAddrsOf), sqlOf(f.rec))
			assert.Equal(t, allAddrs, addrIDs(us))
			for _, u := range us {
				assert.True(t, s.IsLoaded(u, "Addresses"))
			}
		})

		t.Run("noload", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := base(s).Options(loading.NoLoad("Addresses")).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []string{selUsers}, sqlOf(f.rec))
			assert.Equal(t, "u1:[]; u2:[]; u3:[]; u4:[]; u5:[]", addrIDs(us))
			for _, u := range us {
				assert.True(t, s.IsLoaded(u, "Addresses"), "noload: loaded and empty")
				assert.Empty(t, u.Addresses)
			}
			require.NoError(t, s.LoadRelationship(bg, us[0], "Addresses"))
			assert.Empty(t, us[0].Addresses)
			assert.Empty(t, f.rec.Take(), "no SQL, no error")
		})

		t.Run("raise", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := base(s).Options(loading.RaiseLoad("Addresses")).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []string{selUsers}, sqlOf(f.rec))
			err = s.LoadRelationship(bg, us[0], "Addresses")
			require.Error(t, err)
			assert.Contains(t, err.Error(), `User.Addresses is not available due to lazy="raise"`)
			err = orm.LoadRelated(bg, s, us, "Addresses")
			require.Error(t, err)
			assert.Contains(t, err.Error(), `is not available due to lazy="raise"`)
			assert.Empty(t, f.rec.Take())
			assert.False(t, s.IsLoaded(us[0], "Addresses"))
			assert.Nil(t, us[0].Addresses)
			// other relationships load as usual
			require.NoError(t, s.LoadRelationship(bg, us[0], "Orders"))
			assert.Len(t, us[0].Orders, 2)
		})

		t.Run("raise_on_sql", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := base(s).Options(loading.RaiseLoadOnSQL("Addresses")).All(bg)
			require.NoError(t, err)
			f.rec.Reset()
			err = s.LoadRelationship(bg, us[0], "Addresses")
			require.Error(t, err)
			assert.Contains(t, err.Error(), `User.Addresses is not available due to lazy="raise_on_sql"`)
			assert.Empty(t, f.rec.Take())

			// a many-to-one whose target is in the identity map loads
			// without SQL; one that needs SQL raises (reference 8d)
			as, err := orm.Select[Address](s).OrderBy(f.addrs.C("id")).Where(f.addrs.C("user_id").Le(2)).
				Options(loading.RaiseLoadOnSQL("User")).All(bg)
			require.NoError(t, err)
			require.Len(t, as, 6)
			require.NoError(t, s.Expunge(us[1]))
			f.rec.Reset()
			require.NoError(t, s.LoadRelationship(bg, as[0], "User"))
			assert.Same(t, us[0], as[0].User)
			err = s.LoadRelationship(bg, as[3], "User")
			require.Error(t, err)
			assert.Contains(t, err.Error(), `Address.User is not available due to lazy="raise_on_sql"`)
			assert.Empty(t, f.rec.Take())
		})
	})
}

// The reference's 1h: lazy="joined" (and selectin) set on the mapping, on
// the same tables, give the same SQL as the option.

type UserJ struct {
	ID        int64       `orm:"pk"`
	Name      string      `orm:"type:varchar(30)"`
	Fullname  string      `orm:"type:varchar(30)"`
	Bio       string      `orm:"type:varchar(30);deferred:profile"`
	Addresses []*AddressJ `orm:"rel;lazy:joined;order_by:ID"`
}

func (UserJ) TableName() string { return "users" }

type AddressJ struct {
	ID      int64  `orm:"pk"`
	Email   string `orm:"type:varchar(50)"`
	UserID  int64  `orm:"fk:users.id"`
	Deleted bool
}

func (AddressJ) TableName() string { return "addresses" }

type UserS struct {
	ID        int64       `orm:"pk"`
	Name      string      `orm:"type:varchar(30)"`
	Fullname  string      `orm:"type:varchar(30)"`
	Bio       string      `orm:"type:varchar(30);deferred:profile"`
	Addresses []*AddressS `orm:"rel;lazy:selectin;order_by:ID"`
}

func (UserS) TableName() string { return "users" }

type AddressS struct {
	ID      int64  `orm:"pk"`
	Email   string `orm:"type:varchar(50)"`
	UserID  int64  `orm:"fk:users.id"`
	Deleted bool
}

func (AddressS) TableName() string { return "addresses" }

func TestMappingStrategies(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, nil, &UserJ{}, &AddressJ{})
		users, addrs := table(t, reg, &UserJ{}), table(t, reg, &AddressJ{})
		seedReference(t, e, users, addrs, nil, nil, nil, nil)
		rec.Reset()
		sreg := registry.New()
		sreg.MustRegister(&UserS{}, &AddressS{})
		require.NoError(t, sreg.Configure())

		t.Run("lazy joined", func(t *testing.T) {
			s := orm.NewSession(reg, e)
			defer s.Close()
			us, err := orm.Select[UserJ](s).OrderBy(users.C("id")).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []string{selUsersJoined}, sqlOf(rec), "the SQL of JoinedLoad")
			require.Len(t, us, 5)
			for _, u := range us {
				assert.True(t, s.IsLoaded(u, "Addresses"))
				require.Len(t, u.Addresses, 3)
				assert.Equal(t, 3*u.ID-2, u.Addresses[0].ID)
			}
			// an option overrides the mapping
			_, err = orm.Select[UserJ](s).OrderBy(users.C("id")).Options(loading.LazyLoad("Addresses")).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []string{selUsers}, sqlOf(rec))
		})

		t.Run("lazy selectin", func(t *testing.T) {
			s := orm.NewSession(sreg, e)
			defer s.Close()
			us, err := orm.Select[UserS](s).OrderBy(table(t, sreg, &UserS{}).C("id")).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []string{selUsers, selAddrsIn(5)}, sqlOf(rec), "the SQL of SelectInLoad")
			require.Len(t, us, 5)
			for _, u := range us {
				assert.True(t, s.IsLoaded(u, "Addresses"))
				require.Len(t, u.Addresses, 3)
				assert.Equal(t, 3*u.ID, u.Addresses[2].ID)
			}
		})
	})
}
