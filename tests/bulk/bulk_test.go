// Package bulk_test holds the scenario tests of the ORM bulk DML (issue 5,
// item 7, SCOPE row S8): BulkInsert, BulkUpdate, UpdateWhere and
// DeleteWhere with synchronize_session, run on every reachable backend.
package bulk_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/retort-orm/retort/core"
	_ "github.com/retort-orm/retort/dialect/mysql"
	_ "github.com/retort-orm/retort/dialect/postgresql"
	_ "github.com/retort-orm/retort/dialect/sqlite"
	"github.com/retort-orm/retort/internal/sqlrec"
	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/orm"
	"github.com/retort-orm/retort/registry"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.IgnoreAnyFunction("database/sql.(*DB).connectionOpener"))
}

var bg = context.Background()

func open(t *testing.T, b testdb.Backend) *core.Engine {
	t.Helper()
	e, err := core.CreateEngine(testdb.EngineURL(t, b))
	require.NoError(t, err)
	t.Cleanup(func() { e.Close() })
	return e
}

// recorder records the engine's statements (see sqlrec).
type recorder = sqlrec.Recorder

// env opens the backend, configures a registry of the models, creates
// their tables (dropping leftovers of an aborted run first) and drops them
// when the test ends. Each test has its own model types, so its tables
// have names no other test uses.
func env(t *testing.T, b testdb.Backend, models ...any) (*core.Engine, *registry.Registry, *recorder) {
	t.Helper()
	e := open(t, b)
	reg := registry.New()
	reg.MustRegister(models...)
	require.NoError(t, reg.Configure())
	md := reg.MetaData()
	require.NoError(t, e.DropAll(bg, md, true))
	require.NoError(t, e.CreateAll(bg, md, false))
	t.Cleanup(func() { _ = e.DropAll(context.Background(), md, true) })
	return e, reg, sqlrec.Record(e)
}

func column(t *testing.T, reg *registry.Registry, model any, field string) core.Expr {
	t.Helper()
	m, err := reg.Mapper(model)
	require.NoError(t, err)
	c, err := m.Column(field)
	require.NoError(t, err)
	return c
}

func table(t *testing.T, reg *registry.Registry, model any) *core.Table {
	t.Helper()
	m, err := reg.Mapper(model)
	require.NoError(t, err)
	return m.Table()
}

// rows reads id and the other columns of every row of tbl, ordered by id,
// on a new connection outside any session.
func rows(t *testing.T, e *core.Engine, tbl *core.Table, cols ...string) map[int64][]any {
	t.Helper()
	items := []core.SelectItem{tbl.C("id")}
	for _, c := range cols {
		items = append(items, tbl.C(c))
	}
	res, err := e.Execute(bg, core.Select(items...).From(tbl).OrderBy(tbl.C("id")))
	require.NoError(t, err)
	all, err := res.All()
	require.NoError(t, err)
	out := map[int64][]any{}
	for _, r := range all {
		vals := make([]any, len(cols))
		for i := range cols {
			vals[i] = norm(r.Index(i + 1))
		}
		out[norm(r.Index(0)).(int64)] = vals
	}
	return out
}

func norm(v any) any {
	switch x := v.(type) {
	case int:
		return int64(x)
	case int32:
		return int64(x)
	case []byte:
		return string(x)
	case *string:
		if x == nil {
			return nil
		}
		return *x
	}
	return v
}

func kinds(stmts []string) map[string]int {
	m := map[string]int{}
	for _, q := range stmts {
		verb, _, _ := strings.Cut(strings.TrimSpace(q), " ")
		m[strings.ToUpper(verb)]++
	}
	return m
}

func ptr[T any](v T) *T { return &v }

// ---------------------------------------------------------------- BulkInsert

type biUser struct {
	ID       int64   `orm:"pk"`
	Name     string  `orm:"type:varchar(30)"`
	Fullname *string `orm:"type:varchar(60)"`
	Status   string  `orm:"type:varchar(10);server_default:'new'"`
	Score    int     `orm:"default:7"`
	Version  int     `orm:"version"`
}

