package orm

import (
	"fmt"
	"reflect"
	"unsafe"
)

// State is an object's state relative to a Session, as in SQLAlchemy.
type State uint8

// Object states.
const (
	// Transient: not in the session and without a database identity.
	Transient State = iota
	// Pending: added to the session, to be INSERTed at the next flush.
	Pending
	// Persistent: in the session's identity map, with a row in the database.
	Persistent
	// Deleted: deleted in a flush; becomes Detached when the transaction
	// commits, Persistent again if it rolls back.
	Deleted
	// Detached: had an identity in this session, and has left it
	// (Expunge, Close, or commit of a deletion). The session forgets a
	// detached object, so this state appears in transition events only;
	// see Session.StateOf.
	Detached
)

func (s State) String() string {
	switch s {
	case Transient:
		return "transient"
	case Pending:
		return "pending"
	case Persistent:
		return "persistent"
	case Deleted:
		return "deleted"
	case Detached:
		return "detached"
	}
	return fmt.Sprintf("State(%d)", uint8(s))
}

// objKey identifies a tracked object: its address and its type (a struct
// and its first embedded field share an address).
type objKey struct {
	p unsafe.Pointer
	t *plan // one plan per mapped type: cheaper to hash than a reflect.Type
}

// identityKey is an identity map key: the hierarchy's root mapper and the
// primary key values, normalised so that equal keys compare equal.
type identityKey struct {
	root *plan
	n0   int64 // the first key value when it is an integer (k0 is then nil)
	k0   any
	k1   any
	more string // the third and later key values, rendered
}

// instState is the Session's bookkeeping for one object.
type instState struct {
	ptr unsafe.Pointer // the struct of the *T the program holds
	p   *plan
	// the identity key: n0 for a key of one integer (kx nil), else kx
	// (see key)
	n0 int64
	kx *identityKey
	// snap holds the field values as the database has them in this
	// transaction (set at load and after each flush); committed holds them
	// as of the last commit or of the load, for rollback. Both point to
	// structs of the object's type; they may be the same.
	snapP      unsafe.Pointer
	committedP unsafe.Pointer
	// rels is the bookkeeping of the relationships (see relState): nrels
	// of them from rels on (see relSlice), nil until first needed (a
	// pointer and a length rather than a slice: a smaller state)
	rels *relState
	// ln is the load node the object was loaded at when a query's loader
	// options or column choices apply to it (nil: the mapping's); its
	// later explicit loads follow it
	ln         *loadNode
	order      int32 // insert order of a pending object
	nrels      int32
	st         State
	keyd       bool // the key is set
	expired    bool
	genPK      bool // the database made the primary key in this transaction
	insertedTx bool // INSERTed in the current transaction
	deleting   bool // marked by Delete, to be deleted at the next flush
}

// relSlice is the relationships' bookkeeping (nil until first needed).
func (st *instState) relSlice() []relState {
	if st.rels == nil {
		return nil
	}
	return unsafe.Slice(st.rels, st.nrels)
}

// setRels sets the relationships' bookkeeping.
func (st *instState) setRels(rs []relState) {
	if len(rs) == 0 {
		st.rels, st.nrels = nil, 0
		return
	}
	st.rels, st.nrels = &rs[0], int32(len(rs))
}

// key is the object's identity key (valid when keyd).
func (st *instState) key() identityKey {
	if st.kx != nil {
		return *st.kx
	}
	return identityKey{root: st.p.rootPlan, n0: st.n0}
}

// setKey sets the identity key.
func (st *instState) setKey(k identityKey) {
	if k.isInt() && k.root == st.p.rootPlan {
		st.n0, st.kx = k.n0, nil
		return
	}
	kx := new(identityKey)
	*kx = k
	st.kx = kx
}

// sv is the object's struct (addressable).
func (st *instState) sv() reflect.Value { return st.p.at(st.ptr).Elem() }

// snap is the snapshot struct (invalid when there is none).
func (st *instState) snap() reflect.Value {
	if st.snapP == nil {
		return reflect.Value{}
	}
	return st.p.at(st.snapP).Elem()
}

// setSnap sets the snapshot to v, an addressable struct of the object's
// type (or the zero Value for none).
func (st *instState) setSnap(v reflect.Value) {
	if !v.IsValid() {
		st.snapP = nil
		return
	}
	st.snapP = v.Addr().UnsafePointer()
}

