package bench

// The floor of a unit of work's load: the raw_pgx load of
// relload_bench_test.go plus the least bookkeeping that an ORM with an
// identity map and change tracking does per loaded row, written by hand
// for these two types (typed, no reflection, nothing generic):
//
//   - the object's struct from a slab (one allocation per batch of rows);
//   - a state per object, from a slab: its address, its type, its key,
//     its snapshot and its relationship snapshot;
//   - a snapshot copy of the struct (what a flush compares against);
//   - an identity-map entry (type's map, keyed by the integer key) and an
//     object-map entry (address → state), in maps reused across loads;
//   - per parent, the snapshot of its collection's members.
//
// Its ratio to raw_pgx (BenchmarkRelLoadFloorPair) is the least that the
// Session's design allows on this load, whatever the implementation; the
// Session's own ratio is BenchmarkRelLoadPair's.

import (
	"context"
	"runtime/metrics"
	"testing"
	"unsafe"
)

// floorState is the least per-object state of a unit of work.
type floorState struct {
	ptr     unsafe.Pointer
	typ     *byte // the object's mapped type
	key     int64
	snap    unsafe.Pointer
	members []unsafe.Pointer
	flags   uint64
}

// floorMaps are the identity maps (per type) and the object map, reused
// by every load as a Session reuses a closed session's maps.
var floorMaps = struct {
	parents, children map[int64]*floorState
	objs              map[unsafe.Pointer]*floorState
}{map[int64]*floorState{}, map[int64]*floorState{}, map[unsafe.Pointer]*floorState{}}

var floorParentType, floorChildType byte

func floorRellLoad(ctx context.Context, e *env, args []any) error {
	fm := &floorMaps
	defer func() { clear(fm.parents); clear(fm.children); clear(fm.objs) }()
	states := make([]floorState, 0, relObjects)
	rows, err := e.raw.Query(ctx, rawRellParents)
	if err != nil {
		return err
	}
	objs := make([]RelLParent, relParents)
	snaps := make([]RelLParent, relParents)
	parents := make([]*RelLParent, 0, relParents)
	for rows.Next() {
		p := &objs[len(parents)]
		if err := rows.Scan(&p.ID, &p.Name); err != nil {
			rows.Close()
			return err
		}
		if fm.parents[p.ID] != nil {
			continue // (a row of a known object)
		}
		snaps[len(parents)] = *p
		states = append(states, floorState{ptr: unsafe.Pointer(p), typ: &floorParentType, key: p.ID, snap: unsafe.Pointer(&snaps[len(parents)])})
		st := &states[len(states)-1]
		fm.parents[p.ID] = st
		fm.objs[st.ptr] = st
		parents = append(parents, p)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	args = args[:0]
	for _, p := range parents {
		args = append(args, p.ID)
	}
	rows, err = e.raw.Query(ctx, rawRellChildren, args...)
	if err != nil {
		return err
	}
	cobjs := make([]RelLChild, relParents*relChildren)
	csnaps := make([]RelLChild, relParents*relChildren)
	n := 0
	for rows.Next() {
		c := &cobjs[n]
		if err := rows.Scan(&c.ID, &c.ParentID, &c.Name); err != nil {
			rows.Close()
			return err
		}
		if fm.children[c.ID] != nil {
			continue
		}
		csnaps[n] = *c
		states = append(states, floorState{ptr: unsafe.Pointer(c), typ: &floorChildType, key: c.ID, snap: unsafe.Pointer(&csnaps[n])})
		st := &states[len(states)-1]
		fm.children[c.ID] = st
		fm.objs[st.ptr] = st
		pst := fm.parents[c.ParentID]
		p := (*RelLParent)(pst.ptr)
		c.Parent = p
		p.Children = append(p.Children, c)
		pst.members = append(pst.members, st.ptr)
		n++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return checkRellGraph(parents)
}

// BenchmarkRelLoadFloorPair runs raw_pgx and the floor interleaved
// (runPair): its "retort" side is the floor.
func BenchmarkRelLoadFloorPair(b *testing.B) {
	e := rellSetup(b)
	ctx := context.Background()
	args := make([]any, 0, relParents)
	raw := pairSide{op: func(int) error { return rawRellLoad(ctx, e, args) }}
	floor := pairSide{op: func(int) error { return floorRellLoad(ctx, e, args) }}
	b.Run("p=100,c=10", func(b *testing.B) {
		runPair(b, raw, floor)
	})
}

// gcMetrics are the runtime metrics BenchmarkRelLoadGC reports per load.
var gcMetrics = []string{
	"/gc/cycles/total:gc-cycles",
	"/cpu/classes/gc/mark/assist:cpu-seconds",
	"/cpu/classes/gc/mark/dedicated:cpu-seconds",
	"/cpu/classes/gc/mark/idle:cpu-seconds",
	"/cpu/classes/gc/pause:cpu-seconds",
}

// readGC returns the GC cycles so far and the CPU seconds the GC spent.
func readGC() (cycles, cpu float64) {
	s := make([]metrics.Sample, len(gcMetrics))
	for i, n := range gcMetrics {
		s[i].Name = n
	}
	metrics.Read(s)
	cycles = float64(s[0].Value.Uint64())
	for _, x := range s[1:] {
		cpu += x.Value.Float64()
	}
	return cycles, cpu
}

// BenchmarkRelLoadGC runs raw_pgx, the floor and Retort one after the
// other and reports, besides the client CPU, what the garbage collector
// cost per load: its cycles per 1,000 loads and its CPU time (marking,
// assists, idle marking and pauses, from runtime/metrics). Run with
// GOGC=off to see the CPU without it. (Retort reuses a closed session's
// cleared states and snapshots, which the floor allocates for each load.)
func BenchmarkRelLoadGC(b *testing.B) {
	e := rellSetup(b)
	ctx := context.Background()
	args := make([]any, 0, relParents)
	for _, c := range []struct {
		name string
		load func() error
	}{
		{"raw_pgx", func() error { return rawRellLoad(ctx, e, args) }},
		{"floor", func() error { return floorRellLoad(ctx, e, args) }},
		{"retort", func() error { return retortRellLoad(ctx, e) }},
	} {
		b.Run("p=100,c=10/"+c.name, func(b *testing.B) {
			b.ReportAllocs()
			defer clientCPU(b)()
			cycles0, cpu0 := readGC()
			for b.Loop() {
				if err := c.load(); err != nil {
					b.Fatal(err)
				}
			}
			cycles, cpu := readGC()
			b.ReportMetric((cycles-cycles0)/float64(b.N)*1000, "gc/1000ops")
			b.ReportMetric((cpu-cpu0)/float64(b.N)*1e9, "gc-cpu-ns/op")
		})
	}
}
