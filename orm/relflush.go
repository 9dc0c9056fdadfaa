package orm

import (
	"cmp"
	"context"
	"fmt"
	"reflect"
	"slices"
	"unsafe"

	"github.com/retort-orm/retort/collections"
	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/declarative"
	"github.com/retort-orm/retort/registry"
)

// Relationships in the unit of work. Go cannot see a field change when it
// happens, so what SQLAlchemy's attribute events and dependency
// processors do as the program works is done here at flush, by comparing
// each relationship field with the snapshot the session took of it (the
// related objects' addresses at load or at the last flush):
//
//  1. save-update cascade: objects reachable from the session through
//     save-update relationships become pending;
//  2. ordering lists number their members;
//  3. each changed relationship is diffed: the other side of a
//     back_populates pair is brought in line in memory, foreign keys are
//     copied from parents to children (now when the parent's key is known,
//     else just before the child's row is written), removed children get
//     a NULL foreign key or, under delete-orphan, are deleted, many-to-many
//     additions and removals become secondary-table rows;
//  4. delete cascade: the relationships of deleted objects are loaded
//     when needed (not under passive_deletes) and their objects deleted,
//     or their foreign keys set to NULL, or their secondary rows deleted;
//  5. new objects of a delete-orphan relationship without a parent are
//     refused.
//
// What this collects (relFlush) goes into the flush plan: the row
// dependencies order the writes (topo.go), the syncs run before each
// batch, and the post_update and secondary statements run after the
// saves (persist.go).

// relFlush is one flush's relationship work.
type relFlush struct {
	s *Session
	// syncs: per child, the foreign keys to copy in before it is written
	syncs    map[*instState][]syncRec
	syncSlab []syncRec
	// the children whose foreign key comes from a parent whose key is not
	// known before the parent is written, with the attributes it fills
	deferred map[*instState][]*attrPlan
	// secondary rows to insert and delete (many-to-many)
	secIns, secDel         []secRow
	secInsSeen, secDelSeen map[secKey]bool
	// removals seen by the diffs, handled once every addition is known
	removals []removal
	// post_update: UPDATEs after the saves, and those that clear a
	// reference before the deletes
	postUpd, postNull []postRec
	postChild         map[*instState][]*relPlan // postUpd by child, made when needed
	// row dependencies: parent before child among the saves; child before
	// parent among the deletes
	saveDeps []rowDep
	delDeps  []rowDep
	// live: the states whose relationships were looked at (their
	// relationship snapshots are retaken after the flush)
	live   []*instState
	inLive map[*instState]bool
	cur    []reflect.Value // scratch
	// hasParent: per delete-orphan relationship, the children found in
	// some parent's collection
	hasParent map[*relPlan]map[unsafe.Pointer]bool
}

type removal struct {
	rp       *relPlan
	st, ms   *instState
	replaced bool
}

type syncRec struct {
	rp     *relPlan
	parent *instState // nil: set the foreign key to NULL
}

type secRow struct {
	rp            *relPlan // the relationship in whose orientation owner/target are
	owner, target *instState
}

type secKey struct {
	t    *core.Table
	a, b unsafe.Pointer
}

type postRec struct {
	rp    *relPlan
	child *instState // the row holding the foreign key
	ref   *instState // the referred row, nil for NULL
}

type rowDep struct {
	before, after *instState
	rp            *relPlan
}

// relsOf returns st's relationship states, making them on first use: a
// new object's relationships are loaded (what the program set is the
// value), a loaded object's are not until loaded.
func (s *Session) relsOf(st *instState, rels []*relPlan) []relState {
	if st.rels == nil && len(rels) > 0 {
		rs := s.newRelStates(len(rels))
		if st.st == Pending {
			for i := range rs {
				rs[i].loaded = true
			}
		}
		st.setRels(rs)
	}
	return st.relSlice()
}

// relLoaded reports whether st's relationship i is loaded, without
// making the relationship states (see relsOf).
func (st *instState) relLoaded(i int) bool {
	if st.rels == nil {
		return st.st == Pending
	}
	return st.relSlice()[i].loaded
}

// tracked returns the session's state of the related object m (a *T of
// rp.target's type), or nil.
func (s *Session) trackedAs(p *plan, m reflect.Value) *instState {
	return s.objs.get(objKey{p: m.UnsafePointer(), t: p})
}

