package session_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/orm"
)

// evUser is used by this test only: mapper listeners are global per type.
type evUser struct {
	ID   int64  `orm:"pk"`
	Name string `orm:"type:varchar(60);unique"`
}

func (evUser) TableName() string { return "sess_ev_users" }

type evLog struct{ names []string }

func (l *evLog) add(s string) { l.names = append(l.names, s) }
func (l *evLog) take() []string {
	n := l.names
	l.names = nil
	return n
}

// listen registers every session listener and the mapper listeners of
// evUser, recording their names.
func listen(t *testing.T, s *orm.Session, log *evLog) {
	ev := s.Events()
	hook := func(name string) orm.SessionHook {
		return func(ctx context.Context, s *orm.Session) error { log.add(name); return nil }
	}
	ev.OnBeforeFlush(hook("before_flush"))
	ev.OnAfterFlush(hook("after_flush"))
	ev.OnAfterFlushPostexec(hook("after_flush_postexec"))
	ev.OnBeforeCommit(hook("before_commit"))
	ev.OnAfterCommit(hook("after_commit"))
	ev.OnAfterRollback(hook("after_rollback"))
	ev.OnAfterSoftRollback(hook("after_soft_rollback"))
	ev.OnAfterBegin(func(ctx context.Context, s *orm.Session, c *core.Connection) error {
		log.add("after_begin")
		return nil
	})
	ev.OnTransition(func(s *orm.Session, obj any, from, to orm.State) {
		log.add(fmt.Sprintf("%s_to_%s", from, to))
	})
	mapper := func(name string) orm.MapperHook[evUser] {
		return func(ctx context.Context, c *core.Connection, u *evUser) error {
			log.add(name + ":" + u.Name)
			return nil
		}
	}
	for _, remove := range []func(){
		orm.OnBeforeInsert(mapper("before_insert")),
		orm.OnAfterInsert(mapper("after_insert")),
		orm.OnBeforeUpdate(mapper("before_update")),
		orm.OnAfterUpdate(mapper("after_update")),
		orm.OnBeforeDelete(mapper("before_delete")),
		orm.OnAfterDelete(mapper("after_delete")),
	} {
		t.Cleanup(remove)
	}
}