func (biUser) TableName() string { return "bulk_bi_users" }

// TestBulkInsert inserts many objects in multi-VALUES batches, one per
// column shape, and reads the database-made keys and defaults back into
// the objects in input order; the objects stay untracked.
func TestBulkInsert(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, &biUser{})
		tbl := table(t, reg, &biUser{})
		s := orm.NewSession(reg, e)
		defer s.Close()
		const n = 25
		objs := make([]*biUser, n)
		for i := range objs {
			objs[i] = &biUser{Name: "user" + string(rune('a'+i))}
			if i%5 == 0 {
				objs[i].Status = "vip"
			}
		}
		require.NoError(t, orm.BulkInsert(bg, s, objs))
		got := rec.Take()
		if e.Dialect().Features().Has(core.FeatReturningInsert) {
			require.Len(t, got, 2, "one INSERT per shape: %q", got)
			for _, q := range got {
				assert.True(t, strings.HasPrefix(q, "INSERT INTO bulk_bi_users"), q)
				assert.Contains(t, q, "RETURNING")
			}
		} else {
			assert.Equal(t, n, kinds(got)["INSERT"])
		}
		seen := map[int64]bool{}
		for i, o := range objs {
			require.NotZero(t, o.ID, "object %d has its key", i)
			assert.False(t, seen[o.ID])
			seen[o.ID] = true
			assert.Equal(t, 1, o.Version)
			assert.Equal(t, 7, o.Score)
			if i%5 == 0 {
				assert.Equal(t, "vip", o.Status)
			} else {
				assert.Equal(t, "new", o.Status, "server default read back")
			}
			assert.Equal(t, orm.Transient, s.StateOf(o))
		}
		assert.Zero(t, s.Len(), "not tracked without orm.Track()")
		require.NoError(t, s.Commit(bg))
		db := rows(t, e, tbl, "name", "status", "score", "version")
		require.Len(t, db, n)
		for _, o := range objs {
			assert.Equal(t, []any{o.Name, o.Status, int64(7), int64(1)}, db[o.ID], "row of %s at its key", o.Name)
		}
	})
}

type btItem struct {
	ID    int64   `orm:"pk"`
	Label string  `orm:"type:varchar(30)"`
	Note  *string `orm:"type:varchar(30)"`
}

func (btItem) TableName() string { return "bulk_bt_items" }

// TestBulkInsertTrack makes the inserted objects persistent; a rollback
// makes them transient again and zeroes their keys.
func TestBulkInsertTrack(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, &btItem{})
		tbl := table(t, reg, &btItem{})
		s := orm.NewSession(reg, e)
		defer s.Close()
		objs := []*btItem{{Label: "a"}, {Label: "b", Note: ptr("n")}, {ID: 1000, Label: "c"}}
		require.NoError(t, orm.BulkInsert(bg, s, objs, orm.Track()))
		rec.Take()
		for _, o := range objs {
			assert.Equal(t, orm.Persistent, s.StateOf(o))
			g, err := orm.Get[btItem](bg, s, o.ID)
			require.NoError(t, err)
			assert.Same(t, o, g)
		}
		require.NoError(t, s.Flush(bg))
		assert.Empty(t, rec.Take(), "Get from the identity map, nothing dirty")
		require.NoError(t, s.Rollback(bg))
		assert.Zero(t, objs[0].ID)
		assert.EqualValues(t, 1000, objs[2].ID, "a key the program gave is kept")
		for _, o := range objs {
			assert.Equal(t, orm.Transient, s.StateOf(o))
		}
		assert.Empty(t, rows(t, e, tbl, "label"))

		objs[2].ID = 0
		require.NoError(t, orm.BulkInsert(bg, s, objs, orm.Track()))
		require.NoError(t, s.Commit(bg))
		db := rows(t, e, tbl, "label", "note")
		require.Len(t, db, 3)
		assert.Equal(t, []any{"b", "n"}, db[objs[1].ID])
		assert.Equal(t, []any{"c", nil}, db[objs[2].ID])
	})
}

// ---------------------------------------------------------------- BulkUpdate

