package orm_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	_ "github.com/retort-orm/retort/dialect/sqlite"
	"github.com/retort-orm/retort/orm"
	"github.com/retort-orm/retort/registry"
)

type bulkItem struct {
	ID      int64  `orm:"pk"`
	Name    string `orm:"type:varchar(30)"`
	Kind    string `orm:"type:varchar(10);server_default:'plain'"`
	Qty     int    `orm:"default:3"`
	Note    *string
	Version int `orm:"version"`
}

func (bulkItem) TableName() string { return "orm_bulk_items" }

// bulkPair has a composite natural key.
type bulkPair struct {
	A int64  `orm:"pk;autoincrement:false"`
	B string `orm:"pk;type:varchar(10)"`
	V int
}

func (bulkPair) TableName() string { return "orm_bulk_pairs" }

type notMapped struct{ ID int64 }

type sqlRec struct {
	mu    sync.Mutex
	stmts []string
}

func (r *sqlRec) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.stmts
	r.stmts = nil
	return s
}

func bulkEnv(t *testing.T) (*core.Engine, *registry.Registry, *sqlRec) {
	t.Helper()
	reg := registry.New()
	reg.MustRegister(&bulkItem{}, &bulkPair{})
	require.NoError(t, reg.Configure())
	e, err := core.CreateEngine("sqlite://")
	require.NoError(t, err)
	t.Cleanup(func() { e.Close() })
	require.NoError(t, e.CreateAll(context.Background(), reg.MetaData(), false))
	r := &sqlRec{}
	e.Events().OnBeforeExecute(func(ctx context.Context, c *core.Connection, stmt *core.Compiled) error {
		r.mu.Lock()
		r.stmts = append(r.stmts, stmt.SQL)
		r.mu.Unlock()
		return nil
	})
	return e, reg, r
}

func column(t *testing.T, reg *registry.Registry, model any, field string) core.Expr {
	t.Helper()
	m, err := reg.Mapper(model)
	require.NoError(t, err)
	c, err := m.Column(field)
	require.NoError(t, err)
	return c
}

func TestBulkInsertShapesAndDefaults(t *testing.T) {
	ctx := context.Background()
	e, reg, rec := bulkEnv(t)
	s := orm.NewSession(reg, e)
	defer s.Close()
	objs := []*bulkItem{
		{Name: "a"},
		{Name: "b", Kind: "special"},
		{Name: "c"},
		{ID: 100, Name: "d"},
		{Name: "e", Kind: "special"},
	}
	require.NoError(t, orm.BulkInsert(ctx, s, objs))
	got := rec.take()
	// three shapes: server default and key left to the database; key left
	// to the database; key given
	require.Len(t, got, 3, "%q", got)
	for _, q := range got {
		assert.True(t, strings.HasPrefix(q, "INSERT INTO orm_bulk_items"), q)
	}
	assert.Contains(t, got[0], "RETURNING")
	assert.Equal(t, "plain", objs[0].Kind, "server default read back")
	assert.Equal(t, "special", objs[1].Kind)
	for _, o := range objs {
		assert.Equal(t, 3, o.Qty, "client default applied")
		assert.Equal(t, 1, o.Version, "first version")
		assert.NotZero(t, o.ID)
		assert.Equal(t, orm.Transient, s.StateOf(o), "not tracked without Track")
	}
	assert.EqualValues(t, 100, objs[3].ID)
	assert.Less(t, objs[0].ID, objs[2].ID, "input order within a shape")
	assert.Equal(t, 0, s.Len())
	// keys matched back: each name is at its id
	for _, o := range objs {
		g, err := orm.Get[bulkItem](ctx, s, o.ID)
		require.NoError(t, err)
		assert.NotSame(t, o, g)
		assert.Equal(t, o.Name, g.Name)
		assert.Equal(t, o.Kind, g.Kind)
	}
	// empty input: nothing
	rec.take()
	require.NoError(t, orm.BulkInsert(ctx, s, []*bulkItem{}))
	require.NoError(t, orm.BulkInsert[bulkItem](ctx, s, nil))
	assert.Empty(t, rec.take())
}

