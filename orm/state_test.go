package orm_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/orm"
)

func TestStateNames(t *testing.T) {
	for st, want := range map[orm.State]string{
		orm.Transient: "transient", orm.Pending: "pending", orm.Persistent: "persistent",
		orm.Deleted: "deleted", orm.Detached: "detached", orm.State(42): "State(42)",
	} {
		assert.Equal(t, want, st.String())
	}
}

func TestLifecycle(t *testing.T) {
	v := newEnv(t)
	s := v.session(t)
	var trans []string
	s.Events().OnTransition(func(_ *orm.Session, obj any, from, to orm.State) {
		trans = append(trans, from.String()+"->"+to.String())
	})
	p := &Person{Name: "a"}
	assert.Equal(t, orm.Transient, s.StateOf(p))
	assert.Equal(t, orm.Info{State: orm.Transient}, s.Inspect(p))
	assert.False(t, s.Contains(p))

	require.NoError(t, s.Add(p))
	assert.Equal(t, orm.Pending, s.StateOf(p))
	assert.Equal(t, orm.Pending, s.Inspect(p).State)
	assert.Nil(t, s.Inspect(p).Identity)
	assert.Equal(t, []any{p}, s.New())
	assert.True(t, s.IsModified(p), "a pending object counts as modified")
	assert.True(t, s.Contains(p))
	assert.Equal(t, 1, s.Len())
	require.NoError(t, s.Add(p), "adding twice is harmless")
	assert.Len(t, s.New(), 1)

	require.NoError(t, s.Flush(v.ctx))
	assert.Equal(t, orm.Persistent, s.StateOf(p))
	in := s.Inspect(p)
	assert.Equal(t, []any{p.ID}, in.Identity)
	assert.Empty(t, in.Modified)
	assert.False(t, in.Expired)
	assert.Empty(t, s.New())
	assert.Empty(t, s.Dirty())

	require.NoError(t, s.Delete(p))
	assert.Equal(t, orm.Persistent, s.StateOf(p), "marked for deletion, not yet flushed")
	assert.Equal(t, []any{p}, s.Deleted())
	assert.Empty(t, s.Dirty(), "an object marked for deletion is not dirty")
	_, err := orm.Get[Person](v.ctx, s, p.ID)
	assert.ErrorIs(t, err, core.ErrNoResultFound, "Get does not return an object marked for deletion")

	require.NoError(t, s.Flush(v.ctx))
	assert.Equal(t, orm.Deleted, s.StateOf(p))
	assert.Empty(t, s.Deleted())
	require.NoError(t, s.Delete(p), "deleting a deleted object is harmless")

	require.NoError(t, s.Commit(v.ctx))
	// the session forgets a detached object: StateOf cannot tell it from
	// a new one, and the transition event says Detached
	assert.Equal(t, orm.Transient, s.StateOf(p))
	assert.False(t, s.Contains(p))
	assert.Equal(t, 0, s.Len())
	assert.Equal(t, []string{
		"transient->pending", "pending->persistent", "persistent->deleted", "deleted->detached",
	}, trans)
}

func TestAddThenDeleteUnmarks(t *testing.T) {
	v := newEnv(t)
	s := v.session(t)
	p := &Person{Name: "a"}
	require.NoError(t, s.Add(p))
	require.NoError(t, s.Flush(v.ctx))
	require.NoError(t, s.Delete(p))
	require.NoError(t, s.Add(p), "Add un-marks an object marked for deletion")
	assert.Empty(t, s.Deleted())
	require.NoError(t, s.Flush(v.ctx))
	assert.Equal(t, orm.Persistent, s.StateOf(p))

	// deleting a pending object expunges it: nothing is written
	n := &Person{Name: "n"}
	require.NoError(t, s.Add(n))
	require.NoError(t, s.Delete(n))
	assert.Equal(t, orm.Transient, s.StateOf(n))
	stmts := v.record(func() { require.NoError(t, s.Flush(v.ctx)) })
	assert.Empty(t, stmts)
}

