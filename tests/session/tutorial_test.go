package session_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/orm"
)

// The models of SQLAlchemy's ORM tutorial ("Data Manipulation with the
// ORM"). Address keeps a plain foreign key field: relationships are the
// next issue.
type tutUser struct {
	ID       int64   `orm:"pk"`
	Name     string  `orm:"type:varchar(30)"`
	Fullname *string `orm:"type:varchar(60)"`
}

func (tutUser) TableName() string { return "sess_tut_user_account" }

type tutAddress struct {
	ID           int64  `orm:"pk"`
	EmailAddress string `orm:"type:varchar(100)"`
	UserID       int64  `orm:"fk:sess_tut_user_account.id"`
}

func (tutAddress) TableName() string { return "sess_tut_address" }

// TestTutorialFlow follows the tutorial's insert, update and delete steps,
// checking each statement the flush emits and the rows left behind.
func TestTutorialFlow(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, nil, &tutUser{}, &tutAddress{})
		users := table(t, reg, &tutUser{})
		returning := e.Dialect().Features().Has(core.FeatReturningInsert)

		// seed: spongebob, sandy, patrick in one flush
		s := orm.NewSession(reg, e)
		defer s.Close()
		spongebob := &tutUser{Name: "spongebob", Fullname: ptr("Spongebob Squarepants")}
		sandy := &tutUser{Name: "sandy", Fullname: ptr("Sandy Cheeks")}
		patrick := &tutUser{Name: "patrick", Fullname: ptr("Patrick Star")}
		require.NoError(t, s.AddAll(spongebob, sandy, patrick))
		assert.Equal(t, []any{spongebob, sandy, patrick}, s.New())
		assert.Equal(t, orm.Pending, s.StateOf(sandy))
		assert.Empty(t, rec.Take(), "Add emits no SQL")
		require.NoError(t, s.Flush(bg))
		got := rec.Take()
		insertPrefix := "INSERT INTO sess_tut_user_account (name, fullname) VALUES "
		if returning {
			// one batched INSERT (insertmanyvalues) with RETURNING of the key
			require.Len(t, got, 1, "%q", got)
			vals := "(" + ph(e, 1) + ", " + ph(e, 2) + "), (" + ph(e, 3) + ", " + ph(e, 4) + "), (" + ph(e, 5) + ", " + ph(e, 6) + ")"
			assert.True(t, strings.HasPrefix(got[0], insertPrefix+vals+" RETURNING "), "%q", got[0])
			assert.True(t, strings.HasSuffix(got[0], "id"), "%q", got[0])
		} else {
			require.Len(t, got, 3, "%q", got)
			for _, q := range got {
				assert.Equal(t, insertPrefix+"("+ph(e, 1)+", "+ph(e, 2)+")", q)
			}
		}
		assert.Positive(t, spongebob.ID)
		assert.Greater(t, sandy.ID, spongebob.ID, "keys are matched back in Add order")
		assert.Greater(t, patrick.ID, sandy.ID)
		assert.Equal(t, orm.Persistent, s.StateOf(sandy))
		assert.Empty(t, s.New())
		require.NoError(t, s.Commit(bg))
		assert.Empty(t, rec.Take(), "a commit after the flush has nothing to flush")

		// the tutorial's insert: squidward and ehkrabs
		squidward := &tutUser{Name: "squidward", Fullname: ptr("Squidward Tentacles")}
		krabs := &tutUser{Name: "ehkrabs", Fullname: ptr("Eugene H. Krabs")}
		require.NoError(t, s.Add(squidward))
		require.NoError(t, s.Add(krabs))
		assert.Zero(t, squidward.ID, "no key before the flush")
		require.NoError(t, s.Flush(bg))
		got = rec.Take()
		if returning {
			require.Len(t, got, 1, "%q", got)
		} else {
			require.Len(t, got, 2, "%q", got)
		}
		for _, q := range got {
			assert.Contains(t, q, insertPrefix)
		}
		assert.Greater(t, squidward.ID, patrick.ID)
		assert.Greater(t, krabs.ID, squidward.ID)

		// a plain foreign key field: the address rows of squidward
		a1 := &tutAddress{EmailAddress: "squidward@squidward.org", UserID: squidward.ID}
		require.NoError(t, s.Add(a1))
		require.NoError(t, s.Flush(bg))
		got = rec.Take()
		require.NotEmpty(t, got)
		assert.Contains(t, got[0], "INSERT INTO sess_tut_address (email_address, user_id) VALUES ("+ph(e, 1)+", "+ph(e, 2)+")")
		assert.Positive(t, a1.ID)

		// Get of an object of the identity map: same pointer, no SQL
		g, err := orm.Get[tutUser](bg, s, squidward.ID)
		require.NoError(t, err)
		assert.Same(t, squidward, g)
		assert.Empty(t, rec.Take())
		require.NoError(t, s.Commit(bg))
		rec.Reset()

		// update: sandy's fullname; the UPDATE lists only that column
		sandyQ, err := orm.Select[tutUser](s).Where(users.C("name").Eq("sandy")).One(bg)
		require.NoError(t, err)
		assert.Same(t, sandy, sandyQ, "the query returns the session's object")
		rec.Reset()
		sandy.Fullname = ptr("Sandy Squirrel")
		assert.Equal(t, []any{sandy}, s.Dirty())
		assert.Equal(t, []string{"Fullname"}, s.Inspect(sandy).Modified)
		require.NoError(t, s.Flush(bg))
		assert.Equal(t, []string{"UPDATE sess_tut_user_account SET fullname=" + ph(e, 1) + " WHERE sess_tut_user_account.id = " + ph(e, 2)}, rec.Take())
		assert.Empty(t, s.Dirty())

		// delete: patrick
		require.NoError(t, s.Delete(patrick))
		assert.Equal(t, []any{patrick}, s.Deleted())
		require.NoError(t, s.Flush(bg))
		assert.Equal(t, []string{"DELETE FROM sess_tut_user_account WHERE sess_tut_user_account.id = " + ph(e, 1)}, rec.Take())
		assert.Equal(t, orm.Deleted, s.StateOf(patrick))
		_, err = orm.Get[tutUser](bg, s, patrick.ID)
		require.ErrorIs(t, err, core.ErrNoResultFound)
		rec.Reset()
		require.NoError(t, s.Commit(bg))
		assert.Empty(t, rec.Take())
		assert.False(t, s.Contains(patrick), "a committed deletion is detached")
		require.NoError(t, s.Close())

		// the table, read back with a plain Core SELECT
		assert.Equal(t, [][]any{
			{spongebob.ID, "spongebob", "Spongebob Squarepants"},
			{sandy.ID, "sandy", "Sandy Squirrel"},
			{squidward.ID, "squidward", "Squidward Tentacles"},
			{krabs.ID, "ehkrabs", "Eugene H. Krabs"},
		}, rows(t, e, users, "id", "id", "name", "fullname"))
		assert.Equal(t, [][]any{{a1.ID, "squidward@squidward.org", squidward.ID}},
			rows(t, e, table(t, reg, &tutAddress{}), "id", "id", "email_address", "user_id"))
	})
}

