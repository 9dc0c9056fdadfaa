package orm

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/retort-orm/retort/collections"
	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/declarative"
	"github.com/retort-orm/retort/registry"
)

// relPlan is what the unit of work needs of one relationship, computed
// once per mapper (see plan.relations).
type relPlan struct {
	r      *registry.Relationship
	i      int // position in plan.rels and instState.rels
	owner  *plan
	target *plan
	name   string // "User.Addresses", for messages
	field  string
	index  []int
	dir    registry.Direction
	// off is the field's offset in the owner's struct when its path goes
	// through no pointer (offOK); ptrField: the field is a *Target,
	// plainSlice: a []*Target (read and written at off without
	// reflection, see setRelated)
	off        uintptr
	offOK      bool
	ptrField   bool
	plainSlice bool
	// coll is the collection adapter, nil for a scalar (*T) field;
	// instrumented: the field is an instrumented collection type
	coll         collections.Adapter
	instrumented bool
	// writeOnly: a collections.WriteOnly field, which holds only the
	// changes since the last flush
	writeOnly bool

	cascade        declarative.Cascade
	viewonly       bool
	postUpdate     bool
	passiveDeletes bool
	lazy           string

	// For ONETOMANY and MANYTOONE: the attributes of the referred side
	// (the parent: primary key or other referenced key) and of the side
	// holding the foreign key (the child), pairwise.
	refAttrs []*attrPlan
	fkAttrs  []*attrPlan
	// For MANYTOMANY: the secondary table, its columns referring to the
	// owner (ownerCols, equal to ownerAttrs) and to the target
	// (targetCols, equal to targetAttrs).
	secondary   *core.Table
	ownerCols   []*core.Column
	ownerAttrs  []*attrPlan
	targetCols  []*core.Column
	targetAttrs []*attrPlan

	// ordering: the target's position attribute of an ordering list
	ordering     *attrPlan
	orderingFrom int
	orderBy      []core.Expr

	back *relPlan

	// rowsPerOwner is how many rows per owner (×16) the last load of the
	// relationship found, to size the next one's lists
	rowsPerOwner atomic.Int64
}

// parentPlan is the referred (parent) side's plan of a one-to-many or
// many-to-one relationship, childPlan the side holding the foreign key.
func (rp *relPlan) parentPlan() *plan {
	if rp.dir == registry.ManyToOne {
		return rp.target
	}
	return rp.owner
}

func (rp *relPlan) childPlan() *plan {
	if rp.dir == registry.ManyToOne {
		return rp.owner
	}
	return rp.target
}

var relMu sync.Mutex // serializes building the relationship plans

type relPlans struct {
	rels         []*relPlan
	err          error
	instrumented bool // some relationship is an instrumented collection
}

// relations returns the plan's relationships, built on first use (after
// the plans, since relationships point at other plans and at each other).
func (p *plan) relations() ([]*relPlan, error) {
	if r := p.relsBuilt.Load(); r != nil {
		return r.rels, r.err
	}
	relMu.Lock()
	defer relMu.Unlock()
	rs := buildRelationsLocked(p)
	return rs.rels, rs.err
}

func buildRelationsLocked(p *plan) *relPlans {
	if r := p.relsBuilt.Load(); r != nil {
		return r
	}
	if p.relsBuilding != nil {
		return p.relsBuilding
	}
	rs := &relPlans{}
	p.relsBuilding = rs
	for i, r := range p.m.Relationships() {
		rp, err := buildRelPlan(p, r, i)
		if err != nil {
			rs.err = err
			break
		}
		rs.rels = append(rs.rels, rp)
		rs.instrumented = rs.instrumented || rp.instrumented
	}
	if rs.err == nil {
		for _, rp := range rs.rels {
			b := rp.r.BackPopulates()
			if b == nil {
				continue
			}
			trs := buildRelationsLocked(rp.target)
			if trs.err != nil {
				rs.err = trs.err
				break
			}
			for _, x := range trs.rels {
				if x.r == b {
					rp.back = x
				}
			}
		}
	}
	p.relsBuilding = nil
	p.relsBuilt.Store(rs)
	return rs
}

