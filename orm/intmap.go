package orm

import "math/rand/v2"

// intMap is the identity map's table for the objects of one hierarchy
// root whose primary key is a single integer (the usual case): an open
// addressing hash table with linear probing over two parallel slices.
//
// A load looks every row's key up and inserts the new ones. The
// runtime's map spends about 90 instructions on a missing int64 key and
// 125 on inserting it (measured with callgrind on the 100×10 eager load);
// this table spends a fraction of that, because the keys are hashed with
// a few multiplications, the probe reads one slice of keys, and nothing
// is shared with other key types.
//
// The hash is seeded per table, so that keys chosen to collide (ids are
// often under a client's control) cannot be prepared in advance.
type intMap struct {
	keys []int64
	vals []*instState // nil: an empty slot; tombstone: a deleted one
	mask uint64
	seed uint64
	n    int // live entries
	used int // live entries and tombstones
}

// tombstone marks a slot whose entry was deleted: probes go on past it.
var tombstone = new(instState)

// minIntMapSlots is the smallest table made.
const minIntMapSlots = 16

func newIntMap(room int) *intMap {
	m := &intMap{seed: rand.Uint64()}
	if room > 0 {
		m.resize(room)
	}
	return m
}

// slots is the table size for n entries: a power of two at least 4n/3,
// so that the table stays at most three quarters full.
func slotsFor(n int) int {
	s := minIntMapSlots
	for s*3 < n*4 {
		s <<= 1
	}
	return s
}

func (m *intMap) hash(k int64) uint64 {
	// the finalizer of splitmix64: every key bit reaches the low bits
	// the mask keeps
	z := uint64(k) ^ m.seed
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// get returns k's state, or nil.
func (m *intMap) get(k int64) *instState {
	if m.n == 0 {
		return nil
	}
	for i := m.hash(k) & m.mask; ; i = (i + 1) & m.mask {
		v := m.vals[i]
		if v == nil {
			return nil
		}
		if m.keys[i] == k && v != tombstone {
			return v
		}
	}
}

// lookup returns k's state; when there is none, slot is where an
// insert of k goes (see putAt), or -1 when the table must grow first.
func (m *intMap) lookup(k int64) (st *instState, slot int) {
	if (m.used+1)*4 > len(m.vals)*3 {
		return m.get(k), -1
	}
	at := -1
	for i := m.hash(k) & m.mask; ; i = (i + 1) & m.mask {
		v := m.vals[i]
		if v == nil {
			if at < 0 {
				at = int(i)
			}
			return nil, at
		}
		if v == tombstone {
			if at < 0 {
				at = int(i)
			}
		} else if m.keys[i] == k {
			return v, -1
		}
	}
}

// putAt adds k's state st at slot, which lookup(k) returned with the
// table unchanged since; slot -1 is put.
func (m *intMap) putAt(slot int, k int64, st *instState) {
	if slot < 0 {
		m.put(k, st)
		return
	}
	if m.vals[slot] == nil {
		m.used++
	}
	m.keys[slot], m.vals[slot] = k, st
	m.n++
}

// put sets k's state (st is never nil).
func (m *intMap) put(k int64, st *instState) {
	if (m.used+1)*4 > len(m.vals)*3 {
		m.resize(max(m.n+1, 2*m.n))
	}
	at := -1
	i := m.hash(k) & m.mask
	for ; ; i = (i + 1) & m.mask {
		v := m.vals[i]
		if v == nil {
			break
		}
		if v == tombstone {
			if at < 0 {
				at = int(i)
			}
		} else if m.keys[i] == k {
			m.vals[i] = st
			return
		}
	}
	if at >= 0 {
		i = uint64(at) // reuse the first tombstone on the way
	} else {
		m.used++
	}
	m.keys[i], m.vals[i] = k, st
	m.n++
}

// del removes k.
func (m *intMap) del(k int64) {
	if m.n == 0 {
		return
	}
	for i := m.hash(k) & m.mask; ; i = (i + 1) & m.mask {
		v := m.vals[i]
		if v == nil {
			return
		}
		if m.keys[i] == k && v != tombstone {
			m.vals[i] = tombstone
			m.n--
			return
		}
	}
}

// len is the number of entries.
func (m *intMap) len() int { return m.n }

// room is how many entries the table holds before it grows.
func (m *intMap) room() int { return len(m.vals) * 3 / 4 }

// grow makes room for n more entries.
func (m *intMap) grow(n int) {
	if m.used+n > m.room() {
		m.resize(m.n + n)
	}
}

// resize moves the entries into a table made for n (at least m.n)
// entries, dropping the tombstones.
func (m *intMap) resize(n int) {
	keys, vals := m.keys, m.vals
	size := slotsFor(max(n, m.n))
	m.keys, m.vals = make([]int64, size), make([]*instState, size)
	m.mask = uint64(size - 1)
	m.used = m.n
	for j, v := range vals {
		if v == nil || v == tombstone {
			continue
		}
		i := m.hash(keys[j]) & m.mask
		for m.vals[i] != nil {
			i = (i + 1) & m.mask
		}
		m.keys[i], m.vals[i] = keys[j], v
	}
}

// all iterates the states (in no order). The yield function may delete
// entries and add them; an entry added during the iteration may or may
// not be seen, as with a Go map.
func (m *intMap) all(yield func(*instState) bool) {
	keys, vals := m.keys, m.vals
	for j, v := range vals {
		if v == nil || v == tombstone {
			continue
		}
		if len(m.vals) != len(vals) && m.get(keys[j]) != v {
			// (yield grew the table, which leaves the old slices as they
			// were: an entry deleted since is not in the new one)
			continue
		}
		if !yield(v) {
			return
		}
	}
}

// clear removes every entry, keeping the table.
func (m *intMap) clear() {
	if m.used == 0 {
		return
	}
	clear(m.vals)
	m.n, m.used = 0, 0
}
