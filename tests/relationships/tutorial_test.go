package relationships_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/orm"
)

// The tutorial's User/Address ("Working with ORM Related Objects").
type relUser struct {
	ID        int64         `orm:"pk"`
	Name      string        `orm:"type:varchar(30)"`
	Addresses []*relAddress `orm:"rel;back_populates:User;cascade:all,delete-orphan;order_by:ID"`
}

func (relUser) TableName() string { return "rel_users" }

type relAddress struct {
	ID           int64    `orm:"pk"`
	EmailAddress string   `orm:"type:varchar(50)"`
	UserID       int64    `orm:"fk:rel_users.id"`
	User         *relUser `orm:"rel;back_populates:Addresses"`
}

func (relAddress) TableName() string { return "rel_addresses" }

// TestTutorialUserAddress: scenario 1 (SQLAlchemy reference §1).
func TestTutorialUserAddress(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, nil, &relUser{}, &relAddress{})
		users, addrs := table(t, reg, &relUser{}), table(t, reg, &relAddress{})

		// (a) a user with two addresses: INSERT users, INSERT addresses.
		// Retort writes the two addresses in one multi-VALUES INSERT on
		// every backend with RETURNING (SQLAlchemy goes row by row on
		// SQLite); without RETURNING (MariaDB here) one by one.
		s := orm.NewSession(reg, e)
		defer s.Close()
		a1, a2 := &relAddress{EmailAddress: "a1@x"}, &relAddress{EmailAddress: "a2@x"}
		u := &relUser{Name: "spongebob", Addresses: []*relAddress{a1, a2}}
		require.NoError(t, s.Add(u))
		assert.Len(t, s.New(), 3, "the save-update cascade reaches the addresses at Add")
		assert.Empty(t, rec.Take())
		require.NoError(t, s.Flush(bg))
		got := rec.Take()
		assert.Equal(t, cat([]string{"INSERT rel_users"}, inserts(e, "rel_addresses", 2)), ops(got), "%q", got)
		if len(got) > 1 {
			assert.Contains(t, got[1], "INSERT INTO rel_addresses (email_address, user_id) VALUES ")
		}
		assert.Positive(t, u.ID)
		assert.Equal(t, u.ID, a1.UserID, "the foreign key comes from the generated key")
		assert.Equal(t, u.ID, a2.UserID)
		assert.Same(t, u, a1.User, "back_populates: the other side agrees in memory")
		assert.Same(t, u, a2.User)
		assert.Equal(t, []*relAddress{a1, a2}, u.Addresses)
		require.NoError(t, s.Flush(bg))
		assert.Empty(t, rec.Take(), "a second flush has nothing to do")

		// (b) remove one address from the slice: a delete-orphan DELETE
		u.Addresses = u.Addresses[1:]
		require.NoError(t, s.Flush(bg))
		got = rec.Take()
		assert.Equal(t, []string{"DELETE rel_addresses"}, ops(got), "%q", got)
		assert.Equal(t, orm.Deleted, s.StateOf(a1))
		require.NoError(t, s.Commit(bg))
		require.NoError(t, s.Close())
		assert.Equal(t, [][]any{{a2.ID, "a2@x", u.ID}}, rows(t, e, addrs, []string{"id"}, "id", "email_address", "user_id"))
		rec.Reset()

		// (c) delete the user from a new session, addresses not loaded:
		// SELECT addresses, DELETE addresses, DELETE users
		s2 := orm.NewSession(reg, e)
		defer s2.Close()
		u2, err := orm.Get[relUser](bg, s2, u.ID)
		require.NoError(t, err)
		assert.False(t, s2.IsLoaded(u2, "Addresses"))
		rec.Reset()
		require.NoError(t, s2.Delete(u2))
		require.NoError(t, s2.Flush(bg))
		got = rec.Take()
		assert.Equal(t, []string{"SELECT rel_addresses", "DELETE rel_addresses", "DELETE rel_users"}, ops(got), "%q", got)
		require.NoError(t, s2.Commit(bg))
		assert.Zero(t, count(t, e, users))
		assert.Zero(t, count(t, e, addrs))
	})
}

// TestTutorialDeleteTwoUsers: deleting two users with loaded addresses
// emits one DELETE per table. Retort deletes the rows of one table with
// one DELETE … WHERE id IN (…), where SQLAlchemy runs one executemany of
// DELETE … WHERE id = ?.
func TestTutorialDeleteTwoUsers(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, nil, &relUser{}, &relAddress{})
		users, addrs := table(t, reg, &relUser{}), table(t, reg, &relAddress{})
		s := orm.NewSession(reg, e)
		defer s.Close()
		u1 := &relUser{Name: "u1", Addresses: []*relAddress{{EmailAddress: "1a"}}}
		u2 := &relUser{Name: "u2", Addresses: []*relAddress{{EmailAddress: "2a"}, {EmailAddress: "2b"}}}
		u3 := &relUser{Name: "u3"}
		require.NoError(t, s.AddAll(u1, u2, u3))
		require.NoError(t, s.Flush(bg))
		rec.Reset()
		require.NoError(t, s.Delete(u2))
		require.NoError(t, s.Delete(u1))
		require.NoError(t, s.Flush(bg))
		got := rec.Take()
		assert.Equal(t, []string{"DELETE rel_addresses", "DELETE rel_users"}, ops(got), "%q", got)
		if len(got) == 2 {
			assert.Contains(t, got[0], " IN ")
			assert.Contains(t, got[1], " IN ")
		}
		require.NoError(t, s.Commit(bg))
		assert.Equal(t, [][]any{{u3.ID, "u3"}}, rows(t, e, users, []string{"id"}, "id", "name"))
		assert.Zero(t, count(t, e, addrs))
	})
}
