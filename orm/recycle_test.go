package orm

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/registry"
)

type rcParent struct {
	ID       int64      `orm:"pk"`
	Name     string     `orm:"type:varchar(30)"`
	Children []*rcChild `orm:"rel;back_populates:Parent"`
}

func (rcParent) TableName() string { return "rc_parents" }

type rcChild struct {
	ID       int64     `orm:"pk"`
	Label    string    `orm:"type:varchar(30)"`
	ParentID int64     `orm:"fk:rc_parents.id"`
	Parent   *rcParent `orm:"rel;back_populates:Children"`
}

func (rcChild) TableName() string { return "rc_children" }

// rcEnv is 20 parents with 5 children each on SQLite; stmts collects the
// statements run (first word and table).
func rcEnv(t *testing.T) (*registry.Registry, *core.Engine, *[]string) {
	ctx := context.Background()
	reg := registry.New()
	reg.MustRegister(&rcParent{}, &rcChild{})
	require.NoError(t, reg.Configure())
	e, err := core.CreateEngine("sqlite://")
	require.NoError(t, err)
	t.Cleanup(func() { e.Close() })
	require.NoError(t, e.CreateAll(ctx, reg.MetaData(), false))
	s := NewSession(reg, e)
	for i := range 20 {
		p := &rcParent{Name: fmt.Sprint("p", i)}
		for k := range 5 {
			p.Children = append(p.Children, &rcChild{Label: fmt.Sprint("c", i, "-", k)})
		}
		require.NoError(t, s.Add(p))
	}
	require.NoError(t, s.Commit(ctx))
	require.NoError(t, s.Close())
	var stmts []string
	e.Events().OnBeforeExecute(func(ctx context.Context, c *core.Connection, stmt *core.Compiled) error {
		f := strings.Fields(stmt.SQL)
		stmts = append(stmts, f[0])
		return nil
	})
	return reg, e, &stmts
}

// rcLoad loads the parents with id in [lo, hi) and their children.
func rcLoad(t *testing.T, s *Session, lo, hi int64) []*rcParent {
	ctx := context.Background()
	tb, ok := s.Registry().MetaData().Table("rc_parents")
	require.True(t, ok)
	ps, err := Select[rcParent](s).Where(tb.C("id").Ge(lo), tb.C("id").Lt(hi)).OrderBy(tb.C("id").Asc()).All(ctx)
	require.NoError(t, err)
	require.NoError(t, LoadRelated(ctx, s, ps, "Children"))
	return ps
}

// zeroChunks fails unless every struct of the chunks is zero.
func zeroChunks(t *testing.T, c *slabChunks) {
	t.Helper()
	for _, ch := range c.states {
		for i := range ch {
			require.True(t, ch[i] == instState{}, "a recycled state is not cleared")
		}
	}
	for _, ch := range c.rels {
		for i := range ch {
			require.True(t, ch[i].ref == nil && ch[i].members == nil && !ch[i].loaded, "a recycled relationship state is not cleared")
		}
	}
	for _, chs := range c.snaps {
		for _, sl := range chs {
			require.Zero(t, sl.next)
			for i := range sl.n {
				require.True(t, sl.v.Index(i).IsZero(), "a recycled snapshot is not cleared")
			}
		}
	}
}

// within reports whether p points into one of the chunks.
func within[E any](p unsafe.Pointer, chunks [][]E) bool {
	for _, ch := range chunks {
		lo := uintptr(unsafe.Pointer(unsafe.SliceData(ch)))
		hi := lo + uintptr(len(ch))*unsafe.Sizeof(ch[0])
		if uintptr(p) >= lo && uintptr(p) < hi {
			return true
		}
	}
	return false
}

