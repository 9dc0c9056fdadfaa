package relationships_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/orm"
)

// cascade:all (save-update, merge, refresh-expire, expunge, delete) with
// delete-orphan.
type relpCUser struct {
	ID        int64           `orm:"pk"`
	Name      string          `orm:"type:varchar(20)"`
	Addresses []*relpCAddress `orm:"rel;back_populates:User;cascade:all,delete-orphan;order_by:ID"`
}

func (relpCUser) TableName() string { return "relp_c_users" }

type relpCAddress struct {
	ID     int64      `orm:"pk"`
	Email  string     `orm:"type:varchar(20)"`
	UserID int64      `orm:"fk:relp_c_users.id"`
	User   *relpCUser `orm:"rel;back_populates:Addresses"`
}

func (relpCAddress) TableName() string { return "relp_c_addresses" }

// seedCUser commits a user with addresses named emails and returns their
// keys (user first).
func seedCUser(t *testing.T, s *orm.Session, name string, emails ...string) *relpCUser {
	t.Helper()
	u := &relpCUser{Name: name}
	for _, em := range emails {
		u.Addresses = append(u.Addresses, &relpCAddress{Email: em})
	}
	require.NoError(t, s.Add(u))
	require.NoError(t, s.Commit(bg))
	return u
}

// loadCUser loads the user with key id and its addresses in s.
func loadCUser(t *testing.T, s *orm.Session, id int64) *relpCUser {
	t.Helper()
	u, err := orm.Get[relpCUser](bg, s, id)
	require.NoError(t, err)
	require.NoError(t, s.LoadRelationship(bg, u, "Addresses"))
	return u
}

// TestExpungeCascade: Expunge follows the expunge cascade over loaded
// relationships.
func TestExpungeCascade(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, nil, &relpCUser{}, &relpCAddress{})
		s := orm.NewSession(reg, e)
		defer s.Close()
		seeded := seedCUser(t, s, "u", "a1", "a2")
		require.NoError(t, s.Close())

		s2 := orm.NewSession(reg, e)
		defer s2.Close()
		u := loadCUser(t, s2, seeded.ID)
		require.Len(t, u.Addresses, 2)
		other := &relpCAddress{Email: "pending"}
		u.Addresses = append(u.Addresses, other)
		require.NoError(t, s2.Add(other))
		require.Equal(t, 4, s2.Len())
		// a plain struct carries no session state: Detached is seen
		// through the transition events (see Session.StateOf)
		to := map[any]orm.State{}
		s2.Events().OnTransition(func(_ *orm.Session, obj any, from, st orm.State) { to[obj] = st })
		a1, a2 := u.Addresses[0], u.Addresses[1]
		rec.Reset()
		require.NoError(t, s2.Expunge(u))
		assert.Empty(t, rec.Take(), "expunge emits no SQL")
		assert.Equal(t, map[any]orm.State{u: orm.Detached, a1: orm.Detached, a2: orm.Detached, other: orm.Transient}, to,
			"the cascade detaches the loaded addresses; a pending one becomes transient")
		for _, o := range []any{u, a1, a2, other} {
			assert.False(t, s2.Contains(o))
			assert.Equal(t, orm.Transient, s2.StateOf(o))
		}
		assert.Zero(t, s2.Len())
		require.NoError(t, s2.Flush(bg))
		assert.Empty(t, rec.Take(), "nothing of the expunged graph is written")
		require.NoError(t, s2.Commit(bg))
		assert.EqualValues(t, 2, count(t, e, table(t, reg, &relpCAddress{})))
	})
}

