package orm

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"unsafe"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/loading"
	"github.com/retort-orm/retort/registry"
)

// Lazy loading, made explicit. Go cannot run a query when a field is
// read, so an object loaded from the database starts with its
// relationships unloaded (the session knows: IsLoaded), and the program
// loads one when it needs it, with a context: for one object
// (LoadRelationship) or for a slice of objects in one IN query per batch
// (LoadRelated), SQLAlchemy's lazy="select" and, for a slice, the
// selectin loader. A many-to-one whose target is in the identity map
// loads without SQL. lazy:"raise" makes the call an error naming the
// relationship; lazy:"noload" leaves the relationship empty without SQL.
// A new (pending) object's relationships are loaded from the start: what
// the program set is their value.

// loadBatch is the number of keys in one IN query (SQLAlchemy's
// selectin batch size).
const loadBatch = 500

// IsLoaded reports whether the attribute named field (a Go field name)
// of obj is loaded: for a relationship, whether it was loaded (or obj is
// new, whose relationships are what the program set); for a column or
// SQL-expression attribute, whether the query that loaded obj selected it
// (a deferred column, or one a LoadOnly or Defer option left out, is
// not loaded until LoadColumns or a later row loads it). A name that is
// not a mapped attribute, or an object the session does not track,
// reports false.
func (s *Session) IsLoaded(obj any, field string) bool {
	st := s.stateOf(obj)
	if st == nil {
		return false
	}
	rp, err := st.p.findRel(field)
	if err != nil {
		// a column or SQL-expression attribute
		if st.st == Pending {
			return true
		}
		n := st.loadedAt()
		for _, ap := range n.cols {
			if ap.name == field {
				return true
			}
		}
		for _, pl := range n.props {
			if pl.p.Name() == field {
				return true
			}
		}
		return false
	}
	return st.st == Pending || st.relLoaded(rp.i)
}

// LoadRelationship loads the relationship named field (the Go field name)
// of obj, a persistent object of this session, into its field: a
// collection with every related row, a scalar with its object (or nil).
// A relationship already loaded is left as it is (no SQL); Expire or
// Refresh the object to load it again. Objects added to an unloaded
// collection before the load are kept, after the loaded ones.
func (s *Session) LoadRelationship(ctx context.Context, obj any, field string) error {
	if err := s.usable(); err != nil {
		return err
	}
	s.calls++
	defer s.leave()
	p, _, err := s.planOf(obj)
	if err != nil {
		return err
	}
	st := s.stateOf(obj)
	if st == nil {
		return &DetachedInstanceError{Type: p.name, Msg: fmt.Sprintf("cannot load %s.%s of an object this Session does not track; Add or Merge it first", p.name, field)}
	}
	rp, err := p.findRel(field)
	if err != nil {
		return err
	}
	return s.loadRel(ctx, rp, []*instState{st}, true)
}

// LoadRelated loads the relationship named field of every object of objs
// (persistent objects of the session, all of type T) with one query per
// batch of 500 keys: the explicit form of SQLAlchemy's selectin loading.
// Objects whose relationship is loaded are skipped.
func LoadRelated[T any](ctx context.Context, s *Session, objs []*T, field string) error {
	if err := s.usable(); err != nil {
		return err
	}
	s.calls++
	defer s.leave()
	p, err := mapperOf[T](s)
	if err != nil {
		return err
	}
	rp, err := p.findRel(field)
	if err != nil {
		return err
	}
	states := make([]*instState, 0, len(objs))
	for i, o := range objs {
		if o == nil {
			return &InvalidRequestError{Msg: fmt.Sprintf("LoadRelated %s.%s: objs[%d] is nil", p.name, field, i)}
		}
		st := s.objs.get(objKey{p: unsafe.Pointer(o), t: p})
		if st == nil {
			return &DetachedInstanceError{Type: p.name, Msg: fmt.Sprintf("LoadRelated %s.%s: objs[%d] (%p) is not in this Session", p.name, field, i, o)}
		}
		states = append(states, st)
	}
	return s.loadRel(ctx, rp, states, true)
}