// A closed session's state, relationship-state and snapshot chunks are
// cleared and serve the next session, whose objects then load, track
// changes and flush exactly as with new ones; the closed session's
// objects keep their values.
func TestClosedSessionChunksServeTheNext(t *testing.T) {
	ctx := context.Background()
	reg, e, stmts := rcEnv(t)
	s1 := NewSession(reg, e)
	s1.adopt(nil) // (nothing from earlier tests)
	old := rcLoad(t, s1, 1, 11)
	require.Len(t, old, 10)
	m, err := s1.shut()
	require.NoError(t, err)
	require.NotNil(t, m)
	require.NotNil(t, m.chunks, "the closed session left no chunks")
	c := m.chunks
	require.NotEmpty(t, c.states)
	require.NotEmpty(t, c.rels)
	require.NotEmpty(t, c.snaps)
	zeroChunks(t, c)
	states, rels := slicesClone(c.states), slicesClone(c.rels)

	s2 := NewSession(reg, e)
	defer s2.Close()
	s2.adopt(m)
	ps := rcLoad(t, s2, 11, 21)
	require.Len(t, ps, 10)
	for i, p := range ps {
		require.Equal(t, fmt.Sprint("p", 10+i), p.Name)
		require.Len(t, p.Children, 5)
		for k, ch := range p.Children {
			require.Equal(t, fmt.Sprint("c", 10+i, "-", k), ch.Label)
			require.Same(t, p, ch.Parent)
		}
	}
	// the new session's states are the recycled ones
	st := s2.stateOf(ps[0])
	require.NotNil(t, st)
	assert.True(t, within(unsafe.Pointer(st), states), "the next session made new states")
	assert.True(t, within(unsafe.Pointer(st.rels), rels), "the next session made new relationship states")
	for _, p := range ps {
		assert.False(t, s2.IsModified(p), "a freshly loaded object counts as modified")
	}

	// a change to one parent and one child writes exactly those rows
	ps[3].Name = "renamed"
	ps[5].Children[2].Label = "relabeled"
	ps[7].Children = ps[7].Children[:4]
	*stmts = nil
	require.Error(t, s2.Flush(ctx), "removing a child without delete-orphan leaves it with a NULL key, which NOT NULL refuses")
	require.NoError(t, s2.Rollback(ctx))
	ps = rcLoad(t, s2, 11, 21)
	ps[3].Name = "renamed"
	ps[5].Children[2].Label = "relabeled"
	*stmts = nil
	require.NoError(t, s2.Commit(ctx))
	assert.Equal(t, []string{"UPDATE", "UPDATE"}, *stmts)

	s3 := NewSession(reg, e)
	defer s3.Close()
	got := rcLoad(t, s3, 11, 21)
	assert.Equal(t, "renamed", got[3].Name)
	assert.Equal(t, "relabeled", got[5].Children[2].Label)
	assert.Equal(t, "p15", got[5].Name)

	// the first session's objects are as they were loaded
	for i, p := range old {
		require.Equal(t, fmt.Sprint("p", i), p.Name)
		require.Len(t, p.Children, 5)
		for k, ch := range p.Children {
			require.Equal(t, fmt.Sprint("c", i, "-", k), ch.Label)
			require.Same(t, p, ch.Parent)
		}
	}
}

func slicesClone[E any](s []E) []E { return append([]E(nil), s...) }

// A session closed from inside a query's callback leaves nothing for the
// next session: the query still holds its states. The query stops with
// ErrSessionClosed.
func TestCloseInsideCallbackRecyclesNothing(t *testing.T) {
	ctx := context.Background()
	reg, e, _ := rcEnv(t)
	s := NewSession(reg, e)
	var held []*instState
	n := 0
	err := Select[rcParent](s).Each(ctx, func(p *rcParent) error {
		n++
		if n == 1 {
			for st := range s.objs.all {
				held = append(held, st)
			}
			m, err := s.shut()
			require.NoError(t, err)
			assert.Nil(t, m, "a session closed inside a callback left its maps and slabs")
		}
		return nil
	})
	require.ErrorIs(t, err, ErrSessionClosed)
	assert.Equal(t, 1, n, "the query went on after its session closed")
	require.Len(t, held, 20)
	for _, st := range held {
		assert.NotNil(t, st.p, "a state of the closed session was cleared while its query ran")
	}
	assert.Zero(t, s.calls)
}

// ExpungeAll forgets the slab chunks of the objects it expunged: only the
// chunks made after it are recycled at Close.
func TestExpungeAllRecyclesNoEarlierChunks(t *testing.T) {
	reg, e, _ := rcEnv(t)
	s := NewSession(reg, e)
	s.adopt(nil)
	rcLoad(t, s, 1, 11)
	before := slicesClone(s.made.states)
	require.NotEmpty(t, before)
	s.ExpungeAll()
	rcLoad(t, s, 11, 13)
	m, err := s.shut()
	require.NoError(t, err)
	require.NotNil(t, m.chunks)
	for _, ch := range m.chunks.states {
		assert.False(t, within(unsafe.Pointer(&ch[0]), before), "a chunk from before ExpungeAll was recycled")
	}
	zeroChunks(t, m.chunks)
}