func TestBulkInsertTrackAndRollback(t *testing.T) {
	ctx := context.Background()
	e, reg, rec := bulkEnv(t)
	s := orm.NewSession(reg, e)
	defer s.Close()
	objs := []*bulkItem{{Name: "a"}, {Name: "b"}}
	require.NoError(t, orm.BulkInsert(ctx, s, objs, orm.Track()))
	rec.take()
	for _, o := range objs {
		assert.Equal(t, orm.Persistent, s.StateOf(o))
		assert.False(t, s.IsModified(o))
		g, err := orm.Get[bulkItem](ctx, s, o.ID)
		require.NoError(t, err)
		assert.Same(t, o, g, "the identity map holds the inserted object")
	}
	assert.Empty(t, rec.take(), "Get served from the identity map")
	require.NoError(t, s.Flush(ctx))
	assert.Empty(t, rec.take(), "tracked objects are clean")
	require.NoError(t, s.Rollback(ctx))
	for _, o := range objs {
		assert.Equal(t, orm.Transient, s.StateOf(o))
		assert.Zero(t, o.ID, "the database-made key is zeroed by the rollback")
	}
	n, err := orm.Select[bulkItem](s).Count(ctx)
	require.NoError(t, err)
	assert.Zero(t, n)

	// a conflict with the identity map is found before any SQL
	first := &bulkItem{ID: 7, Name: "x"}
	require.NoError(t, orm.BulkInsert(ctx, s, []*bulkItem{first}, orm.Track()))
	rec.take()
	err = orm.BulkInsert(ctx, s, []*bulkItem{{ID: 7, Name: "y"}}, orm.Track())
	var ire *orm.InvalidRequestError
	require.ErrorAs(t, err, &ire)
	assert.Empty(t, rec.take())
	// an object of the session is not new
	err = orm.BulkInsert(ctx, s, []*bulkItem{first})
	require.ErrorAs(t, err, &ire)
	assert.Contains(t, err.Error(), "already persistent")
}

func TestBulkInsertFailureRollsBack(t *testing.T) {
	ctx := context.Background()
	e, reg, _ := bulkEnv(t)
	s := orm.NewSession(reg, e)
	defer s.Close()
	kept := &bulkItem{Name: "kept"}
	require.NoError(t, s.Add(kept))
	require.NoError(t, s.Flush(ctx))
	objs := []*bulkItem{{Name: "a"}, {ID: kept.ID, Name: "dup"}}
	err := orm.BulkInsert(ctx, s, objs)
	var be *orm.BulkError
	require.ErrorAs(t, err, &be)
	assert.Equal(t, "bulk insert", be.Op)
	assert.Contains(t, err.Error(), "rolled back")
	assert.ErrorIs(t, err, core.ErrIntegrity)
	assert.Zero(t, objs[0].ID, "a key made in the failed transaction is zeroed")
	var pre *orm.PendingRollbackError
	require.ErrorAs(t, s.Flush(ctx), &pre)
	require.NoError(t, s.Rollback(ctx))
	assert.Equal(t, orm.Transient, s.StateOf(kept))

	// inside a SAVEPOINT only the SAVEPOINT rolls back
	require.NoError(t, s.Add(kept))
	kept.ID = 0
	require.NoError(t, s.Flush(ctx))
	sp, err := s.BeginNested(ctx)
	require.NoError(t, err)
	err = orm.BulkInsert(ctx, s, []*bulkItem{{ID: kept.ID, Name: "dup"}})
	require.ErrorAs(t, err, &be)
	assert.True(t, be.Savepoint)
	assert.False(t, sp.IsActive())
	require.NoError(t, s.Commit(ctx))
	n, err := orm.Select[bulkItem](s).Count(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 1, n)
}

