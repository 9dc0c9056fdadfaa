package orm

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"unsafe"

	"github.com/retort-orm/retort/core"
)

// Rows to objects. A query's rows hold one or more entities side by side:
// the query's own, then those of joined eager loads (each through its
// anonymous alias). A slot describes one entity's columns in the row;
// each row is scanned straight into fresh structs, one per slot, which
// then go through the identity map (absorb): a row whose object the
// session already has leaves that object as it is (unless refreshing or
// populating) and its scratch struct is reused for the next row.

// slot is one entity's place in a row.
type slot struct {
	n      *loadNode
	off    int      // its first column
	parent int      // the slot of the object it relates to, -1 for none
	rp     *relPlan // the relationship from the parent slot's object
	// optional: the entity is outer-joined, so a row may hold NULL in
	// every one of its columns (no object)
	optional bool
	nulls    []core.NullOK // per column of an optional slot
	// pos, when set, is each column's place in the row (a textual
	// statement's columns come in its own order, matched by name), and
	// width the row's length; columns of no attribute are skipped
	pos    []int
	width  int
	pnulls []core.NullOK  // per property (a NULL leaves the zero value)
	spare  unsafe.Pointer // the T to scan the next row into
	// poly: the entity's rows may be of its subtypes (picked by the
	// discriminator); inline: the row has the subtypes' own columns
	// after the entity's (see polyInfo), scanned into gspare (one *S
	// per group) through gnulls
	poly   *polyInfo
	inline bool
	gspare []reflect.Value
	gnulls []core.NullOK
	// disc is the row's polymorphic union discriminator (when the
	// union's own column: polyInfo.udisc); subs how the rows of each
	// subtype are read
	disc string
	subs map[*plan]slotSub
	// joined collections: per parent object, its members in row order
	groups map[*instState]int
	lists  [][]*instState
	owners []*instState
	seen   map[[2]*instState]bool
	// kids are the objects this slot loaded, once each, in row order
	kids    []*instState
	kidSeen map[*instState]bool
}

// rowReader reads a result's rows into objects.
type rowReader struct {
	s     *Session
	mode  loadMode
	slots []*slot
	extra []any // more columns after the slots', scanned into these
	dest  []any
	// ints holds the columns read into integer fields narrower than
	// int64 (int, int32 …): the driver reads an *int64 straight from the
	// row, and the value is then stored in the field (see next)
	ints []int64
	conv [][]int      // per slot, the columns (of its cols) read through ints
	row  []*instState // per slot, the current row's object (nil: none)
	// loaded are the objects new to the session, for the load event
	// (kept only when someone listens: fireLoad)
	loaded   []*instState
	fireLoad bool
	// polyLoads are the objects of subtypes whose own columns the rows
	// did not have, loaded after the rows (selectin_polymorphic)
	polyLoads []*instState
	hinted    bool // the result's expected size was told to the slabs
	// fields, when set, read each row of a lone plain slot straight into
	// its struct (core.Result.NextScanAt): every column a field of a
	// type the driver reads directly, no outer join, property, subtype
	// or extra column
	fields []core.DirectField
}

func newRowReader(s *Session, mode loadMode, slots []*slot, extra []any) *rowReader {
	r := &rowReader{s: s, mode: mode, slots: slots, extra: extra, row: make([]*instState, len(slots)),
		fireLoad: !instanceEvents[instLoad].Empty()}
	n := len(extra)
	for _, sl := range slots {
		if sl.pos != nil {
			n += sl.width
			continue
		}
		n += sl.span()
		if sl.inline && sl.gspare == nil {
			for _, g := range sl.poly.inline {
				sl.gspare = append(sl.gspare, reflect.New(g.sp.typ))
			}
			sl.gnulls = make([]core.NullOK, sl.poly.inlineWidth())
		}
		if sl.optional && sl.nulls == nil {
			sl.nulls = make([]core.NullOK, len(sl.n.cols))
		}
		if len(sl.n.props) > 0 && sl.pnulls == nil {
			sl.pnulls = make([]core.NullOK, len(sl.n.props))
		}
	}
	r.dest = make([]any, n)
	copy(r.dest[n-len(extra):], extra)
	r.conv = make([][]int, len(slots))
	for si, sl := range slots {
		if sl.optional {
			continue
		}
		for i, ap := range sl.n.cols {
			if narrowInt(ap.typ.Kind()) && !ap.scansAsInt64() {
				if r.ints == nil {
					r.ints = make([]int64, n)
				}
				r.conv[si] = append(r.conv[si], i)
			}
		}
	}
	r.fields = directFields(slots, extra, n, r.conv)
	return r
}

