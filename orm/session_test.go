package orm_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/declarative"
	_ "github.com/retort-orm/retort/dialect/sqlite"
	"github.com/retort-orm/retort/events"
	"github.com/retort-orm/retort/orm"
	"github.com/retort-orm/retort/registry"
)

// Person exercises change tracking: client defaults, onupdate, a version
// counter and fields the snapshot must copy deeply.
type Person struct {
	ID      int64  `orm:"pk"`
	Name    string `orm:"type:varchar(30)"`
	Nick    *string
	Score   int            `orm:"default:5"`
	Token   string         `orm:"default_func:token"`
	Edits   int            `orm:"onupdate_func:tick"`
	Blob    []byte         `orm:"server_default:x''"`
	Meta    map[string]any `orm:"mutable;server_default:'{}'"`
	Version int            `orm:"version"`
}

func (Person) TableName() string { return "people" }

// Doc has a version made by a generator (version_func).
type Doc struct {
	ID    int64 `orm:"pk"`
	Title string
	Rev   string `orm:"version_func:rev"`
}

func (Doc) TableName() string { return "docs" }

// Animal and Dog: single-table inheritance, for event propagation.
type Animal struct {
	ID   int64  `orm:"pk"`
	Name string `orm:"type:varchar(30)"`
	Kind string `orm:"type:varchar(10);polymorphic_on"`
}

func (Animal) TableName() string { return "animals" }
func (Animal) MapperArgs() declarative.MapperArgs {
	return declarative.MapperArgs{PolymorphicIdentity: "animal"}
}

type Dog struct {
	Animal `orm:"inherits;kind:single;polymorphic_identity:dog"`
	Barks  *int
}

// Note has a natural (program-set) key.
type Note struct {
	Code string `orm:"pk;type:varchar(10)"`
	Body string
}

func (Note) TableName() string { return "notes" }

// Strict has a NOT NULL column a nil pointer cannot fill.
type Strict struct {
	ID   int64   `orm:"pk"`
	Need *string `orm:"notnull"`
}

type env struct {
	ctx   context.Context
	reg   *registry.Registry
	e     *core.Engine
	stmts []string
	ticks atomic.Int64
	revs  atomic.Int64
}

func newEnv(t *testing.T) *env {
	t.Helper()
	v := &env{ctx: context.Background()}
	v.reg = registry.New(
		registry.WithFunc("token", func() any { return "tok" }),
		registry.WithFunc("tick", func() any { return int(v.ticks.Add(1)) }),
		registry.WithFunc("rev", func() any { return fmt.Sprintf("r%d", v.revs.Add(1)) }),
	)
	require.NoError(t, v.reg.Register(&Person{}, &Doc{}, &Animal{}, &Dog{}, &Note{}, &Strict{}))
	require.NoError(t, v.reg.Configure())
	e, err := core.CreateEngine("sqlite://")
	require.NoError(t, err)
	t.Cleanup(func() { e.Close() })
	v.e = e
	require.NoError(t, e.CreateAll(v.ctx, v.reg.MetaData(), false))
	e.Events().OnBeforeExecute(func(ctx context.Context, c *core.Connection, stmt *core.Compiled) error {
		v.stmts = append(v.stmts, stmt.SQL)
		return nil
	})
	return v
}

func (v *env) session(t *testing.T, opts ...orm.Option) *orm.Session {
	s := orm.NewSession(v.reg, v.e, opts...)
	t.Cleanup(func() { s.Close() })
	return s
}

// count runs fn and returns the statements it emitted, BEGIN/COMMIT aside.
func (v *env) record(fn func()) []string {
	v.stmts = nil
	fn()
	out := append([]string(nil), v.stmts...)
	v.stmts = nil
	return out
}

func (v *env) table(t *testing.T, model any) *core.Table {
	m, err := v.reg.Mapper(model)
	require.NoError(t, err)
	return m.Table()
}

// dbName reads a person's name with Core on a fresh connection.
func (v *env) dbName(t *testing.T, id int64) (string, bool) {
	t.Helper()
	c, err := v.e.Connect(v.ctx)
	require.NoError(t, err)
	defer c.Close()
	tb := v.table(t, &Person{})
	res, err := c.Execute(v.ctx, core.Select(tb.C("name")).Where(tb.C("id").Eq(id)))
	require.NoError(t, err)
	name, err := core.ScalarOne[string](res)
	if errors.Is(err, core.ErrNoResultFound) {
		return "", false
	}
	require.NoError(t, err)
	return name, true
}

func (v *env) countPeople(t *testing.T) int64 {
	t.Helper()
	c, err := v.e.Connect(v.ctx)
	require.NoError(t, err)
	defer c.Close()
	res, err := c.Execute(v.ctx, core.Select(core.Count()).From(v.table(t, &Person{})))
	require.NoError(t, err)
	n, err := core.ScalarOne[int64](res)
	require.NoError(t, err)
	return n
}

// seed commits one person and returns its id.
func (v *env) seed(t *testing.T, name string) int64 {
	t.Helper()
	s := orm.NewSession(v.reg, v.e)
	defer s.Close()
	p := &Person{Name: name, Blob: []byte("abc"), Meta: map[string]any{"k": "v", "n": []any{1.0, 2.0}}}
	require.NoError(t, s.Add(p))
	require.NoError(t, s.Commit(v.ctx))
	return p.ID
}

func strp(s string) *string { return &s }