// committed is the struct of the committed values (see snap).
func (st *instState) committed() reflect.Value {
	if st.committedP == nil {
		return reflect.Value{}
	}
	return st.p.at(st.committedP).Elem()
}

// object is the *T the program holds.
func (st *instState) object() any { return st.p.iface(st.ptr) }

// newState returns a zeroed instState from the session's slab: states
// are allocated in chunks (growing to 256) rather than one by one, which
// halves the allocations of a large flush or load. A chunk stays in
// memory while any of its states is referenced.
func (s *Session) newState() *instState {
	if len(s.stateSlab) == 0 {
		n := min(max(2*s.stateChunk, 8, min(s.stateWant, 256)), 256)
		s.stateSlab = nextChunk(s, (*slabChunks).stateChunks, 1, n)
		s.stateChunk = len(s.stateSlab)
	}
	st := &s.stateSlab[0]
	s.stateSlab = s.stateSlab[1:]
	if s.stateWant > 0 {
		s.stateWant--
	}
	return st
}

// expectRows tells the slabs that a load is about to read about n rows
// (a guess from the statement's last result): their next chunks are made
// for them at once instead of growing from 8.
func (s *Session) expectRows(n int) {
	// (a row reader takes its struct for the next row before it knows
	// that there is none: one more)
	s.objSlabs.want, s.snaps.want, s.stateWant = n+1, n, n
}

// snapSlab hands out structs of one type from slices allocated together,
// so that loading or flushing many objects does not allocate one struct
// each. A slab is kept alive while any of its structs is.
type snapSlab struct {
	v    reflect.Value  // the slice
	base unsafe.Pointer // the slice's array
	size uintptr        // the struct size
	n    int            // the slice's length
	next int
}

// slabs are a session's slabs per plan, with the last one used at hand.
type slabs struct {
	by    map[*plan]*snapSlab
	lastP *plan
	last  *snapSlab
	// made records the chunks made or reused (when set: see recycle.go),
	// spare are a closed session's, cleared
	made  *slabChunks
	spare *slabChunks
	// want is how many more structs a load expects to take: a chunk made
	// meanwhile holds that many (within the usual bounds) rather than
	// growing from 8
	want int
}

// take returns a zero addressable struct of p's type.
func (sb *slabs) take(p *plan) reflect.Value { return p.at(sb.takePtr(p)).Elem() }

// takePtr returns a pointer to a zero struct of p's type.
func (sb *slabs) takePtr(p *plan) unsafe.Pointer {
	sl := sb.last
	if sb.lastP != p {
		sl = sb.by[p]
	}
	if sl == nil || sl.next == sl.n {
		n := 8
		if sl != nil {
			// chunks of up to 256 structs and about 32 KiB: a program
			// holding one object keeps its chunk alive
			n = max(min(2*sl.n, 256, int(32<<10/max(p.typ.Size(), 1))), 8)
		}
		if sb.want > n {
			n = max(min(sb.want, 256, int(32<<10/max(p.typ.Size(), 1))), n)
		}
		if sl = sb.spare.takeSnaps(p); sl == nil {
			v := reflect.MakeSlice(reflect.SliceOf(p.typ), n, n)
			sl = &snapSlab{v: v, base: v.UnsafePointer(), size: p.typ.Size(), n: n}
		}
		if sb.made != nil {
			if sb.made.snaps == nil {
				sb.made.snaps = map[*plan][]*snapSlab{}
			}
			sb.made.snaps[p] = append(sb.made.snaps[p], sl)
			sb.made.bytes += uintptr(sl.n) * sl.size
		}
		if sb.by == nil {
			sb.by = map[*plan]*snapSlab{}
		}
		sb.by[p] = sl
	}
	sb.lastP, sb.last = p, sl
	ptr := unsafe.Add(sl.base, uintptr(sl.next)*sl.size)
	sl.next++
	if sb.want > 0 {
		sb.want--
	}
	return ptr
}

// snapshot is takeSnapshot with the struct taken from the session's slab
// for st's type.
func (s *Session) snapshot(st *instState) reflect.Value {
	return st.copyInto(s.snaps.take(st.p))
}

// snapshotPtr is snapshot as a pointer to the snapshot struct.
func (s *Session) snapshotPtr(st *instState) unsafe.Pointer {
	c := s.snaps.takePtr(st.p)
	if st.p.copier != nil && len(st.p.deepIdx) == 0 {
		// (the common case, without a Value for either struct)
		st.p.copier.copy(c, st.ptr)
		return c
	}
	st.copyInto(st.p.at(c).Elem())
	return c
}

