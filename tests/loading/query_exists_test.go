package loading_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/orm"
)

// addrIDsOf is the ids of addresses in order.
func addrIDsOf(as []*Address) []int64 {
	out := make([]int64, len(as))
	for i, a := range as {
		out[i] = a.ID
	}
	return out
}

// TestQueryRelationshipCriteria: scenarios 12d–12g of the reference,
// criteria made from relationships (orm.Any, orm.Has, orm.WithParent) and
// Query.FilterBy.
func TestQueryRelationshipCriteria(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		f := setup(t, b)
		const selU = "SELECT users.id, users.name, users.fullname FROM users"
		const selA = "SELECT addresses.id, addresses.email, addresses.user_id, addresses.deleted FROM addresses"
		users := func(s *orm.Session, conds ...core.Expr) ([]*User, error) {
			return orm.Select[User](s).Where(conds...).OrderBy(f.users.C("id")).All(bg)
		}

		t.Run("any", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			// every user has a ukb@other.org address: all five match
			us, err := users(s, orm.Any[User](s, "Addresses", f.addrs.C("email").Like("%@other.org")))
			require.NoError(t, err)
			// the reference's 12d (with '%x%' there, which also matches all)
			assert.Equal(t, []string{selU + " WHERE EXISTS (SELECT 1 FROM addresses WHERE users.id = addresses.user_id AND addresses.email LIKE ?) ORDER BY users.id"}, sqlOf(f.rec))
			assert.Equal(t, []int64{1, 2, 3, 4, 5}, userIDs(us))
			// a criterion only some users meet
			us, err = users(s, orm.Any[User](s, "Addresses", f.addrs.C("deleted").Eq(true)))
			require.NoError(t, err)
			assert.Equal(t, []int64{1, 3}, userIDs(us), "the reference's 12k: users with a deleted address")
			us, err = users(s, orm.Any[User](s, "Addresses", f.addrs.C("email").Eq("u4c@example.com")))
			require.NoError(t, err)
			assert.Equal(t, []int64{4}, userIDs(us))
			// several criteria are ANDed inside the EXISTS
			f.rec.Reset()
			us, err = users(s, orm.Any[User](s, "Addresses", f.addrs.C("deleted").Eq(true), f.addrs.C("email").Like("u3%")))
			require.NoError(t, err)
			assert.Equal(t, []int64{3}, userIDs(us))
			assert.Equal(t, []string{selU + " WHERE EXISTS (SELECT 1 FROM addresses WHERE users.id = addresses.user_id AND addresses.deleted = ? AND addresses.email LIKE ?) ORDER BY users.id"}, sqlOf(f.rec))
		})

		t.Run("any without criteria and negated", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := users(s, orm.Any[User](s, "Addresses"))
			require.NoError(t, err)
			assert.Equal(t, []int64{1, 2, 3, 4, 5}, userIDs(us))
			us, err = users(s, core.Not(orm.Any[User](s, "Addresses")))
			require.NoError(t, err)
			assert.Empty(t, us)
			// the reference's 12d2. Deliberate difference: core.Not of an
			// EXISTS renders `NOT EXISTS (…)`, the reference's ~any()
			// `NOT (EXISTS (…))`; the same predicate.
			assert.Equal(t, []string{
				selU + " WHERE EXISTS (SELECT 1 FROM addresses WHERE users.id = addresses.user_id) ORDER BY users.id",
				selU + " WHERE NOT EXISTS (SELECT 1 FROM addresses WHERE users.id = addresses.user_id) ORDER BY users.id",
			}, sqlOf(f.rec))
			// users without a deleted address
			us, err = users(s, core.Not(orm.Any[User](s, "Addresses", f.addrs.C("deleted").Eq(true))))
			require.NoError(t, err)
			assert.Equal(t, []int64{2, 4, 5}, userIDs(us))
		})

		t.Run("any of a many-to-many path: orders' items", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			// Order.Items: orders holding an item of product 4 (items 4k)
			os, err := orm.Select[Order](s).Where(orm.Any[Order](s, "Items", f.items.C("product_id").Eq(4))).
				OrderBy(f.orders.C("id")).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []string{
				"SELECT orders.id, orders.user_id, orders.description FROM orders WHERE EXISTS (SELECT 1 FROM order_items WHERE orders.id = order_items.order_id AND order_items.product_id = ?) ORDER BY orders.id",
			}, sqlOf(f.rec))
			var ids []int64
			for _, o := range os {
				ids = append(ids, o.ID)
			}
			assert.Equal(t, []int64{2, 4, 6, 8, 10}, ids)
		})

		t.Run("has", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			as, err := orm.Select[Address](s).Where(orm.Has[Address](s, "User", f.users.C("name").Eq("u1"))).
				OrderBy(f.addrs.C("id")).All(bg)
			require.NoError(t, err)
			// the reference's 12e
			assert.Equal(t, []string{selA + " WHERE EXISTS (SELECT 1 FROM users WHERE users.id = addresses.user_id AND users.name = ?) ORDER BY addresses.id"}, sqlOf(f.rec))
			assert.Equal(t, []int64{1, 2, 3}, addrIDsOf(as))
			as, err = orm.Select[Address](s).Where(core.Not(orm.Has[Address](s, "User", f.users.C("id").Le(4)))).
				OrderBy(f.addrs.C("id")).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []int64{13, 14, 15}, addrIDsOf(as))
		})

		t.Run("with parent", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			u1, err := orm.Get[User](bg, s, 1)
			require.NoError(t, err)
			as, err := orm.Select[Address](s).Where(orm.WithParent(s, u1, "Addresses")).All(bg)
			require.NoError(t, err)
			// the reference's 12f. Deliberate difference (as for the lazy
			// loads): `addresses.user_id = ?`, where the reference writes
			// `? = addresses.user_id`.
			assert.Equal(t, []string{
				"SELECT users.id, users.name, users.fullname FROM users WHERE users.id = ?",
				selA + " WHERE addresses.user_id = ?",
			}, sqlOf(f.rec))
			assert.ElementsMatch(t, []int64{1, 2, 3}, addrIDsOf(as))
			assert.False(t, s.IsLoaded(u1, "Addresses"), "with_parent does not load the relationship")
			// the write-only relationship over the same foreign key
			as, err = orm.Select[Address](s).Where(orm.WithParent(s, u1, "AddressesWO"), f.addrs.C("email").Like("%example%")).
				OrderBy(f.addrs.C("id").Desc()).All(bg)
			require.NoError(t, err)
			// the reference's 13a, third statement
			assert.Equal(t, []string{selA + " WHERE addresses.user_id = ? AND addresses.email LIKE ? ORDER BY addresses.id DESC"}, sqlOf(f.rec))
			assert.Equal(t, []int64{3, 1}, addrIDsOf(as))
		})

		t.Run("with parent many-to-one", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			a5, err := orm.Get[Address](bg, s, 5)
			require.NoError(t, err)
			us, err := orm.Select[User](s).Where(orm.WithParent(s, a5, "User")).All(bg)
			require.NoError(t, err)
			// the reference's 12f2: the parent's foreign key, bound
			assert.Equal(t, []string{
				"SELECT addresses.id, addresses.email, addresses.user_id, addresses.deleted FROM addresses WHERE addresses.id = ?",
				selU + " WHERE users.id = ?",
			}, sqlOf(f.rec))
			assert.Equal(t, []int64{2}, userIDs(us))
		})

		t.Run("with parent after an unflushed foreign key change", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			a5, err := orm.Get[Address](bg, s, 5)
			require.NoError(t, err)
			// An unflushed change of the foreign key. WithParent documents
			// that it binds the key "as the database has it" (the
			// snapshot), but the query's autoflush writes the change before
			// the SELECT runs, so by then the database has 3. SQLAlchemy
			// binds with_parent's value through a callable evaluated when
			// the statement executes (after the autoflush): user 3 too.
			a5.UserID = 3
			us, err := orm.Select[User](s).Where(orm.WithParent(s, a5, "User")).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []string{
				"SELECT addresses.id, addresses.email, addresses.user_id, addresses.deleted FROM addresses WHERE addresses.id = ?",
				"UPDATE addresses SET user_id=? WHERE addresses.id = ?",
				selU + " WHERE users.id = ?",
			}, sqlOf(f.rec))
			assert.Equal(t, []int64{3}, userIDs(us), "the parent the database has when the SELECT runs")
		})

		t.Run("misspelled relationship", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := users(s, orm.Any[User](s, "Adresses", f.addrs.C("deleted").Eq(true)))
			require.Error(t, err)
			assert.Nil(t, us)
			assert.Contains(t, err.Error(), "User has no field Adresses")
			assert.Contains(t, err.Error(), "did you mean Addresses")
			// Has on a column, Any on a many-to-one: errors naming them
			_, err = users(s, orm.Any[User](s, "Name"))
			require.Error(t, err)
			assert.Contains(t, err.Error(), "Name")
			_, err = orm.Select[Address](s).Where(orm.Any[Address](s, "User")).All(bg)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "User")
			_, err = users(s, orm.Has[User](s, "Addresses"))
			require.Error(t, err)
			assert.Contains(t, err.Error(), "Addresses")
			_, err = orm.Select[Address](s).Where(orm.WithParent(s, &Order{ID: 1}, "Adresses")).All(bg)
			require.Error(t, err)
			assert.Empty(t, f.rec.Take(), "no SQL")
		})

		t.Run("filter by", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := orm.Select[User](s).FilterBy(map[string]any{"Name": "u1"}).All(bg)
			require.NoError(t, err)
			// the reference's 12g
			assert.Equal(t, []string{selU + " WHERE users.name = ?"}, sqlOf(f.rec))
			assert.Equal(t, []int64{1}, userIDs(us))
			// several fields: ANDed in field-name order
			us, err = orm.Select[User](s).FilterBy(map[string]any{"Name": "u2", "Fullname": "User 2"}).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []string{selU + " WHERE users.fullname = ? AND users.name = ?"}, sqlOf(f.rec))
			assert.Equal(t, []int64{2}, userIDs(us))
			// a deferred column filters too
			us, err = orm.Select[User](s).FilterBy(map[string]any{"Bio": "bio of u3"}).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []int64{3}, userIDs(us))
		})

		t.Run("filter by after a join", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			// Deliberate difference: the reference's 12g2 applies
			// filter_by after join(User.addresses) to the join target
			// (addresses.email); Retort's FilterBy names fields of the
			// query's entity T always, and the join target is filtered
			// with Where.
			us, err := orm.Select[User](s).Join("Addresses").FilterBy(map[string]any{"Name": "u2"}).
				Where(f.addrs.C("email").Eq("u2a@example.com")).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []string{selU + " JOIN addresses ON users.id = addresses.user_id WHERE users.name = ? AND addresses.email = ?"}, sqlOf(f.rec))
			assert.Equal(t, []int64{2}, userIDs(us))
			_, err = orm.Select[User](s).Join("Addresses").FilterBy(map[string]any{"Email": "u2a@example.com"}).All(bg)
			require.Error(t, err)
			assert.Contains(t, err.Error(), `"Email"`)
		})

		t.Run("filter by an unknown field", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			q := orm.Select[User](s).FilterBy(map[string]any{"Nmae": "u1"})
			_, err := q.Statement()
			require.Error(t, err, "an error at build time")
			us, err := q.All(bg)
			require.Error(t, err)
			assert.Nil(t, us)
			assert.Contains(t, err.Error(), `"Nmae"`)
			assert.Contains(t, err.Error(), "User")
			// a relationship is not a column to compare with
			_, err = orm.Select[User](s).FilterBy(map[string]any{"Addresses": nil}).All(bg)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "Addresses")
			assert.Empty(t, f.rec.Take(), "no SQL")
		})
	})
}