// TestEventOrder checks that the events fire in SQLAlchemy's order.
//
// The expected order is SQLAlchemy 2.x's, read from lib/sqlalchemy/orm of
// sqlalchemy/sqlalchemy (session.py, persistence.py):
//
//   - Session.add fires transient_to_pending.
//   - SessionTransaction.commit: _prepare_impl fires before_commit and then
//     flushes (only when the session is not clean); the DBAPI commit runs;
//     after_commit fires; then _remove_snapshot expires the objects and
//     detaches the deleted ones (deleted_to_detached).
//   - Session._flush: before_flush; flush_context.execute() (the mapper's
//     connection is acquired first, which fires after_begin in
//     _connection_for_bind when the transaction has no connection yet;
//     persistence.save_obj fires before_insert for the pending states in
//     insert order and before_update for the persistent ones, emits the
//     UPDATEs then the INSERTs, then after_insert/after_update in the same
//     order; delete_obj fires before_delete, DELETE, after_delete);
//     after_flush; finalize_flush_changes (pending_to_persistent,
//     persistent_to_deleted); after_flush_postexec.
//   - SessionTransaction.rollback: DBAPI rollback, after_rollback, then
//     _restore_snapshot (objects inserted in the transaction become
//     transient, deleted ones persistent), then after_soft_rollback. A
//     failed flush rolls back the same way (after_rollback,
//     after_soft_rollback), and the later Session.rollback() fires only
//     after_soft_rollback, the DBAPI transaction being gone already.
//
// Retort reports a loaded object as transient_to_persistent (SQLAlchemy's
// loaded_as_persistent).
func TestEventOrder(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, _ := env(t, b, nil, &evUser{})
		log := &evLog{}
		s := orm.NewSession(reg, e)
		defer s.Close()
		listen(t, s, log)

		// add + commit
		a, c := &evUser{Name: "a"}, &evUser{Name: "c"}
		require.NoError(t, s.AddAll(a, c))
		assert.Equal(t, []string{"transient_to_pending", "transient_to_pending"}, log.take())
		require.NoError(t, s.Commit(bg))
		assert.Equal(t, []string{
			"before_commit", "before_flush", "after_begin",
			"before_insert:a", "before_insert:c", "after_insert:a", "after_insert:c",
			"after_flush", "pending_to_persistent", "pending_to_persistent", "after_flush_postexec",
			"after_commit",
		}, log.take())

		// update + commit (the Get reloads the expired object)
		g, err := orm.Get[evUser](bg, s, a.ID)
		require.NoError(t, err)
		require.Same(t, a, g)
		assert.Equal(t, []string{"after_begin"}, log.take())
		a.Name = "a2"
		require.NoError(t, s.Commit(bg))
		assert.Equal(t, []string{
			"before_commit", "before_flush",
			"before_update:a2", "after_update:a2",
			"after_flush", "after_flush_postexec", "after_commit",
		}, log.take())

		// insert and update of the same mapper in one flush: inserts first
		_, err = orm.Get[evUser](bg, s, c.ID)
		require.NoError(t, err)
		log.take()
		d := &evUser{Name: "d"}
		require.NoError(t, s.Add(d))
		c.Name = "c2"
		log.take()
		require.NoError(t, s.Flush(bg))
		assert.Equal(t, []string{
			"before_flush",
			"before_insert:d", "before_update:c2", "after_insert:d", "after_update:c2",
			"after_flush", "pending_to_persistent", "after_flush_postexec",
		}, log.take())
		require.NoError(t, s.Commit(bg))
		log.take()

		// delete + commit
		_, err = orm.Get[evUser](bg, s, c.ID)
		require.NoError(t, err)
		log.take()
		require.NoError(t, s.Delete(c))
		assert.Empty(t, log.take(), "Session.Delete fires nothing before the flush")
		require.NoError(t, s.Commit(bg))
		assert.Equal(t, []string{
			"before_commit", "before_flush",
			"before_delete:c2", "after_delete:c2",
			"after_flush", "persistent_to_deleted", "after_flush_postexec",
			"after_commit", "deleted_to_detached",
		}, log.take())

		// rollback of a flushed insert
		x := &evUser{Name: "x"}
		require.NoError(t, s.Add(x))
		require.NoError(t, s.Flush(bg))
		log.take()
		require.NoError(t, s.Rollback(bg))
		assert.Equal(t, []string{"after_rollback", "persistent_to_transient", "after_soft_rollback"}, log.take())

		// a commit with nothing to do: no flush events
		require.NoError(t, s.Commit(bg))
		assert.NotContains(t, log.take(), "before_flush")

		// a failed flush
		dup := &evUser{Name: "a2"}
		require.NoError(t, s.Add(dup))
		log.take()
		err = s.Flush(bg)
		require.ErrorIs(t, err, core.ErrIntegrity)
		assert.Equal(t, []string{"before_flush", "after_begin", "before_insert:a2", "after_rollback", "after_soft_rollback"}, log.take())
		require.NoError(t, s.Rollback(bg))
		assert.Equal(t, []string{"pending_to_transient", "after_soft_rollback"}, log.take())
	})
}

// TestListenerErrors: an error from a before_flush or a mapper listener
// aborts the flush and rolls back; nothing is written.
func TestListenerErrors(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, _ := env(t, b, nil, &evUser{})
		tbl := table(t, reg, &evUser{})
		boom := errors.New("boom")

		s := orm.NewSession(reg, e)
		defer s.Close()
		remove := s.Events().OnBeforeFlush(func(ctx context.Context, s *orm.Session) error { return boom })
		require.NoError(t, s.Add(&evUser{Name: "a"}))
		err := s.Commit(bg)
		var fe *orm.FlushError
		require.ErrorAs(t, err, &fe)
		require.ErrorIs(t, err, boom)
		assert.Equal(t, "before_flush", fe.Phase)
		remove()
		require.NoError(t, s.Rollback(bg))

		rm := orm.OnAfterInsert(func(ctx context.Context, c *core.Connection, u *evUser) error {
			if u.Name == "bad" {
				return boom
			}
			return nil
		})
		t.Cleanup(rm)
		require.NoError(t, s.AddAll(&evUser{Name: "good"}, &evUser{Name: "bad"}))
		err = s.Flush(bg)
		require.ErrorAs(t, err, &fe)
		require.ErrorIs(t, err, boom)
		assert.Equal(t, "after_insert", fe.Phase)
		require.NoError(t, s.Rollback(bg))
		rm()
		require.NoError(t, s.Close())
		assert.EqualValues(t, 0, count(t, e, tbl))
	})
}