func TestClientDefaultsOnInsert(t *testing.T) {
	v := newEnv(t)
	s := v.session(t)
	a := &Person{Name: "a"}
	b := &Person{Name: "b", Score: 7, Token: "mine"}
	require.NoError(t, s.AddAll(a, b))
	require.NoError(t, s.Flush(v.ctx))
	assert.Equal(t, 5, a.Score, "default:5 fills a zero field")
	assert.Equal(t, "tok", a.Token, "default_func fills a zero field")
	assert.Equal(t, 7, b.Score, "a value set by the program is kept")
	assert.Equal(t, "mine", b.Token)
	assert.Equal(t, 0, a.Edits, "onupdate does not run on INSERT")
	assert.Equal(t, 1, a.Version, "a version counter starts at 1")
	assert.NotZero(t, a.ID)
	assert.NotEqual(t, a.ID, b.ID)
	assert.Empty(t, s.Dirty(), "the defaults the flush set are in the snapshot")
}

func TestOnUpdateAndVersionCounter(t *testing.T) {
	v := newEnv(t)
	s := v.session(t)
	p := &Person{Name: "a"}
	require.NoError(t, s.Add(p))
	require.NoError(t, s.Flush(v.ctx))
	p.Name = "b"
	stmts := v.record(func() { require.NoError(t, s.Flush(v.ctx)) })
	require.Len(t, stmts, 1)
	assert.Contains(t, stmts[0], "UPDATE people SET")
	assert.Contains(t, stmts[0], "version")
	assert.Equal(t, 2, p.Version)
	assert.Equal(t, int(v.ticks.Load()), p.Edits, "onupdate_func ran")
	first := p.Edits
	assert.NotZero(t, first)

	// a value set by hand wins over onupdate
	p.Name, p.Edits = "c", 100
	require.NoError(t, s.Flush(v.ctx))
	assert.Equal(t, 100, p.Edits)
	assert.Equal(t, 3, p.Version)

	// the row agrees
	require.NoError(t, s.Commit(v.ctx))
	s2 := v.session(t)
	got, err := orm.Get[Person](v.ctx, s2, p.ID)
	require.NoError(t, err)
	assert.Equal(t, 3, got.Version)
	assert.Equal(t, 100, got.Edits)
	assert.Equal(t, "c", got.Name)
}

func TestVersionStaleUpdateAndDelete(t *testing.T) {
	v := newEnv(t)
	id := v.seed(t, "a")
	s := v.session(t)
	p, err := orm.Get[Person](v.ctx, s, id)
	require.NoError(t, err)
	// someone else bumps the version
	_, err = s.Execute(v.ctx, core.Update(v.table(t, &Person{})).Values(map[string]any{"version": 9}).Where(v.table(t, &Person{}).C("id").Eq(id)))
	require.NoError(t, err)
	p.Name = "mine"
	err = s.Flush(v.ctx)
	var stale *orm.StaleDataError
	require.ErrorAs(t, err, &stale)
	assert.Equal(t, "UPDATE", stale.Op)
	assert.True(t, stale.Versions)
	assert.EqualValues(t, 1, stale.Expected)
	assert.EqualValues(t, 0, stale.Matched)
	var fe *orm.FlushError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "update", fe.Phase)
	assert.Equal(t, "people", fe.Table)
	assert.Equal(t, 1, p.Version, "a failed flush does not advance the version")
	require.NoError(t, s.Rollback(v.ctx))

	// DELETE checks the version too
	s2 := v.session(t)
	q, err := orm.Get[Person](v.ctx, s2, id)
	require.NoError(t, err)
	_, err = s2.Execute(v.ctx, core.Update(v.table(t, &Person{})).Values(map[string]any{"version": 10}).Where(v.table(t, &Person{}).C("id").Eq(id)))
	require.NoError(t, err)
	require.NoError(t, s2.Delete(q))
	err = s2.Flush(v.ctx)
	require.ErrorAs(t, err, &stale)
	assert.Equal(t, "DELETE", stale.Op)
}

func TestVersionFuncGenerator(t *testing.T) {
	v := newEnv(t)
	s := v.session(t)
	d := &Doc{Title: "t"}
	require.NoError(t, s.Add(d))
	require.NoError(t, s.Flush(v.ctx))
	assert.Equal(t, "r1", d.Rev)
	d.Title = "t2"
	require.NoError(t, s.Flush(v.ctx))
	assert.Equal(t, "r2", d.Rev)
	require.NoError(t, s.Commit(v.ctx))

	// a stale generated version is detected like a counter
	s2 := v.session(t)
	d2, err := orm.Get[Doc](v.ctx, s2, d.ID)
	require.NoError(t, err)
	assert.Equal(t, "r2", d2.Rev)
	tb := v.table(t, &Doc{})
	_, err = s2.Execute(v.ctx, core.Update(tb).Values(map[string]any{"rev": "elsewhere"}).Where(tb.C("id").Eq(d.ID)))
	require.NoError(t, err)
	d2.Title = "t3"
	var stale *orm.StaleDataError
	require.ErrorAs(t, s2.Flush(v.ctx), &stale)
	assert.True(t, stale.Versions)
}