func TestBulkBadInput(t *testing.T) {
	ctx := context.Background()
	e, reg, rec := bulkEnv(t)
	s := orm.NewSession(reg, e)
	defer s.Close()
	var ire *orm.InvalidRequestError

	err := orm.BulkInsert(ctx, s, []*bulkItem{{Name: "a"}, nil})
	require.ErrorAs(t, err, &ire)
	assert.Contains(t, err.Error(), "object 1 of 2 is nil")

	same := &bulkItem{Name: "a"}
	err = orm.BulkInsert(ctx, s, []*bulkItem{same, same})
	require.ErrorAs(t, err, &ire)
	assert.Contains(t, err.Error(), "same object")

	err = orm.BulkInsert(ctx, s, []*notMapped{{ID: 1}})
	require.ErrorIs(t, err, orm.ErrUnmapped)
	_, err = orm.UpdateWhere[notMapped](s).Set("ID", 1).Execute(ctx)
	require.ErrorIs(t, err, orm.ErrUnmapped)
	_, err = orm.DeleteWhere[notMapped](s).Execute(ctx)
	require.ErrorIs(t, err, orm.ErrUnmapped)
	require.ErrorIs(t, orm.BulkUpdate(ctx, s, []*notMapped{{ID: 1}}), orm.ErrUnmapped)

	err = orm.BulkUpdate(ctx, s, []*bulkItem{{ID: 1, Name: "x"}}, "Name", "Colour")
	require.ErrorAs(t, err, &ire)
	assert.Contains(t, err.Error(), "bulkItem")
	assert.Contains(t, err.Error(), `"Colour"`)
	err = orm.BulkUpdate(ctx, s, []*bulkItem{{ID: 1}}, "ID")
	require.ErrorAs(t, err, &ire)
	assert.Contains(t, err.Error(), "primary key")
	err = orm.BulkUpdate(ctx, s, []*bulkItem{{ID: 1}}, "Version")
	require.ErrorAs(t, err, &ire)
	err = orm.BulkUpdate(ctx, s, []*bulkItem{nil}, "Name")
	require.ErrorAs(t, err, &ire)

	_, err = orm.UpdateWhere[bulkItem](s).Set("Colour", "red").Execute(ctx)
	require.ErrorAs(t, err, &ire)
	assert.Contains(t, err.Error(), `"Colour"`)
	_, err = orm.UpdateWhere[bulkItem](s).Set("Qty", "many").Execute(ctx)
	require.ErrorAs(t, err, &ire)
	_, err = orm.UpdateWhere[bulkItem](s).Set("Name", nil).Execute(ctx)
	require.ErrorAs(t, err, &ire, "NULL for NOT NULL")
	_, err = orm.UpdateWhere[bulkItem](s).Set("Name", "a").Set("Name", "b").Execute(ctx)
	require.ErrorAs(t, err, &ire)
	_, err = orm.UpdateWhere[bulkItem](s).Execute(ctx)
	require.ErrorAs(t, err, &ire, "nothing to set")
	_, err = orm.UpdateWhere[bulkItem](s).Set("ID", column(t, reg, &bulkItem{}, "ID").Add(1)).Execute(ctx)
	require.ErrorAs(t, err, &ire, "an SQL expression key cannot be synchronized")
	_, err = orm.DeleteWhere[bulkItem](s).Synchronize(orm.SyncMode(9)).Execute(ctx)
	require.ErrorAs(t, err, &ire)
	assert.Empty(t, rec.take(), "no SQL for bad input")
	assert.False(t, s.InTransaction())

	require.NoError(t, s.Close())
	require.ErrorIs(t, orm.BulkInsert(ctx, s, []*bulkItem{{Name: "a"}}), orm.ErrSessionClosed)
	_, err = orm.DeleteWhere[bulkItem](s).Execute(ctx)
	require.ErrorIs(t, err, orm.ErrSessionClosed)
}

