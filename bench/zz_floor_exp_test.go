package bench

import (
	"context"
	"testing"
	"unsafe"
)

type fState struct {
	ptr  unsafe.Pointer
	p    *int
	n0   int64
	snap unsafe.Pointer
	rels []unsafe.Pointer
	fl   uint64
}

var fMaps = struct {
	ids  map[int64]*fState
	ids2 map[int64]*fState
	objs map[unsafe.Pointer]*fState
}{map[int64]*fState{}, map[int64]*fState{}, map[unsafe.Pointer]*fState{}}

func floorLoad(ctx context.Context, e *env, args []any) error {
	clear(fMaps.ids)
	clear(fMaps.ids2)
	clear(fMaps.objs)
	var tp int
	rows, err := e.raw.Query(ctx, rawRellParents)
	if err != nil {
		return err
	}
	parents := make([]*RelLParent, 0, relParents)
	pslab := make([]RelLParent, relParents)
	psnap := make([]RelLParent, relParents)
	states := make([]fState, 0, 1100)
	i := 0
	for rows.Next() {
		p := &pslab[i]
		if err := rows.Scan(&p.ID, &p.Name); err != nil {
			rows.Close()
			return err
		}
		psnap[i] = *p
		states = append(states, fState{ptr: unsafe.Pointer(p), p: &tp, n0: p.ID, snap: unsafe.Pointer(&psnap[i])})
		st := &states[len(states)-1]
		fMaps.ids[p.ID] = st
		fMaps.objs[unsafe.Pointer(p)] = st
		parents = append(parents, p)
		i++
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
	cslab := make([]RelLChild, 1000)
	csnap := make([]RelLChild, 1000)
	i = 0
	for rows.Next() {
		c := &cslab[i]
		if err := rows.Scan(&c.ID, &c.ParentID, &c.Name); err != nil {
			rows.Close()
			return err
		}
		csnap[i] = *c
		states = append(states, fState{ptr: unsafe.Pointer(c), p: &tp, n0: c.ID, snap: unsafe.Pointer(&csnap[i])})
		st := &states[len(states)-1]
		fMaps.ids2[c.ID] = st
		fMaps.objs[unsafe.Pointer(c)] = st
		pst := fMaps.ids[c.ParentID]
		p := (*RelLParent)(pst.ptr)
		c.Parent = p
		p.Children = append(p.Children, c)
		pst.rels = append(pst.rels, unsafe.Pointer(c))
		i++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return checkRellGraph(parents)
}

func BenchmarkFloor(b *testing.B) {
	e := rellSetup(b)
	ctx := context.Background()
	args := make([]any, 0, relParents)
	b.Run("raw", func(b *testing.B) {
		b.ReportAllocs()
		defer clientCPU(b)()
		for b.Loop() {
			if err := rawRellLoad(ctx, e, args); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("floor", func(b *testing.B) {
		b.ReportAllocs()
		defer clientCPU(b)()
		for b.Loop() {
			if err := floorLoad(ctx, e, args); err != nil {
				b.Fatal(err)
			}
		}
	})
}