// takeSnapshot copies the object's current field values as the database's.
func (st *instState) takeSnapshot() reflect.Value {
	return st.copyInto(reflect.New(st.p.typ).Elem())
}

// copyInto copies the object's fields into c (addressable), deeply where
// the program could change a value in place.
func (st *instState) copyInto(c reflect.Value) reflect.Value {
	if st.p.copier != nil {
		st.p.copier.copy(c.Addr().UnsafePointer(), st.ptr)
	} else {
		c.Set(st.sv())
	}
	for _, i := range st.p.deepIdx {
		ap := st.p.attrs[i]
		f := ap.field(c)
		f.Set(deepCopy(ap.field(st.sv()), ap.mutable))
	}
	return c
}

// zeroGeneratedKey clears key fields the database made (autoincrement,
// identity, sequence, server default) after the INSERT that made them was
// rolled back, so that the object can be inserted again.
func (st *instState) zeroGeneratedKey() {
	if !st.genPK {
		return
	}
	for _, ap := range st.p.pk {
		if ap.autoinc || ap.serverDefault {
			ap.field(st.sv()).SetZero()
		}
	}
	st.genPK = false
}

// modified returns the attributes whose value differs from the snapshot.
func (st *instState) modified(dst []*attrPlan) []*attrPlan {
	if !st.snap().IsValid() {
		return append(dst, st.p.attrs...)
	}
	for _, ap := range st.p.attrs {
		if !ap.eq(ap.field(st.sv()), ap.field(st.snap())) {
			dst = append(dst, ap)
		}
	}
	return dst
}

// Info describes a tracked object (SQLAlchemy's inspect(obj)).
type Info struct {
	State State
	// Identity is the primary key as the identity map knows it, or nil.
	Identity []any
	// Modified lists the Go field paths changed since the object was
	// loaded or last flushed.
	Modified []string
	// Expired reports that the next load of this row refreshes the object.
	Expired bool
}

// objMap finds a tracked object's state by its address. It is keyed by
// the address alone (an 8-byte key hashes faster than the pair) and
// checks the type on the way out: a struct and its first embedded field
// share an address, and only the type the session tracks matches.
//
// The states of objects a load brings in wait in loaded (an append is
// much cheaper than a map insert) until the first operation that needs
// the map moves them there: a session that only reads never pays for the
// map entries of what it loaded.
type objMap struct {
	m      map[unsafe.Pointer]*instState
	loaded []*instState
}

// index moves the loaded states into the map.
func (m *objMap) index() {
	if len(m.loaded) == 0 {
		return
	}
	for _, st := range m.loaded {
		m.m[st.ptr] = st
	}
	clear(m.loaded)
	m.loaded = m.loaded[:0]
}

func (m *objMap) get(k objKey) *instState {
	m.index()
	if st := m.m[k.p]; st != nil && (st.p == k.t || st.p.ancestors != nil && st.p.isA(k.t)) {
		// (a subtype's object is found from a pointer to its embedded
		// base too: the base is its first field)
		return st
	}
	return nil
}

func (m *objMap) put(k objKey, st *instState) {
	m.index()
	m.m[k.p] = st
}

// putLoaded adds the state of an object a load made (its address is
// st.ptr, new to the session).
func (m *objMap) putLoaded(st *instState) { m.loaded = append(m.loaded, st) }

func (m *objMap) del(k objKey) {
	if st := m.get(k); st != nil {
		delete(m.m, k.p)
	}
}

// len is the number of tracked objects.
func (m *objMap) len() int { return len(m.m) + len(m.loaded) }

// all iterates the states (in no order). The yield function may add
// and remove objects.
func (m *objMap) all(yield func(*instState) bool) {
	m.index()
	for _, st := range m.m {
		if !yield(st) {
			return
		}
	}
}

// each iterates the states (in no order) without moving the loaded ones
// into the map: the yield function must not add or remove objects.
func (m *objMap) each(yield func(*instState) bool) {
	for _, st := range m.loaded {
		if !yield(st) {
			return
		}
	}
	for _, st := range m.m {
		if !yield(st) {
			return
		}
	}
}

// reset forgets every object, keeping the room.
func (m *objMap) reset() {
	clear(m.m)
	clear(m.loaded)
	m.loaded = m.loaded[:0]
}