type buUser struct {
	ID      int64  `orm:"pk"`
	Name    string `orm:"type:varchar(30)"`
	Email   string `orm:"type:varchar(60)"`
	Version int    `orm:"version"`
}

func (buUser) TableName() string { return "bulk_bu_users" }

// TestBulkUpdate updates rows by primary key from plain objects, with the
// version counter checked and advanced, and synchronizes the session's
// object of the same identity; a stale version rolls everything back.
func TestBulkUpdate(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, &buUser{})
		tbl := table(t, reg, &buUser{})
		s := orm.NewSession(reg, e)
		defer s.Close()
		seed := []*buUser{{Name: "a", Email: "a@x"}, {Name: "b", Email: "b@x"}, {Name: "c", Email: "c@x"}}
		require.NoError(t, orm.BulkInsert(bg, s, seed))
		require.NoError(t, s.Commit(bg))
		loaded, err := orm.Get[buUser](bg, s, seed[1].ID)
		require.NoError(t, err)
		rec.Take()

		upd := make([]*buUser, len(seed))
		for i, o := range seed {
			c := *o
			c.Name = strings.ToUpper(o.Name)
			c.Email = "changed" // not named: not written
			upd[i] = &c
		}
		require.NoError(t, orm.BulkUpdate(bg, s, upd, "Name"))
		k := kinds(rec.Take())
		assert.Equal(t, map[string]int{"UPDATE": k["UPDATE"]}, k, "only UPDATEs")
		assert.GreaterOrEqual(t, k["UPDATE"], 1)
		assert.LessOrEqual(t, k["UPDATE"], len(upd))
		assert.Equal(t, "B", loaded.Name, "the session's object of that identity")
		assert.Equal(t, 2, loaded.Version)
		assert.Equal(t, "b@x", loaded.Email)
		assert.False(t, s.IsModified(loaded))
		require.NoError(t, s.Commit(bg))
		db := rows(t, e, tbl, "name", "email", "version")
		for _, o := range upd {
			assert.Equal(t, 2, o.Version)
			assert.Equal(t, []any{o.Name, strings.ToLower(o.Name) + "@x", int64(2)}, db[o.ID])
		}

		// all fields, one of them stale
		upd[0].Email, upd[1].Email = "new0", "new1"
		stale := *seed[2] // version 1
		err = orm.BulkUpdate(bg, s, []*buUser{upd[0], upd[1], &stale})
		var be *orm.BulkError
		require.ErrorAs(t, err, &be)
		var sde *orm.StaleDataError
		require.ErrorAs(t, err, &sde)
		assert.EqualValues(t, 3, sde.Expected)
		assert.EqualValues(t, 2, sde.Matched)
		require.NoError(t, s.Rollback(bg))
		assert.Equal(t, db, rows(t, e, tbl, "name", "email", "version"), "nothing of the failed bulk update is kept")
	})
}

// ---------------------------------------------------------------- UpdateWhere

type uwUser struct {
	ID     int64  `orm:"pk"`
	Name   string `orm:"type:varchar(30)"`
	Team   string `orm:"type:varchar(10)"`
	Points int
	Note   *string `orm:"type:varchar(30)"`
}

func (uwUser) TableName() string { return "bulk_uw_users" }