// TestMergeCascade: a detached graph merged into another session: the
// session's own instances carry the changes, a new member is pending, and
// the flush writes the UPDATE and the INSERT.
func TestMergeCascade(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, nil, &relpCUser{}, &relpCAddress{})
		users, addrs := table(t, reg, &relpCUser{}), table(t, reg, &relpCAddress{})
		seed := orm.NewSession(reg, e)
		seeded := seedCUser(t, seed, "u", "a1", "a2")
		require.NoError(t, seed.Close())

		// loaded in session A, A closed: a detached graph
		sa := orm.NewSession(reg, e)
		du := loadCUser(t, sa, seeded.ID)
		require.NoError(t, sa.Close())
		require.Len(t, du.Addresses, 2)
		du.Name = "renamed"
		du.Addresses[1].Email = "a2x"
		dnew := &relpCAddress{Email: "a3"}
		du.Addresses = append(du.Addresses, dnew)
		rec.Reset()

		sb := orm.NewSession(reg, e)
		defer sb.Close()
		mu, err := orm.Merge(bg, sb, du)
		require.NoError(t, err)
		got := rec.Take()
		assert.Equal(t, []string{"SELECT relp_c_users", "SELECT relp_c_addresses"}, ops(got), "load the row, then its collection: %q", got)
		assert.NotSame(t, du, mu, "merge returns the session's instance")
		assert.Equal(t, orm.Persistent, sb.StateOf(mu))
		assert.False(t, sb.Contains(du))
		assert.Equal(t, "renamed", mu.Name)
		require.Len(t, mu.Addresses, 3)
		for i, ma := range mu.Addresses {
			assert.NotSame(t, du.Addresses[i], ma, "member %d is B's instance", i)
			assert.True(t, sb.Contains(ma))
			assert.Same(t, mu, ma.User, "member %d: back_populates at merge", i)
		}
		assert.Equal(t, orm.Persistent, sb.StateOf(mu.Addresses[0]))
		assert.Equal(t, orm.Persistent, sb.StateOf(mu.Addresses[1]))
		assert.Equal(t, "a2x", mu.Addresses[1].Email)
		assert.Equal(t, orm.Pending, sb.StateOf(mu.Addresses[2]), "the new member is pending")
		assert.Equal(t, "a3", mu.Addresses[2].Email)
		assert.False(t, sb.Contains(dnew))

		require.NoError(t, sb.Flush(bg))
		got = rec.Take()
		assert.Equal(t, []string{"UPDATE relp_c_users", "UPDATE relp_c_addresses", "INSERT relp_c_addresses"}, ops(got), "%q", got)
		assert.Equal(t, mu.ID, mu.Addresses[2].UserID)
		assert.Zero(t, dnew.ID, "the detached object itself is not written")
		require.NoError(t, sb.Commit(bg))
		assert.Equal(t, [][]any{{seeded.ID, "renamed"}}, rows(t, e, users, []string{"id"}, "id", "name"))
		assert.Equal(t, [][]any{{"a1", seeded.ID}, {"a2x", seeded.ID}, {"a3", seeded.ID}}, rows(t, e, addrs, []string{"id"}, "email", "user_id"))
	})
}

// TestRefreshCascade: Refresh follows the refresh-expire cascade over the
// loaded addresses. SQLAlchemy expires the cascaded objects and loads them
// on the next attribute access; Go has no such access, so Retort reloads
// them at once (one SELECT by key each).
func TestRefreshCascade(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, nil, &relpCUser{}, &relpCAddress{})
		users, addrs := table(t, reg, &relpCUser{}), table(t, reg, &relpCAddress{})
		s := orm.NewSession(reg, e, orm.WithExpireOnCommit(false))
		defer s.Close()
		u := seedCUser(t, s, "u", "a1", "a2")
		require.Len(t, u.Addresses, 2)
		a1 := u.Addresses[0]

		// change both rows behind the session (its transaction is over)
		_, err := e.Execute(quiet, core.Update(users).Where(users.C("id").Eq(u.ID)).Values(map[string]any{"name": "changed"}))
		require.NoError(t, err)
		_, err = e.Execute(quiet, core.Update(addrs).Where(addrs.C("id").Eq(a1.ID)).Values(map[string]any{"email": "a1x"}))
		require.NoError(t, err)
		assert.Equal(t, "u", u.Name, "not seen yet")
		rec.Reset()
		require.NoError(t, s.Refresh(bg, u))
		got := ops(rec.Take())
		require.NotEmpty(t, got)
		assert.Equal(t, "SELECT relp_c_users", got[0], "%q", got)
		for _, q := range got[1:] {
			assert.Equal(t, "SELECT relp_c_addresses", q, "%q", got)
		}
		assert.Equal(t, "changed", u.Name)
		assert.Equal(t, "a1x", a1.Email, "the cascade reloaded the address")
		assert.Equal(t, "a2", u.Addresses[1].Email)
		require.NoError(t, s.Flush(bg))
		assert.Empty(t, rec.Take(), "refreshed objects are clean")
	})
}