func TestDeleteRollbackRestoresPersistent(t *testing.T) {
	v := newEnv(t)
	id := v.seed(t, "a")
	s := v.session(t)
	p, err := orm.Get[Person](v.ctx, s, id)
	require.NoError(t, err)
	require.NoError(t, s.Delete(p))
	require.NoError(t, s.Flush(v.ctx))
	assert.Equal(t, orm.Deleted, s.StateOf(p))
	require.NoError(t, s.Rollback(v.ctx))
	assert.Equal(t, orm.Persistent, s.StateOf(p))
	got, err := orm.Get[Person](v.ctx, s, id)
	require.NoError(t, err)
	assert.Same(t, p, got)
}

func TestRollbackOfInsertedObject(t *testing.T) {
	v := newEnv(t)
	s := v.session(t)
	p := &Person{Name: "a"}
	require.NoError(t, s.Add(p))
	require.NoError(t, s.Flush(v.ctx))
	require.NotZero(t, p.ID)
	require.NoError(t, s.Rollback(v.ctx))
	assert.Equal(t, orm.Transient, s.StateOf(p))
	assert.Zero(t, p.ID, "the key the database made is zeroed")
	assert.EqualValues(t, 0, v.countPeople(t))
}

func TestExpunge(t *testing.T) {
	v := newEnv(t)
	id := v.seed(t, "a")
	s := v.session(t)
	p, err := orm.Get[Person](v.ctx, s, id)
	require.NoError(t, err)
	p.Name = "changed"
	var trans []string
	s.Events().OnTransition(func(_ *orm.Session, obj any, from, to orm.State) {
		trans = append(trans, from.String()+"->"+to.String())
	})
	require.NoError(t, s.Expunge(p))
	assert.Equal(t, []string{"persistent->detached"}, trans)
	assert.Equal(t, orm.Transient, s.StateOf(p), "a detached object is not tracked")
	assert.False(t, s.Contains(p))
	assert.Empty(t, s.Dirty(), "an expunged object's changes are not tracked")
	stmts := v.record(func() { require.NoError(t, s.Flush(v.ctx)) })
	assert.Empty(t, stmts)

	// the next Get loads a new object
	q, err := orm.Get[Person](v.ctx, s, id)
	require.NoError(t, err)
	assert.NotSame(t, p, q)
	assert.Equal(t, "a", q.Name)

	// a pending object becomes transient
	n := &Person{Name: "n"}
	require.NoError(t, s.Add(n))
	require.NoError(t, s.Expunge(n))
	assert.Equal(t, orm.Transient, s.StateOf(n))
	assert.Empty(t, s.New())

	// expunging an object the session does not have is an error
	var ire *orm.InvalidRequestError
	assert.ErrorAs(t, s.Expunge(&Person{}), &ire)

	// ExpungeAll
	trans = nil
	s.ExpungeAll()
	assert.Equal(t, 0, s.Len())
	assert.False(t, s.Contains(q))
	assert.Equal(t, []string{"persistent->detached"}, trans)
}

func TestMakeTransient(t *testing.T) {
	v := newEnv(t)
	id := v.seed(t, "a")
	s := v.session(t)
	p, err := orm.Get[Person](v.ctx, s, id)
	require.NoError(t, err)
	require.NoError(t, s.MakeTransient(p))
	assert.Equal(t, orm.Transient, s.StateOf(p))
	assert.False(t, s.Contains(p))
	assert.Nil(t, s.Inspect(p).Identity)

	// a later Add inserts it as a new row (with a new key)
	p.ID, p.Version = 0, 0
	require.NoError(t, s.Add(p))
	assert.Equal(t, orm.Pending, s.StateOf(p))
	require.NoError(t, s.Commit(v.ctx))
	assert.NotEqual(t, id, p.ID)
	assert.EqualValues(t, 2, v.countPeople(t))

	// on an object the session does not know, it is harmless
	require.NoError(t, s.MakeTransient(&Person{}))
}