// TestIdentityMap: one object per row per session; Get from the identity
// map emits no SQL; a query keeps pending changes unless PopulateExisting.
func TestIdentityMap(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, nil, &tutUser{}, &tutAddress{})
		users := table(t, reg, &tutUser{})
		seed := orm.NewSession(reg, e)
		u1, u2 := &tutUser{Name: "one"}, &tutUser{Name: "two", Fullname: ptr("Two")}
		require.NoError(t, seed.AddAll(u1, u2))
		require.NoError(t, seed.Commit(bg))
		require.NoError(t, seed.Close())
		rec.Reset()

		s := orm.NewSession(reg, e, orm.WithAutoflush(false))
		defer s.Close()
		a, err := orm.Get[tutUser](bg, s, u1.ID)
		require.NoError(t, err)
		assert.NotSame(t, u1, a, "another session's object is not this session's")
		assert.Len(t, rec.Take(), 1, "a cold Get is one SELECT")
		a2, err := orm.Get[tutUser](bg, s, u1.ID)
		require.NoError(t, err)
		assert.Same(t, a, a2)
		a3, err := orm.Get[tutUser](bg, s, int32(u1.ID)) // another integer type of the same key
		require.NoError(t, err)
		assert.Same(t, a, a3)
		assert.Empty(t, rec.Take(), "a warm Get emits no SQL")

		all, err := orm.Select[tutUser](s).OrderBy(users.C("id")).All(bg)
		require.NoError(t, err)
		require.Len(t, all, 2)
		assert.Same(t, a, all[0])
		b2, err := orm.Get[tutUser](bg, s, u2.ID)
		require.NoError(t, err)
		assert.Same(t, all[1], b2)
		first, err := orm.Select[tutUser](s).FilterBy(map[string]any{"Name": "one"}).First(bg)
		require.NoError(t, err)
		assert.Same(t, a, first)

		// a pending in-memory change survives a query that returns the row,
		// even when the database has another value
		a.Name = "changed in memory"
		_, err = s.Execute(bg, core.Update(users).Values(map[string]any{"name": "changed in db", "fullname": "db"}).Where(users.C("id").Eq(u1.ID)))
		require.NoError(t, err)
		again, err := orm.Select[tutUser](s).Where(users.C("id").Eq(u1.ID)).One(bg)
		require.NoError(t, err)
		assert.Same(t, a, again)
		assert.Equal(t, "changed in memory", a.Name)
		assert.Nil(t, a.Fullname, "a loaded, unexpired object is not refreshed by a query")
		assert.True(t, s.IsModified(a))

		// PopulateExisting overwrites it with the row
		pop, err := orm.Select[tutUser](s).Where(users.C("id").Eq(u1.ID)).PopulateExisting().One(bg)
		require.NoError(t, err)
		assert.Same(t, a, pop)
		assert.Equal(t, "changed in db", a.Name)
		require.NotNil(t, a.Fullname)
		assert.Equal(t, "db", *a.Fullname)
		assert.False(t, s.IsModified(a))
		rec.Reset()
		require.NoError(t, s.Flush(bg))
		assert.Empty(t, rec.Take(), "after PopulateExisting the object is clean")

		// the missing key is ErrNoResultFound, and a wrong key count an error
		_, err = orm.Get[tutUser](bg, s, int64(999999))
		require.ErrorIs(t, err, core.ErrNoResultFound)
		_, err = orm.Get[tutUser](bg, s, 1, 2)
		var ire *orm.InvalidRequestError
		require.ErrorAs(t, err, &ire)
		assert.Contains(t, err.Error(), "tutUser")
	})
}