// default cascade (save-update, merge): no delete cascade
type relpDParent struct {
	ID       int64         `orm:"pk"`
	Name     string        `orm:"type:varchar(20)"`
	Children []*relpDChild `orm:"rel;order_by:ID"`
}

func (relpDParent) TableName() string { return "relp_d_parents" }

type relpDChild struct {
	ID       int64  `orm:"pk"`
	ParentID *int64 `orm:"fk:relp_d_parents.id"`
	Name     string `orm:"type:varchar(20)"`
}

func (relpDChild) TableName() string { return "relp_d_children" }

// TestDeleteWithoutCascade: deleting a parent whose relationship has no
// delete cascade sets its children's foreign key to NULL, then deletes the
// parent; unloaded children are SELECTed first.
func TestDeleteWithoutCascade(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, nil, &relpDParent{}, &relpDChild{})
		parents, children := table(t, reg, &relpDParent{}), table(t, reg, &relpDChild{})
		s := orm.NewSession(reg, e, orm.WithExpireOnCommit(false))
		defer s.Close()
		c1 := &relpDChild{Name: "c1"}
		p1 := &relpDParent{Name: "p1", Children: []*relpDChild{c1}}
		c2, c3 := &relpDChild{Name: "c2"}, &relpDChild{Name: "c3"}
		p2 := &relpDParent{Name: "p2", Children: []*relpDChild{c2, c3}}
		require.NoError(t, s.AddAll(p1, p2))
		require.NoError(t, s.Commit(bg))
		rec.Reset()

		// children loaded: UPDATE … SET parent_id=NULL, DELETE parent
		require.NoError(t, s.Delete(p1))
		require.NoError(t, s.Flush(bg))
		got := rec.Take()
		assert.Equal(t, []string{"UPDATE relp_d_children", "DELETE relp_d_parents"}, ops(got), "%q", got)
		if len(got) == 2 {
			assert.Regexp(t, "SET [`\"]?parent_id[`\"]?=", got[0])
			assert.NotContains(t, got[0], "name")
		}
		assert.Nil(t, c1.ParentID)
		assert.Equal(t, orm.Persistent, s.StateOf(c1), "the child is kept")
		require.NoError(t, s.Commit(bg))
		require.NoError(t, s.Close())
		assert.Equal(t, [][]any{{"c1", nil}, {"c2", p2.ID}, {"c3", p2.ID}}, rows(t, e, children, []string{"id"}, "name", "parent_id"))

		// children not loaded: SELECT them, then the UPDATEs (one
		// executemany, seen once per row) and the DELETE
		s2 := orm.NewSession(reg, e)
		defer s2.Close()
		g2, err := orm.Get[relpDParent](bg, s2, p2.ID)
		require.NoError(t, err)
		assert.False(t, s2.IsLoaded(g2, "Children"))
		rec.Reset()
		require.NoError(t, s2.Delete(g2))
		require.NoError(t, s2.Flush(bg))
		got = rec.Take()
		o := ops(got)
		require.GreaterOrEqual(t, len(o), 3, "%q", got)
		assert.Equal(t, "SELECT relp_d_children", o[0], "%q", got)
		assert.Equal(t, "DELETE relp_d_parents", o[len(o)-1], "%q", got)
		assert.LessOrEqual(t, len(o), 4, "%q", got)
		for _, q := range got[1 : len(got)-1] {
			assert.Equal(t, "UPDATE relp_d_children", op(q), "%q", got)
			assert.Equal(t, got[1], q, "one statement")
		}
		require.NoError(t, s2.Commit(bg))
		assert.Equal(t, [][]any{{"c1", nil}, {"c2", nil}, {"c3", nil}}, rows(t, e, children, []string{"id"}, "name", "parent_id"))
		assert.Zero(t, count(t, e, parents))
	})
}

// attribute events on plain fields
type relpEvUser struct {
	ID        int64            `orm:"pk"`
	Name      string           `orm:"type:varchar(20)"`
	Addresses []*relpEvAddress `orm:"rel;back_populates:User;order_by:ID"`
}

func (relpEvUser) TableName() string { return "relp_ev_users" }