func TestInspectModifiedAndDirty(t *testing.T) {
	v := newEnv(t)
	id := v.seed(t, "a")
	s := v.session(t)
	p, err := orm.Get[Person](v.ctx, s, id)
	require.NoError(t, err)
	assert.False(t, s.IsModified(p))
	assert.Empty(t, s.Dirty())
	p.Name = "b"
	p.Nick = strp("nick")
	p.Score = 6
	assert.Equal(t, []string{"Name", "Nick", "Score"}, s.Inspect(p).Modified)
	assert.True(t, s.IsModified(p))
	assert.Equal(t, []any{p}, s.Dirty())

	// setting a field back to its loaded value is no change
	p.Score = 5
	assert.Equal(t, []string{"Name", "Nick"}, s.Inspect(p).Modified)

	// only the changed columns are written
	stmts := v.record(func() { require.NoError(t, s.Flush(v.ctx)) })
	require.Len(t, stmts, 1)
	assert.Equal(t, "UPDATE people SET name=?, nick=?, edits=?, version=? WHERE people.id = ? AND people.version = ?", stmts[0])
	assert.Empty(t, s.Dirty())

	// a flush with nothing to do emits no SQL
	stmts = v.record(func() { require.NoError(t, s.Flush(v.ctx)) })
	assert.Empty(t, stmts)

	// an object the session does not track
	assert.False(t, s.IsModified(&Person{}))
	assert.Empty(t, s.Inspect(&Person{}).Modified)
}

func TestIdentityMapSamePointer(t *testing.T) {
	v := newEnv(t)
	id := v.seed(t, "a")
	s := v.session(t)
	p, err := orm.Get[Person](v.ctx, s, id)
	require.NoError(t, err)
	q, err := orm.Get[Person](v.ctx, s, int32(id)) // a convertible key type
	require.NoError(t, err)
	assert.Same(t, p, q)
	r, err := orm.Select[Person](s).First(v.ctx)
	require.NoError(t, err)
	assert.Same(t, p, r)

	// two new objects with the same natural key
	var ire *orm.InvalidRequestError
	require.NoError(t, s.AddAll(&Note{Code: "k"}, &Note{Code: "k"}))
	assert.ErrorAs(t, s.Flush(v.ctx), &ire)
	assert.EqualValues(t, 1, v.countPeopleIn(t, s))
}

// countPeopleIn counts the rows through the session's own transaction.
func (v *env) countPeopleIn(t *testing.T, s *orm.Session) int64 {
	t.Helper()
	var n int64
	require.NoError(t, s.NoAutoflush(func() (err error) {
		n, err = orm.Select[Person](s).Count(v.ctx)
		return err
	}))
	return n
}

func TestBadInput(t *testing.T) {
	v := newEnv(t)
	s := v.session(t)
	var ire *orm.InvalidRequestError

	err := s.Add(&struct{ X int }{})
	assert.ErrorIs(t, err, orm.ErrUnmapped)
	assert.ErrorAs(t, err, &ire)
	assert.ErrorAs(t, s.Add(Person{}), &ire, "a struct value, not a pointer")
	assert.ErrorAs(t, s.Add(nil), &ire)
	assert.ErrorAs(t, s.Add((*Person)(nil)), &ire)

	assert.ErrorAs(t, s.Delete(&Person{Name: "transient"}), &ire, "deleting a transient object")
	assert.ErrorAs(t, s.Expire(&Person{}), &ire)

	_, err = orm.Get[Person](v.ctx, s, 1, 2)
	assert.ErrorAs(t, err, &ire, "wrong number of key values")
	_, err = orm.Get[Person](v.ctx, s, "x")
	assert.ErrorAs(t, err, &ire, "a key value of the wrong type")
	_, err = orm.Get[Person](v.ctx, s, 12345)
	assert.ErrorIs(t, err, core.ErrNoResultFound)

	_, err = orm.Get[struct{ Y int }](v.ctx, s, 1)
	assert.ErrorIs(t, err, orm.ErrUnmapped)
	_, err = orm.Select[struct{ Y int }](s).All(v.ctx)
	assert.ErrorIs(t, err, orm.ErrUnmapped)
	_, err = orm.Select[Person](s).FilterBy(map[string]any{"Nope": 1}).All(v.ctx)
	assert.Error(t, err)

	// NULL into a NOT NULL column without a default: no SQL at all
	stmts := v.record(func() {
		require.NoError(t, s.Add(&Strict{}))
		err := s.Flush(v.ctx)
		assert.ErrorAs(t, err, &ire)
		assert.Contains(t, err.Error(), "Strict.Need")
	})
	assert.Empty(t, stmts)
	assert.Equal(t, orm.Pending, s.Inspect(s.New()[0]).State, "nothing was written; the object stays pending")
}