func attrOfColumn(p *plan, c *core.Column) *attrPlan {
	for _, ap := range p.attrs {
		if ap.col == c {
			return ap
		}
	}
	return nil
}

func buildRelPlan(p *plan, r *registry.Relationship, i int) (*relPlan, error) {
	d := r.Declaration()
	rp := &relPlan{r: r, i: i, owner: p, target: planFor(r.Target()), name: p.name + "." + d.Field, field: d.Field,
		index: r.Index(), dir: r.Direction(), cascade: r.Cascade(), viewonly: r.ViewOnly(),
		postUpdate: d.PostUpdate, passiveDeletes: d.PassiveDeletes, lazy: r.Lazy()}
	fail := func(format string, args ...any) (*relPlan, error) {
		return nil, &InvalidRequestError{Msg: fmt.Sprintf("relationship %s: ", rp.name) + fmt.Sprintf(format, args...)}
	}
	ft := p.typ.FieldByIndex(rp.index).Type
	rp.off, rp.offOK = fieldOffset(p.typ, rp.index)
	ptrToTarget := reflect.PointerTo(rp.target.typ)
	rp.ptrField = !d.Many && ft == ptrToTarget
	rp.plainSlice = d.Many && !d.Instrumented && ft == reflect.SliceOf(ptrToTarget)
	if d.Many {
		var keyIdx []int
		if d.CollectionKey != "" {
			f, ok := rp.target.typ.FieldByName(d.CollectionKey)
			if !ok {
				return fail("the map's key field %s is not a field of %s", d.CollectionKey, rp.target.name)
			}
			keyIdx = f.Index
		}
		a, err := collections.For(ft, keyIdx)
		if err != nil {
			return fail("%v", err)
		}
		rp.coll = a
		rp.instrumented = d.Instrumented
		rp.writeOnly = r.CollectionKind() == "write_only"
	}
	col := func(pl *plan, c *core.Column) (*attrPlan, error) {
		if ap := attrOfColumn(pl, c); ap != nil {
			return ap, nil
		}
		return nil, &InvalidRequestError{Msg: fmt.Sprintf("relationship %s: column %s.%s is not a mapped attribute of %s", rp.name, c.Table().Name(), c.Name(), pl.name)}
	}
	switch rp.dir {
	case registry.OneToMany:
		for _, pr := range r.Pairs() {
			ra, err := col(p, pr.Local)
			if err != nil {
				return nil, err
			}
			fa, err := col(rp.target, pr.Remote)
			if err != nil {
				return nil, err
			}
			rp.refAttrs, rp.fkAttrs = append(rp.refAttrs, ra), append(rp.fkAttrs, fa)
		}
	case registry.ManyToOne:
		for _, pr := range r.Pairs() {
			fa, err := col(p, pr.Local)
			if err != nil {
				return nil, err
			}
			ra, err := col(rp.target, pr.Remote)
			if err != nil {
				return nil, err
			}
			rp.refAttrs, rp.fkAttrs = append(rp.refAttrs, ra), append(rp.fkAttrs, fa)
		}
	case registry.ManyToMany:
		rp.secondary = r.Secondary()
		for _, pr := range r.Pairs() {
			a, err := col(p, pr.Local)
			if err != nil {
				return nil, err
			}
			rp.ownerAttrs, rp.ownerCols = append(rp.ownerAttrs, a), append(rp.ownerCols, pr.Remote)
		}
		for _, pr := range r.SecondaryPairs() {
			a, err := col(rp.target, pr.Local)
			if err != nil {
				return nil, err
			}
			rp.targetAttrs, rp.targetCols = append(rp.targetAttrs, a), append(rp.targetCols, pr.Remote)
		}
	}
	for _, o := range r.OrderBy() {
		ap := attrOfColumn(rp.target, o.Attr.Column())
		if ap == nil {
			continue
		}
		var e core.Expr = ap.col
		if o.Desc {
			e = ap.col.Desc()
		}
		rp.orderBy = append(rp.orderBy, e)
	}
	if err := rp.setOrdering(); err != nil {
		return nil, err
	}
	return rp, nil
}