// TestNoopFlush: a flush and a commit with nothing changed emit no statement.
func TestNoopFlush(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, nil, &tutUser{}, &tutAddress{})
		s := orm.NewSession(reg, e)
		defer s.Close()
		require.NoError(t, s.Flush(bg))
		require.NoError(t, s.Commit(bg))
		assert.Empty(t, rec.Take(), "empty session")

		u := &tutUser{Name: "x", Fullname: ptr("X")}
		require.NoError(t, s.Add(u))
		require.NoError(t, s.Commit(bg))
		rec.Reset()

		// expired by the commit: a Get reloads it; nothing is written
		g, err := orm.Get[tutUser](bg, s, u.ID)
		require.NoError(t, err)
		assert.Same(t, u, g)
		assert.Len(t, rec.Take(), 1, "the expired object is reloaded by one SELECT")
		require.NoError(t, s.Flush(bg))
		require.NoError(t, s.Flush(bg))
		require.NoError(t, s.Commit(bg))
		assert.Empty(t, rec.Take(), "loaded and unchanged")

		// a field set to its current value (a new pointer to an equal
		// string) is no change
		s2 := orm.NewSession(reg, e, orm.WithExpireOnCommit(false))
		defer s2.Close()
		g2, err := orm.Get[tutUser](bg, s2, u.ID)
		require.NoError(t, err)
		rec.Reset()
		g2.Name = "x"
		g2.Fullname = ptr("X")
		assert.False(t, s2.IsModified(g2))
		require.NoError(t, s2.Flush(bg))
		require.NoError(t, s2.Commit(bg))
		require.NoError(t, s2.Commit(bg))
		assert.Empty(t, rec.Take())

		// changed and changed back before the flush: nothing either
		g2.Name = "y"
		g2.Name = "x"
		require.NoError(t, s2.Commit(bg))
		assert.Empty(t, rec.Take())
	})
}