func TestPointerFieldChanges(t *testing.T) {
	v := newEnv(t)
	s := v.session(t)
	p := &Person{Name: "a", Nick: strp("n1")}
	require.NoError(t, s.Add(p))
	require.NoError(t, s.Flush(v.ctx))
	assert.False(t, s.IsModified(p))

	// replacing the pointer with an equal value is no change
	p.Nick = strp("n1")
	assert.False(t, s.IsModified(p))

	// replacing the pointer
	p.Nick = strp("n2")
	assert.Equal(t, []string{"Nick"}, s.Inspect(p).Modified)
	require.NoError(t, s.Flush(v.ctx))
	assert.False(t, s.IsModified(p))

	// changing *p in place: the snapshot holds its own copy
	*p.Nick = "n3"
	assert.Equal(t, []string{"Nick"}, s.Inspect(p).Modified)
	stmts := v.record(func() { require.NoError(t, s.Flush(v.ctx)) })
	require.Len(t, stmts, 1)
	assert.Contains(t, stmts[0], "nick")

	// to nil
	p.Nick = nil
	assert.Equal(t, []string{"Nick"}, s.Inspect(p).Modified)
	require.NoError(t, s.Commit(v.ctx))

	s2 := v.session(t)
	got, err := orm.Get[Person](v.ctx, s2, p.ID)
	require.NoError(t, err)
	assert.Nil(t, got.Nick)
}

func TestBytesInPlaceChange(t *testing.T) {
	v := newEnv(t)
	id := v.seed(t, "a")
	s := v.session(t)
	p, err := orm.Get[Person](v.ctx, s, id)
	require.NoError(t, err)
	require.Equal(t, []byte("abc"), p.Blob)
	p.Blob[0] = 'X'
	assert.Equal(t, []string{"Blob"}, s.Inspect(p).Modified)
	require.NoError(t, s.Commit(v.ctx))

	s2 := v.session(t)
	got, err := orm.Get[Person](v.ctx, s2, id)
	require.NoError(t, err)
	assert.Equal(t, []byte("Xbc"), got.Blob)
}

func TestMutableJSONInPlaceChange(t *testing.T) {
	v := newEnv(t)
	id := v.seed(t, "a")
	s := v.session(t)
	p, err := orm.Get[Person](v.ctx, s, id)
	require.NoError(t, err)
	require.Equal(t, "v", p.Meta["k"])
	assert.False(t, s.IsModified(p))

	p.Meta["k"] = "v2"
	assert.Equal(t, []string{"Meta"}, s.Inspect(p).Modified)
	require.NoError(t, s.Flush(v.ctx))
	assert.False(t, s.IsModified(p))

	// nested values too
	p.Meta["n"].([]any)[0] = 5.0
	assert.Equal(t, []string{"Meta"}, s.Inspect(p).Modified)
	require.NoError(t, s.Commit(v.ctx))

	s2 := v.session(t)
	got, err := orm.Get[Person](v.ctx, s2, id)
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"k": "v2", "n": []any{5.0, 2.0}}, got.Meta)
}

func TestExpireThenSelectKeepsModifiedField(t *testing.T) {
	v := newEnv(t)
	id := v.seed(t, "a")
	s := v.session(t)
	p, err := orm.Get[Person](v.ctx, s, id)
	require.NoError(t, err)
	tb := v.table(t, &Person{})
	_, err = s.Execute(v.ctx, core.Update(tb).Values(map[string]any{"name": "db", "score": 9}).Where(tb.C("id").Eq(id)))
	require.NoError(t, err)
	assert.Equal(t, "a", p.Name, "an UPDATE through Core does not reach the object")

	p.Score = 100 // a change of our own
	require.NoError(t, s.Expire(p))
	assert.True(t, s.Inspect(p).Expired)

	// without autoflush (which would write Score first)
	var all []*Person
	require.NoError(t, s.NoAutoflush(func() (err error) {
		all, err = orm.Select[Person](s).All(v.ctx)
		return err
	}))
	require.Len(t, all, 1)
	assert.Same(t, p, all[0])
	assert.Equal(t, "db", p.Name, "the unmodified field is refreshed")
	assert.Equal(t, 100, p.Score, "the modified field is kept")
	assert.False(t, s.Inspect(p).Expired)
	assert.Equal(t, []string{"Score"}, s.Inspect(p).Modified, "the kept change is still a change")
	require.NoError(t, s.Commit(v.ctx))
	name, _ := v.dbName(t, id)
	assert.Equal(t, "db", name)
}

func TestSelectWithoutExpireKeepsObject(t *testing.T) {
	v := newEnv(t)
	id := v.seed(t, "a")
	s := v.session(t, orm.WithAutoflush(false))
	p, err := orm.Get[Person](v.ctx, s, id)
	require.NoError(t, err)
	tb := v.table(t, &Person{})
	_, err = s.Execute(v.ctx, core.Update(tb).Values(map[string]any{"name": "db"}).Where(tb.C("id").Eq(id)))
	require.NoError(t, err)
	p.Score = 100
	got, err := orm.Select[Person](s).One(v.ctx)
	require.NoError(t, err)
	assert.Same(t, p, got)
	assert.Equal(t, "a", p.Name, "the identity map wins over the row")
	assert.Equal(t, 100, p.Score)

	// populate_existing overwrites everything
	got, err = orm.Select[Person](s).PopulateExisting().One(v.ctx)
	require.NoError(t, err)
	assert.Same(t, p, got)
	assert.Equal(t, "db", p.Name)
	assert.Equal(t, 5, p.Score)
	assert.False(t, s.IsModified(p))
}