// relState is an object's bookkeeping for one relationship: whether it
// is loaded, and its value as of the load or the last flush (the
// snapshot the unit of work diffs against).
type relState struct {
	loaded  bool
	ref     unsafe.Pointer   // a scalar's target
	members []unsafe.Pointer // a collection's members, in order
}

// relField is the relationship's field in the struct value sv.
func (rp *relPlan) relField(sv reflect.Value) reflect.Value {
	if sv.Type() != rp.owner.typ {
		// a subtype's struct, which holds its base's at its start
		sv = reflect.NewAt(rp.owner.typ, sv.Addr().UnsafePointer()).Elem()
	}
	if len(rp.index) == 1 {
		return sv.Field(rp.index[0])
	}
	return fieldByIndexAlloc(sv, rp.index)
}

// current appends the related objects the field holds now.
func (rp *relPlan) current(sv reflect.Value, dst []reflect.Value) []reflect.Value {
	f := rp.relField(sv)
	if rp.coll == nil {
		if !f.IsNil() {
			dst = append(dst, f)
		}
		return dst
	}
	return rp.coll.Members(f, dst)
}

// empty reports a relationship field holding nothing.
func (rp *relPlan) empty(sv reflect.Value) bool {
	f := rp.relField(sv)
	if rp.coll == nil {
		return f.IsNil()
	}
	return rp.coll.Len(f) == 0
}

// unchanged reports the field holding exactly the snapshot's objects in
// the snapshot's order (the common case, checked without allocating).
func (rp *relPlan) unchanged(sv reflect.Value, rs *relState) bool {
	f := rp.relField(sv)
	if rp.writeOnly && f.Addr().Interface().(collections.Removals).PendingRemovals() {
		return false
	}
	if rp.coll == nil {
		if f.IsNil() {
			return rs.ref == nil
		}
		return f.UnsafePointer() == rs.ref
	}
	if f.Kind() == reflect.Slice {
		n := f.Len()
		if n != len(rs.members) {
			return false
		}
		for i := 0; i < n; i++ {
			if f.Index(i).UnsafePointer() != rs.members[i] {
				return false
			}
		}
		return true
	}
	n := rp.coll.Len(f)
	if n != len(rs.members) {
		return false
	}
	if n == 0 {
		return true
	}
	snap := indexPtrs(rs.members)
	for _, m := range rp.coll.Members(f, nil) {
		if !snap.has(m.UnsafePointer()) {
			return false
		}
	}
	return true
}

// ptrIndex answers membership in a list of addresses: by scanning a short
// list, with a map for a long one (a collection of thousands diffed
// against its snapshot must not be quadratic).
type ptrIndex struct {
	list []unsafe.Pointer
	set  map[unsafe.Pointer]struct{}
}

const ptrIndexScan = 32

func indexPtrs(list []unsafe.Pointer) ptrIndex {
	x := ptrIndex{list: list}
	if len(list) > ptrIndexScan {
		x.set = make(map[unsafe.Pointer]struct{}, len(list))
		for _, p := range list {
			x.set[p] = struct{}{}
		}
	}
	return x
}

func indexValues(list []reflect.Value) ptrIndex {
	ps := make([]unsafe.Pointer, len(list))
	for i, v := range list {
		ps[i] = v.UnsafePointer()
	}
	return indexPtrs(ps)
}

func (x ptrIndex) has(p unsafe.Pointer) bool {
	if x.set != nil {
		_, ok := x.set[p]
		return ok
	}
	return containsPtr(x.list, p)
}

func containsPtr(list []unsafe.Pointer, p unsafe.Pointer) bool {
	for _, x := range list {
		if x == p {
			return true
		}
	}
	return false
}

