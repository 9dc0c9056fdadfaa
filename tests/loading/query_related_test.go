package loading_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/collections"
	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/loading"
	"github.com/retort-orm/retort/orm"
)

// A write-only collection declared with collections.WriteOnly (the
// reference's WriteOnlyMapped), back_populates a many-to-one, over a
// nullable foreign key so that a removal can set it NULL (the reference's
// 13d fails there on NOT NULL).

type WOOwner struct {
	ID    int64                         `orm:"pk"`
	Name  string                        `orm:"type:varchar(30)"`
	Notes collections.WriteOnly[WONote] `orm:"rel;back_populates:Owner;order_by:ID"`
}

func (WOOwner) TableName() string { return "lq_wo_owners" }

type WONote struct {
	ID      int64    `orm:"pk"`
	OwnerID *int64   `orm:"fk:lq_wo_owners.id"`
	Body    string   `orm:"type:varchar(30)"`
	Owner   *WOOwner `orm:"rel;back_populates:Notes"`
}

func (WONote) TableName() string { return "lq_wo_notes" }

// TestQueryRelated: orm.Related, a query of what a relationship holds
// without loading it, on the reference's User.Addresses and on the
// write-only collections (scenario 13 of the reference).
func TestQueryRelated(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		f := setup(t, b)
		const selA = "SELECT addresses.id, addresses.email, addresses.user_id, addresses.deleted FROM addresses"

		t.Run("count limit order by", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			u, err := orm.Get[User](bg, s, 2)
			require.NoError(t, err)
			f.rec.Reset()
			n, err := orm.Related[Address](s, u, "Addresses").Count(bg)
			require.NoError(t, err)
			assert.Equal(t, int64(3), n)
			// the reference's 13c, the count of a subquery of the
			// relationship's select(). The reference's addresses_wo has no
			// order_by; User.Addresses has one, and SQLAlchemy's
			// write-only select() carries it into the subquery as well.
			assert.Equal(t, []string{"SELECT count(*) AS count_1 FROM (SELECT addresses.id AS id, addresses.email AS email, addresses.user_id AS user_id, addresses.deleted AS deleted " +
				"FROM addresses WHERE addresses.user_id = ? ORDER BY addresses.id) AS anon_1"}, sqlOf(f.rec))

			as, err := orm.Related[Address](s, u, "Addresses").All(bg)
			require.NoError(t, err)
			// the relationship's order_by; `addresses.user_id = ?` where the
			// reference's 13a has `? = addresses.user_id` (deliberate, as
			// for lazy loads)
			assert.Equal(t, []string{selA + " WHERE addresses.user_id = ? ORDER BY addresses.id"}, sqlOf(f.rec))
			assert.Equal(t, []int64{4, 5, 6}, addrIDsOf(as))
			assert.False(t, s.IsLoaded(u, "Addresses"), "Related does not load the relationship")

			as, err = orm.Related[Address](s, u, "Addresses").OrderBy(f.addrs.C("id").Desc()).Limit(2).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []string{selA + " WHERE addresses.user_id = ? ORDER BY addresses.id DESC " + limitSQL(b, true, false)}, sqlOf(f.rec),
				"the query's own ORDER BY replaces the relationship's")
			assert.Equal(t, []int64{6, 5}, addrIDsOf(as))

			as, err = orm.Related[Address](s, u, "Addresses").Where(f.addrs.C("deleted").Eq(false)).Offset(1).Limit(5).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []int64{5, 6}, addrIDsOf(as))
			f.rec.Reset()

			// the objects are the session's: the same pointers as a load
			require.NoError(t, s.LoadRelationship(bg, u, "Addresses"))
			require.Len(t, u.Addresses, 3)
			assert.Same(t, as[0], u.Addresses[1])
		})

		t.Run("with loader options", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			u, err := orm.Get[User](bg, s, 1)
			require.NoError(t, err)
			f.rec.Reset()
			as, err := orm.Related[Address](s, u, "Addresses").Options(loading.JoinedLoad("User")).All(bg)
			require.NoError(t, err)
			require.Len(t, as, 3)
			assert.Len(t, f.rec.Take(), 1)
			for _, a := range as {
				assert.Same(t, u, a.User)
			}
		})

		t.Run("the write-only relationship over the same key", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			u, err := orm.Get[User](bg, s, 3)
			require.NoError(t, err)
			f.rec.Reset()
			n, err := orm.Related[Address](s, u, "AddressesWO").Where(f.addrs.C("deleted").Eq(false)).Count(bg)
			require.NoError(t, err)
			assert.Equal(t, int64(2), n)
			as, err := orm.Related[Address](s, u, "AddressesWO").OrderBy(f.addrs.C("id")).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []int64{7, 8, 9}, addrIDsOf(as))
			err = s.LoadRelationship(bg, u, "AddressesWO")
			require.Error(t, err)
			assert.Contains(t, err.Error(), "write_only")
		})

		t.Run("related of another type or field", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			u, err := orm.Get[User](bg, s, 1)
			require.NoError(t, err)
			f.rec.Reset()
			_, err = orm.Related[Order](s, u, "Addresses").All(bg)
			require.Error(t, err, "T is not the relationship's target")
			_, err = orm.Related[Address](s, u, "Adresses").Count(bg)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "Adresses")
			assert.Empty(t, f.rec.Take(), "no SQL")
		})
	})
}

