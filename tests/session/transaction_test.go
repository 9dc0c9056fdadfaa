package session_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/orm"
)

type spUser struct {
	ID       int64   `orm:"pk"`
	Name     string  `orm:"type:varchar(30)"`
	Fullname *string `orm:"type:varchar(60)"`
}

func (spUser) TableName() string { return "sess_sp_users" }

// TestSavepoint: rolling back a SAVEPOINT restores the fields as they were
// at BeginNested, makes objects added in it transient again and objects
// deleted in it persistent; committing one keeps its changes.
func TestSavepoint(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, nil, &spUser{})
		tbl := table(t, reg, &spUser{})
		s := orm.NewSession(reg, e)
		defer s.Close()
		u1 := &spUser{Name: "u1", Fullname: ptr("U One")}
		u2 := &spUser{Name: "u2"}
		require.NoError(t, s.AddAll(u1, u2))
		require.NoError(t, s.Commit(bg))
		_, err := orm.Select[spUser](s).All(bg) // reload the expired objects
		require.NoError(t, err)

		// a change made before BeginNested is flushed by it and kept
		u1.Name = "u1 before"
		sp, err := s.BeginNested(bg)
		require.NoError(t, err)
		assert.True(t, sp.IsActive())
		assert.False(t, s.IsModified(u1), "BeginNested flushed")

		u1.Name = "u1 in savepoint"
		u1.Fullname = nil
		u3 := &spUser{Name: "u3"}
		require.NoError(t, s.Add(u3))
		require.NoError(t, s.Delete(u2))
		require.NoError(t, s.Flush(bg))
		assert.Positive(t, u3.ID)
		assert.Equal(t, orm.Deleted, s.StateOf(u2))
		u1.Name = "u1 unflushed" // a change not flushed yet
		u4 := &spUser{Name: "u4 never flushed"}
		require.NoError(t, s.Add(u4))

		require.NoError(t, sp.Rollback(bg))
		assert.False(t, sp.IsActive())
		assert.Equal(t, "u1 before", u1.Name)
		require.NotNil(t, u1.Fullname)
		assert.Equal(t, "U One", *u1.Fullname)
		assert.Equal(t, orm.Persistent, s.StateOf(u1))
		assert.Equal(t, orm.Transient, s.StateOf(u3))
		assert.False(t, s.Contains(u3))
		assert.Zero(t, u3.ID, "the key made by the database is gone")
		assert.Equal(t, orm.Transient, s.StateOf(u4))
		assert.Equal(t, orm.Persistent, s.StateOf(u2))
		g, err := orm.Get[spUser](bg, s, u2.ID)
		require.NoError(t, err)
		assert.Same(t, u2, g)
		rec.Reset()
		require.NoError(t, s.Flush(bg))
		assert.Empty(t, rec.Take(), "the restored objects are clean")

		// a committed SAVEPOINT keeps its changes
		sp2, err := s.BeginNested(bg)
		require.NoError(t, err)
		u2.Name = "u2 kept"
		u5 := &spUser{Name: "u5"}
		require.NoError(t, s.Add(u5))
		require.NoError(t, sp2.Commit(bg))
		assert.False(t, sp2.IsActive())
		assert.Equal(t, orm.Persistent, s.StateOf(u5))

		// nested twice: rolling back the outer one restores both levels
		sp3, err := s.BeginNested(bg)
		require.NoError(t, err)
		u5.Name = "u5 level 1"
		sp4, err := s.BeginNested(bg)
		require.NoError(t, err)
		u5.Name = "u5 level 2"
		require.NoError(t, s.Flush(bg))
		require.NoError(t, sp4.Commit(bg))
		require.NoError(t, sp3.Rollback(bg))
		assert.Equal(t, "u5", u5.Name)

		require.NoError(t, s.Commit(bg))
		require.NoError(t, s.Close())
		assert.Equal(t, [][]any{
			{u1.ID, "u1 before", "U One"},
			{u2.ID, "u2 kept", nil},
			{u5.ID, "u5", nil},
		}, rows(t, e, tbl, "id", "id", "name", "fullname"))
	})
}

type verRow struct {
	ID      int64  `orm:"pk"`
	Name    string `orm:"type:varchar(30)"`
	Version int    `orm:"version"`
}

func (verRow) TableName() string { return "sess_versioned" }