// snapshotRel records the relationship's current value as the one the
// database has.
func (rp *relPlan) snapshotRel(sv reflect.Value, rs *relState) {
	f := rp.relField(sv)
	if rp.coll == nil {
		if f.IsNil() {
			rs.ref = nil
		} else {
			rs.ref = f.UnsafePointer()
		}
		return
	}
	if rp.writeOnly {
		// written: the collection holds nothing until the next change
		f.Addr().Interface().(collections.Removals).ClearPending()
		rs.members = nil
		return
	}
	rs.members = rs.members[:0]
	if f.Kind() == reflect.Slice {
		rs.members = slices.Grow(rs.members, f.Len())
		for i, n := 0, f.Len(); i < n; i++ {
			if m := f.Index(i); !m.IsNil() {
				rs.members = append(rs.members, m.UnsafePointer())
			}
		}
		return
	}
	for _, m := range rp.coll.Members(f, nil) {
		rs.members = append(rs.members, m.UnsafePointer())
	}
}

// findRel returns the relationship of p named by field (the Go field
// name or path), with an error listing the known ones.
func (p *plan) findRel(field string) (*relPlan, error) {
	rels, err := p.relations()
	if err != nil {
		return nil, err
	}
	var names []string
	for _, rp := range rels {
		if rp.field == field || rp.r.Declaration().Path == field {
			return rp, nil
		}
		names = append(names, rp.field)
	}
	hint := "it has no relationships"
	if len(names) > 0 {
		hint = "its relationships: " + strings.Join(names, ", ")
		if c := declarative.Closest(field, names); c != "" {
			hint = fmt.Sprintf("did you mean %s?", c)
		}
	}
	if _, ok := p.m.Attribute(field); ok {
		return nil, &InvalidRequestError{Msg: fmt.Sprintf("%s.%s is a column attribute, not a relationship (%s)", p.name, field, hint)}
	}
	return nil, &InvalidRequestError{Msg: fmt.Sprintf("%s has no relationship %q (%s)", p.name, field, hint)}
}

// setOrdering resolves an ordering list's position attribute.
func (rp *relPlan) setOrdering() error {
	a, from := rp.r.Ordering()
	if a == nil {
		return nil
	}
	ap := attrOfColumn(rp.target, a.Column())
	if ap == nil {
		return &InvalidRequestError{Msg: fmt.Sprintf("relationship %s: the ordering attribute %s is not a column attribute of %s", rp.name, a.Path(), rp.target.name)}
	}
	rp.ordering, rp.orderingFrom = ap, from
	return nil
}

// inOrder reports an ordering list whose members hold their positions.
func (rp *relPlan) inOrder(sv reflect.Value) bool {
	for i, m := range rp.current(sv, nil) {
		pf := rp.ordering.field(m.Elem())
		if pf.Kind() == reflect.Pointer {
			if pf.IsNil() {
				return false
			}
			pf = pf.Elem()
		}
		want := int64(i + rp.orderingFrom)
		if pf.CanInt() && pf.Int() != want || pf.CanUint() && int64(pf.Uint()) != want {
			return false
		}
	}
	return true
}

// cloneRels copies relationship states (for a SAVEPOINT to restore).
func cloneRels(rs []relState) []relState {
	if rs == nil {
		return nil
	}
	out := make([]relState, len(rs))
	for i, r := range rs {
		out[i] = relState{loaded: r.loaded, ref: r.ref, members: slices.Clone(r.members)}
	}
	return out
}

// hasInstrumented reports an instrumented collection among p's
// relationships.
func (p *plan) hasInstrumented() bool {
	if !p.hasRels {
		return false
	}
	if r := p.relsBuilt.Load(); r != nil {
		return r.err == nil && r.instrumented
	}
	if _, err := p.relations(); err != nil {
		return false
	}
	return p.relsBuilt.Load().instrumented
}

// newRelStates returns n zeroed relationship states from the session's
// slab, so that tracking many objects with relationships does not
// allocate each one's. The slab is the session's own: a chunk shared
// between sessions would keep the objects of the states it handed out
// (their members and targets) alive for as long as it is kept.
func (s *Session) newRelStates(n int) []relState {
	if n > 16 {
		return make([]relState, n)
	}
	if len(s.relSlab) < n {
		c := min(max(2*s.relChunk, 16, n*min(s.stateWant, 256)), 256)
		s.relSlab = nextChunk(s, (*slabChunks).relChunks, n, c)
		s.relChunk = len(s.relSlab)
	}
	out := s.relSlab[:n:n]
	s.relSlab = s.relSlab[n:]
	return out
}