// TestQueryWriteOnly: a collections.WriteOnly relationship: Add and Remove
// written by the unit of work, read through orm.Related (the reference's
// 13a–13d).
func TestQueryWriteOnly(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, nil, &WOOwner{}, &WONote{})
		notes := table(t, reg, &WONote{})
		count := func(t *testing.T, cond core.Expr) int64 {
			t.Helper()
			res, err := e.Execute(quiet, core.Select(core.Count()).From(notes).Where(cond))
			require.NoError(t, err)
			n, err := core.ScalarOne[int64](res)
			require.NoError(t, err)
			return n
		}

		s := orm.NewSession(reg, e)
		defer s.Close()
		// the reference's 13b2: add_all on a transient parent, then add
		// it. Deliberate difference: the notes' keys are left to the
		// database; a cascaded object whose autoincrement key is set is
		// taken for one of another session and refused (package orm).
		ann := &WOOwner{ID: 1, Name: "ann"}
		n1, n2, n3 := &WONote{Body: "one"}, &WONote{Body: "two"}, &WONote{Body: "three"}
		require.NoError(t, ann.Notes.Add(n1, n2))
		require.NoError(t, s.Add(ann))
		require.NoError(t, s.Commit(bg))
		sql := sqlOf(rec)
		require.Len(t, sql, 2)
		assert.Equal(t, "INSERT INTO lq_wo_owners (id, name) VALUES (?, ?)", sql[0])
		// one multi-row INSERT (the reference's is an executemany) with
		// the foreign key, RETURNING the keys where the backend can
		assert.Regexp(t, `^INSERT INTO lq_wo_notes \(owner_id, body\) VALUES \(\?, \?\), \(\?, \?\)( RETURNING (lq_wo_notes\.)?id)?$`, sql[1])
		require.NotNil(t, n1.OwnerID)
		assert.Equal(t, int64(1), *n1.OwnerID)
		assert.Same(t, ann, n1.Owner, "back_populates brought in line by the flush")
		assert.NotZero(t, n2.ID)
		added, removed := ann.Notes.Pending()
		assert.Empty(t, added, "written: nothing pending")
		assert.Empty(t, removed)
		assert.Equal(t, int64(2), count(t, notes.C("owner_id").Eq(1)))

		// the reference's 13b: add to a persistent parent, then commit
		require.NoError(t, ann.Notes.Add(n3))
		assert.Same(t, ann, n3.Owner, "back_populates brought in line at once")
		require.NoError(t, s.Commit(bg))
		sql = sqlOf(rec)
		require.Len(t, sql, 1)
		assert.Regexp(t, `^INSERT INTO lq_wo_notes \(owner_id, body\) VALUES \(\?, \?\)( RETURNING (lq_wo_notes\.)?id)?$`, sql[0])
		assert.Equal(t, int64(3), count(t, notes.C("owner_id").Eq(1)))

		// Related: count and read it without loading it (13c, 13a)
		n, err := orm.Related[WONote](s, ann, "Notes").Count(bg)
		require.NoError(t, err)
		assert.Equal(t, int64(3), n)
		rec.Reset()
		page, err := orm.Related[WONote](s, ann, "Notes").Limit(2).All(bg)
		require.NoError(t, err)
		require.Len(t, page, 2)
		assert.Equal(t, []string{"SELECT lq_wo_notes.id, lq_wo_notes.owner_id, lq_wo_notes.body FROM lq_wo_notes WHERE lq_wo_notes.owner_id = ? ORDER BY lq_wo_notes.id " + limitSQL(b, true, false)}, sqlOf(rec))
		assert.Same(t, n1, page[0], "the identity map's objects")
		assert.Same(t, n2, page[1])
		assert.False(t, s.IsLoaded(ann, "Notes"), "a write-only collection is never loaded")

		// an addition is written by the autoflush before Related's query
		require.NoError(t, ann.Notes.Add(&WONote{Body: "four"}))
		n, err = orm.Related[WONote](s, ann, "Notes").Count(bg)
		require.NoError(t, err)
		assert.Equal(t, int64(4), n)
		rec.Reset()

		// the reference's 13d: remove then flush sets the key NULL
		require.NoError(t, ann.Notes.Remove(n2))
		require.NoError(t, s.Flush(bg))
		assert.Equal(t, []string{"UPDATE lq_wo_notes SET owner_id=? WHERE lq_wo_notes.id = ?"}, sqlOf(rec))
		assert.Nil(t, n2.OwnerID)
		assert.Nil(t, n2.Owner, "back_populates cleared")
		n, err = orm.Related[WONote](s, ann, "Notes").Count(bg)
		require.NoError(t, err)
		assert.Equal(t, int64(3), n)
		require.NoError(t, s.Commit(bg))
		assert.Equal(t, int64(1), count(t, notes.C("owner_id").IsNull()))

		// the many-to-one side moves a note to another owner
		bob := &WOOwner{ID: 2, Name: "bob"}
		require.NoError(t, s.Add(bob))
		n3.Owner = bob
		require.NoError(t, s.Commit(bg))
		bn, err := orm.Related[WONote](s, bob, "Notes").All(bg)
		require.NoError(t, err)
		require.Len(t, bn, 1)
		assert.Same(t, n3, bn[0])

		// loading it is an error naming write_only, with no SQL
		rec.Reset()
		err = s.LoadRelationship(bg, ann, "Notes")
		require.Error(t, err)
		assert.Contains(t, err.Error(), "write_only")
		assert.Contains(t, err.Error(), "WOOwner.Notes")
		err = orm.LoadRelated(bg, s, []*WOOwner{ann, bob}, "Notes")
		require.Error(t, err)
		assert.Contains(t, err.Error(), "write_only")
		assert.Empty(t, rec.Take())
		// (eager loading it is TestBadInput's "joined write-only")

		// Any works through it as through any collection
		os, err := orm.Select[WOOwner](s).Where(orm.Any[WOOwner](s, "Notes", notes.C("body").Eq("three"))).All(bg)
		require.NoError(t, err)
		require.Len(t, os, 1)
		assert.Same(t, bob, os[0])
	})
}