// cascadeAdd adds the transient objects reachable from st through
// save-update relationships and returns the new states. The walk is depth
// first and numbers each object as it is reached, before its own
// relationships, as SQLAlchemy's cascade_iterator does, so that rows are
// inserted in the same order.
func (s *Session) cascadeAdd(st *instState, out []*instState) ([]*instState, error) {
	// one member buffer per depth, kept by the session (a listener that
	// adds objects from inside the walk gets buffers of its own)
	var bufs [][]reflect.Value
	if !s.cascading {
		s.cascading = true
		bufs = s.cascadeBufs
		defer func() { s.cascadeBufs, s.cascading = bufs, false }()
	}
	depth := 0
	collect := out != nil
	var visit func(cur *instState) error
	visit = func(cur *instState) error {
		rels, err := cur.p.relations()
		if err != nil {
			return err
		}
		if depth == len(bufs) {
			bufs = append(bufs, nil)
		}
		depth++
		defer func() { depth-- }()
		d := depth - 1
		for _, rp := range rels {
			if rp.viewonly || !rp.cascade.Has(declarative.CascadeSaveUpdate) {
				continue
			}
			bufs[d] = rp.current(cur.sv(), bufs[d][:0])
			for k := 0; k < len(bufs[d]); k++ {
				m := bufs[d][k]
				if s.trackedAs(rp.target, m) != nil {
					continue
				}
				if err := rp.checkAttachable(cur, m); err != nil {
					return err
				}
				ns, err := s.addState(m.Interface(), rp.target, m.Elem())
				if err != nil {
					return err
				}
				if collect {
					out = append(out, ns)
				}
				if ns.p.hasRels {
					if err := visit(ns); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}
	err := visit(st)
	return out, err
}

// checkAttachable refuses a related object the session does not track
// but whose database-made key is set: it was loaded or flushed by another
// session (or this one, before it was expunged), and saving it as new
// would INSERT its row again.
func (rp *relPlan) checkAttachable(from *instState, m reflect.Value) error {
	tp := rp.target
	for _, ap := range tp.pk {
		if (ap.autoinc || ap.serverDefault) && !ap.field(m.Elem()).IsZero() {
			return &InvalidRequestError{Msg: fmt.Sprintf("%s of %s %p refers to %s %p, whose key %v was made by the database but which this Session does not track: it belongs to another Session or was detached; Merge it into this Session first (or make it transient with MakeTransient in its own)", rp.name, from.p.name, from.object(), tp.name, m.Interface(), bindValue(ap.field(m.Elem())))}
		}
	}
	return nil
}

// addState makes obj (of plan p, struct sv) pending, as Add does.
func (s *Session) addState(obj any, p *plan, sv reflect.Value) (*instState, error) {
	if !p.writable {
		return nil, &InvalidRequestError{Msg: fmt.Sprintf("%s is mapped onto a select or a join and is read-only; it cannot be added", p.name)}
	}
	s.order++
	st := s.newState()
	*st = instState{ptr: sv.Addr().UnsafePointer(), p: p, st: Pending, order: s.order}
	k := keyOf(p, sv)
	s.objs.put(k, st)
	s.pending = append(s.pending, st)
	if err := s.fireInstance(context.Background(), instInit, st); err != nil {
		s.objs.del(k)
		s.pending = s.pending[:len(s.pending)-1]
		return nil, err
	}
	if p.hasRels {
		s.relTracked = true
		if p.hasInstrumented() {
			s.bindCollections(st)
		}
	}
	s.transition(st, Transient, Pending)
	return st, nil
}

// cascade calls fn with each tracked object reachable from st through
// loaded relationships whose cascade includes rule (st excluded, each
// once, depth first).
func (s *Session) cascade(st *instState, rule declarative.Cascade, fn func(*instState)) {
	seen := map[*instState]bool{st: true}
	stack := []*instState{st}
	var buf []reflect.Value
	for len(stack) > 0 {
		cur := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		rels, err := cur.p.relations()
		if err != nil {
			continue
		}
		for _, rp := range rels {
			if !rp.cascade.Has(rule) {
				continue
			}
			buf = rp.current(cur.sv(), buf[:0])
			for _, m := range buf {
				ms := s.trackedAs(rp.target, m)
				if ms == nil || seen[ms] {
					continue
				}
				seen[ms] = true
				fn(ms)
				stack = append(stack, ms)
			}
		}
	}
}

// prepareRelations does the relationship work of a flush (see above).
func (s *Session) prepareRelations(ctx context.Context) (*relFlush, error) {
	if !s.relTracked {
		return nil, nil
	}
	rf := &relFlush{s: s, syncs: map[*instState][]syncRec{}, deferred: map[*instState][]*attrPlan{}, secInsSeen: map[secKey]bool{}, secDelSeen: map[secKey]bool{}}
	// 1. save-update cascade from every new or changed object (an
	// unchanged one cannot have gained a new object: only a changed
	// relationship can hold one)
	// (pending in Add order, then changed persistent by key, then what
	// the cascade adds, in the order it reaches them)
	var live, changed []*instState
	for _, st := range s.pending {
		if st.p.hasRels && st.st == Pending {
			live = append(live, st)
		}
	}
	for st := range s.identity.all {
		if st.p.hasRels && st.st == Persistent && !st.deleting && st.relsDirty() {
			changed = append(changed, st)
		}
	}
	sortByKey(changed)
	live = append(live, changed...)
	for i, n := 0, len(live); i < n; i++ {
		// (cascadeAdd walks what it adds itself)
		var err error
		if live, err = s.cascadeAdd(live[i], live); err != nil {
			return nil, err
		}
	}
	rf.live = live
	rf.inLive = make(map[*instState]bool, len(live))
	for _, st := range live {
		rf.inLive[st] = true
	}
	// 2. ordering lists
	for _, st := range live {
		rf.reorder(st)
	}
	// 3. diffs (linkBack may append to rf.live the other sides it
	// changes, which are not diffed: they changed to agree)
	for _, st := range live {
		if err := rf.diff(ctx, st); err != nil {
			return nil, err
		}
	}
	// collections first: a child they orphan is deleted, and its own
	// cleared reference then needs nothing
	slices.SortStableFunc(rf.removals, func(a, b removal) int {
		return cmp.Compare(b2i(a.rp.dir == registry.ManyToOne), b2i(b.rp.dir == registry.ManyToOne))
	})
	for _, r := range rf.removals {
		if err := rf.removed(r.rp, r.st, r.ms, r.replaced); err != nil {
			return nil, err
		}
	}
	// 4. delete cascade (with loading of what it needs)
	if err := rf.cascadeDeletes(ctx); err != nil {
		return nil, err
	}
	// 5. orphans
	if err := rf.checkOrphans(); err != nil {
		return nil, err
	}
	// syncs whose parent key is known now are applied now, so that the
	// children's changes are seen like any other change
	for child, recs := range rf.syncs {
		if child.deleting || child.st != Pending && child.st != Persistent {
			continue
		}
		for _, r := range recs {
			if r.parent == nil || r.parent.st == Persistent {
				if err := rf.applySync(child, r); err != nil {
					return nil, err
				}
				continue
			}
			if d := rf.deferred[child]; d == nil {
				rf.deferred[child] = r.rp.fkAttrs[:len(r.rp.fkAttrs):len(r.rp.fkAttrs)] // shared, never appended in place
			} else {
				rf.deferred[child] = append(d, r.rp.fkAttrs...)
			}
			rf.saveDeps = append(rf.saveDeps, rowDep{before: r.parent, after: child, rp: r.rp})
		}
	}
	return rf, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// reorder numbers the members of st's ordering lists.
func (rf *relFlush) reorder(st *instState) {
	rels, _ := st.p.relations()
	var buf []reflect.Value
	for _, rp := range rels {
		if rp.ordering == nil {
			continue
		}
		if rs := &rf.s.relsOf(st, rels)[rp.i]; !rs.loaded && st.st != Pending {
			continue
		}
		buf = rp.current(st.sv(), buf[:0])
		collections.Reorder(buf, rp.ordering.index, rp.orderingFrom, nil)
	}
}

// diff compares st's relationships with their snapshots and records the
// work (see the steps above).
func (rf *relFlush) diff(ctx context.Context, st *instState) error {
	rels, err := st.p.relations()
	if err != nil {
		return err
	}
	states := rf.s.relsOf(st, rels)
	cur := rf.cur[:0]
	defer func() { rf.cur = cur }()
	for _, rp := range rels {
		if rp.viewonly {
			continue
		}
		rs := &states[rp.i]
		if rp.coll != nil {
			if err := rp.coll.Check(rp.relField(st.sv())); err != nil {
				return &InvalidRequestError{Msg: fmt.Sprintf("%s of %s %p: %v", rp.name, st.p.name, st.object(), err)}
			}
		}
		if st.st != Pending && rp.unchanged(st.sv(), rs) {
			continue
		}
		cur = rp.current(st.sv(), cur[:0])
		if err := rf.fireDiffEvents(ctx, rp, st, rs, cur); err != nil {
			return err
		}
		// added: in cur, not in the snapshot; removed: in the snapshot,
		// not in cur
		snap := indexPtrs(rs.members)
		for _, m := range cur {
			if snap.has(m.UnsafePointer()) || rp.coll == nil && rs.ref == m.UnsafePointer() {
				continue
			}
			ms := rf.s.trackedAs(rp.target, m)
			if ms == nil {
				if rp.cascade.Has(declarative.CascadeSaveUpdate) {
					continue // cannot happen: cascadeAdd added it
				}
				return &InvalidRequestError{Msg: fmt.Sprintf("%s of %s %p refers to %s %p, which is not in this Session (the relationship has no save-update cascade); Add it first", rp.name, st.p.name, st.object(), rp.target.name, m.Interface())}
			}
			if err := rf.added(rp, st, ms); err != nil {
				return err
			}
		}
		// (an unloaded relationship's snapshot holds the objects the
		// session saw in it: those it wrote, or that were there when it
		// was expired; losing one of them is a known removal)
		var removed []unsafe.Pointer
		if rp.coll == nil {
			if rs.ref != nil && (len(cur) == 0 || cur[0].UnsafePointer() != rs.ref) {
				removed = append(removed, rs.ref)
			}
		} else if len(rs.members) > 0 {
			now := indexValues(cur)
			for _, p := range rs.members {
				if !now.has(p) {
					removed = append(removed, p)
				}
			}
		}
		if rp.writeOnly {
			// removals of members it never held
			for _, m := range rp.relField(st.sv()).Addr().Interface().(collections.Removals).Removed() {
				removed = append(removed, reflect.ValueOf(m).UnsafePointer())
			}
		}
		for _, p := range removed {
			ms := rf.s.objs.get(objKey{p: p, t: rp.target})
			if ms == nil {
				continue // expunged since: nothing to write
			}
			rf.removals = append(rf.removals, removal{rp: rp, st: st, ms: ms, replaced: len(cur) > 0 && rp.coll == nil})
		}
	}
	return nil
}

// fireDiffEvents fires the attribute events of a plain relationship
// field's change, found by comparing it with its snapshot (instrumented
// collections fired theirs as the changes happened).
func (rf *relFlush) fireDiffEvents(ctx context.Context, rp *relPlan, st *instState, rs *relState, cur []reflect.Value) error {
	s := rf.s
	if rp.instrumented || attrEvents[AttrAppend].Empty() && attrEvents[AttrRemove].Empty() && attrEvents[AttrSet].Empty() {
		return nil
	}
	objAt := func(p unsafe.Pointer) any {
		if ms := s.objs.get(objKey{p: p, t: rp.target}); ms != nil {
			return ms.object()
		}
		return reflect.NewAt(rp.target.typ, p).Interface()
	}
	if rp.coll == nil {
		var val, old any
		if len(cur) > 0 {
			val = cur[0].Interface()
		}
		if rs.ref != nil {
			old = objAt(rs.ref)
		}
		return s.fireAttr(ctx, st, AttributeEvent{Op: AttrSet, Field: rp.field, Value: val, Old: old, AtFlush: true})
	}
	snap := indexPtrs(rs.members)
	for _, m := range cur {
		if !snap.has(m.UnsafePointer()) {
			if err := s.fireAttr(ctx, st, AttributeEvent{Op: AttrAppend, Field: rp.field, Value: m.Interface(), AtFlush: true}); err != nil {
				return err
			}
		}
	}
	now := indexValues(cur)
	for _, p := range rs.members {
		if !now.has(p) {
			if err := s.fireAttr(ctx, st, AttributeEvent{Op: AttrRemove, Field: rp.field, Value: objAt(p), AtFlush: true}); err != nil {
				return err
			}
		}
	}
	return nil
}

// added records that ms joined st's relationship rp.
func (rf *relFlush) added(rp *relPlan, st, ms *instState) error {
	switch rp.dir {
	case registry.OneToMany:
		rf.linkBack(rp, st, ms, true)
		rf.addSync(ms, syncRec{rp: rp, parent: st})
	case registry.ManyToOne:
		rf.linkBack(rp, st, ms, true)
		rf.addSync(st, syncRec{rp: rp, parent: ms})
	case registry.ManyToMany:
		rf.linkBack(rp, st, ms, true)
		rf.secondary(rp, st, ms, true)
	}
	return nil
}

// removed records that ms left st's relationship rp (replaced: a scalar
// now holds another object).
func (rf *relFlush) removed(rp *relPlan, st, ms *instState, replaced bool) error {
	switch rp.dir {
	case registry.OneToMany:
		rf.linkBack(rp, st, ms, false)
		if ms.deleting || ms.st != Pending && ms.st != Persistent {
			return nil
		}
		switch {
		case rf.movedElsewhere(ms, rp):
			return nil
		case rp.cascade.Has(declarative.CascadeDeleteOrphan):
			return rf.s.deleteState(ms)
		}
		return rf.nullSync(ms, rp, st)
	case registry.ManyToOne:
		rf.linkBack(rp, st, ms, false)
		if replaced || st.deleting || st.st != Pending && st.st != Persistent {
			return nil
		}
		if b := rp.back; b != nil && b.cascade.Has(declarative.CascadeDeleteOrphan) && !rf.hasNewParent(st, rp) {
			// the child left its parent's delete-orphan collection
			return rf.s.deleteState(st)
		}
		return rf.nullSync(st, rp, ms)
	case registry.ManyToMany:
		rf.linkBack(rp, st, ms, false)
		rf.secondary(rp, st, ms, false)
		if rp.cascade.Has(declarative.CascadeDeleteOrphan) && !ms.deleting {
			// delete-orphan on a many-to-many needs single_parent: the
			// object had no other parent
			return rf.s.deleteState(ms)
		}
	}
	return nil
}

// movedElsewhere reports a child that got a parent through rp (or its
// back side) in this flush.
func (rf *relFlush) movedElsewhere(child *instState, rp *relPlan) bool {
	for _, r := range rf.syncs[child] {
		if r.parent != nil && (r.rp == rp || r.rp == rp.back) {
			return true
		}
	}
	// a later diff may still move it: look at its own many-to-one side
	if b := rp.back; b != nil && b.coll == nil {
		f := b.relField(child.sv())
		if !f.IsNil() {
			return true
		}
	}
	return false
}

// nullSync records that child's foreign key of rp is set to NULL.
func (rf *relFlush) nullSync(child *instState, rp *relPlan, oldParent *instState) error {
	for _, ap := range rp.fkAttrs {
		if !ap.nullable {
			what := fmt.Sprintf("removing %s %p from %s", child.p.name, child.object(), rp.name)
			if rp.dir == registry.ManyToOne {
				what = fmt.Sprintf("clearing %s of %s %p", rp.name, child.p.name, child.object())
			}
			hint := "add cascade delete-orphan to delete such children, or give it another parent"
			if oldParent != nil && oldParent.deleting {
				what = fmt.Sprintf("deleting %s %p leaves its %s %p without a parent, and", oldParent.p.name, oldParent.object(), child.p.name, child.object())
				hint = "add cascade delete (or all) to delete the children with it, or passive_deletes to leave them to ON DELETE CASCADE"
			}
			return &InvalidRequestError{Msg: fmt.Sprintf("%s would set %s to NULL, but the column is NOT NULL; %s", what, colName(ap), hint)}
		}
	}
	if rp.postUpdate {
		rf.postUpd = append(rf.postUpd, postRec{rp: rp, child: child})
		return nil
	}
	rf.addSync(child, syncRec{rp: rp})
	return nil
}

func (rf *relFlush) addSync(child *instState, r syncRec) {
	if r.rp.postUpdate && r.parent != nil {
		rf.postUpd = append(rf.postUpd, postRec{rp: r.rp, child: child, ref: r.parent})
		return
	}
	list := rf.syncs[child]
	for i, x := range list {
		if sameFK(x.rp, r.rp) {
			if r.parent != nil || x.parent == nil {
				list[i] = r
			}
			return
		}
	}
	if list == nil {
		// a child's first sync is carved from one slab (most children
		// have one)
		rf.syncSlab = append(rf.syncSlab, r)
		n := len(rf.syncSlab)
		rf.syncs[child] = rf.syncSlab[n-1 : n : n]
		return
	}
	rf.syncs[child] = append(list, r)
}

// sameFK reports two relationships writing the same foreign key (the two
// sides of a back_populates pair).
func sameFK(a, b *relPlan) bool {
	if a == b {
		return true
	}
	if len(a.fkAttrs) != len(b.fkAttrs) {
		return false
	}
	for i := range a.fkAttrs {
		if a.fkAttrs[i].col != b.fkAttrs[i].col {
			return false
		}
	}
	return true
}

// linkBack brings the back_populates side of rp in line in memory: ms
// joined (add) or left st's rp, so st joins or leaves ms's back side,
// where that side is loaded.
func (rf *relFlush) linkBack(rp *relPlan, st, ms *instState, add bool) {
	if rf.s.linkBack(rp, st, ms, add) && ms.st == Persistent && !rf.inLive[ms] {
		// its relationship snapshot is retaken after the flush
		rf.inLive[ms] = true
		rf.live = append(rf.live, ms)
	}
}

// linkBack is relFlush.linkBack, also used at once by instrumented
// collections; it reports whether it changed ms.
func (s *Session) linkBack(rp *relPlan, st, ms *instState, add bool) bool {
	b := rp.back
	if b == nil || b.viewonly {
		return false
	}
	f := b.relField(ms.sv())
	me := st.ptrAs(b.target)
	if b.coll == nil {
		switch {
		case add && (f.IsNil() || f.UnsafePointer() != me.UnsafePointer()):
			// the object's other parent loses it from its collection
			if !f.IsNil() && rp.coll != nil {
				if old := s.trackedAs(rp.owner, f); old != nil {
					rp.coll.Remove(rp.relField(old.sv()), ms.ptrAs(rp.target))
				}
			}
			f.Set(me)
			return true
		case !add && !f.IsNil() && f.UnsafePointer() == me.UnsafePointer():
			f.SetZero()
			return true
		}
		return false
	}
	// (an unloaded collection gets the addition as a pending one, as
	// SQLAlchemy's pending collections do; what it holds is what the
	// session saw in it, so a removal applies to it too)
	if add {
		if !b.coll.Contains(f, me) {
			_ = b.coll.Append(f, me)
			return true
		}
		return false
	}
	return b.coll.Remove(f, me)
}

// secondary records a many-to-many row to insert or delete, once per
// pair whichever side it was seen from.
func (rf *relFlush) secondary(rp *relPlan, owner, target *instState, add bool) {
	canon, o, t := rp, owner, target
	if b := rp.back; b != nil && b.name < rp.name {
		canon, o, t = b, target, owner
	}
	k := secKey{t: canon.secondary, a: unsafe.Pointer(o.sv().UnsafeAddr()), b: unsafe.Pointer(t.sv().UnsafeAddr())}
	seen := rf.secInsSeen
	if !add {
		seen = rf.secDelSeen
	}
	if seen[k] {
		return
	}
	seen[k] = true
	if add {
		rf.secIns = append(rf.secIns, secRow{rp: canon, owner: o, target: t})
	} else {
		rf.secDel = append(rf.secDel, secRow{rp: canon, owner: o, target: t})
	}
}

// parentsOf returns the objects held by rp (a delete-orphan
// relationship) of any tracked object, computed once per flush.
func (rf *relFlush) parentsOf(rp *relPlan) map[unsafe.Pointer]bool {
	if set, ok := rf.hasParent[rp]; ok {
		return set
	}
	if rf.hasParent == nil {
		rf.hasParent = map[*relPlan]map[unsafe.Pointer]bool{}
	}
	set := map[unsafe.Pointer]bool{}
	var buf []reflect.Value
	for st := range rf.s.objs.all {
		if st.p != rp.owner || st.deleting || st.st != Pending && st.st != Persistent {
			continue
		}
		buf = rp.current(st.sv(), buf[:0])
		for _, m := range buf {
			set[m.UnsafePointer()] = true
		}
	}
	rf.hasParent[rp] = set
	return set
}

// checkOrphans refuses a new object of a delete-orphan relationship that
// no parent holds (SQLAlchemy's "is an orphan" flush error).
func (rf *relFlush) checkOrphans() error {
	for _, st := range rf.s.pending {
		if st.st != Pending {
			continue
		}
		for _, rp := range st.p.orphanParents() {
			if b := rp.back; b != nil && b.coll == nil && !b.relField(st.sv()).IsNil() {
				continue // its parent is set (back_populates agree after the diffs)
			}
			if rf.parentsOf(rp)[unsafe.Pointer(st.sv().UnsafeAddr())] {
				continue
			}
			// a row that can exist without a parent (a nullable foreign
			// key: the root of a tree) or whose foreign key the program
			// set is written as it is, as SQLAlchemy does
			canBeNull, set := true, false
			for _, ap := range rp.fkAttrs {
				f := ap.field(st.sv())
				canBeNull = canBeNull && ap.nullable
				set = set || !isNull(f) && !f.IsZero()
			}
			if canBeNull || set {
				continue
			}
			return &InvalidRequestError{Msg: fmt.Sprintf("%s %p is an orphan: it is new, no %s holds it in %s (cascade delete-orphan), and its foreign key %s is NOT NULL and unset; add it to a %s's %s (or set its parent), or Expunge it", st.p.name, st.object(), rp.owner.name, rp.name, colName(rp.fkAttrs[0]), rp.owner.name, rp.field)}
		}
	}
	return nil
}

// orphanParents lists the delete-orphan one-to-many relationships, of
// any mapper of the registry, whose target is p.
func (p *plan) orphanParents() []*relPlan {
	if r := p.orphans.Load(); r != nil {
		return *r
	}
	var out []*relPlan
	if ms, err := p.m.Registry().Mappers(); err == nil {
		for _, m := range ms {
			rels, err := planFor(m).relations()
			if err != nil {
				continue
			}
			for _, rp := range rels {
				if rp.target == p && rp.dir == registry.OneToMany && !rp.viewonly && rp.cascade.Has(declarative.CascadeDeleteOrphan) {
					out = append(out, rp)
				}
			}
		}
	}
	p.orphans.Store(&out)
	return out
}

// applySync copies the parent's referenced values into the child's
// foreign key (or NULL).
func (rf *relFlush) applySync(child *instState, r syncRec) error {
	for i, fa := range r.rp.fkAttrs {
		dst := fa.field(child.sv())
		if r.parent == nil {
			dst.SetZero()
			continue
		}
		src := r.rp.refAttrs[i].field(r.parent.sv())
		if err := assignValue(dst, src); err != nil {
			return &InvalidRequestError{Msg: fmt.Sprintf("%s: copying %s.%s into %s.%s: %v", r.rp.name, r.parent.p.name, r.rp.refAttrs[i].name, child.p.name, fa.name, err)}
		}
	}
	return nil
}

// deleteState marks a persistent object for deletion (or forgets a
// pending one), as Delete does.
func (s *Session) deleteState(st *instState) error {
	switch {
	case st.st == Pending:
		s.forget(st, Transient)
	case st.st == Persistent && !st.deleting:
		st.deleting = true
		s.deleting = append(s.deleting, st)
	}
	return nil
}

// cascadeDeletes runs the delete cascade of every object marked for
// deletion, loading what it needs, and records the foreign keys to clear
// and the secondary rows to delete.
func (rf *relFlush) cascadeDeletes(ctx context.Context) error {
	s := rf.s
	done := map[*instState]bool{}
	for {
		var frontier []*instState
		for _, st := range s.deleting {
			if st.deleting && !done[st] && st.p.hasRels {
				frontier = append(frontier, st)
				done[st] = true
			}
		}
		if len(frontier) == 0 {
			return nil
		}
		// load, per relationship, what the cascade needs of the frontier
		byRel := map[*relPlan][]*instState{}
		var order []*relPlan
		for _, st := range frontier {
			rels, err := st.p.relations()
			if err != nil {
				return err
			}
			states := rf.s.relsOf(st, rels)
			for _, rp := range rels {
				if !rp.needsOnDelete() || states[rp.i].loaded {
					continue
				}
				if rp.passiveDeletes {
					continue
				}
				if byRel[rp] == nil {
					order = append(order, rp)
				}
				byRel[rp] = append(byRel[rp], st)
			}
		}
		for _, rp := range order {
			if err := s.loadRel(ctx, rp, byRel[rp], false); err != nil {
				return err
			}
		}
		var buf []reflect.Value
		for _, st := range frontier {
			rels, _ := st.p.relations()
			states := rf.s.relsOf(st, rels)
			for _, rp := range rels {
				if !rp.needsOnDelete() {
					continue
				}
				rs := &states[rp.i]
				buf = rp.current(st.sv(), buf[:0])
				// members as the database has them: the snapshot's too
				now := indexValues(buf)
				for _, p := range rs.members {
					if !now.has(p) {
						if ms := s.objs.get(objKey{p: p, t: rp.target}); ms != nil {
							buf = append(buf, ms.ptrAs(rp.target))
						}
					}
				}
				if rp.coll == nil && rs.ref != nil && !now.has(rs.ref) {
					if ms := s.objs.get(objKey{p: rs.ref, t: rp.target}); ms != nil {
						buf = append(buf, ms.ptrAs(rp.target))
					}
				}
				for _, m := range buf {
					ms := s.trackedAs(rp.target, m)
					if ms == nil {
						continue
					}
					switch {
					case rp.dir == registry.ManyToMany:
						if ms.st == Persistent || ms.deleting {
							rf.secondary(rp, st, ms, false)
						}
						if rp.cascade.Has(declarative.CascadeDelete) {
							if err := s.deleteState(ms); err != nil {
								return err
							}
						}
					case rp.cascade.Has(declarative.CascadeDelete):
						if err := s.deleteState(ms); err != nil {
							return err
						}
						if ms.deleting {
							if rp.dir == registry.OneToMany {
								rf.delDeps = append(rf.delDeps, rowDep{before: ms, after: st, rp: rp})
							} else {
								rf.delDeps = append(rf.delDeps, rowDep{before: st, after: ms, rp: rp})
							}
						}
					case rp.dir == registry.OneToMany:
						if ms.deleting {
							rf.delDeps = append(rf.delDeps, rowDep{before: ms, after: st, rp: rp})
							continue
						}
						if ms.st != Persistent || rf.hasNewParent(ms, rp) {
							continue
						}
						if err := rf.nullSync(ms, rp, st); err != nil {
							return err
						}
					}
				}
			}
			// a post_update reference held by the deleted row is cleared
			// before the DELETE
			for _, rp := range rels {
				if rp.postUpdate && rp.dir == registry.ManyToOne && !rp.viewonly {
					if fkNotNull(rp, st) {
						rf.postNull = append(rf.postNull, postRec{rp: rp, child: st})
					}
				}
			}
		}
	}
}

// needsOnDelete reports a relationship the deletion of its owner affects.
func (rp *relPlan) needsOnDelete() bool {
	if rp.viewonly {
		return false
	}
	switch rp.dir {
	case registry.OneToMany, registry.ManyToMany:
		return true
	}
	return rp.cascade.Has(declarative.CascadeDelete)
}

func (rf *relFlush) hasNewParent(child *instState, rp *relPlan) bool {
	for _, r := range rf.syncs[child] {
		if r.parent != nil && sameFK(r.rp, rp) && !r.parent.deleting {
			return true
		}
	}
	return false
}

// fkNotNull reports a row whose foreign key of rp holds a value.
func fkNotNull(rp *relPlan, st *instState) bool {
	for _, ap := range rp.fkAttrs {
		if !isNull(ap.field(st.snapOrSelf())) && !ap.field(st.snapOrSelf()).IsZero() {
			return true
		}
	}
	return false
}

// retakeRelSnapshots records, after a flush, every looked-at object's
// relationships as the database now has them.
func (rf *relFlush) retakeRelSnapshots() {
	for _, st := range rf.live {
		if st.st != Persistent {
			continue
		}
		rels, _ := st.p.relations()
		states := rf.s.relsOf(st, rels)
		for _, rp := range rels {
			rs := &states[rp.i]
			rp.snapshotRel(st.sv(), rs)
		}
	}
}