// directFields are the fields a row reader of slots reads each row into
// (a row n columns wide), or nil when the rows need the general path.
func directFields(slots []*slot, extra []any, n int, conv [][]int) []core.DirectField {
	if len(slots) != 1 || len(extra) > 0 || len(conv[0]) > 0 {
		return nil
	}
	sl := slots[0]
	if sl.optional || sl.poly != nil || sl.inline || len(sl.n.props) > 0 || sl.parent >= 0 {
		return nil
	}
	fields := make([]core.DirectField, n)
	for i, ap := range sl.n.cols {
		k := ap.directKind()
		if k == core.DirectNone {
			return nil
		}
		fields[sl.at(i)] = core.DirectField{Off: ap.off, Kind: k}
	}
	return fields
}

// narrowInt reports an integer kind other than int64, read through an
// int64.
func narrowInt(k reflect.Kind) bool {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32,
		reflect.Uint8, reflect.Uint16, reflect.Uint32:
		// (uint and uint64 may hold values above the int64 range)
		return true
	}
	return false
}

// next reads one row; false at the end.
func (r *rowReader) next(ctx context.Context, res *core.Result) (bool, error) {
	if !r.hinted {
		r.hinted = true
		if n := res.RowsHint(); n > 8 {
			r.s.expectRows(n)
		}
	}
	if r.fields != nil {
		return r.nextDirect(ctx, res)
	}
	for _, sl := range r.slots {
		if sl.spare == nil {
			// a new zero T from the session's object slab: loading many
			// rows allocates their structs in chunks (a chunk stays in
			// memory while the program holds any of its objects)
			sl.spare = r.s.objSlabs.takePtr(sl.n.p)
		}
		base := sl.spare
		var sv reflect.Value // (made only for a field not read at its offset)
		for i, ap := range sl.n.cols {
			var ptr any
			if ap.offOK {
				ptr = ap.scanPtrAt(base)
			} else {
				if !sv.IsValid() {
					sv = sl.n.p.at(base).Elem()
				}
				ptr = ap.field(sv).Addr().Interface()
			}
			if sl.optional {
				sl.nulls[i] = core.NullOK{Dest: ptr}
				r.dest[sl.at(i)] = &sl.nulls[i]
			} else {
				r.dest[sl.at(i)] = ptr
			}
		}
		if len(sl.n.props) > 0 && !sv.IsValid() {
			sv = sl.n.p.at(base).Elem()
		}
		for i, pl := range sl.n.props {
			sl.pnulls[i] = core.NullOK{Dest: pl.field(sv).Addr().Interface()}
			r.dest[sl.off+len(sl.n.cols)+i] = &sl.pnulls[i]
		}
		if sl.inline {
			at := sl.off + sl.n.width()
			k := 0
			for gi, g := range sl.poly.inline {
				gsv := sl.gspare[gi].Elem()
				for _, ap := range g.attrs {
					sl.gnulls[k] = core.NullOK{Dest: ap.field(gsv).Addr().Interface()}
					r.dest[at+k] = &sl.gnulls[k]
					k++
				}
			}
			if sl.poly.udisc != nil {
				r.dest[at+k] = &sl.disc
			}
		}
	}
	for si, sl := range r.slots {
		for _, i := range r.conv[si] {
			r.dest[sl.at(i)] = &r.ints[sl.at(i)]
		}
	}
	more, err := res.NextScanFixed(r.dest...)
	if err != nil || !more {
		return false, err
	}
	for si, sl := range r.slots {
		if len(r.conv[si]) == 0 {
			continue
		}
		sv := sl.n.p.at(sl.spare).Elem()
		for _, i := range r.conv[si] {
			ap := sl.n.cols[i]
			f := ap.field(sv)
			v := r.ints[sl.at(i)]
			if f.CanInt() {
				if f.OverflowInt(v) {
					return false, &core.ConversionError{Column: ap.col.Name(), Value: v, Msg: fmt.Sprintf("value %d overflows %s.%s (%s)", v, sl.n.p.name, ap.name, ap.typ)}
				}
				f.SetInt(v)
			} else {
				if v < 0 || f.OverflowUint(uint64(v)) {
					return false, &core.ConversionError{Column: ap.col.Name(), Value: v, Msg: fmt.Sprintf("value %d overflows %s.%s (%s)", v, sl.n.p.name, ap.name, ap.typ)}
				}
				f.SetUint(uint64(v))
			}
		}
	}
	for i, sl := range r.slots {
		r.row[i] = nil
		if sl.optional && r.absent(sl) {
			continue
		}
		n, obj := sl.n, sl.spare
		if sl.poly != nil {
			var err error
			if n, obj, err = r.subtypeRow(sl); err != nil {
				return false, err
			}
		}
		st, fresh, err := r.s.absorb(ctx, n, obj, r.mode)
		if err != nil {
			return false, err
		}
		if fresh {
			if n == sl.n {
				sl.spare = nil
			} else if n.polyMissing {
				r.polyLoads = append(r.polyLoads, st)
			}
			if r.fireLoad {
				r.loaded = append(r.loaded, st)
			}
		}
		r.row[i] = st
	}
	for i, sl := range r.slots {
		if sl.parent < 0 {
			continue
		}
		if owner := r.row[sl.parent]; owner != nil {
			sl.add(owner, r.row[i])
		}
	}
	return true, nil
}