// TestVersionCounter: a second session updating (or deleting) the row
// first makes the first session's UPDATE or DELETE a StaleDataError.
func TestVersionCounter(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, nil, &verRow{})
		tbl := table(t, reg, &verRow{})
		seed := orm.NewSession(reg, e)
		r1, r2 := &verRow{Name: "r1"}, &verRow{Name: "r2"}
		require.NoError(t, seed.AddAll(r1, r2))
		require.NoError(t, seed.Commit(bg))
		assert.Equal(t, 1, r1.Version, "the first version is 1")
		require.NoError(t, seed.Close())

		// On SQLite (one in-memory connection) the first session ends its
		// transaction after loading; on the servers it keeps it open while
		// the second session writes.
		concurrent := b.Name != testdb.SQLite
		s1 := orm.NewSession(reg, e, orm.WithExpireOnCommit(false))
		defer s1.Close()
		a1, err := orm.Get[verRow](bg, s1, r1.ID)
		require.NoError(t, err)
		a2, err := orm.Get[verRow](bg, s1, r2.ID)
		require.NoError(t, err)
		if !concurrent {
			require.NoError(t, s1.Commit(bg))
		}

		s2 := orm.NewSession(reg, e)
		b1, err := orm.Get[verRow](bg, s2, r1.ID)
		require.NoError(t, err)
		b2, err := orm.Get[verRow](bg, s2, r2.ID)
		require.NoError(t, err)
		b1.Name = "r1 by s2"
		require.NoError(t, s2.Delete(b2))
		rec.Reset()
		require.NoError(t, s2.Commit(bg))
		got := rec.Take()
		require.Len(t, got, 2, "%q", got)
		assert.Contains(t, got[0], "UPDATE sess_versioned SET ")
		assert.Contains(t, got[0], "version=")
		assert.Contains(t, got[0], "AND sess_versioned.version = ")
		assert.Contains(t, got[1], "DELETE FROM sess_versioned WHERE sess_versioned.id = ")
		assert.Contains(t, got[1], "AND sess_versioned.version = ")
		require.NoError(t, s2.Close())

		// s1's UPDATE matches no row
		a1.Name = "r1 by s1"
		err = s1.Flush(bg)
		var fe *orm.FlushError
		require.ErrorAs(t, err, &fe)
		var sde *orm.StaleDataError
		require.ErrorAs(t, err, &sde)
		assert.Equal(t, "UPDATE", sde.Op)
		assert.Equal(t, "sess_versioned", sde.Table)
		assert.EqualValues(t, 1, sde.Expected)
		assert.EqualValues(t, 0, sde.Matched)
		assert.True(t, sde.Versions)
		assert.Contains(t, err.Error(), "sess_versioned")
		assert.Equal(t, 1, a1.Version, "the version is not advanced by a failed flush")
		var pre *orm.PendingRollbackError
		require.ErrorAs(t, s1.Flush(bg), &pre)
		require.NoError(t, s1.Rollback(bg))

		// s1's DELETE of the row s2 deleted matches no row either
		if !concurrent {
			require.NoError(t, s1.Commit(bg))
		}
		require.True(t, s1.Contains(a2), "a rolled back session keeps its persistent objects")
		require.NoError(t, s1.Delete(a2))
		err = s1.Flush(bg)
		require.ErrorAs(t, err, &fe)
		require.ErrorAs(t, err, &sde)
		assert.Equal(t, "DELETE", sde.Op)
		assert.True(t, sde.Versions)
		require.NoError(t, s1.Rollback(bg))
		require.NoError(t, s1.Close())

		assert.Equal(t, [][]any{{r1.ID, "r1 by s2", int64(2)}}, rows(t, e, tbl, "id", "id", "name", "version"))
	})
}

type uniqUser struct {
	ID   int64  `orm:"pk"`
	Name string `orm:"type:varchar(60);unique"`
}

func (uniqUser) TableName() string { return "sess_uniq_users" }

