package session_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/orm"
)

type bindAccount struct {
	ID   int64  `orm:"pk"`
	Name string `orm:"type:varchar(40)"`
}

func (bindAccount) TableName() string { return "sess_bind_accounts" }

type bindAudit struct {
	ID    int64  `orm:"pk"`
	Event string `orm:"type:varchar(40)"`
}

func (bindAudit) TableName() string { return "sess_bind_audits" }

// TestBinds: one session over two engines (SQLAlchemy's binds): accounts
// on SQLite, audit rows on each backend. Each type's statements go to its
// engine, one transaction per engine commits or rolls back together, and a
// SAVEPOINT covers both.
func TestBinds(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		main, err := core.CreateEngine("sqlite:///" + t.TempDir() + "/main.db")
		require.NoError(t, err)
		t.Cleanup(func() { main.Close() })
		audit := open(t, b)
		reg := newReg(t, nil, &bindAccount{}, &bindAudit{})
		accounts, _ := reg.MetaData().Table("sess_bind_accounts")
		audits, _ := reg.MetaData().Table("sess_bind_audits")
		// both tables on both engines, so that a statement sent to the
		// wrong engine would succeed there and show in the counts
		setup(t, main, reg)
		setup(t, audit, reg)
		count := func(e *core.Engine, tbl *core.Table) int64 {
			res, err := e.Execute(bg, core.Select(core.Count()).From(tbl))
			require.NoError(t, err)
			n, err := core.ScalarOne[int64](res)
			require.NoError(t, err)
			return n
		}

		s := orm.NewSession(reg, main, orm.WithBind(&bindAudit{}, audit))
		defer s.Close()
		require.NoError(t, s.AddAll(&bindAccount{Name: "a"}, &bindAudit{Event: "opened a"}))
		require.NoError(t, s.Commit(bg))
		assert.EqualValues(t, 1, count(main, accounts))
		assert.EqualValues(t, 1, count(audit, audits))
		assert.EqualValues(t, 0, count(main, audits), "no audit row on the main engine")
		assert.EqualValues(t, 0, count(audit, accounts), "no account row on the audit engine")

		c, err := s.ConnectionFor(bg, &bindAudit{})
		require.NoError(t, err)
		assert.Same(t, audit, c.Engine(), "the audit type's connection is on its bound engine")

		// rollback covers both engines
		require.NoError(t, s.AddAll(&bindAccount{Name: "b"}, &bindAudit{Event: "opened b"}))
		require.NoError(t, s.Flush(bg))
		require.NoError(t, s.Rollback(bg))
		assert.EqualValues(t, 1, count(main, accounts))
		assert.EqualValues(t, 1, count(audit, audits))

		// a SAVEPOINT covers both, also an engine first used inside it
		require.NoError(t, s.Add(&bindAccount{Name: "c"}))
		sp, err := s.BeginNested(bg)
		require.NoError(t, err)
		require.NoError(t, s.AddAll(&bindAccount{Name: "d"}, &bindAudit{Event: "opened d"}))
		require.NoError(t, s.Flush(bg))
		require.NoError(t, sp.Rollback(bg))
		require.NoError(t, s.Add(&bindAudit{Event: "opened c"}))
		require.NoError(t, s.Commit(bg))
		assert.EqualValues(t, 2, count(main, accounts), "a and c")
		assert.EqualValues(t, 2, count(audit, audits), "opened a and opened c")

		got, err := orm.Select[bindAudit](s).All(bg)
		require.NoError(t, err)
		require.Len(t, got, 2)
	})
}
