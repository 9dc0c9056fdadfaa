package orm

import (
	"math/rand/v2"
	"testing"
)

// TestIntMapAgainstMap runs random puts, deletes and lookups against a
// Go map and checks that the two always agree, through resizes and
// tombstones.
func TestIntMapAgainstMap(t *testing.T) {
	for _, keyRange := range []int64{8, 100, 5000} {
		m := newIntMap(0)
		ref := map[int64]*instState{}
		r := rand.New(rand.NewPCG(1, uint64(keyRange)))
		for step := range 50000 {
			k := r.Int64N(keyRange) - keyRange/2 // negative keys too
			switch r.IntN(4) {
			case 0:
				st := &instState{}
				m.put(k, st)
				ref[k] = st
			case 1:
				// the load's way: look up, and insert where the lookup
				// stopped when the key is new
				got, slot := m.lookup(k)
				if got != ref[k] {
					t.Fatalf("range %d step %d: lookup(%d) = %p, want %p", keyRange, step, k, got, ref[k])
				}
				if got == nil {
					st := &instState{}
					m.putAt(slot, k, st)
					ref[k] = st
				}
			case 2:
				m.del(k)
				delete(ref, k)
			default:
				if got, want := m.get(k), ref[k]; got != want {
					t.Fatalf("range %d step %d: get(%d) = %p, want %p", keyRange, step, k, got, want)
				}
			}
			if m.len() != len(ref) {
				t.Fatalf("range %d step %d: len %d, want %d", keyRange, step, m.len(), len(ref))
			}
			if m.used > m.room() {
				t.Fatalf("range %d step %d: %d slots used of room %d", keyRange, step, m.used, m.room())
			}
		}
		seen := map[*instState]bool{}
		for st := range m.all {
			if seen[st] {
				t.Fatalf("range %d: a state iterated twice", keyRange)
			}
			seen[st] = true
		}
		for k, st := range ref {
			if !seen[st] {
				t.Fatalf("range %d: key %d not iterated", keyRange, k)
			}
		}
		if len(seen) != len(ref) {
			t.Fatalf("range %d: iterated %d, want %d", keyRange, len(seen), len(ref))
		}
		room := m.room()
		m.clear()
		if m.len() != 0 || m.get(0) != nil || m.room() != room {
			t.Fatalf("range %d: after clear len %d room %d (was %d)", keyRange, m.len(), m.room(), room)
		}
	}
}

// TestIntMapIterationChanges deletes and adds entries while iterating:
// a deleted entry not yet reached is not produced, even when an insert
// grew the table in between.
func TestIntMapIterationChanges(t *testing.T) {
	m := newIntMap(0)
	states := map[int64]*instState{}
	for k := range int64(12) {
		states[k] = &instState{n0: k}
		m.put(k, states[k])
	}
	deleted := map[*instState]bool{}
	n := 0
	for st := range m.all {
		if deleted[st] {
			t.Fatalf("a deleted entry (%d) was iterated", st.n0)
		}
		n++
		if n == 1 {
			// grow the table (12 + 100 entries), then delete every
			// other original entry but this one
			for k := int64(100); k < 200; k++ {
				m.put(k, &instState{n0: k})
			}
			for k, o := range states {
				if o != st && k%2 == 0 {
					m.del(k)
					deleted[o] = true
				}
			}
		}
	}
	if m.len() != 12+100-len(deleted) {
		t.Fatalf("len %d", m.len())
	}
	for k, o := range states {
		if got := m.get(k); (got == nil) != deleted[o] {
			t.Fatalf("key %d: get %p, deleted %v", k, got, deleted[o])
		}
	}
}

// TestIntMapGrow checks that grow makes room without losing entries and
// that a table of tombstones is reused rather than grown.
func TestIntMapGrow(t *testing.T) {
	m := newIntMap(0)
	for k := range int64(10) {
		m.put(k, &instState{n0: k})
	}
	m.grow(1000)
	if m.room() < 1010 {
		t.Fatalf("room %d after grow(1000)", m.room())
	}
	for k := range int64(10) {
		if st := m.get(k); st == nil || st.n0 != k {
			t.Fatalf("key %d lost in grow", k)
		}
	}
	room := m.room()
	for round := range 50 {
		for k := int64(1000); k < 1500; k++ {
			m.put(k, &instState{n0: k})
		}
		for k := int64(1000); k < 1500; k++ {
			m.del(k)
		}
		if m.room() != room {
			t.Fatalf("round %d: room %d, want %d (tombstones should be purged in place)", round, m.room(), room)
		}
	}
}