type partialRow struct {
	ID    int64  `orm:"pk"`
	A     string `orm:"type:varchar(20)"`
	B     string `orm:"type:varchar(20)"`
	C     *int64
	D     *string `orm:"type:varchar(20)"`
	Score float64
}

func (partialRow) TableName() string { return "sess_partial" }

// TestPartialUpdate: the UPDATE lists only the changed columns, per object;
// objects changing the same columns share a statement shape.
func TestPartialUpdate(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, nil, &partialRow{})
		tbl := table(t, reg, &partialRow{})
		s := orm.NewSession(reg, e)
		defer s.Close()
		r1 := &partialRow{A: "a1", B: "b1", C: ptr(int64(1)), D: ptr("d1"), Score: 1}
		r2 := &partialRow{A: "a2", B: "b2", Score: 2}
		r3 := &partialRow{A: "a3", B: "b3", Score: 3}
		require.NoError(t, s.AddAll(r1, r2, r3))
		require.NoError(t, s.Commit(bg))
		_, err := orm.Select[partialRow](s).All(bg)
		require.NoError(t, err)
		rec.Reset()

		w := " WHERE sess_partial.id = "
		r1.B = "b1x"
		require.NoError(t, s.Flush(bg))
		assert.Equal(t, []string{"UPDATE sess_partial SET b=" + ph(e, 1) + w + ph(e, 2)}, rec.Take())

		*r1.C = 10 // in place, through the pointer
		r1.D = nil
		require.NoError(t, s.Flush(bg))
		got := rec.Take()
		require.Len(t, got, 1)
		assert.Regexp(t, `^UPDATE sess_partial SET (c=\S+, d=\S+|d=\S+, c=\S+) WHERE sess_partial.id = \S+$`, got[0])
		assert.NotContains(t, got[0], " a=")
		assert.NotContains(t, got[0], " b=")
		assert.NotContains(t, got[0], "score")

		r2.Score = 2.5
		r3.A = "a3x"
		r3.C = ptr(int64(3))
		require.NoError(t, s.Flush(bg))
		got = rec.Take()
		require.Len(t, got, 2, "%q", got)
		assert.Equal(t, "UPDATE sess_partial SET score="+ph(e, 1)+w+ph(e, 2), got[0])
		assert.Regexp(t, `^UPDATE sess_partial SET (a=\S+, c=\S+|c=\S+, a=\S+) WHERE sess_partial.id = \S+$`, got[1])
		require.NoError(t, s.Commit(bg))
		require.NoError(t, s.Close())

		assert.Equal(t, [][]any{
			{r1.ID, "a1", "b1x", int64(10), nil, 1.0},
			{r2.ID, "a2", "b2", nil, nil, 2.5},
			{r3.ID, "a3x", "b3", int64(3), nil, 3.0},
		}, rows(t, e, tbl, "id", "id", "a", "b", "c", "d", "score"))
	})
}
