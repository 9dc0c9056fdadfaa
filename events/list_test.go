package events_test

import (
	"errors"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/events"
)

type hook func(*[]string) error

func named(name string) hook {
	return func(out *[]string) error { *out = append(*out, name); return nil }
}

func run(l *events.List[hook]) []string {
	var out []string
	_ = l.Each(func(f hook) error { return f(&out) })
	return out
}

func TestListAddOrderAndPrepend(t *testing.T) {
	var l events.List[hook]
	assert.Equal(t, 0, l.Len())
	assert.Nil(t, run(&l))
	l.Add(named("a"))
	l.Add(named("b"))
	l.Add(named("first"), events.Prepend())
	l.Add(named("c"), nil) // a nil option is ignored
	assert.Equal(t, []string{"first", "a", "b", "c"}, run(&l))
	assert.Equal(t, 4, l.Len())
}

func TestListEachStopsAtFirstError(t *testing.T) {
	var l events.List[hook]
	boom := errors.New("boom")
	l.Add(named("a"))
	l.Add(func(*[]string) error { return boom })
	l.Add(named("never"))
	var out []string
	err := l.Each(func(f hook) error { return f(&out) })
	assert.ErrorIs(t, err, boom)
	assert.Equal(t, []string{"a"}, out)
}

func TestListRemove(t *testing.T) {
	var l events.List[hook]
	rmA := l.Add(named("a"))
	l.Add(named("b"))
	rmC := l.Add(named("c"))
	rmA()
	rmA() // removing twice is harmless
	assert.Equal(t, []string{"b", "c"}, run(&l))
	rmC()
	assert.Equal(t, 1, l.Len())
	// removing a listener never disturbs another one added later
	l.Add(named("d"))
	rmC()
	assert.Equal(t, []string{"b", "d"}, run(&l))
}

func TestListRemoveLastLeavesEmpty(t *testing.T) {
	var l events.List[hook]
	rm := l.Add(named("a"))
	rm()
	assert.Equal(t, 0, l.Len())
	assert.Nil(t, l.Snapshot())
	assert.NoError(t, l.Each(func(hook) error { t.Fatal("called"); return nil }))
}

func TestListSnapshot(t *testing.T) {
	var l events.List[hook]
	assert.Nil(t, l.Snapshot())
	l.Add(named("a"))
	l.Add(named("once"), events.Once())
	snap := l.Snapshot()
	require.Len(t, snap, 2)
	// Snapshot does not consume a Once listener
	assert.Equal(t, 2, l.Len())
	var out []string
	for _, f := range snap {
		require.NoError(t, f(&out))
	}
	assert.Equal(t, []string{"a", "once"}, out)
	// the snapshot is a copy
	snap[0] = nil
	assert.Equal(t, []string{"a", "once"}, run(&l))
}

func TestListOnce(t *testing.T) {
	var l events.List[hook]
	l.Add(named("once"), events.Once())
	l.Add(named("always"))
	assert.Equal(t, []string{"once", "always"}, run(&l))
	assert.Equal(t, []string{"always"}, run(&l))
	assert.Equal(t, 1, l.Len())
}

func TestListOnceRemoveAfterRunIsHarmless(t *testing.T) {
	var l events.List[hook]
	rm := l.Add(named("once"), events.Once())
	other := l.Add(named("b"))
	_ = run(&l)
	rm()
	assert.Equal(t, []string{"b"}, run(&l))
	other()
	assert.Equal(t, 0, l.Len())
}

func TestListOnceUnderConcurrentEach(t *testing.T) {
	for range 20 {
		var l events.List[func()]
		var n atomic.Int32
		l.Add(func() { n.Add(1) }, events.Once())
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_ = l.Each(func(f func()) error { f(); return nil })
			}()
		}
		close(start)
		wg.Wait()
		require.EqualValues(t, 1, n.Load())
		require.Equal(t, 0, l.Len())
	}
}