// loadRel loads rp for the owners whose rp is not loaded. explicit is a
// program's call: the strategy each owner was loaded with applies
// (lazy:"raise" and "noload", or the query's RaiseLoad and NoLoad), and
// the loader criteria and options further along the path of the query
// that loaded the owners; the unit of work's own loads (delete cascade)
// ignore them, as SQLAlchemy's do.
func (s *Session) loadRel(ctx context.Context, rp *relPlan, owners []*instState, explicit bool) error {
	var todo []*instState
	for _, st := range owners {
		rels, _ := st.p.relations()
		rs := &s.relsOf(st, rels)[rp.i]
		if rs.loaded || st.st == Pending {
			continue
		}
		todo = append(todo, st)
	}
	if len(todo) == 0 {
		return nil
	}
	if !explicit {
		return s.runRelLoad(ctx, &relLoad{rp: rp, mode: loadNormal}, todo)
	}
	// the owners by the node they were loaded at (usually one)
	type group struct {
		ln     *loadNode
		owners []*instState
	}
	var groups []group
	for _, st := range todo {
		found := false
		for g := range groups {
			if groups[g].ln == st.ln {
				groups[g].owners = append(groups[g].owners, st)
				found = true
				break
			}
		}
		if !found {
			groups = append(groups, group{ln: st.ln, owners: []*instState{st}})
		}
	}
	for _, g := range groups {
		strat := g.ln.strategyOf(rp)
		switch strat {
		case loading.LazyRaise:
			return &InvalidRequestError{Msg: fmt.Sprintf("%s is not available due to lazy=\"raise\"", rp.name)}
		case loading.LazyNoLoad:
			for _, st := range g.owners {
				s.setRelated(rp, st, nil)
			}
			continue
		case loading.LazyRaiseOnSQL:
			if rp.dir != registry.ManyToOne {
				// a collection always needs SQL; a many-to-one may come
				// from the identity map (checked by its loader)
				return &InvalidRequestError{Msg: fmt.Sprintf("%s is not available due to lazy=\"raise_on_sql\"", rp.name)}
			}
		case loading.LazyWriteOnly:
			return &InvalidRequestError{Msg: fmt.Sprintf("%s is a %s relationship: it is never loaded whole; query it instead", rp.name, rp.lazy)}
		}
		if err := s.autoflush(ctx); err != nil {
			return err
		}
		lr := &relLoad{rp: rp, mode: loadNormal}
		if g.ln != nil {
			if rp.i < len(g.ln.kids) {
				lr.node = g.ln.kids[rp.i]
			}
			lr.criteria = g.ln.criteria(rp.target)
		} else {
			// (no node: the mapping's; a single-table target's
			// discriminator criterion still applies)
			lr.criteria = (*loadNode)(nil).criteria(rp.target)
			if dn, err := rp.target.defaultNode(); err == nil && dn.eager {
				// the target's own eager defaults apply to its lazy load
				lr.node = dn
			}
		}
		var err error
		if rp.dir == registry.ManyToOne {
			err = s.loadManyToOne(ctx, lr, g.owners, strat == loading.LazyRaiseOnSQL)
		} else {
			err = s.runRelLoad(ctx, lr, g.owners)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// keyOfAttrs is the normalised map key of the values of attrs in sv;
// false when one is NULL.
func keyOfAttrs(attrs []*attrPlan, sv reflect.Value) (any, bool) {
	var buf [4]any
	vals := buf[:0]
	for _, ap := range attrs {
		v := bindValue(ap.field(sv))
		if v == nil {
			return nil, false
		}
		vals = append(vals, v)
	}
	return keyOfValues(vals), true
}

// keyOfValues is the normalised map key of key values: the value itself
// for one, an array of up to four, a rendering beyond.
func keyOfValues(vals []any) any {
	if len(vals) == 1 {
		return normKey(vals[0])
	}
	var k [4]any
	var more string
	for i, v := range vals {
		if i < 4 {
			k[i] = normKey(v)
		} else {
			more += fmt.Sprintf("%v\x00", v)
		}
	}
	if more != "" {
		return fmt.Sprint(k, more)
	}
	return k
}

// inClause is cols IN (keys…), a tuple IN for composite keys.
func inClause(cols []*core.Column, keys [][]any) core.Expr {
	if len(cols) == 1 {
		vals := make([]any, len(keys))
		for i, k := range keys {
			vals[i] = k[0]
		}
		if len(vals) == 1 {
			return cols[0].Eq(vals[0])
		}
		return cols[0].In(vals...)
	}
	items := make([]any, len(cols))
	for i, c := range cols {
		items[i] = c
	}
	vals := make([]any, len(keys))
	for i, k := range keys {
		vals[i] = k
	}
	return core.Tuple(items...).In(vals...)
}

// loadManyToOne loads the targets the owners' foreign keys refer to: from
// the identity map when the foreign key is the target's primary key (and
// no loader criteria apply), with a SELECT … WHERE <referred> IN (…) for
// the others. raiseOnSQL makes needing SQL an error.
func (s *Session) loadManyToOne(ctx context.Context, lr *relLoad, owners []*instState, raiseOnSQL bool) error {
	rp := lr.rp
	tp := rp.target
	byPK := len(rp.refAttrs) == len(tp.pk) && len(lr.criteria) == 0
	for i := range rp.refAttrs {
		if byPK && rp.refAttrs[i] != tp.pk[i] {
			byPK = false
		}
	}
	found := map[any]*instState{}
	var keys [][]any
	seen := map[any]bool{}
	for _, st := range owners {
		k, ok := keyOfAttrs(rp.fkAttrs, st.sv())
		if !ok || seen[k] {
			continue
		}
		seen[k] = true
		vals := make([]any, len(rp.fkAttrs))
		for i, ap := range rp.fkAttrs {
			vals[i] = bindValue(ap.field(st.sv()))
		}
		if byPK {
			if t, ok := s.identity.get(tp.rootPlan.makeKey(vals)); ok && !t.expired && t.st == Persistent {
				found[k] = t
				continue
			}
		}
		keys = append(keys, vals)
	}
	if len(keys) > 0 && raiseOnSQL {
		return &InvalidRequestError{Msg: fmt.Sprintf("%s is not available due to lazy=\"raise_on_sql\"", rp.name)}
	}
	refCols := make([]*core.Column, len(rp.refAttrs))
	for i, ap := range rp.refAttrs {
		refCols[i] = ap.col
	}
	conn, err := s.connFor(ctx, tp)
	if err != nil && len(keys) > 0 {
		return err
	}
	n := lr.target()
	for i := 0; i < len(keys); i += loadBatch {
		batch := keys[i:min(i+loadBatch, len(keys))]
		base := core.Select().From(tp.from()).Where(inClause(refCols, batch)).Where(lr.criteria...)
		stmt, b, err := entitySelect(n, base, tp.from(), nil, nil)
		if err != nil {
			return err
		}
		if _, err := s.runSelect(ctx, conn, stmt, b, nil, lr.mode, false, func(t *instState) error {
			if k, ok := keyOfAttrs(rp.refAttrs, t.snapOrSelf()); ok {
				found[k] = t
			}
			return nil
		}); err != nil {
			return err
		}
	}
	for _, st := range owners {
		var members []*instState
		if k, ok := keyOfAttrs(rp.fkAttrs, st.sv()); ok {
			if t := found[k]; t != nil {
				members = append(members, t)
				lr.collect(t)
			}
		}
		s.setRelated(rp, st, members)
	}
	if (n.eager || n.polyInfo() != nil) && len(lr.found) > 0 {
		return s.postLoad(ctx, n, lr.found, lr.mode, nil)
	}
	return nil
}

// loadByParentKey loads the children of one-to-many (secondary nil) or
// many-to-many relationships: SELECT … WHERE <foreign key> IN (<the
// owners' keys>), through the secondary table for many-to-many; with sub,
// one SELECT joining the target to the query that loaded the owners
// (subquery loading).
func (s *Session) loadByParentKey(ctx context.Context, lr *relLoad, owners []*instState, sec *core.Table) error {
	return s.loadChildren(ctx, lr, owners, sec, nil)
}

func (s *Session) loadChildren(ctx context.Context, lr *relLoad, owners []*instState, sec *core.Table, sub *subSource) error {
	rp := lr.rp
	tp := rp.target
	ownerAttrs, matchCols := rp.refAttrs, []*core.Column(nil)
	if sec != nil {
		ownerAttrs = rp.ownerAttrs
		matchCols = rp.ownerCols
	} else {
		for _, ap := range rp.fkAttrs {
			matchCols = append(matchCols, ap.col)
		}
	}
	// owners' keys → group index; the rows found are recorded as (group,
	// object) pairs and bucketed once at the end (no slice per owner)
	groupOf := newGroupIndex(ownerAttrs, len(owners))
	keys := make([][]any, 0, len(owners))
	flat := make([]any, len(owners)*len(ownerAttrs)) // the keys' values
	ownerGroup := make([]int32, len(owners))
	for i, st := range owners {
		ownerGroup[i] = -1
		g, isNew, ok := groupOf.ofState(ownerAttrs, st, true)
		if !ok {
			continue
		}
		if isNew {
			vals := flat[:len(ownerAttrs):len(ownerAttrs)]
			flat = flat[len(ownerAttrs):]
			for i, ap := range ownerAttrs {
				vals[i] = bindValue(ap.field(st.snapOrSelf()))
			}
			keys = append(keys, vals)
		}
		ownerGroup[i] = g
	}
	if len(keys) == 0 {
		for _, st := range owners {
			s.setRelated(rp, st, nil)
		}
		return nil
	}
	conn, err := s.connFor(ctx, tp)
	if err != nil {
		return err
	}
	n := lr.target()
	// the owner's key is read from extra columns (the secondary's, or the
	// subquery's), scanned into the owner's key types so that they match
	// the owners' keys on every driver
	var extra []any
	var extraCols []core.SelectItem
	var orderFirst []core.Expr
	var keyCols []*core.Column
	batches := 1
	if sub == nil {
		batches = (len(keys) + loadBatch - 1) / loadBatch
	}
	// room for as many rows per owner as this relationship's last load
	// found (the lists then grow once or not at all)
	per := int(rp.rowsPerOwner.Load())
	found := make([]*instState, 0, len(keys)*per/16+8)
	// (the row groups and the bucketed rows live only in this call: they
	// are the session's scratch buffers, which a nested load does not
	// share)
	foundGroup := slices.Grow(s.scratchGroups[:0], cap(found))
	s.scratchGroups = nil
	defer func() { s.scratchGroups = foundGroup[:0] }()
	defer func() { rp.rowsPerOwner.Store(int64(min(len(found)*16/len(keys), 1<<20))) }()
	// distinct: the rows were the objects once each (found holds them)
	distinct := false
	var vals []any
	var batchSub *subSource
	// a concrete hierarchy's base: its objects are the rows of the
	// polymorphic union, which the statement reads through um
	var from core.FromClause = tp.table
	var um colMap
	if pi := n.polyInfo(); pi != nil && pi.union != nil && sub == nil && sec == nil {
		from, um = pi.union, pi.umap
		for i, c := range matchCols {
			matchCols[i] = um.col(c)
		}
	}
	for bi := 0; bi < batches; bi++ {
		var base *core.SelectStmt
		extra, extraCols, orderFirst = nil, nil, nil
		switch {
		case sub != nil:
			var ownerCols []*core.Column
			for _, ap := range ownerAttrs {
				ownerCols = append(ownerCols, ap.col)
			}
			inner := sub.keys(ownerCols)
			sq := inner.Subquery("")
			keyCols = sq.Columns()
			var on []core.Expr
			if sec == nil {
				for k, c := range keyCols {
					on = append(on, c.Eq(rp.fkAttrs[k].col))
				}
				base = core.Select().From(sq).Join(tp.from(), core.And(on...))
			} else {
				for k, c := range keyCols {
					on = append(on, c.Eq(rp.ownerCols[k]))
				}
				var on2 []core.Expr
				for k, ap := range rp.targetAttrs {
					on2 = append(on2, ap.col.Eq(rp.targetCols[k]))
				}
				base = core.Select().From(sq).Join(sec, core.And(on...)).Join(tp.from(), core.And(on2...))
			}
			for _, c := range keyCols {
				extraCols = append(extraCols, c)
				orderFirst = append(orderFirst, c)
			}
			// what this load's objects repeat for their own subquery loads
			jb := base
			batchSub = &subSource{keys: func(cols []*core.Column) *core.SelectStmt {
				items := make([]core.SelectItem, len(cols))
				for i, c := range cols {
					items[i] = c
				}
				return jb.AddColumns(items...).Where(lr.criteria...)
			}}
		case um != nil:
			batch := keys[bi*loadBatch : min((bi+1)*loadBatch, len(keys))]
			base = core.Select().From(from).Where(inClause(matchCols, batch))
		case sec == nil:
			batch := keys[bi*loadBatch : min((bi+1)*loadBatch, len(keys))]
			base = core.Select().From(tp.from()).Where(inClause(matchCols, batch))
		default:
			batch := keys[bi*loadBatch : min((bi+1)*loadBatch, len(keys))]
			var on []core.Expr
			for k, ap := range rp.targetAttrs {
				on = append(on, ap.col.Eq(rp.targetCols[k]))
			}
			base = core.Select().From(tp.from()).Join(sec, core.And(on...)).Where(inClause(matchCols, batch))
			for _, c := range rp.ownerCols {
				extraCols = append(extraCols, c)
			}
		}
		if len(extraCols) > 0 {
			extra = make([]any, len(extraCols))
			for k, ap := range ownerAttrs {
				extra[k] = reflect.New(ap.typ).Interface()
			}
		}
		for _, c := range lr.criteria {
			base = base.Where(um.expr(c))
		}
		if len(orderFirst) > 0 {
			base = base.OrderBy(orderFirst...)
		}
		for _, o := range rp.orderBy {
			base = base.OrderBy(um.expr(o))
		}
		stmt, b, err := entitySelect(n, base, from, um, nil)
		if err != nil {
			return err
		}
		if len(extraCols) > 0 {
			stmt = stmt.AddColumns(extraCols...)
		}
		res, err := conn.Execute(ctx, stmt)
		if err != nil {
			return err
		}
		r := newRowReader(s, lr.mode, b.slots, extra)
		var pairSeen map[[2]any]bool
		if b.uniq {
			pairSeen = map[[2]any]bool{}
		}
		var roots []*instState
		// a one-to-many's rows are distinct objects, unless a joined
		// collection repeats them; a many-to-many's repeat across owners
		var rootSeen map[*instState]bool
		if b.uniq || extra != nil {
			rootSeen = map[*instState]bool{}
		}
		err = func() error {
			defer res.Close()
			for {
				more, err := r.next(ctx, res)
				if err != nil {
					return err
				}
				if !more {
					return res.Err()
				}
				t := r.row[0]
				if rootSeen != nil && !rootSeen[t] {
					rootSeen[t] = true
					roots = append(roots, t)
				}
				var g int32
				var want bool
				if extra == nil {
					g, _, want = groupOf.ofState(rp.fkAttrs, t, false)
				} else {
					vals = vals[:0]
					for _, p := range extra {
						vals = append(vals, bindValue(reflect.ValueOf(p).Elem()))
					}
					g, want = groupOf.ofValues(vals)
				}
				if want {
					if b.uniq {
						// rows repeated by a joined collection
						pk := [2]any{g, t}
						if pairSeen[pk] {
							continue
						}
						pairSeen[pk] = true
					}
					found = append(found, t)
					foundGroup = append(foundGroup, g)
				}
			}
		}()
		if err != nil {
			return err
		}
		// (a one-to-many's rows are its objects, once each: they are
		// the found ones, taken below)
		for _, t := range roots {
			lr.collect(t)
		}
		if rootSeen == nil {
			distinct = true
		}
		// the joined loads, the load events and the loads after these
		// rows (the objects are all in found: the post loads run once
		// the relationship is set, below)
		r.finish()
		if err := r.loadPolymorphic(ctx); err != nil {
			return err
		}
		if err := r.fireLoads(ctx); err != nil {
			return err
		}
		for i, sl := range r.slots {
			if i > 0 && (sl.n.eager || sl.poly != nil) && len(sl.kids) > 0 {
				if err := s.postLoad(ctx, sl.n, sl.kids, lr.mode, nil); err != nil {
					return err
				}
			}
		}
	}
	// bucket the rows by group, keeping their order
	if distinct {
		if lr.found == nil {
			lr.found = found
		} else {
			for _, t := range found {
				lr.collect(t)
			}
		}
	}
	start := make([]int32, len(keys)+1)
	for _, g := range foundGroup {
		start[g+1]++
	}
	for g := 1; g < len(start); g++ {
		start[g] += start[g-1]
	}
	slab := slices.Grow(s.scratchStates[:0], len(found))[:len(found)]
	s.scratchStates = nil
	defer func() { clear(slab); s.scratchStates = slab[:0] }()
	next := append([]int32(nil), start[:len(keys)]...)
	for i, t := range found {
		g := foundGroup[i]
		slab[next[g]] = t
		next[g]++
	}
	for i, st := range owners {
		var members []*instState
		if g := ownerGroup[i]; g >= 0 {
			members = slab[start[g]:start[g+1]:start[g+1]]
		}
		s.setRelated(rp, st, members)
	}
	if (n.eager || n.polyInfo() != nil) && len(lr.found) > 0 {
		return s.postLoad(ctx, n, lr.found, lr.mode, batchSub)
	}
	return nil
}

// setRelated stores the loaded members in st's field and marks the
// relationship loaded with them as its snapshot. Objects the program
// added to the unloaded relationship before the load are kept after them.
func (s *Session) setRelated(rp *relPlan, st *instState, members []*instState) {
	rels, _ := st.p.relations()
	rs := &s.relsOf(st, rels)[rp.i]
	if rp.offOK && (rp.ptrField || rp.plainSlice && rp.dir != registry.ManyToMany) {
		s.setRelatedAt(rp, st, rs, members)
		return
	}
	f := rp.relField(st.sv())
	if rp.coll == nil {
		// a value the program assigned before the load stays (a change
		// to write); otherwise the field gets the loaded object
		assigned := !f.IsNil() && f.UnsafePointer() != rs.ref
		if !assigned {
			if len(members) == 0 {
				f.SetZero()
			} else {
				f.Set(members[0].ptrAs(rp.target))
			}
		}
		s.setLoaded(st, rp, true)
		if len(members) > 0 {
			rs.ref = unsafe.Pointer(members[0].sv().UnsafeAddr())
		} else {
			rs.ref = nil
		}
		return
	}
	// the members, once each (a many-to-many join can repeat a row),
	// then the objects added to the unloaded relationship before the
	// load that are not among them (flushed ones are)
	snap := make([]unsafe.Pointer, 0, len(members))
	var seen map[unsafe.Pointer]bool
	if rp.dir == registry.ManyToMany {
		seen = make(map[unsafe.Pointer]bool, len(members))
	}
	for _, m := range members {
		p := unsafe.Pointer(m.sv().UnsafeAddr())
		if seen != nil {
			if seen[p] {
				continue
			}
			seen[p] = true
		}
		snap = append(snap, p)
	}
	all := snap
	if !rp.empty(st.sv()) {
		all = slices.Clone(snap)
		got := indexPtrs(snap)
		for _, m := range rp.current(st.sv(), nil) {
			if !got.has(m.UnsafePointer()) {
				all = append(all, m.UnsafePointer())
			}
		}
	}
	if f.Kind() == reflect.Slice {
		// a plain slice is built in place
		out := reflect.MakeSlice(f.Type(), len(all), len(all))
		et := f.Type().Elem().Elem()
		for i, p := range all {
			out.Index(i).Set(reflect.NewAt(et, p))
		}
		f.Set(out)
	} else {
		vals := make([]reflect.Value, len(all))
		for i, p := range all {
			vals[i] = reflect.NewAt(rp.target.typ, p)
		}
		_ = rp.coll.Replace(f, vals)
	}
	s.setLoaded(st, rp, true)
	rs.members = snap
	// the children's many-to-one back to st is known from the same rows
	s.setBackRefs(rp, st, members)
}

// setRelatedAt is setRelated for a *Target field or a []*Target one (of
// a one-to-many: its members come once each), written at its offset.
func (s *Session) setRelatedAt(rp *relPlan, st *instState, rs *relState, members []*instState) {
	at := unsafe.Add(st.ptr, rp.off)
	if rp.ptrField {
		// a value the program assigned before the load stays (a change
		// to write); otherwise the field gets the loaded object (a
		// subtype's object starts with its base: the same address)
		f := (*unsafe.Pointer)(at)
		if *f == nil || *f == rs.ref {
			if len(members) == 0 {
				*f = nil
			} else {
				*f = members[0].ptr
			}
		}
		s.setLoaded(st, rp, true)
		rs.ref = nil
		if len(members) > 0 {
			rs.ref = members[0].ptr
		}
		return
	}
	f := (*[]unsafe.Pointer)(at)
	n := len(members)
	// the snapshot and the field's slice in one allocation
	buf := make([]unsafe.Pointer, 2*n)
	snap, out := buf[:n:n], buf[n:]
	for i, m := range members {
		snap[i] = m.ptr
	}
	if len(*f) > 0 {
		// objects added to the unloaded relationship before the load,
		// not among the members (flushed ones are), stay after them
		got := indexPtrs(snap)
		for _, p := range *f {
			if !got.has(p) {
				out = append(out, p)
			}
		}
	}
	copy(out, snap)
	*f = out
	s.setLoaded(st, rp, true)
	rs.members = snap
	s.setBackRefs(rp, st, members)
}

// setBackRefs sets the children's many-to-one back to st, known from the
// rows that loaded st's one-to-many rp.
func (s *Session) setBackRefs(rp *relPlan, st *instState, members []*instState) {
	b := rp.back
	if b == nil || rp.dir != registry.OneToMany || b.coll != nil {
		return
	}
	var mp *plan // (the members are usually of one type: its relationships)
	var mrels []*relPlan
	for _, m := range members {
		if m.p != mp {
			mp = m.p
			mrels, _ = mp.relations()
		}
		mrs := &s.relsOf(m, mrels)[b.i]
		if mrs.loaded {
			continue
		}
		if b.offOK && b.ptrField {
			bf := (*unsafe.Pointer)(unsafe.Add(m.ptr, b.off))
			if *bf != nil {
				continue
			}
			*bf = st.ptr
		} else {
			bf := b.relField(m.sv())
			if !bf.IsNil() {
				continue
			}
			bf.Set(st.ptrAs(b.target))
		}
		mrs.ref = st.ptr
		mrs.loaded = true
	}
}

// groupIndex numbers the distinct key values of a relationship load's
// owners. A single integer key (the usual case) uses an integer map, so
// that looking a row's key up boxes nothing.
type groupIndex struct {
	ints map[int64]int32
	gen  map[any]int32
	n    int32
	// last is the integer key found or added last, and lastG its group:
	// the rows of one owner usually arrive together, so most lookups end
	// here without touching the map.
	last    int64
	lastG   int32
	hasLast bool
}

func newGroupIndex(attrs []*attrPlan, size int) *groupIndex {
	if len(attrs) == 1 && isIntKind(attrs[0].typ.Kind()) {
		return &groupIndex{ints: make(map[int64]int32, size)}
	}
	return &groupIndex{gen: make(map[any]int32, size)}
}

func isIntKind(k reflect.Kind) bool {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	}
	return false
}

func intOf(f reflect.Value) (int64, bool) {
	switch f.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return f.Int(), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return int64(f.Uint()), true
	case reflect.Pointer:
		if !f.IsNil() {
			return intOf(f.Elem())
		}
	}
	return 0, false
}

// of returns the group of the key of attrs in sv, numbering it when add
// and it is new (isNew); ok is false for a NULL key or, without add, an
// unknown one.
func (gi *groupIndex) of(attrs []*attrPlan, sv reflect.Value, add bool) (g int32, isNew, ok bool) {
	if gi.ints != nil {
		n, ok := intOf(attrs[0].field(sv))
		if !ok {
			return 0, false, false
		}
		return gi.ofInt(n, add)
	}
	k, ok := keyOfAttrs(attrs, sv)
	if !ok {
		return 0, false, false
	}
	return groupOfKey(gi.gen, &gi.n, k, add)
}

// ofState is of for the key in st's snapshot (its object when it has
// none), read at the field's offset for an int64 or int key.
func (gi *groupIndex) ofState(attrs []*attrPlan, st *instState, add bool) (g int32, isNew, ok bool) {
	if ap := attrs[0]; gi.ints != nil && ap.offOK && (ap.ptrKind == ptrInt64 || ap.ptrKind == ptrInt) {
		base := st.snapP
		if base == nil {
			base = st.ptr
		}
		var n int64
		if ap.ptrKind == ptrInt64 {
			n = *(*int64)(unsafe.Add(base, ap.off))
		} else {
			n = int64(*(*int)(unsafe.Add(base, ap.off)))
		}
		return gi.ofInt(n, add)
	}
	return gi.of(attrs, st.snapOrSelf(), add)
}

// ofInt is of for an integer key n.
func (gi *groupIndex) ofInt(n int64, add bool) (g int32, isNew, ok bool) {
	if gi.hasLast && n == gi.last {
		return gi.lastG, false, true
	}
	g, isNew, ok = groupOfKey(gi.ints, &gi.n, n, add)
	if ok {
		gi.last, gi.lastG, gi.hasLast = n, g, true
	}
	return g, isNew, ok
}

// groupOfKey returns k's group in m, numbering it with *next when add and
// it is new.
func groupOfKey[K comparable](m map[K]int32, next *int32, k K, add bool) (g int32, isNew, ok bool) {
	if g, found := m[k]; found {
		return g, false, true
	}
	if !add {
		return 0, false, false
	}
	g = *next
	*next++
	m[k] = g
	return g, true, true
}

// ofValues returns the group of key values read from extra columns.
func (gi *groupIndex) ofValues(vals []any) (int32, bool) {
	if gi.ints != nil {
		if len(vals) != 1 {
			return 0, false
		}
		n, ok := intOf(reflect.ValueOf(vals[0]))
		if !ok {
			return 0, false
		}
		g, _, found := gi.ofInt(n, false)
		return g, found
	}
	g, found := gi.gen[keyOfValues(vals)]
	return g, found
}