func TestClosedSession(t *testing.T) {
	v := newEnv(t)
	id := v.seed(t, "a")
	s := orm.NewSession(v.reg, v.e)
	p, err := orm.Get[Person](v.ctx, s, id)
	require.NoError(t, err)
	p.Name = "unsaved"
	require.NoError(t, s.Close())
	require.NoError(t, s.Close(), "closing twice is harmless")
	assert.False(t, s.Contains(p))
	assert.False(t, s.InTransaction())
	name, _ := v.dbName(t, id)
	assert.Equal(t, "a", name, "Close rolls back and writes nothing")

	ctx := v.ctx
	calls := map[string]error{
		"Add":           s.Add(&Person{}),
		"AddAll":        s.AddAll(&Person{}),
		"Delete":        s.Delete(p),
		"Flush":         s.Flush(ctx),
		"Commit":        s.Commit(ctx),
		"Rollback":      s.Rollback(ctx),
		"Refresh":       s.Refresh(ctx, p),
		"Expire":        s.Expire(p),
		"ExpireAll":     s.ExpireAll(),
		"Expunge":       s.Expunge(p),
		"MakeTransient": s.MakeTransient(p),
		"Transaction":   s.Transaction(ctx, func(*orm.Session) error { t.Error("fn ran"); return nil }),
		"Nested":        s.Nested(ctx, func() error { t.Error("fn ran"); return nil }),
		"NoAutoflush":   nil,
	}
	delete(calls, "NoAutoflush")
	_, calls["Get"] = orm.Get[Person](ctx, s, id)
	_, calls["Select.All"] = orm.Select[Person](s).All(ctx)
	_, calls["Select.Count"] = orm.Select[Person](s).Count(ctx)
	_, calls["Merge"] = orm.Merge(ctx, s, &Person{ID: id})
	_, calls["Execute"] = s.Execute(ctx, core.Select(core.Count()).From(v.table(t, &Person{})))
	_, calls["Connection"] = s.Connection(ctx)
	_, calls["BeginNested"] = s.BeginNested(ctx)
	for name, err := range calls {
		assert.ErrorIs(t, err, orm.ErrSessionClosed, name)
	}
}

// A detached object is, to another session, indistinguishable from a new
// one: Delete and Refresh refuse it, Merge brings its state in.
func TestDetachedObjectInAnotherSession(t *testing.T) {
	v := newEnv(t)
	id := v.seed(t, "a")
	s := v.session(t, orm.WithExpireOnCommit(false))
	p, err := orm.Get[Person](v.ctx, s, id)
	require.NoError(t, err)
	require.NoError(t, s.Close())

	s2 := v.session(t)
	var ire *orm.InvalidRequestError
	assert.ErrorAs(t, s2.Delete(p), &ire)
	assert.ErrorAs(t, s2.Refresh(v.ctx, p), &ire)
	assert.ErrorAs(t, s2.Expire(p), &ire)

	p.Name = "changed while detached"
	m, err := orm.Merge(v.ctx, s2, p)
	require.NoError(t, err)
	assert.NotSame(t, p, m)
	assert.Equal(t, orm.Persistent, s2.StateOf(m))
	assert.Equal(t, []string{"Name"}, s2.Inspect(m).Modified)
	require.NoError(t, s2.Delete(m))
	require.NoError(t, s2.Commit(v.ctx))
	_, ok := v.dbName(t, id)
	assert.False(t, ok)
}

func TestFailedInsertRollsBack(t *testing.T) {
	v := newEnv(t)
	s := v.session(t)
	require.NoError(t, s.Add(&Note{Code: "dup", Body: "first"}))
	require.NoError(t, s.Commit(v.ctx))

	s2 := v.session(t)
	good := &Person{Name: "good"}
	dup := &Note{Code: "dup", Body: "second"}
	require.NoError(t, s2.AddAll(good, dup))
	err := s2.Flush(v.ctx)
	var fe *orm.FlushError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "insert", fe.Phase)
	assert.Equal(t, "notes", fe.Table)
	assert.ErrorIs(t, err, core.ErrIntegrity)
	assert.Zero(t, good.ID)
	var pre *orm.PendingRollbackError
	assert.ErrorAs(t, s2.Commit(v.ctx), &pre)
	require.NoError(t, s2.Rollback(v.ctx))
	assert.EqualValues(t, 0, v.countPeople(t))
	assert.Equal(t, orm.Transient, s2.StateOf(good))
	assert.NoError(t, s2.Flush(v.ctx), "after Rollback the session is usable")
}