// nextDirect is next for a reader with fields: the row is read straight
// into the slot's spare struct.
func (r *rowReader) nextDirect(ctx context.Context, res *core.Result) (bool, error) {
	sl := r.slots[0]
	if sl.spare == nil {
		sl.spare = r.s.objSlabs.takePtr(sl.n.p)
	}
	more, err := res.NextScanAt(sl.spare, r.fields)
	if err != nil || !more {
		return false, err
	}
	st, fresh, err := r.s.absorb(ctx, sl.n, sl.spare, r.mode)
	if err != nil {
		r.row[0] = nil
		return false, err
	}
	if fresh {
		sl.spare = nil
		if r.fireLoad {
			r.loaded = append(r.loaded, st)
		}
	}
	r.row[0] = st
	return true, nil
}

// absent reports an outer-joined slot whose primary key is NULL.
func (r *rowReader) absent(sl *slot) bool {
	for i, ap := range sl.n.cols {
		if ap.pk && sl.nulls[i].Null {
			return true
		}
	}
	return false
}

// add records child (nil: none) under owner for the slot's relationship.
func (sl *slot) add(owner, child *instState) {
	if sl.groups == nil {
		sl.groups = map[*instState]int{}
		sl.seen = map[[2]*instState]bool{}
		sl.kidSeen = map[*instState]bool{}
	}
	g, ok := sl.groups[owner]
	if !ok {
		g = len(sl.lists)
		sl.groups[owner] = g
		sl.lists = append(sl.lists, nil)
		sl.owners = append(sl.owners, owner)
	}
	if child == nil {
		return
	}
	if !sl.kidSeen[child] {
		sl.kidSeen[child] = true
		sl.kids = append(sl.kids, child)
	}
	k := [2]*instState{owner, child}
	if sl.seen[k] {
		return
	}
	sl.seen[k] = true
	sl.lists[g] = append(sl.lists[g], child)
}

// finish stores each joined slot's objects in their owners' relationship
// fields: owners whose relationship was not loaded yet, or all of them
// when populating. It resets the slots for the next batch.
func (r *rowReader) finish() {
	for _, sl := range r.slots {
		if sl.parent < 0 {
			continue
		}
		for g, owner := range sl.owners {
			rels, _ := owner.p.relations()
			if owner.st == Pending || (r.s.relsOf(owner, rels)[sl.rp.i].loaded && r.mode == loadNormal) {
				continue
			}
			if r.mode != loadNormal {
				r.s.clearRelated(sl.rp, owner)
			}
			r.s.setRelated(sl.rp, owner, sl.lists[g])
		}
	}
}