// TestUpdateWhere runs UPDATE … WHERE with each synchronize mode: literal
// values land on the session's objects (not dirty), SQL-expression values
// expire them, SyncNone touches nothing.
func TestUpdateWhere(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, &uwUser{})
		tbl := table(t, reg, &uwUser{})
		s := orm.NewSession(reg, e)
		defer s.Close()
		objs := []*uwUser{{Name: "a", Team: "red", Points: 1}, {Name: "b", Team: "red", Points: 2}, {Name: "c", Team: "blue", Points: 3}}
		require.NoError(t, orm.BulkInsert(bg, s, objs, orm.Track()))
		require.NoError(t, s.Commit(bg))
		all, err := orm.Select[uwUser](s).All(bg)
		require.NoError(t, err)
		require.Len(t, all, 3)
		team := column(t, reg, &uwUser{}, "Team")
		points := column(t, reg, &uwUser{}, "Points")
		rec.Take()
		returning := e.Dialect().Features().Has(core.FeatReturningUpdate)

		// literal values, default mode (fetch)
		n, err := orm.UpdateWhere[uwUser](s).Where(team.Eq("red")).Set("Note", "reds").Execute(bg)
		require.NoError(t, err)
		assert.EqualValues(t, 2, n)
		got := rec.Take()
		if returning {
			require.Len(t, got, 1, "%q", got)
			assert.Contains(t, got[0], "RETURNING")
		} else {
			assert.Equal(t, map[string]int{"SELECT": 1, "UPDATE": 1}, kinds(got), "keys fetched by a SELECT first: %q", got)
		}
		require.NotNil(t, objs[0].Note)
		assert.Equal(t, "reds", *objs[0].Note)
		assert.Equal(t, "reds", *objs[1].Note)
		assert.Nil(t, objs[2].Note)
		assert.False(t, s.IsModified(objs[0]))
		require.NoError(t, s.Flush(bg))
		assert.Empty(t, rec.Take(), "synchronized objects are clean")

		// an SQL expression expires the matched objects
		n, err = orm.UpdateWhere[uwUser](s).Where(team.Eq("blue")).Set("Points", points.Mul(10)).Execute(bg)
		require.NoError(t, err)
		assert.EqualValues(t, 1, n)
		assert.True(t, s.Inspect(objs[2]).Expired)
		assert.False(t, s.Inspect(objs[0]).Expired)
		g, err := orm.Get[uwUser](bg, s, objs[2].ID)
		require.NoError(t, err)
		assert.Same(t, objs[2], g)
		assert.Equal(t, 30, objs[2].Points, "the next load refreshes it")

		// NULL through Set(nil)
		_, err = orm.UpdateWhere[uwUser](s).Where(team.Eq("red")).Set("Note", nil).Execute(bg)
		require.NoError(t, err)
		assert.Nil(t, objs[0].Note)

		// SyncNone touches nothing
		n, err = orm.UpdateWhere[uwUser](s).Set("Team", "green").Synchronize(orm.SyncNone).Execute(bg)
		require.NoError(t, err)
		assert.EqualValues(t, 3, n)
		assert.Equal(t, "red", objs[0].Team)
		require.NoError(t, s.Commit(bg))
		db := rows(t, e, tbl, "team", "points", "note")
		assert.Equal(t, []any{"green", int64(1), nil}, db[objs[0].ID])
		assert.Equal(t, []any{"green", int64(30), nil}, db[objs[2].ID])

		// no match: zero rows
		n, err = orm.UpdateWhere[uwUser](s).Where(team.Eq("none")).Set("Points", 0).Execute(bg)
		require.NoError(t, err)
		assert.Zero(t, n)
		require.NoError(t, s.Commit(bg))
	})
}

// ---------------------------------------------------------------- DeleteWhere

type dwUser struct {
	ID   int64  `orm:"pk"`
	Name string `orm:"type:varchar(30)"`
	Age  int
}

func (dwUser) TableName() string { return "bulk_dw_users" }