type relpEvAddress struct {
	ID     int64       `orm:"pk"`
	Email  string      `orm:"type:varchar(20)"`
	UserID *int64      `orm:"fk:relp_ev_users.id"`
	User   *relpEvUser `orm:"rel;back_populates:Addresses"`
}

func (relpEvAddress) TableName() string { return "relp_ev_addresses" }

// evName names an event's object value for comparison.
func evName(v any) string {
	switch x := v.(type) {
	case nil:
		return "nil"
	case *relpEvUser:
		if x == nil {
			return "nil"
		}
		return x.Name
	case *relpEvAddress:
		if x == nil {
			return "nil"
		}
		return x.Email
	}
	return fmt.Sprint(v)
}

// TestAttributeEventsAtFlush: OnAppend, OnRemove and OnSet for plain
// fields fire at flush (AtFlush) with the old values; an error from a
// listener stops the flush before any SQL.
func TestAttributeEventsAtFlush(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, nil, &relpEvUser{}, &relpEvAddress{})
		addrs := table(t, reg, &relpEvAddress{})
		users := table(t, reg, &relpEvUser{})
		s := orm.NewSession(reg, e, orm.WithExpireOnCommit(false))
		defer s.Close()
		a1, a2 := &relpEvAddress{Email: "a1"}, &relpEvAddress{Email: "a2"}
		u := &relpEvUser{Name: "u", Addresses: []*relpEvAddress{a1, a2}}
		v := &relpEvUser{Name: "v"}
		require.NoError(t, s.AddAll(u, v))
		require.NoError(t, s.Commit(bg))

		var evs []string
		var notAtFlush []string
		listen := func(obj string, ev orm.AttributeEvent) error {
			evs = append(evs, fmt.Sprintf("%s.%s %s %s old=%s", obj, ev.Field, ev.Op, evName(ev.Value), evName(ev.Old)))
			if !ev.AtFlush {
				notAtFlush = append(notAtFlush, ev.Field)
			}
			return nil
		}
		userHook := func(ctx context.Context, s *orm.Session, o *relpEvUser, ev orm.AttributeEvent) error {
			return listen(o.Name, ev)
		}
		addrHook := func(ctx context.Context, s *orm.Session, o *relpEvAddress, ev orm.AttributeEvent) error {
			return listen(o.Email, ev)
		}
		defer orm.OnAppend[relpEvUser]("Addresses", userHook)()
		defer orm.OnRemove[relpEvUser]("Addresses", userHook)()
		defer orm.OnSet[relpEvUser]("Name", userHook)()
		defer orm.OnSet[relpEvAddress]("User", addrHook)()
		rec.Reset()

		// a collection change: append a new address, remove a1
		a3 := &relpEvAddress{Email: "a3"}
		u.Addresses = []*relpEvAddress{a2, a3}
		assert.Empty(t, evs, "nothing fires before the flush")
		require.NoError(t, s.Flush(bg))
		assert.Contains(t, evs, "u.Addresses append a3 old=nil")
		assert.Contains(t, evs, "u.Addresses remove a1 old=nil")
		assert.Empty(t, notAtFlush)
		assert.NotEmpty(t, rec.Take())
		require.NoError(t, s.Commit(bg))
		evs = nil

		// a scalar relationship and a column attribute: OnSet with the
		// old values
		a2.User = v
		require.NoError(t, s.Flush(bg))
		assert.Contains(t, evs, "a2.User set v old=u")
		u.Name = "u2"
		require.NoError(t, s.Flush(bg))
		assert.Contains(t, evs, "u2.Name set u2 old=u")
		assert.Empty(t, notAtFlush)
		require.NoError(t, s.Commit(bg))
		assert.Equal(t, [][]any{{"a1", nil}, {"a2", v.ID}, {"a3", u.ID}}, rows(t, e, addrs, []string{"id"}, "email", "user_id"))
		evs = nil
		rec.Reset()

		// a listener error aborts the flush before any SQL
		errVeto := errors.New("veto")
		defer orm.OnSet[relpEvUser]("Name", func(ctx context.Context, s *orm.Session, o *relpEvUser, ev orm.AttributeEvent) error {
			if ev.Value == "bad" {
				return errVeto
			}
			return nil
		})()
		u.Name = "bad"
		a1.Email = "a1-changed" // another object's change: not written either
		err := s.Flush(bg)
		require.Error(t, err)
		assert.ErrorIs(t, err, errVeto)
		assert.Empty(t, rec.Take(), "no SQL before the listener's error")
		require.NoError(t, s.Rollback(bg))
		assert.Equal(t, [][]any{{u.ID, "u2"}, {v.ID, "v"}}, rows(t, e, users, []string{"id"}, "id", "name"))
		assert.Equal(t, [][]any{{"a1"}, {"a2"}, {"a3"}}, rows(t, e, addrs, []string{"id"}, "email"))
	})
}