func TestRefreshOverwrites(t *testing.T) {
	v := newEnv(t)
	id := v.seed(t, "a")
	s := v.session(t)
	p, err := orm.Get[Person](v.ctx, s, id)
	require.NoError(t, err)
	p.Name = "local"
	*p.Nick2() = "x"
	require.NoError(t, s.Refresh(v.ctx, p))
	assert.Equal(t, "a", p.Name)
	assert.Nil(t, p.Nick)
	assert.Empty(t, s.Inspect(p).Modified)
	assert.Empty(t, s.Dirty())

	// a row that is gone
	tb := v.table(t, &Person{})
	_, err = s.Execute(v.ctx, core.Delete(tb).Where(tb.C("id").Eq(id)))
	require.NoError(t, err)
	assert.ErrorIs(t, s.Refresh(v.ctx, p), core.ErrNoResultFound)

	// a pending object cannot be refreshed
	n := &Person{Name: "n"}
	require.NoError(t, s.Add(n))
	var ire *orm.InvalidRequestError
	assert.ErrorAs(t, s.Refresh(v.ctx, n), &ire)
}

// Nick2 gives a settable *string for the in-place refresh case.
func (p *Person) Nick2() *string {
	if p.Nick == nil {
		p.Nick = new(string)
	}
	return p.Nick
}

func TestExpireOnCommit(t *testing.T) {
	v := newEnv(t)
	s := v.session(t)
	p := &Person{Name: "a"}
	require.NoError(t, s.Add(p))
	require.NoError(t, s.Commit(v.ctx))
	assert.True(t, s.Inspect(p).Expired, "expire_on_commit is on by default")
	assert.Equal(t, orm.Persistent, s.StateOf(p))

	// the next Get of an expired object SELECTs, and returns the same pointer
	stmts := v.record(func() {
		got, err := orm.Get[Person](v.ctx, s, p.ID)
		require.NoError(t, err)
		assert.Same(t, p, got)
	})
	assert.Len(t, filterSQL(stmts, "SELECT"), 1)
	assert.False(t, s.Inspect(p).Expired)
	// and then it is in the identity map: no SQL
	stmts = v.record(func() {
		_, err := orm.Get[Person](v.ctx, s, p.ID)
		require.NoError(t, err)
	})
	assert.Empty(t, stmts)
	require.NoError(t, s.Commit(v.ctx)) // release the in-memory database's one connection

	s2 := v.session(t, orm.WithExpireOnCommit(false))
	q := &Person{Name: "b"}
	require.NoError(t, s2.Add(q))
	require.NoError(t, s2.Commit(v.ctx))
	assert.False(t, s2.Inspect(q).Expired)
	stmts = v.record(func() {
		got, err := orm.Get[Person](v.ctx, s2, q.ID)
		require.NoError(t, err)
		assert.Same(t, q, got)
	})
	assert.Empty(t, stmts, "without expire_on_commit, Get after Commit is served by the identity map")

	// ExpireAll
	require.NoError(t, s2.ExpireAll())
	assert.True(t, s2.Inspect(q).Expired)
}

func filterSQL(stmts []string, prefix string) []string {
	var out []string
	for _, s := range stmts {
		if strings.HasPrefix(strings.TrimSpace(s), prefix) {
			out = append(out, s)
		}
	}
	return out
}

func TestMerge(t *testing.T) {
	v := newEnv(t)
	id := v.seed(t, "a")

	t.Run("onto the identity map object", func(t *testing.T) {
		s := v.session(t)
		p, err := orm.Get[Person](v.ctx, s, id)
		require.NoError(t, err)
		c := *p
		c.Name = "merged"
		var m *Person
		stmts := v.record(func() {
			m, err = orm.Merge(v.ctx, s, &c)
			require.NoError(t, err)
		})
		assert.Empty(t, stmts, "the instance in the identity map needs no SQL")
		assert.Same(t, p, m)
		assert.Equal(t, "merged", p.Name)
		assert.False(t, s.Contains(&c))
		assert.Equal(t, []any{p}, s.Dirty())
	})

	t.Run("loading by primary key", func(t *testing.T) {
		s := v.session(t)
		arg := &Person{ID: id, Name: "loaded-then-merged", Score: 5, Token: "tok", Blob: []byte("abc"), Meta: map[string]any{}, Version: 1}
		m, err := orm.Merge(v.ctx, s, arg)
		require.NoError(t, err)
		assert.NotSame(t, arg, m)
		assert.Equal(t, orm.Persistent, s.StateOf(m))
		assert.Equal(t, orm.Transient, s.StateOf(arg))
		assert.Equal(t, "loaded-then-merged", m.Name)
		assert.Equal(t, []string{"Name", "Meta"}, s.Inspect(m).Modified)
		require.NoError(t, s.Commit(v.ctx))
		name, _ := v.dbName(t, id)
		assert.Equal(t, "loaded-then-merged", name)
	})

	t.Run("a new pending copy", func(t *testing.T) {
		s := v.session(t)
		arg := &Person{Name: "fresh"}
		m, err := orm.Merge(v.ctx, s, arg)
		require.NoError(t, err)
		assert.NotSame(t, arg, m)
		assert.Equal(t, orm.Pending, s.StateOf(m))
		assert.Equal(t, orm.Transient, s.StateOf(arg))
		assert.Equal(t, "fresh", m.Name)

		// a key with no row is also a new pending copy
		arg2 := &Person{ID: 999, Name: "keyed"}
		m2, err := orm.Merge(v.ctx, s, arg2)
		require.NoError(t, err)
		assert.Equal(t, orm.Pending, s.StateOf(m2))
		require.NoError(t, s.Commit(v.ctx))
		assert.NotZero(t, m.ID)
		assert.Zero(t, arg.ID, "the argument is never written to")
		name, ok := v.dbName(t, 999)
		assert.True(t, ok)
		assert.Equal(t, "keyed", name)
	})

	t.Run("a tracked object is returned unchanged", func(t *testing.T) {
		s := v.session(t)
		p, err := orm.Get[Person](v.ctx, s, id)
		require.NoError(t, err)
		m, err := orm.Merge(v.ctx, s, p)
		require.NoError(t, err)
		assert.Same(t, p, m)
	})
}