// TestFailedInsert: a unique violation fails the flush with a FlushError
// wrapping core.ErrIntegrity; the session then answers with a
// PendingRollbackError until Rollback, after which it works again, and
// nothing of the failed transaction is in the database.
func TestFailedInsert(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, _ := env(t, b, nil, &uniqUser{})
		tbl := table(t, reg, &uniqUser{})
		s := orm.NewSession(reg, e)
		defer s.Close()
		dup := &uniqUser{Name: "dup"}
		require.NoError(t, s.Add(dup))
		require.NoError(t, s.Commit(bg))

		early := &uniqUser{Name: "flushed earlier in the transaction"}
		require.NoError(t, s.Add(early))
		require.NoError(t, s.Flush(bg))
		require.Positive(t, early.ID)
		ok1 := &uniqUser{Name: "ok"}
		bad := &uniqUser{Name: "dup"}
		require.NoError(t, s.AddAll(ok1, bad))
		err := s.Flush(bg)
		var fe *orm.FlushError
		require.ErrorAs(t, err, &fe)
		require.ErrorIs(t, err, core.ErrIntegrity)
		assert.Equal(t, "insert", fe.Phase)
		assert.Equal(t, "sess_uniq_users", fe.Table)
		assert.Contains(t, err.Error(), "uniqUser")
		assert.Zero(t, ok1.ID, "no key is left from the failed flush")
		assert.Zero(t, bad.ID)

		// every call until Rollback
		var pre *orm.PendingRollbackError
		require.ErrorAs(t, s.Flush(bg), &pre)
		assert.ErrorIs(t, s.Flush(bg), core.ErrIntegrity, "the cause is kept")
		require.ErrorAs(t, s.Commit(bg), &pre)
		require.ErrorAs(t, s.Add(&uniqUser{Name: "later"}), &pre)
		_, err = orm.Get[uniqUser](bg, s, dup.ID)
		require.ErrorAs(t, err, &pre)
		_, err = orm.Select[uniqUser](s).All(bg)
		require.ErrorAs(t, err, &pre)
		_, err = s.BeginNested(bg)
		require.ErrorAs(t, err, &pre)
		assert.Equal(t, int64(1), count(t, e, tbl), "the failed transaction wrote nothing")

		require.NoError(t, s.Rollback(bg))
		assert.Equal(t, orm.Transient, s.StateOf(ok1))
		assert.Equal(t, orm.Transient, s.StateOf(bad))
		assert.Equal(t, orm.Transient, s.StateOf(early), "an object inserted in the rolled back transaction is transient")
		assert.Zero(t, early.ID)

		// the session works again
		bad.Name = "not dup"
		require.NoError(t, s.AddAll(ok1, bad))
		require.NoError(t, s.Commit(bg))
		require.NoError(t, s.Close())
		assert.Equal(t, [][]any{{"dup"}, {"ok"}, {"not dup"}}, rows(t, e, tbl, "id", "name"))
	})
}

// TestFailedFlushInSavepoint: a failed flush inside a SAVEPOINT rolls back
// only the SAVEPOINT; the outer transaction goes on.
func TestFailedFlushInSavepoint(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, _ := env(t, b, nil, &uniqUser{})
		tbl := table(t, reg, &uniqUser{})
		s := orm.NewSession(reg, e)
		defer s.Close()
		keep := &uniqUser{Name: "keep"}
		require.NoError(t, s.Add(keep))
		sp, err := s.BeginNested(bg)
		require.NoError(t, err)
		bad := &uniqUser{Name: "keep"}
		require.NoError(t, s.Add(bad))
		err = s.Flush(bg)
		require.ErrorIs(t, err, core.ErrIntegrity)
		assert.False(t, sp.IsActive())
		assert.Equal(t, orm.Transient, s.StateOf(bad))
		assert.Equal(t, orm.Persistent, s.StateOf(keep))
		require.NoError(t, s.Commit(bg))
		require.NoError(t, s.Close())
		assert.Equal(t, [][]any{{"keep"}}, rows(t, e, tbl, "id", "name"))
	})
}

// TestJoinExternalTransaction: a session on a Connection in a transaction
// commits into a SAVEPOINT; the caller's rollback undoes everything.
func TestJoinExternalTransaction(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, _ := env(t, b, nil, &spUser{})
		tbl := table(t, reg, &spUser{})
		conn, err := e.Connect(bg)
		require.NoError(t, err)
		defer conn.Close()
		tx, err := conn.Begin(bg)
		require.NoError(t, err)

		s := orm.NewSession(reg, e, orm.WithConnection(conn))
		u := &spUser{Name: "joined"}
		require.NoError(t, s.Add(u))
		require.NoError(t, s.Commit(bg))
		assert.Positive(t, u.ID)
		assert.True(t, conn.InTransaction(), "the caller's transaction is still open")
		// visible inside the outer transaction
		res, err := conn.Execute(bg, core.Select(core.Count()).From(tbl))
		require.NoError(t, err)
		n, err := core.ScalarOne[int64](res)
		require.NoError(t, err)
		assert.EqualValues(t, 1, n)
		// a second unit of work on the same connection
		u.Name = "joined twice"
		require.NoError(t, s.Commit(bg))
		require.NoError(t, s.Close())
		assert.False(t, conn.Closed(), "the session never closes the connection")

		require.NoError(t, tx.Rollback(bg))
		require.NoError(t, conn.Close())
		assert.EqualValues(t, 0, count(t, e, tbl), "nothing persisted")
	})
}