// A closed session keeps chunks up to its budget: its own first (cleared),
// then the spare ones it did not use; the budget follows what the recent
// sessions used, within [64 KiB, recycledMax].
func TestRecycledChunksAreBounded(t *testing.T) {
	assert.Equal(t, uintptr(64<<10), chunkBudget(0, 0))
	assert.Equal(t, uintptr(200<<10), chunkBudget(100<<10, 0))
	assert.Equal(t, uintptr(512<<10), chunkBudget(10<<10, 1<<20))
	assert.Equal(t, uintptr(recycledMax), chunkBudget(3<<20, 0))

	stateSize, relSize := unsafe.Sizeof(instState{}), unsafe.Sizeof(relState{})
	made := slabChunks{states: [][]instState{make([]instState, 8), make([]instState, 8)}, statesLeft: 5}
	made.states[0][7].order = 7
	made.states[1][2].order = 9
	spare := &slabChunks{rels: [][]relState{make([]relState, 16), make([]relState, 16)}}
	out := made.recycle(spare, 16*stateSize+16*relSize)
	require.NotNil(t, out)
	assert.Len(t, out.states, 2, "the session's own chunks come first")
	assert.Len(t, out.rels, 1, "a spare chunk beyond the budget is dropped")
	assert.Equal(t, 16*stateSize+16*relSize, out.bytes)
	zeroChunks(t, out)

	over := slabChunks{states: [][]instState{make([]instState, 8), make([]instState, 8)}}
	over.states[0][1].order = 2
	dropped := over.states[1]
	dropped[0].order = 3
	out = over.recycle(nil, 8*stateSize)
	require.NotNil(t, out)
	require.Len(t, out.states, 1)
	zeroChunks(t, out)
	assert.Equal(t, int32(3), dropped[0].order, "a dropped chunk is garbage: not cleared")

	var none slabChunks
	assert.Nil(t, none.recycle(nil, recycledMax))
	assert.Nil(t, (&slabChunks{states: [][]instState{make([]instState, 8)}}).recycle(nil, 0))
}

// One large session's maps and chunks serve the next few small sessions,
// then are dropped: small sessions do not keep clearing a map made for
// thousands of objects.
func TestLargeSessionRoomDecays(t *testing.T) {
	reg, e, _ := rcEnv(t)
	s := NewSession(reg, e)
	s.adopt(nil)
	for i := range 5000 {
		require.NoError(t, s.Add(&rcChild{Label: fmt.Sprint(i)}))
	}
	big := s.objs.m
	m, err := s.shut()
	require.NoError(t, err)
	require.NotNil(t, m)
	require.NotNil(t, m.chunks)
	assert.Greater(t, m.chunks.bytes, uintptr(300<<10))
	kept := 0
	for round := range 6 {
		s := NewSession(reg, e)
		s.adopt(m)
		require.NoError(t, s.Add(&rcChild{Label: "one"}))
		m, err = s.shut()
		require.NoError(t, err)
		require.NotNil(t, m)
		if reflect.ValueOf(m.objs.m).UnsafePointer() == reflect.ValueOf(big).UnsafePointer() {
			kept = round + 1
		}
	}
	assert.Equal(t, 2, kept, "the large map served two small sessions, then went")
	require.NotNil(t, m.chunks)
	assert.LessOrEqual(t, m.chunks.bytes, uintptr(64<<10), "the chunks shrank to the small sessions' budget")
	assert.Equal(t, 5000>>6, m.recent, "the recent peak halves with each small session")
	zeroChunks(t, m.chunks)
}

// So does a session closed from an engine event during one of its
// operations (here a relationship load): the load stops with an error and
// the session's states are left as they were.
func TestCloseDuringAnOperationRecyclesNothing(t *testing.T) {
	ctx := context.Background()
	reg, e, _ := rcEnv(t)
	s := NewSession(reg, e)
	ps, err := Select[rcParent](s).All(ctx)
	require.NoError(t, err)
	var held []*instState
	for st := range s.objs.all {
		held = append(held, st)
	}
	var m *sessionMaps
	closed := false
	off := e.Events().OnBeforeExecute(func(ctx context.Context, c *core.Connection, stmt *core.Compiled) error {
		if !closed {
			closed = true
			m, err = s.shut()
			require.NoError(t, err)
		}
		return nil
	})
	defer off()
	err = LoadRelated(ctx, s, ps, "Children")
	require.True(t, closed)
	require.ErrorIs(t, err, core.ErrConnectionClosed, "the load went on as if its session were open")
	assert.Nil(t, m, "a session closed during a load left its maps and slabs")
	for _, st := range held {
		assert.NotNil(t, st.p, "a state of the closed session was cleared while its load ran")
	}
	assert.Zero(t, s.calls)
}
