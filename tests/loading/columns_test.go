package loading_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/loading"
	"github.com/retort-orm/retort/orm"
	"github.com/retort-orm/retort/registry"
)

// only runs q, which must return one object. (The tests use All rather
// than One: Retort's One adds LIMIT 2 to tell one row from many, which
// SQLAlchemy's .one() does not; a deliberate difference.)
func only(q *orm.Query[User]) (*User, error) {
	us, err := q.All(bg)
	if err != nil {
		return nil, err
	}
	if len(us) != 1 {
		return nil, fmt.Errorf("%d users, want 1", len(us))
	}
	return us[0], nil
}

// TestColumnOptions: scenario 7 of the reference, load_only, defer,
// undefer, undefer_group and the deferred User.Bio (group "profile").
// (Session.IsLoaded reports relationships only; the tests check which
// columns the SELECT names and which fields hold values.)
func TestColumnOptions(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		f := setup(t, b)
		one := func(s *orm.Session) *orm.Query[User] { return orm.Select[User](s).Where(f.users.C("id").Eq(1)) }

		t.Run("default leaves the deferred column out", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			u, err := only(one(s))
			require.NoError(t, err)
			// the reference's 7a
			assert.Equal(t, []string{"SELECT users.id, users.name, users.fullname FROM users WHERE users.id = ?"}, sqlOf(f.rec))
			assert.Equal(t, "u1", u.Name)
			assert.Equal(t, "User 1", u.Fullname)
			assert.Empty(t, u.Bio)
		})

		t.Run("load_only", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := orm.Select[User](s).OrderBy(f.users.C("id")).Options(loading.LoadOnly("Name")).All(bg)
			require.NoError(t, err)
			// the reference's 7b: the named columns and the primary key
			assert.Equal(t, []string{"SELECT users.id, users.name FROM users ORDER BY users.id"}, sqlOf(f.rec))
			require.Len(t, us, 5)
			assert.Equal(t, "u2", us[1].Name)
			assert.Empty(t, us[1].Fullname)
		})

		t.Run("load_only probe", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			_, err := only(one(s).Options(loading.LoadOnly(&registry.Probe[User]().Fullname)))
			require.NoError(t, err)
			assert.Equal(t, []string{"SELECT users.id, users.fullname FROM users WHERE users.id = ?"}, sqlOf(f.rec))
		})

		t.Run("defer", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			u, err := only(one(s).Options(loading.Defer("Fullname")))
			require.NoError(t, err)
			// the reference's 7c
			assert.Equal(t, []string{"SELECT users.id, users.name FROM users WHERE users.id = ?"}, sqlOf(f.rec))
			assert.Equal(t, "u1", u.Name)
			assert.Empty(t, u.Fullname)
		})

		t.Run("undefer", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			u, err := only(one(s).Options(loading.Undefer("Bio")))
			require.NoError(t, err)
			// the reference's 7d
			assert.Equal(t, []string{"SELECT users.id, users.name, users.fullname, users.bio FROM users WHERE users.id = ?"}, sqlOf(f.rec))
			assert.Equal(t, "bio of u1", u.Bio)
		})

		t.Run("undefer_group", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			u, err := only(one(s).Options(loading.UndeferGroup("profile")))
			require.NoError(t, err)
			// the reference's 7e
			assert.Equal(t, []string{"SELECT users.id, users.name, users.fullname, users.bio FROM users WHERE users.id = ?"}, sqlOf(f.rec))
			assert.Equal(t, "bio of u1", u.Bio)
		})

		t.Run("defer raise", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			u, err := only(one(s).Options(loading.DeferRaise("Fullname")))
			require.NoError(t, err)
			// the reference's 7f
			assert.Equal(t, []string{"SELECT users.id, users.name FROM users WHERE users.id = ?"}, sqlOf(f.rec))
			assert.Empty(t, u.Fullname)
		})

		t.Run("selectin load_only", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := orm.Select[User](s).OrderBy(f.users.C("id")).
				Options(loading.LoadOnly("Name"), loading.SelectInLoad("Addresses").LoadOnly("Email")).All(bg)
			require.NoError(t, err)
			// the reference's 7g. Like it, Retort selects
			// addresses.user_id as well, to group the rows by parent
			// (table order here; the reference puts it first).
			assert.Equal(t, []string{
				"SELECT users.id, users.name FROM users ORDER BY users.id",
				"SELECT addresses.id, addresses.email, addresses.user_id FROM addresses WHERE addresses.user_id " + in(5) + " ORDER BY addresses.id",
			}, sqlOf(f.rec))
			assert.Equal(t, allAddrs, addrIDs(us))
			require.NotEmpty(t, us[0].Addresses)
			a := us[0].Addresses[0]
			assert.Equal(t, "u1a@example.com", a.Email)
		})

		t.Run("joined load_only", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := orm.Select[User](s).OrderBy(f.users.C("id")).
				Options(loading.LoadOnly("Name"), loading.JoinedLoad("Addresses").LoadOnly("Email")).All(bg)
			require.NoError(t, err)
			// the reference's 7h: no foreign key added
			assert.Equal(t, []string{
				"SELECT users.id, users.name, addresses_1.id AS id_1, addresses_1.email FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id ORDER BY users.id, addresses_1.id",
			}, sqlOf(f.rec))
			assert.Equal(t, allAddrs, addrIDs(us))
			require.Len(t, us[2].Addresses, 3)
			assert.Equal(t, "u3b@other.org", us[2].Addresses[1].Email)
		})

		t.Run("load_only then lazy load", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			u, err := only(one(s).Options(loading.LoadOnly("Name")))
			require.NoError(t, err)
			require.NoError(t, s.LoadRelationship(bg, u, "Addresses"))
			// the reference's 7i: the primary key is always loaded
			assert.Equal(t, []string{"SELECT users.id, users.name FROM users WHERE users.id = ?", selAddrsOf}, sqlOf(f.rec))
			assert.Equal(t, "u1:[1 2 3]", addrIDs([]*User{u}))
		})
	})
}