// reset forgets the slots' collected objects (between yield_per batches).
func (r *rowReader) reset() {
	for _, sl := range r.slots {
		sl.groups, sl.lists, sl.owners, sl.seen = nil, nil, nil, nil
		sl.kids, sl.kidSeen = nil, nil
	}
	r.loaded = r.loaded[:0]
	r.polyLoads = r.polyLoads[:0]
}

// loadPolymorphic loads the subtype columns the rows read so far lacked.
func (r *rowReader) loadPolymorphic(ctx context.Context) error {
	if len(r.polyLoads) == 0 {
		return nil
	}
	err := r.s.loadPolymorphic(ctx, r.polyLoads)
	r.polyLoads = r.polyLoads[:0]
	return err
}

// fireLoads fires the load event for the objects new to the session.
func (r *rowReader) fireLoads(ctx context.Context) error {
	for _, st := range r.loaded {
		if err := r.s.fireInstance(ctx, instLoad, st); err != nil {
			return err
		}
	}
	return nil
}

// absorb takes the object scanned into nv (a fresh *T of n's type)
// through the identity map: a new row becomes a persistent object
// (fresh), an existing object is refreshed when the mode or its
// expiry says so and is otherwise left as it is.
func (s *Session) absorb(ctx context.Context, n *loadNode, ptr unsafe.Pointer, mode loadMode) (st *instState, fresh bool, err error) {
	p := n.p
	var key identityKey
	var ints *intMap // the root's integer keys, for one int64 key
	slot := -1       // where in ints the key goes
	if p.pkInt64 != nil {
		// one int64 key field, read at its offset, looked up in its
		// root's map directly
		key = identityKey{root: p.rootPlan, n0: *(*int64)(unsafe.Add(ptr, p.pkInt64.off))}
		ints = s.identity.ints(p.rootPlan, true)
		st, slot = ints.lookup(key.n0)
	} else {
		var ok bool
		if key, ok = p.keyOfStruct(p.at(ptr).Elem()); !ok {
			return nil, false, &InvalidRequestError{Msg: fmt.Sprintf("a row of %s has a NULL primary key", p.name)}
		}
		st, _ = s.identity.get(key)
	}
	var ln *loadNode
	if n.partial || n.tree != nil {
		ln = n
	}
	if st == nil {
		st = s.newState() // zeroed: only the fields to set are written
		st.ptr, st.p, st.ln = ptr, p, ln
		st.st, st.keyd = Persistent, true
		if ints != nil {
			st.n0 = key.n0
			ints.putAt(slot, key.n0, st)
		} else {
			st.setKey(key)
			s.identity.put(key, st)
		}
		st.snapP = s.snapshotPtr(st)
		st.committedP = st.snapP
		s.objs.putLoaded(st)
		if p.hasRels {
			s.relTracked = true
			if p.hasInstrumented() {
				s.bindCollections(st)
			}
		}
		s.transition(st, Transient, Persistent)
		if s.streamed != nil {
			*s.streamed = append(*s.streamed, st)
		}
		return st, true, nil
	}
	return s.absorbKnown(ctx, n, p.at(ptr).Elem(), st, ln, mode)
}