func TestAutoflush(t *testing.T) {
	v := newEnv(t)

	t.Run("before Select", func(t *testing.T) {
		s := v.session(t)
		require.NoError(t, s.Add(&Note{Code: "a", Body: "x"}))
		n, err := orm.Select[Note](s).Count(v.ctx)
		require.NoError(t, err)
		assert.EqualValues(t, 1, n)
		assert.Empty(t, s.New())
	})

	t.Run("before Get", func(t *testing.T) {
		s := v.session(t)
		n := &Note{Code: "b", Body: "x"}
		require.NoError(t, s.Add(n))
		got, err := orm.Get[Note](v.ctx, s, "b")
		require.NoError(t, err)
		assert.Same(t, n, got)
		assert.Equal(t, orm.Persistent, s.StateOf(n))
	})

	t.Run("WithAutoflush(false)", func(t *testing.T) {
		s := v.session(t, orm.WithAutoflush(false))
		n := &Note{Code: "c", Body: "x"}
		require.NoError(t, s.Add(n))
		cnt, err := orm.Select[Note](s).Where(v.table(t, &Note{}).C("code").Eq("c")).Count(v.ctx)
		require.NoError(t, err)
		assert.EqualValues(t, 0, cnt)
		_, err = orm.Get[Note](v.ctx, s, "c")
		assert.ErrorIs(t, err, core.ErrNoResultFound)
		assert.Equal(t, orm.Pending, s.StateOf(n))
		require.NoError(t, s.Flush(v.ctx))
		got, err := orm.Get[Note](v.ctx, s, "c")
		require.NoError(t, err)
		assert.Same(t, n, got)
	})

	t.Run("NoAutoflush", func(t *testing.T) {
		s := v.session(t)
		n := &Note{Code: "d", Body: "x"}
		require.NoError(t, s.Add(n))
		require.NoError(t, s.NoAutoflush(func() error {
			_, err := orm.Get[Note](v.ctx, s, "d")
			assert.ErrorIs(t, err, core.ErrNoResultFound)
			all, err := orm.Select[Note](s).Where(v.table(t, &Note{}).C("code").Eq("d")).All(v.ctx)
			assert.Empty(t, all)
			return err
		}))
		assert.Equal(t, orm.Pending, s.StateOf(n))
		// back on afterwards
		_, err := orm.Get[Note](v.ctx, s, "d")
		require.NoError(t, err)
		assert.Equal(t, orm.Persistent, s.StateOf(n))
	})
}

func TestTransactionHelper(t *testing.T) {
	v := newEnv(t)
	s := v.session(t)

	var id int64
	require.NoError(t, s.Transaction(v.ctx, func(s *orm.Session) error {
		p := &Person{Name: "committed"}
		if err := s.Add(p); err != nil {
			return err
		}
		if err := s.Flush(v.ctx); err != nil {
			return err
		}
		id = p.ID
		return nil
	}))
	assert.False(t, s.InTransaction())
	_, ok := v.dbName(t, id)
	assert.True(t, ok)

	boom := errors.New("boom")
	var rolled *Person
	err := s.Transaction(v.ctx, func(s *orm.Session) error {
		rolled = &Person{Name: "rolled back"}
		if err := s.Add(rolled); err != nil {
			return err
		}
		if err := s.Flush(v.ctx); err != nil {
			return err
		}
		return boom
	})
	assert.ErrorIs(t, err, boom)
	assert.Equal(t, orm.Transient, s.StateOf(rolled))
	assert.Zero(t, rolled.ID, "a key the database made is zeroed by the rollback")
	assert.EqualValues(t, 1, v.countPeople(t))

	assert.PanicsWithValue(t, "kaboom", func() {
		_ = s.Transaction(v.ctx, func(s *orm.Session) error {
			p := &Person{Name: "panicked"}
			_ = s.Add(p)
			_ = s.Flush(v.ctx)
			panic("kaboom")
		})
	})
	assert.False(t, s.InTransaction())
	assert.EqualValues(t, 1, v.countPeople(t))
	assert.Empty(t, s.New())
}