func TestListConcurrentAddRemoveEach(t *testing.T) {
	var l events.List[func() int]
	l.Add(func() int { return 1 })
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				sum := 0
				_ = l.Each(func(f func() int) error { sum += f(); return nil })
				if sum < 1 {
					t.Error("the permanent listener was not called")
					return
				}
				_ = l.Len()
				_ = l.Snapshot()
			}
		}()
	}
	var adders sync.WaitGroup
	for g := range 4 {
		adders.Add(1)
		go func() {
			defer adders.Done()
			for i := range 200 {
				opts := []events.Option{}
				if i%3 == 0 {
					opts = append(opts, events.Prepend())
				}
				if i%5 == g {
					opts = append(opts, events.Once())
				}
				rm := l.Add(func() int { return 1 }, opts...)
				rm()
				rm()
			}
		}()
	}
	adders.Wait()
	close(stop)
	wg.Wait()
	assert.Equal(t, 1, l.Len())
}

func TestListNilReceiver(t *testing.T) {
	var l *events.List[hook]
	assert.Equal(t, 0, l.Len())
	assert.Nil(t, l.Snapshot())
	assert.NoError(t, l.Each(func(hook) error { return errors.New("called") }))
}

// Dispatch with no listener is the hot path of every event: it must not
// allocate.
func TestListEmptyZeroAlloc(t *testing.T) {
	var l events.List[hook]
	call := func(f hook) error { return f(nil) }
	n := 0
	allocs := testing.AllocsPerRun(1000, func() {
		n += l.Len()
		if err := l.Each(call); err != nil {
			panic(err)
		}
	})
	assert.Zero(t, allocs)
	// after the last listener is removed, still nothing
	rm := l.Add(named("a"))
	rm()
	allocs = testing.AllocsPerRun(1000, func() {
		n += l.Len()
		_ = l.Each(call)
	})
	assert.Zero(t, allocs)
	var b events.ByType[hook]
	typ := reflect.TypeFor[base]()
	allocs = testing.AllocsPerRun(1000, func() {
		if !b.Empty() {
			panic("not empty")
		}
		_ = b.Lists(typ, nil, func(int, *events.List[hook]) error { return nil })
	})
	assert.Zero(t, allocs)
	assert.Zero(t, n)
}

// Each over listeners that are already registered allocates nothing
// either (the closure is the caller's).
func TestListEachZeroAlloc(t *testing.T) {
	var l events.List[func(*int)]
	l.Add(func(p *int) { *p++ })
	l.Add(func(p *int) { *p++ })
	x := 0
	call := func(f func(*int)) error { f(&x); return nil }
	allocs := testing.AllocsPerRun(1000, func() { _ = l.Each(call) })
	assert.Zero(t, allocs)
	assert.Positive(t, x)
}

type base struct{ ID int }
type mid struct{ base }
type leaf struct{ mid }

type visit struct {
	depth int
	names []string
}

func collect(t *testing.T, b *events.ByType[hook], typ reflect.Type, bases ...reflect.Type) []visit {
	t.Helper()
	var out []visit
	require.NoError(t, b.Lists(typ, bases, func(depth int, l *events.List[hook]) error {
		out = append(out, visit{depth, run(l)})
		return nil
	}))
	return out
}

func TestByTypeOwnAndPropagate(t *testing.T) {
	var b events.ByType[hook]
	tb, tm, tl := reflect.TypeFor[base](), reflect.TypeFor[mid](), reflect.TypeFor[leaf]()
	assert.True(t, b.Empty())
	assert.Empty(t, collect(t, &b, tl, tm, tb))

	b.Add(tb, named("base-own"))
	b.Add(tb, named("base-prop"), events.Propagate())
	b.Add(tm, named("mid-prop"), events.Propagate())
	b.Add(tl, named("leaf-own"))
	b.Add(tl, named("leaf-prop"), events.Propagate())
	assert.False(t, b.Empty())

	// a leaf sees its own listeners at depth 0, then the propagating
	// listeners of each base, nearest first; never a base's own ones
	got := collect(t, &b, tl, tm, tb)
	assert.Equal(t, []visit{
		{0, []string{"leaf-own"}},
		{0, []string{"leaf-prop"}},
		{1, []string{"mid-prop"}},
		{2, []string{"base-prop"}},
	}, got)

	// the base itself sees its own and propagating listeners
	got = collect(t, &b, tb)
	assert.Equal(t, []visit{{0, []string{"base-own"}}, {0, []string{"base-prop"}}}, got)

	// a type with no listener of its own still gets its bases'
	type other struct{ leaf }
	got = collect(t, &b, reflect.TypeFor[other](), tl, tm, tb)
	assert.Equal(t, []visit{
		{1, []string{"leaf-prop"}},
		{2, []string{"mid-prop"}},
		{3, []string{"base-prop"}},
	}, got)
}