// absorbKnown is absorb of a row (scanned into sv) of an object the
// session has (st).
func (s *Session) absorbKnown(ctx context.Context, n *loadNode, sv reflect.Value, st *instState, ln *loadNode, mode loadMode) (*instState, bool, error) {
	p := n.p
	switch {
	case st.p != p:
		// held by an object of another mapped type (the callers check)
	case !st.expired && mode == loadNormal:
		// columns the object has not loaded yet come from this row (as
		// SQLAlchemy populates unloaded attributes of an existing object)
		if cur := st.loadedAt(); cur != n && cur.partial {
			s.fillUnloaded(st, cur, n, sv)
		}
	case mode == loadRefresh || mode == loadPopulate:
		if p.hasRels || n.partial || len(n.props) > 0 {
			// the loaded columns only: relationship fields keep their
			// objects (and count as unloaded after a Refresh)
			for _, ap := range n.cols {
				ap.field(st.sv()).Set(ap.field(sv))
			}
			n.copyProps(st.sv(), sv)
		} else {
			st.sv().Set(sv)
		}
		if n.partial {
			fresh := reflect.New(st.p.typ).Elem()
			fresh.Set(st.snap())
			for _, ap := range n.cols {
				ap.field(fresh).Set(deepCopyIf(ap, ap.field(sv)))
			}
			st.setSnap(fresh)
		} else {
			st.setSnap(st.takeSnapshot())
		}
		st.committedP = st.snapP
		st.expired = false
		st.ln = ln
		if err := s.fireInstance(ctx, instRefresh, st); err != nil {
			return nil, false, err
		}
	case st.expired:
		// keep the fields changed since the snapshot, refresh the rest
		for _, ap := range n.cols {
			cur, old := ap.field(st.sv()), ap.field(st.snap())
			if ap.eq(cur, old) {
				cur.Set(ap.field(sv))
			}
		}
		n.copyProps(st.sv(), sv)
		fresh := reflect.New(st.p.typ).Elem()
		fresh.Set(st.snap())
		for _, ap := range n.cols {
			ap.field(fresh).Set(deepCopyIf(ap, ap.field(sv)))
		}
		st.setSnap(fresh)
		st.committedP = st.snapP
		st.expired = false
		st.ln = ln
		if err := s.fireInstance(ctx, instRefresh, st); err != nil {
			return nil, false, err
		}
	}
	return st, false, nil
}

// deepCopyIf copies v deeply when the attribute needs it (a snapshot must
// not share what the object holds).
func deepCopyIf(ap *attrPlan, v reflect.Value) reflect.Value {
	if ap.deep {
		return deepCopy(v, ap.mutable)
	}
	return v
}

// copyProps copies the loaded SQL-expression attributes from src to dst.
func (n *loadNode) copyProps(dst, src reflect.Value) {
	for _, pl := range n.props {
		pl.field(dst).Set(pl.field(src))
	}
}

// span is the number of columns the slot takes in a row.
func (sl *slot) span() int {
	if sl.inline {
		n := sl.n.width() + sl.poly.inlineWidth()
		if sl.poly.udisc != nil {
			n++
		}
		return n
	}
	return sl.n.width()
}

// at is the row position of the slot's column i.
func (sl *slot) at(i int) int {
	if sl.pos != nil {
		return sl.pos[i]
	}
	return sl.off + i
}

// fillUnloaded copies the columns n loaded that st had not (cur is what
// it had) from the row in sv: into the snapshot, and into the object
// unless the program set them since.
func (s *Session) fillUnloaded(st *instState, cur, n *loadNode, sv reflect.Value) {
	var missing []*attrPlan
	for _, ap := range n.cols {
		if !slices.Contains(cur.cols, ap) {
			missing = append(missing, ap)
		}
	}
	if len(missing) == 0 {
		return
	}
	s.storeLoaded(st, missing, sv)
	st.ln = cur.withLoaded(missing, nil)
}

// storeLoaded stores the values of attrs read into src as the database's:
// into the snapshots, and into the object where the program has not set
// the field since the snapshot (a pending change is kept, and still
// written).
func (s *Session) storeLoaded(st *instState, attrs []*attrPlan, src reflect.Value) {
	obj, snap, comm := st.sv(), st.snap(), st.committed()
	for _, ap := range attrs {
		v := ap.field(src)
		if !snap.IsValid() || ap.eq(ap.field(obj), ap.field(snap)) {
			ap.field(obj).Set(v)
		}
		if snap.IsValid() {
			ap.field(snap).Set(deepCopyIf(ap, v))
		}
		if comm.IsValid() && st.committedP != st.snapP {
			ap.field(comm).Set(deepCopyIf(ap, v))
		}
	}
}