func TestBeginNestedRestores(t *testing.T) {
	v := newEnv(t)
	id := v.seed(t, "a")
	s := v.session(t)
	p, err := orm.Get[Person](v.ctx, s, id)
	require.NoError(t, err)
	sp, err := s.BeginNested(v.ctx)
	require.NoError(t, err)
	p.Name = "inside"
	*p.Nick2() = "nick"
	p.Meta["k"] = "changed"
	n := &Person{Name: "new"}
	require.NoError(t, s.Add(n))
	require.NoError(t, s.Flush(v.ctx))
	require.NotZero(t, n.ID)
	require.NoError(t, sp.Rollback(v.ctx))
	assert.False(t, sp.IsActive())
	assert.Equal(t, "a", p.Name)
	assert.Nil(t, p.Nick)
	assert.Equal(t, "v", p.Meta["k"])
	assert.Equal(t, 1, p.Version)
	assert.Equal(t, orm.Transient, s.StateOf(n))
	assert.Zero(t, n.ID)
	assert.False(t, s.IsModified(p))
	require.NoError(t, s.Commit(v.ctx))
	assert.EqualValues(t, 1, v.countPeople(t))
	name, _ := v.dbName(t, id)
	assert.Equal(t, "a", name)

	// Nested: released on nil, rolled back on error
	s2 := v.session(t)
	q, err := orm.Get[Person](v.ctx, s2, id)
	require.NoError(t, err)
	require.NoError(t, s2.Nested(v.ctx, func() error { q.Name = "kept"; return nil }))
	boom := errors.New("boom")
	assert.ErrorIs(t, s2.Nested(v.ctx, func() error { q.Name = "lost"; return boom }), boom)
	assert.Equal(t, "kept", q.Name)
	require.NoError(t, s2.Commit(v.ctx))
	name, _ = v.dbName(t, id)
	assert.Equal(t, "kept", name)
}

// ---------------------------------------------------------------- events

func TestInstanceEvents(t *testing.T) {
	v := newEnv(t)
	id := v.seed(t, "a")
	var log []string
	rec := func(name string) orm.InstanceHook[Person] {
		return func(ctx context.Context, s *orm.Session, p *Person) error {
			log = append(log, name+":"+p.Name)
			return nil
		}
	}
	removes := []func(){
		orm.OnInit(rec("init")),
		orm.OnLoad(rec("load")),
		orm.OnRefresh(rec("refresh")),
		orm.OnExpire(rec("expire")),
	}
	s := v.session(t)
	require.NoError(t, s.Add(&Person{Name: "n"}))
	p, err := orm.Get[Person](v.ctx, s, id)
	require.NoError(t, err)
	require.NoError(t, s.Expire(p))
	_, err = orm.Get[Person](v.ctx, s, id) // the load of an expired object refreshes it
	require.NoError(t, err)
	require.NoError(t, s.Refresh(v.ctx, p))
	assert.Equal(t, []string{"init:n", "load:a", "expire:a", "refresh:a", "refresh:a"}, log)

	for _, rm := range removes {
		rm()
		rm() // twice is harmless
	}
	log = nil
	require.NoError(t, s.Add(&Person{Name: "m"}))
	require.NoError(t, s.Expire(p))
	require.NoError(t, s.Refresh(v.ctx, p))
	require.NoError(t, s.Rollback(v.ctx))
	s2 := v.session(t)
	_, err = orm.Get[Person](v.ctx, s2, id)
	require.NoError(t, err)
	assert.Empty(t, log, "removed listeners do not run")
}

func TestInitListenerErrorRejectsAdd(t *testing.T) {
	v := newEnv(t)
	boom := errors.New("no")
	defer orm.OnInit(func(ctx context.Context, s *orm.Session, n *Note) error { return boom })()
	s := v.session(t)
	n := &Note{Code: "x"}
	assert.ErrorIs(t, s.Add(n), boom)
	assert.False(t, s.Contains(n))
	assert.Empty(t, s.New())
}

func TestMapperEventsOrder(t *testing.T) {
	v := newEnv(t)
	var log []string
	hook := func(name string) orm.MapperHook[Note] {
		return func(ctx context.Context, c *core.Connection, n *Note) error {
			log = append(log, name+":"+n.Code)
			return nil
		}
	}
	for _, rm := range []func(){
		orm.OnBeforeInsert(hook("before_insert")),
		orm.OnAfterInsert(hook("after_insert")),
		orm.OnBeforeUpdate(hook("before_update")),
		orm.OnAfterUpdate(hook("after_update")),
		orm.OnBeforeDelete(hook("before_delete")),
		orm.OnAfterDelete(hook("after_delete")),
	} {
		defer rm()
	}
	s := v.session(t)
	a, b := &Note{Code: "a"}, &Note{Code: "b"}
	require.NoError(t, s.AddAll(a, b))
	require.NoError(t, s.Flush(v.ctx))
	a.Body = "x"
	require.NoError(t, s.Delete(b))
	require.NoError(t, s.Flush(v.ctx))
	assert.Equal(t, []string{
		"before_insert:a", "before_insert:b", "after_insert:a", "after_insert:b",
		"before_update:a", "after_update:a", "before_delete:b", "after_delete:b",
	}, log)
}

func TestBeforeUpdateListenerChangesAreWritten(t *testing.T) {
	v := newEnv(t)
	defer orm.OnBeforeUpdate(func(ctx context.Context, c *core.Connection, n *Note) error {
		n.Body += "!"
		return nil
	})()
	s := v.session(t)
	n := &Note{Code: "a", Body: "x"}
	require.NoError(t, s.Add(n))
	require.NoError(t, s.Flush(v.ctx))
	n.Body = "y"
	require.NoError(t, s.Commit(v.ctx))
	s2 := v.session(t)
	got, err := orm.Get[Note](v.ctx, s2, "a")
	require.NoError(t, err)
	assert.Equal(t, "y!", got.Body)
}