func TestBulkUpdateSyncAndStale(t *testing.T) {
	ctx := context.Background()
	e, reg, rec := bulkEnv(t)
	s := orm.NewSession(reg, e)
	defer s.Close()
	seed := []*bulkItem{{Name: "a"}, {Name: "b"}, {Name: "c"}}
	require.NoError(t, orm.BulkInsert(ctx, s, seed))
	require.NoError(t, s.Commit(ctx))
	loaded, err := orm.Get[bulkItem](ctx, s, seed[1].ID)
	require.NoError(t, err)
	rec.take()
	// plain copies, changed
	upd := make([]*bulkItem, len(seed))
	for i, o := range seed {
		c := *o
		c.Name = o.Name + "!"
		c.Qty = 99 // not named: not written
		upd[i] = &c
	}
	require.NoError(t, orm.BulkUpdate(ctx, s, upd, "Name"))
	got := rec.take()
	require.NotEmpty(t, got)
	for _, q := range got {
		assert.True(t, strings.HasPrefix(q, "UPDATE orm_bulk_items SET name=?, version=? WHERE"), q)
	}
	for _, o := range upd {
		assert.Equal(t, 2, o.Version, "version advanced")
	}
	assert.Equal(t, "b!", loaded.Name, "the identity map's object gets the value")
	assert.Equal(t, 2, loaded.Version)
	assert.Equal(t, 3, loaded.Qty)
	assert.False(t, s.IsModified(loaded), "and its snapshot: not dirty")
	require.NoError(t, s.Flush(ctx))
	assert.Empty(t, rec.take())

	// a stale version: StaleDataError, rolled back
	stale := *seed[0] // version 1
	stale.Name = "zzz"
	err = orm.BulkUpdate(ctx, s, []*bulkItem{&stale, upd[2]}, "Name")
	var sde *orm.StaleDataError
	require.ErrorAs(t, err, &sde)
	assert.EqualValues(t, 2, sde.Expected)
	assert.EqualValues(t, 1, sde.Matched)
	require.NoError(t, s.Rollback(ctx))
	g, err := orm.Get[bulkItem](ctx, s, seed[0].ID)
	require.NoError(t, err)
	assert.Equal(t, "a", g.Name, "the first UPDATE was rolled back: the BulkUpdate committed nothing")

	// composite key, no version
	pairs := []*bulkPair{{A: 1, B: "x", V: 1}, {A: 1, B: "y", V: 2}}
	require.NoError(t, orm.BulkInsert(ctx, s, pairs, orm.Track()))
	pairs2 := []*bulkPair{{A: 1, B: "x", V: 10}, {A: 1, B: "y", V: 20}}
	require.NoError(t, orm.BulkUpdate(ctx, s, pairs2))
	assert.Equal(t, 10, pairs[0].V)
	assert.Equal(t, 20, pairs[1].V)
	assert.False(t, s.IsModified(pairs[0]))
	require.NoError(t, orm.BulkUpdate(ctx, s, []*bulkPair{}))
}