// TestDeleteWhere deletes with WHERE criteria: the matched objects become
// Deleted and leave the identity map; a rollback restores them, a commit
// detaches them.
func TestDeleteWhere(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, &dwUser{})
		tbl := table(t, reg, &dwUser{})
		s := orm.NewSession(reg, e)
		defer s.Close()
		objs := []*dwUser{{Name: "a", Age: 10}, {Name: "b", Age: 20}, {Name: "c", Age: 30}, {Name: "d", Age: 40}}
		require.NoError(t, orm.BulkInsert(bg, s, objs, orm.Track()))
		require.NoError(t, s.Commit(bg))
		_, err := orm.Select[dwUser](s).All(bg)
		require.NoError(t, err)
		age := column(t, reg, &dwUser{}, "Age")
		rec.Take()

		n, err := orm.DeleteWhere[dwUser](s).Where(age.Ge(30)).Execute(bg)
		require.NoError(t, err)
		assert.EqualValues(t, 2, n)
		got := rec.Take()
		if e.Dialect().Features().Has(core.FeatReturningDelete) {
			require.Len(t, got, 1, "%q", got)
			assert.Contains(t, got[0], "RETURNING")
		} else {
			assert.Equal(t, map[string]int{"SELECT": 1, "DELETE": 1}, kinds(got))
		}
		assert.Equal(t, orm.Deleted, s.StateOf(objs[2]))
		assert.Equal(t, orm.Deleted, s.StateOf(objs[3]))
		assert.Equal(t, orm.Persistent, s.StateOf(objs[0]))
		_, err = orm.Get[dwUser](bg, s, objs[2].ID)
		require.ErrorIs(t, err, core.ErrNoResultFound)

		require.NoError(t, s.Rollback(bg))
		assert.Len(t, rows(t, e, tbl, "name"), 4)
		assert.Equal(t, orm.Persistent, s.StateOf(objs[2]), "rollback restores the deleted objects")
		g, err := orm.Get[dwUser](bg, s, objs[3].ID)
		require.NoError(t, err)
		assert.Same(t, objs[3], g)

		// inside a SAVEPOINT
		sp, err := s.BeginNested(bg)
		require.NoError(t, err)
		_, err = orm.DeleteWhere[dwUser](s).Where(age.Eq(10)).Execute(bg)
		require.NoError(t, err)
		assert.Equal(t, orm.Deleted, s.StateOf(objs[0]))
		require.NoError(t, sp.Rollback(bg))
		assert.Equal(t, orm.Persistent, s.StateOf(objs[0]))

		n, err = orm.DeleteWhere[dwUser](s).Where(age.Lt(30)).Execute(bg)
		require.NoError(t, err)
		assert.EqualValues(t, 2, n)
		require.NoError(t, s.Commit(bg))
		assert.False(t, s.Contains(objs[0]), "commit detaches")
		assert.Equal(t, orm.Persistent, s.StateOf(objs[2]))
		db := rows(t, e, tbl, "name")
		assert.Len(t, db, 2)
		assert.Contains(t, db, objs[2].ID)
	})
}

// ---------------------------------------------------------------- bad input

type bbUser struct {
	ID   int64  `orm:"pk"`
	Name string `orm:"type:varchar(30)"`
}

func (bbUser) TableName() string { return "bulk_bb_users" }

type bbUnmapped struct{ ID int64 }

// TestBadInput: each mistake is a clear error before any SQL, and nothing
// is written.
func TestBadInput(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, &bbUser{})
		tbl := table(t, reg, &bbUser{})
		s := orm.NewSession(reg, e)
		defer s.Close()
		rec.Take()
		var ire *orm.InvalidRequestError

		err := orm.BulkInsert(bg, s, []*bbUser{{Name: "a"}, nil})
		require.ErrorAs(t, err, &ire)
		assert.Contains(t, err.Error(), "nil")

		err = orm.BulkInsert(bg, s, []*bbUnmapped{{ID: 1}})
		require.ErrorIs(t, err, orm.ErrUnmapped)
		assert.Contains(t, err.Error(), "bbUnmapped")

		err = orm.BulkUpdate(bg, s, []*bbUser{{ID: 1, Name: "x"}}, "Nmae")
		require.ErrorAs(t, err, &ire)
		assert.Contains(t, err.Error(), "bbUser")
		assert.Contains(t, err.Error(), "Nmae")

		_, err = orm.UpdateWhere[bbUser](s).Set("Nmae", "x").Execute(bg)
		require.ErrorAs(t, err, &ire)
		assert.Contains(t, err.Error(), "Nmae")

		_, err = orm.DeleteWhere[bbUnmapped](s).Execute(bg)
		require.ErrorIs(t, err, orm.ErrUnmapped)

		assert.Empty(t, rec.Take(), "no SQL for bad input")
		require.NoError(t, s.Commit(bg))
		assert.Empty(t, rows(t, e, tbl, "name"))
	})
}