func TestMapperEventPropagatesToSubtype(t *testing.T) {
	v := newEnv(t)
	var own, prop []any
	defer orm.OnBeforeInsert(func(ctx context.Context, c *core.Connection, a *Animal) error {
		own = append(own, a)
		return nil
	})()
	defer orm.OnBeforeInsert(func(ctx context.Context, c *core.Connection, a *Animal) error {
		prop = append(prop, a)
		return nil
	}, events.Propagate())()
	var dogs []*Dog
	defer orm.OnBeforeInsert(func(ctx context.Context, c *core.Connection, d *Dog) error {
		dogs = append(dogs, d)
		return nil
	})()

	s := v.session(t)
	a := &Animal{Name: "generic", Kind: "animal"}
	d := &Dog{Animal: Animal{Name: "rex", Kind: "dog"}}
	require.NoError(t, s.AddAll(a, d))
	require.NoError(t, s.Flush(v.ctx))
	assert.Equal(t, []any{a}, own, "a listener without Propagate runs for its own type only")
	require.Len(t, prop, 2)
	assert.Same(t, a, prop[0])
	assert.Same(t, &d.Animal, prop[1], "a propagating listener gets the subtype's embedded base")
	assert.Equal(t, []*Dog{d}, dogs)
}

func TestListenerErrorAbortsFlush(t *testing.T) {
	v := newEnv(t)
	id := v.seed(t, "a")
	boom := errors.New("listener says no")
	rm := orm.OnAfterInsert(func(ctx context.Context, c *core.Connection, p *Person) error {
		if p.Name == "bad" {
			return boom
		}
		return nil
	})
	defer rm()

	s := v.session(t)
	p, err := orm.Get[Person](v.ctx, s, id)
	require.NoError(t, err)
	p.Name = "changed" // the UPDATE runs before the INSERT in the same flush
	bad := &Person{Name: "bad"}
	require.NoError(t, s.Add(bad))
	err = s.Flush(v.ctx)
	require.ErrorIs(t, err, boom)
	var fe *orm.FlushError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "after_insert", fe.Phase)
	assert.Equal(t, "Person", fe.Type)

	// the transaction was rolled back: neither statement is kept
	assert.False(t, s.InTransaction())
	name, _ := v.dbName(t, id)
	assert.Equal(t, "a", name)
	assert.EqualValues(t, 1, v.countPeople(t))
	// the objects keep their in-memory changes; the database's key is zeroed
	assert.Equal(t, "changed", p.Name)
	assert.Zero(t, bad.ID)
	assert.Equal(t, 1, p.Version)

	// until Rollback, every call says why
	var pre *orm.PendingRollbackError
	assert.ErrorAs(t, s.Flush(v.ctx), &pre)
	assert.ErrorIs(t, s.Flush(v.ctx), boom)
	_, err = orm.Get[Person](v.ctx, s, id)
	assert.ErrorAs(t, err, &pre)
	assert.ErrorAs(t, s.Add(&Person{}), &pre)
	require.NoError(t, s.Rollback(v.ctx))
	assert.Equal(t, orm.Transient, s.StateOf(bad))

	// a session event error aborts too
	s2 := v.session(t)
	s2.Events().OnBeforeFlush(func(ctx context.Context, s *orm.Session) error { return boom })
	require.NoError(t, s2.Add(&Person{Name: "x"}))
	err = s2.Flush(v.ctx)
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "before_flush", fe.Phase)
	assert.EqualValues(t, 1, v.countPeople(t))
}

func TestSessionEventsOrder(t *testing.T) {
	v := newEnv(t)
	f := orm.NewFactory(v.reg, v.e)
	var log []string
	f.Events().OnBeforeFlush(func(ctx context.Context, s *orm.Session) error {
		log = append(log, "factory:before_flush")
		return nil
	})
	s := f.New()
	defer s.Close()
	ev := s.Events()
	add := func(name string) orm.SessionHook {
		return func(ctx context.Context, s *orm.Session) error { log = append(log, name); return nil }
	}
	ev.OnBeforeFlush(add("before_flush"))
	ev.OnAfterFlush(func(ctx context.Context, s *orm.Session) error {
		log = append(log, fmt.Sprintf("after_flush(new=%d)", len(s.New())))
		return nil
	})
	ev.OnAfterFlushPostexec(func(ctx context.Context, s *orm.Session) error {
		log = append(log, fmt.Sprintf("after_flush_postexec(new=%d)", len(s.New())))
		return nil
	})
	ev.OnBeforeCommit(add("before_commit"))
	ev.OnAfterCommit(add("after_commit"))
	ev.OnAfterRollback(add("after_rollback"))
	ev.OnAfterSoftRollback(add("after_soft_rollback"))
	ev.OnAfterBegin(func(ctx context.Context, s *orm.Session, c *core.Connection) error {
		log = append(log, "after_begin")
		return nil
	})
	rmT := ev.OnTransition(func(s *orm.Session, obj any, from, to orm.State) {
		log = append(log, from.String()+"->"+to.String())
	})
	require.NoError(t, s.Add(&Note{Code: "a"}))
	require.NoError(t, s.Commit(v.ctx))
	assert.Equal(t, []string{
		"transient->pending",
		"before_commit", "factory:before_flush", "before_flush", "after_begin",
		"after_flush(new=1)", "pending->persistent", "after_flush_postexec(new=0)",
		"after_commit",
	}, log)
	log = nil
	rmT()
	require.NoError(t, s.Rollback(v.ctx))
	assert.Equal(t, []string{"after_soft_rollback"}, log, "no database transaction: only the soft rollback")
}