func TestUpdateWhereSync(t *testing.T) {
	ctx := context.Background()
	e, reg, rec := bulkEnv(t)
	s := orm.NewSession(reg, e)
	defer s.Close()
	objs := []*bulkItem{{Name: "a"}, {Name: "b"}, {Name: "c"}}
	require.NoError(t, orm.BulkInsert(ctx, s, objs, orm.Track()))
	require.NoError(t, s.Commit(ctx))
	all, err := orm.Select[bulkItem](s).All(ctx)
	require.NoError(t, err)
	require.Len(t, all, 3)
	name := column(t, reg, &bulkItem{}, "Name")
	rec.take()

	n, err := orm.UpdateWhere[bulkItem](s).Where(name.In("a", "b")).Set("Note", "noted").Execute(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 2, n)
	got := rec.take()
	require.Len(t, got, 1, "one UPDATE … RETURNING on SQLite: %q", got)
	assert.Contains(t, got[0], "RETURNING")
	require.NotNil(t, objs[0].Note)
	assert.Equal(t, "noted", *objs[0].Note)
	assert.Nil(t, objs[2].Note)
	assert.False(t, s.IsModified(objs[0]))

	qty := column(t, reg, &bulkItem{}, "Qty")
	n, err = orm.UpdateWhere[bulkItem](s).Where(name.Eq("c")).Set("Qty", qty.Add(10)).Execute(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 1, n)
	assert.True(t, s.Inspect(objs[2]).Expired)
	assert.Equal(t, 3, objs[2].Qty, "not loaded until the next load")
	g, err := orm.Get[bulkItem](ctx, s, objs[2].ID)
	require.NoError(t, err)
	assert.Same(t, objs[2], g)
	assert.Equal(t, 13, objs[2].Qty, "refreshed")

	// SyncNone touches nothing
	n, err = orm.UpdateWhere[bulkItem](s).Set("Kind", "x").Synchronize(orm.SyncNone).Execute(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 3, n)
	assert.Equal(t, "plain", objs[0].Kind)

	// a key change re-keys the identity map
	old := objs[1].ID
	_, err = orm.UpdateWhere[bulkItem](s).Where(name.Eq("b")).Set("ID", int64(500)).Execute(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 500, objs[1].ID)
	g, err = orm.Get[bulkItem](ctx, s, int64(500))
	require.NoError(t, err)
	assert.Same(t, objs[1], g)
	_, err = orm.Get[bulkItem](ctx, s, old)
	require.ErrorIs(t, err, core.ErrNoResultFound)
	require.NoError(t, s.Commit(ctx))
}

func TestDeleteWhereSyncAndRollback(t *testing.T) {
	ctx := context.Background()
	e, reg, rec := bulkEnv(t)
	s := orm.NewSession(reg, e)
	defer s.Close()
	objs := []*bulkItem{{Name: "a"}, {Name: "b"}, {Name: "c"}}
	require.NoError(t, orm.BulkInsert(ctx, s, objs, orm.Track()))
	require.NoError(t, s.Commit(ctx))
	_, err := orm.Select[bulkItem](s).All(ctx)
	require.NoError(t, err)
	name := column(t, reg, &bulkItem{}, "Name")
	rec.take()
	n, err := orm.DeleteWhere[bulkItem](s).Where(name.In("a", "c")).Execute(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 2, n)
	require.Len(t, rec.take(), 1)
	assert.Equal(t, orm.Deleted, s.StateOf(objs[0]))
	assert.Equal(t, orm.Persistent, s.StateOf(objs[1]))
	_, err = orm.Get[bulkItem](ctx, s, objs[0].ID)
	require.ErrorIs(t, err, core.ErrNoResultFound)
	require.NoError(t, s.Rollback(ctx))
	assert.Equal(t, orm.Persistent, s.StateOf(objs[0]), "rollback restores the deleted objects")
	g, err := orm.Get[bulkItem](ctx, s, objs[0].ID)
	require.NoError(t, err)
	assert.Same(t, objs[0], g)

	n, err = orm.DeleteWhere[bulkItem](s).Where(name.Eq("a")).Execute(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 1, n)
	require.NoError(t, s.Commit(ctx))
	assert.False(t, s.Contains(objs[0]), "commit detaches the deleted objects")

	// SyncNone leaves the object persistent (stale)
	_, err = orm.Get[bulkItem](ctx, s, objs[1].ID)
	require.NoError(t, err)
	n, err = orm.DeleteWhere[bulkItem](s).Synchronize(orm.SyncNone).Execute(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 2, n)
	assert.Equal(t, orm.Persistent, s.StateOf(objs[1]))

	// a bad statement rolls back
	_, err = orm.DeleteWhere[bulkItem](s).Where(core.Literal(1).Op("@@@", 2)).Execute(ctx)
	var be *orm.BulkError
	require.ErrorAs(t, err, &be)
	assert.Equal(t, "delete", be.Op)
	require.True(t, errors.As(s.Flush(ctx), new(*orm.PendingRollbackError)))
	require.NoError(t, s.Rollback(ctx))
}