func TestByTypeListsStopsAtError(t *testing.T) {
	var b events.ByType[hook]
	tb, tl := reflect.TypeFor[base](), reflect.TypeFor[leaf]()
	b.Add(tl, named("leaf"))
	b.Add(tb, named("base"), events.Propagate())
	boom := errors.New("boom")
	calls := 0
	err := b.Lists(tl, []reflect.Type{tb}, func(depth int, l *events.List[hook]) error {
		calls++
		return boom
	})
	assert.ErrorIs(t, err, boom)
	assert.Equal(t, 1, calls)
}

func TestByTypeRemoveAndCounts(t *testing.T) {
	var b events.ByType[hook]
	tb, tl := reflect.TypeFor[base](), reflect.TypeFor[leaf]()
	g0 := b.Generation()
	rm1 := b.Add(tb, named("a"), events.Propagate())
	rm2 := b.Add(tl, named("b"))
	rm3 := b.Add(tl, named("c"), events.Prepend())
	assert.Greater(t, b.Generation(), g0)
	assert.Equal(t, []visit{{0, []string{"c", "b"}}, {0, nil}, {1, []string{"a"}}}, collect(t, &b, tl, tb))

	g1 := b.Generation()
	rm2()
	rm2() // harmless, and counted once
	assert.Greater(t, b.Generation(), g1)
	assert.Equal(t, []visit{{0, []string{"c"}}, {0, nil}, {1, []string{"a"}}}, collect(t, &b, tl, tb))
	assert.False(t, b.Empty())
	rm1()
	assert.False(t, b.Empty())
	rm3()
	rm3()
	assert.True(t, b.Empty(), "removing every listener makes the set empty again")

	// the per-type lists stay, empty
	for _, v := range collect(t, &b, tl, tb) {
		assert.Empty(t, v.names)
	}
	b.Add(tb, named("again"))
	assert.False(t, b.Empty())
}

func TestByTypeNilAndZero(t *testing.T) {
	var nb *events.ByType[hook]
	assert.True(t, nb.Empty())
	assert.NoError(t, nb.Lists(reflect.TypeFor[base](), nil, func(int, *events.List[hook]) error {
		return errors.New("called")
	}))
	var b events.ByType[hook]
	assert.True(t, b.Empty())
	assert.Zero(t, b.Generation())
}

func TestByTypeOnce(t *testing.T) {
	var b events.ByType[hook]
	tb := reflect.TypeFor[base]()
	rm := b.Add(tb, named("once"), events.Once())
	assert.False(t, b.Empty())
	g := b.Generation()
	assert.Equal(t, []visit{{0, []string{"once"}}, {0, nil}}, collect(t, &b, tb))
	assert.Equal(t, []visit{{0, nil}, {0, nil}}, collect(t, &b, tb))
	assert.True(t, b.Empty(), "a Once listener that has run no longer counts")
	assert.Greater(t, b.Generation(), g)
	rm() // removing it afterwards is harmless and not counted again
	assert.True(t, b.Empty())
	b.Add(tb, named("x"))
	assert.False(t, b.Empty())
}

func TestByTypeConcurrent(t *testing.T) {
	var b events.ByType[func() int]
	types := []reflect.Type{reflect.TypeFor[base](), reflect.TypeFor[mid](), reflect.TypeFor[leaf]()}
	var wg sync.WaitGroup
	for g := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				typ := types[(g+i)%3]
				rm := b.Add(typ, func() int { return 1 }, events.Propagate())
				_ = b.Lists(types[2], types[1:2], func(_ int, l *events.List[func() int]) error {
					return l.Each(func(f func() int) error { f(); return nil })
				})
				_ = b.Empty()
				rm()
			}
		}()
	}
	wg.Wait()
	assert.True(t, b.Empty())
}