type bfItem struct {
	ID   int64  `orm:"pk"`
	Code string `orm:"type:varchar(10);unique"`
}

func (bfItem) TableName() string { return "bulk_bf_items" }

// TestBulkInsertFailure: a unique violation in the middle of a bulk insert
// rolls the session's transaction back: no row of it (nor of the flush
// before it) is kept, the keys made for it are zeroed, and the session
// asks for a Rollback.
func TestBulkInsertFailure(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, _ := env(t, b, &bfItem{})
		tbl := table(t, reg, &bfItem{})
		s := orm.NewSession(reg, e)
		defer s.Close()
		first := &bfItem{Code: "x0"}
		require.NoError(t, s.Add(first))
		objs := []*bfItem{{Code: "a"}, {Code: "b"}, {Code: "a"}}
		err := orm.BulkInsert(bg, s, objs)
		var be *orm.BulkError
		require.ErrorAs(t, err, &be)
		assert.ErrorIs(t, err, core.ErrIntegrity)
		assert.Contains(t, err.Error(), "bulk insert of bfItem")
		assert.Contains(t, err.Error(), "rolled back")
		for _, o := range objs {
			assert.Zero(t, o.ID)
		}
		var pre *orm.PendingRollbackError
		require.ErrorAs(t, s.Flush(bg), &pre)
		require.NoError(t, s.Rollback(bg))
		assert.Empty(t, rows(t, e, tbl, "code"))
		assert.Zero(t, first.ID, "the autoflushed object's key is zeroed by the rollback")
	})
}

// ------------------------------------------------- many batches, pipelined

type plItem struct {
	ID   int64  `orm:"pk"`
	Code string `orm:"type:varchar(10);unique"`
	N    int
}

func (plItem) TableName() string { return "bulk_pl_items" }

// TestFlushManyBatches: a flush of 2,345 new objects inserts them in
// batches of 1,000 (on PostgreSQL the two full ones through a pipeline,
// see core.Pipeliner) and every object gets the key of its own row; a
// unique violation in the second batch (the pipeline's last) fails the
// flush, keeps no row of it and zeroes the keys it handed out.
func TestFlushManyBatches(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, &plItem{})
		tbl := table(t, reg, &plItem{})
		const n = 2345
		items := func(prefix string) []*plItem {
			out := make([]*plItem, n)
			for i := range out {
				out[i] = &plItem{Code: fmt.Sprintf("%s%05d", prefix, i), N: i}
			}
			return out
		}
		s := orm.NewSession(reg, e)
		defer s.Close()
		objs := items("a")
		for _, o := range objs {
			require.NoError(t, s.Add(o))
		}
		require.NoError(t, s.Commit(bg))
		if b.Name == testdb.Postgres {
			assert.Equal(t, 3, kinds(rec.Take())["INSERT"], "two full batches and the rest")
		}
		db := rows(t, e, tbl, "code", "n")
		require.Len(t, db, n)
		for _, o := range objs {
			assert.Equal(t, []any{o.Code, int64(o.N)}, db[o.ID], "row of %s at its key", o.Code)
		}

		// the second batch repeats a code
		objs = items("b")
		objs[1500].Code = "a00007"
		for _, o := range objs {
			require.NoError(t, s.Add(o))
		}
		err := s.Commit(bg)
		require.Error(t, err)
		assert.ErrorIs(t, err, core.ErrIntegrity)
		require.NoError(t, s.Rollback(bg))
		for i, o := range objs {
			require.Zero(t, o.ID, "object %d", i)
		}
		assert.Len(t, rows(t, e, tbl, "code"), n, "no row of the failed flush")

		// the session goes on: the same objects, mended, insert
		objs[1500].Code = "b01500"
		for _, o := range objs {
			require.NoError(t, s.Add(o))
		}
		require.NoError(t, s.Commit(bg))
		db = rows(t, e, tbl, "code", "n")
		require.Len(t, db, 2*n)
		for _, o := range objs {
			assert.Equal(t, []any{o.Code, int64(o.N)}, db[o.ID], "row of %s at its key", o.Code)
		}
	})
}
