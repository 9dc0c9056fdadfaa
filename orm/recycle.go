package orm

import "unsafe"

// A closed session's state slabs serve the next session. The states,
// relationship states and snapshots of the objects a session tracked are
// its own: nothing outside it points to them (the program holds only its
// objects), and every handle that reaches them through the session (an
// instrumented collection's owner, a SAVEPOINT, a result being read)
// checks first that the session is open. So at Close the chunks they were
// handed out from are cleared (they keep no object alive) and kept with
// the session's emptied maps (sessionMaps) for the next session, which
// then allocates none for the same amount of work. Short sessions that
// load or flush many objects, the usual shape of a service, so allocate
// far less: loading 100 parents with 10 children each allocated 333 KB
// per session before, 137 KB now (raw pgx: 151 KB), and the garbage
// collector ran 57 times per 1,000 loads instead of 142. The objects' own
// slabs are not recycled: the program keeps them.

// slabChunks are the chunks of a session's slabs.
type slabChunks struct {
	states [][]instState
	rels   [][]relState
	snaps  map[*plan][]*snapSlab
	bytes  uintptr
	// the structs of the last chunk of states and of relationship
	// states not handed out (still zero: recycle need not clear them)
	statesLeft, relsLeft int
}

// recycledMax bounds the bytes of chunks a closed session leaves for the
// next: a flush or load of 10,000 small objects fits (in back-to-back
// sessions of 10,000 inserts this cut the client CPU by 8%), while a
// session that tracked a great many objects does not pin their room.
// Within it, a closed session keeps what its recent predecessors needed
// (see chunkBudget), not the most any session ever did.
const recycledMax = 4 << 20

// chunkBudget is how many bytes of chunks a closed session that used
// used bytes of them keeps for the next, when the one before it kept
// prev: twice what it used, or half what was kept before (a burst of
// large sessions keeps its room for a few small ones, then lets it go),
// at least 64 KiB and at most recycledMax.
func chunkBudget(used, prev uintptr) uintptr {
	return min(recycledMax, max(64<<10, 2*used, prev/2))
}

// recycle clears the chunks in c and keeps them, then the spare chunks
// not used, up to budget bytes, as the spare chunks of a new session
// (nil when there are none). The chunks left out are not cleared: they
// are garbage.
func (c *slabChunks) recycle(spare *slabChunks, budget uintptr) *slabChunks {
	kept := uintptr(0)
	fits := func(n uintptr) bool {
		if kept+n > budget {
			return false
		}
		kept += n
		return true
	}
	// (only what was handed out is cleared: the rest is zero)
	c.states = keepCleared(c.states, c.statesLeft, fits)
	c.rels = keepCleared(c.rels, c.relsLeft, fits)
	for p, chs := range c.snaps {
		keep := chs[:0]
		for _, sl := range chs {
			if fits(uintptr(sl.n) * sl.size) {
				sl.clear()
				keep = append(keep, sl)
			}
		}
		clear(chs[len(keep):])
		if c.snaps[p] = keep; len(keep) == 0 {
			delete(c.snaps, p)
		}
	}
	if spare != nil {
		c.states = keepSpare(c.states, spare.states, fits)
		c.rels = keepSpare(c.rels, spare.rels, fits)
		for p, chs := range spare.snaps {
			for _, sl := range chs {
				if fits(uintptr(sl.n) * sl.size) {
					if c.snaps == nil {
						c.snaps = map[*plan][]*snapSlab{}
					}
					c.snaps[p] = append(c.snaps[p], sl)
				}
			}
		}
	}
	c.statesLeft, c.relsLeft, c.bytes = 0, 0, kept
	if len(c.states)+len(c.rels)+len(c.snaps) == 0 {
		return nil
	}
	out := *c
	return &out
}

// keepCleared keeps the chunks of chs that fit, cleared (the last one but
// for its left structs never handed out, still zero), and drops the rest.
func keepCleared[E any](chs [][]E, left int, fits func(uintptr) bool) [][]E {
	size := unsafe.Sizeof(*new(E))
	kept := chs[:0]
	for i, ch := range chs {
		if fits(uintptr(len(ch)) * size) {
			if i == len(chs)-1 {
				ch = ch[:len(ch)-left]
			}
			clear(ch)
			kept = append(kept, ch[:cap(ch)])
		}
	}
	clear(chs[len(kept):])
	return kept
}

// keepSpare appends to dst the (cleared) chunks of chs that fit.
func keepSpare[E any](dst, chs [][]E, fits func(uintptr) bool) [][]E {
	size := unsafe.Sizeof(*new(E))
	for _, ch := range chs {
		if fits(uintptr(len(ch)) * size) {
			dst = append(dst, ch)
		}
	}
	return dst
}

// nextChunk returns a chunk of at least need structs for one of the
// session's slabs: a spare one, or a new one of n; list picks the slab's
// chunks in a slabChunks. The session's made chunks record it.
func nextChunk[E any](s *Session, list func(*slabChunks) *[][]E, need, n int) []E {
	size := unsafe.Sizeof(*new(E))
	var ch []E
	if s.spare != nil {
		if l := list(s.spare); len(*l) > 0 && len((*l)[len(*l)-1]) >= need {
			ch = (*l)[len(*l)-1]
			(*l)[len(*l)-1] = nil
			*l = (*l)[:len(*l)-1]
			s.spare.bytes -= uintptr(len(ch)) * size
		}
	}
	if ch == nil {
		ch = make([]E, n)
	}
	l := list(&s.made)
	*l = append(*l, ch)
	s.made.bytes += uintptr(len(ch)) * size
	return ch
}

func (c *slabChunks) stateChunks() *[][]instState { return &c.states }
func (c *slabChunks) relChunks() *[][]relState    { return &c.rels }

// takeSnaps returns a spare snapshot chunk of p's type (nil: none).
func (c *slabChunks) takeSnaps(p *plan) *snapSlab {
	if c == nil {
		return nil
	}
	chs := c.snaps[p]
	if len(chs) == 0 {
		return nil
	}
	sl := chs[len(chs)-1]
	c.bytes -= uintptr(sl.n) * sl.size
	chs[len(chs)-1] = nil
	c.snaps[p] = chs[:len(chs)-1]
	return sl
}

// clear zeroes the slab's structs (all of them: a reflect.Value of the
// part handed out would cost an allocation).
func (sl *snapSlab) clear() {
	if sl.next > 0 {
		sl.v.Clear()
		sl.next = 0
	}
}