func TestMergeVersionCounter(t *testing.T) {
	v := newEnv(t)
	id := v.seed(t, "a")
	s := v.session(t)
	full := func(version int) *Person {
		return &Person{ID: id, Name: "merged", Score: 5, Token: "tok", Blob: []byte("abc"),
			Meta: map[string]any{"k": "v", "n": []any{1.0, 2.0}}, Version: version}
	}
	// a zero version is "not set": the instance keeps its own
	m, err := orm.Merge(v.ctx, s, full(0))
	require.NoError(t, err)
	assert.Equal(t, 1, m.Version)
	assert.Equal(t, []string{"Name"}, s.Inspect(m).Modified)
	require.NoError(t, s.Flush(v.ctx))
	assert.Equal(t, 2, m.Version)

	// a version that differs from the instance's is stale
	_, err = orm.Merge(v.ctx, s, full(1))
	var stale *orm.StaleDataError
	require.ErrorAs(t, err, &stale)
	assert.Equal(t, "MERGE", stale.Op)
	assert.Contains(t, err.Error(), "version 1 of the merged object does not match version 2")

	// the same version merges
	_, err = orm.Merge(v.ctx, s, full(2))
	require.NoError(t, err)
	require.NoError(t, s.Commit(v.ctx))
}

func TestSavepointRollbackKeepsObjectsLoadedInside(t *testing.T) {
	v := newEnv(t)
	id := v.seed(t, "a")
	id2 := v.seed(t, "b")
	s := v.session(t)
	sp, err := s.BeginNested(v.ctx)
	require.NoError(t, err)
	p, err := orm.Get[Person](v.ctx, s, id)
	require.NoError(t, err)
	q, err := orm.Get[Person](v.ctx, s, id2)
	require.NoError(t, err)
	p.Name = "inside"
	require.NoError(t, s.Delete(q))
	require.NoError(t, s.Flush(v.ctx))
	require.NoError(t, sp.Rollback(v.ctx))

	// their rows exist: they stay persistent, as loaded, and expired
	assert.Equal(t, orm.Persistent, s.StateOf(p))
	assert.Equal(t, orm.Persistent, s.StateOf(q))
	assert.Equal(t, "a", p.Name)
	assert.Equal(t, 1, p.Version)
	assert.True(t, s.Inspect(p).Expired)
	got, err := orm.Get[Person](v.ctx, s, id)
	require.NoError(t, err)
	assert.Same(t, p, got)
	got, err = orm.Get[Person](v.ctx, s, id2)
	require.NoError(t, err)
	assert.Same(t, q, got)
	p.Name = "after"
	require.NoError(t, s.Commit(v.ctx))
	name, _ := v.dbName(t, id)
	assert.Equal(t, "after", name)
	_, ok := v.dbName(t, id2)
	assert.True(t, ok)
}

func TestPolymorphicIdentitySetOnInsert(t *testing.T) {
	v := newEnv(t)
	s := v.session(t)
	a := &Animal{Name: "generic"}
	d := &Dog{Animal: Animal{Name: "rex"}}
	require.NoError(t, s.AddAll(a, d))
	require.NoError(t, s.Flush(v.ctx))
	assert.Equal(t, "animal", a.Kind)
	assert.Equal(t, "dog", d.Kind)
}

// Loaded objects join the session's object index lazily (objMap.loaded);
// every operation that finds an object by its address still finds them,
// whichever comes first.
func TestLoadedObjectsFoundByAddress(t *testing.T) {
	v := newEnv(t)
	for _, n := range []string{"a", "b", "c", "d"} {
		v.seed(t, n)
	}
	s := v.session(t)
	people, err := orm.Select[Person](s).All(v.ctx)
	require.NoError(t, err)
	require.Len(t, people, 4)
	assert.Equal(t, 4, s.Len())
	assert.True(t, s.Contains(people[0]))
	assert.Equal(t, orm.Persistent, s.StateOf(people[1]))
	assert.False(t, s.Contains(&Person{ID: people[0].ID}), "an equal struct elsewhere is not the tracked object")
	require.NoError(t, s.Expunge(people[1]))
	assert.Equal(t, 3, s.Len())
	assert.False(t, s.Contains(people[1]))
	// a second load: the known rows come back as the same objects, the
	// expunged one as a new object
	again, err := orm.Select[Person](s).All(v.ctx)
	require.NoError(t, err)
	assert.Same(t, people[0], again[0])
	assert.NotSame(t, people[1], again[1])
	assert.Equal(t, 4, s.Len())
	people[2].Name = "changed"
	assert.True(t, s.IsModified(people[2]))
	require.NoError(t, s.Delete(people[3]))
	require.NoError(t, s.Commit(v.ctx))
	assert.Equal(t, int64(3), v.countPeople(t))
	name, ok := v.dbName(t, people[2].ID)
	require.True(t, ok)
	assert.Equal(t, "changed", name)
	// the next session (which may reuse this one's maps) starts empty
	require.NoError(t, s.Close())
	s2 := v.session(t)
	assert.Equal(t, 0, s2.Len())
	assert.False(t, s2.Contains(people[0]))
}