// TestSavepointCollection: a collection change flushed inside a SAVEPOINT
// and rolled back: the field and the rows are as before, and the next
// flush writes nothing.
func TestSavepointCollection(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, nil, &relpCUser{}, &relpCAddress{})
		addrs := table(t, reg, &relpCAddress{})
		if !e.Dialect().Features().Has(core.FeatSavepoints) {
			t.Skip("no SAVEPOINT")
		}
		s := orm.NewSession(reg, e, orm.WithExpireOnCommit(false))
		defer s.Close()
		u := seedCUser(t, s, "u", "a1", "a2")
		a1, a2 := u.Addresses[0], u.Addresses[1]
		before := rows(t, e, addrs, []string{"id"}, "id", "email", "user_id")
		rec.Reset()

		sp, err := s.BeginNested(bg)
		require.NoError(t, err)
		a3 := &relpCAddress{Email: "a3"}
		u.Addresses = []*relpCAddress{a2, a3}
		require.NoError(t, s.Flush(bg))
		got := dml(rec.Take())
		assert.Equal(t, []string{"INSERT relp_c_addresses", "DELETE relp_c_addresses"}, ops(got), "%q", got)
		assert.Equal(t, orm.Deleted, s.StateOf(a1))
		assert.Equal(t, orm.Persistent, s.StateOf(a3))
		require.NoError(t, sp.Rollback(bg))

		assert.Equal(t, []*relpCAddress{a1, a2}, u.Addresses, "the field as it was")
		assert.Equal(t, orm.Persistent, s.StateOf(a1))
		assert.Equal(t, orm.Transient, s.StateOf(a3))
		assert.Zero(t, a3.ID, "the key made inside the SAVEPOINT is gone")
		assert.Same(t, u, a1.User)
		rec.Reset()
		require.NoError(t, s.Flush(bg))
		assert.Empty(t, dml(rec.Take()), "nothing left to write")
		require.NoError(t, s.Commit(bg))
		assert.Empty(t, dml(rec.Take()))
		assert.Equal(t, before, rows(t, e, addrs, []string{"id"}, "id", "email", "user_id"))
	})
}

// dml drops SAVEPOINT handling statements from a recording.
func dml(stmts []string) []string {
	var out []string
	for _, q := range stmts {
		u := strings.ToUpper(strings.TrimSpace(q))
		if strings.HasPrefix(u, "SAVEPOINT") || strings.HasPrefix(u, "RELEASE") || strings.HasPrefix(u, "ROLLBACK") {
			continue
		}
		out = append(out, q)
	}
	return out
}

// TestOrphanWithBackrefCleared: removing a child from a delete-orphan
// collection and clearing its many-to-one side too (what SQLAlchemy's
// backref does on remove) deletes the orphan; the NOT NULL foreign key is
// never set to NULL.
func TestOrphanWithBackrefCleared(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, nil, &relpCUser{}, &relpCAddress{})
		addrs := table(t, reg, &relpCAddress{})
		s := orm.NewSession(reg, e)
		defer s.Close()
		a1, a2 := &relpCAddress{Email: "a1"}, &relpCAddress{Email: "a2"}
		u := &relpCUser{Name: "u", Addresses: []*relpCAddress{a1, a2}}
		require.NoError(t, s.Add(u))
		require.NoError(t, s.Flush(bg))
		rec.Reset()
		u.Addresses = u.Addresses[1:]
		a1.User = nil
		require.NoError(t, s.Flush(bg))
		got := rec.Take()
		assert.Equal(t, []string{"DELETE relp_c_addresses"}, ops(got), "%q", got)
		require.NoError(t, s.Commit(bg))
		assert.Equal(t, [][]any{{a2.ID, "a2"}}, rows(t, e, addrs, []string{"id"}, "id", "email"))
	})
}
