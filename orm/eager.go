package orm

import (
	"context"
	"fmt"
	"reflect"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/inheritance"
	"github.com/retort-orm/retort/loading"
	"github.com/retort-orm/retort/registry"
)

// Eager loading: the joined strategy adds LEFT OUTER JOINs of anonymous
// aliases (or inner JOINs) and their columns to the SELECT that loads an
// entity; the selectin, subquery and immediate strategies run after the
// rows are read (postLoad), each level's objects feeding the next.

// colMap maps a table column to the column it is read through (an alias's
// or a subquery's); nil keeps the column.
type colMap func(*core.Column) *core.Column

func (m colMap) col(c *core.Column) *core.Column {
	if m == nil {
		return c
	}
	if r := m(c); r != nil {
		return r
	}
	return c
}

func (m colMap) expr(e core.Expr) core.Expr {
	if m == nil {
		return e
	}
	return core.ReplaceColumns(e, m)
}

// shape is a SELECT of one entity with its joined eager loads: the
// columns, joins and ORDER BY items to add, and the slots reading them.
type shape struct {
	cols  []core.SelectItem
	joins []pendingJoin
	order []core.Expr
	slots []*slot
	// slotJoin is, per slot, the join (index in joins) that brings its
	// table in, -1 for none
	slotJoin []int
	// uniq: a joined collection repeats the entity's rows
	uniq bool
	// explicit joins of the query, for contains_eager
	qjoins []queryJoin
	// from is what the entity is read from
	from core.FromClause
	// nextUnion is the polymorphic union the next entity added is read
	// from (a joined load of a concrete hierarchy's base)
	nextUnion *core.Subquery
}

type pendingJoin struct {
	right core.FromClause
	on    core.Expr
	kind  core.JoinKind
}

// addEntity adds node n's columns (read through m) as a slot with the
// given parent and relationship, and its joined eager loads.
func (b *shape) addEntity(n *loadNode, m colMap, parent int, rp *relPlan, optional bool) error {
	idx := len(b.slots)
	off := 0
	for _, sl := range b.slots {
		off += sl.span()
	}
	sl := &slot{n: n, off: off, parent: parent, rp: rp, optional: optional, poly: n.polyInfo()}
	b.slots = append(b.slots, sl)
	if len(b.slotJoin) < len(b.slots) {
		b.slotJoin = append(b.slotJoin, -1)
	}
	for _, ap := range n.cols {
		b.cols = append(b.cols, m.col(ap.col))
	}
	for _, pl := range n.props {
		b.cols = append(b.cols, pl.item(m))
	}
	union := b.nextUnion
	b.nextUnion = nil
	if union == nil && sl.poly != nil && parent < 0 && b.from == core.FromClause(sl.poly.union) {
		union = sl.poly.union
	}
	if sl.poly != nil && sl.poly.union != nil && union != nil {
		// a concrete hierarchy read from its polymorphic union: the
		// subtypes' own columns and the union's discriminator
		sl.inline = true
		for _, g := range sl.poly.inline {
			for _, ap := range g.attrs {
				b.cols = append(b.cols, m.col(ap.col))
			}
		}
		if sl.poly.udisc != nil {
			b.cols = append(b.cols, union.C(sl.poly.udisc.Name()))
		}
	} else if sl.poly != nil && m == nil && sl.poly.union == nil {
		// the subtypes' own columns: from their tables LEFT OUTER
		// JOINed on the inherit condition (with_polymorphic), or from
		// the table itself for single-table subtypes; through an alias,
		// they load after the rows (selectin_polymorphic)
		sl.inline = true
		for _, g := range sl.poly.inline {
			for _, ap := range g.attrs {
				b.cols = append(b.cols, ap.col)
			}
			if g.table != nil {
				var on []core.Expr
				for _, pr := range g.on {
					on = append(on, pr.Remote.Eq(pr.Local))
				}
				b.joins = append(b.joins, pendingJoin{right: g.table, on: core.And(on...), kind: core.LeftJoin})
			}
		}
	}
	if !n.joined && !n.hasContains() {
		return nil
	}
	rels, err := n.p.relations()
	if err != nil {
		return err
	}
	for _, rp := range rels {
		if n.strat[rp.i] != loading.LazyJoined || n.kids[rp.i] == nil {
			continue
		}
		kid := n.kids[rp.i]
		e := n.edges[rp.i]
		if e != nil && e.Contains {
			if err := b.addContains(n, rp, kid, e, m, idx, optional); err != nil {
				return err
			}
			continue
		}
		tp := rp.target
		var union *core.Subquery
		if pi := kid.polyInfo(); pi != nil && pi.union != nil {
			// a concrete hierarchy's base: its rows are the polymorphic
			// union's, joined as an anonymous subquery
			union = tp.m.PolymorphicUnionAnon()
		} else if tp.m.From() != nil {
			return &InvalidRequestError{Msg: fmt.Sprintf("joined loading of %s: %s is mapped onto a selectable; use SelectInLoad", rp.name, tp.name)}
		}
		var alias core.FromClause
		var am colMap
		switch {
		case union != nil:
			alias, am = union, inheritance.ByName(tp.m.HierarchyTables(), union.C)
		case len(tp.parts) > 1:
			// a joined subtype: its tables, each aliased, joined as its
			// rows are (employee AS employee_1 JOIN manager AS manager_1
			// ON …), nested in the outer join as SQLAlchemy nests it
			var err error
			if alias, am, err = tp.aliasedRows(); err != nil {
				return err
			}
		default:
			a := tp.table.Alias("")
			alias, am = a, a.Corresponding
		}
		wantInner := e != nil && e.Inner
		inner := wantInner && !optional
		var conds []core.Expr
		var right core.FromClause = alias
		switch rp.dir {
		case registry.OneToMany:
			for k, ref := range rp.refAttrs {
				conds = append(conds, m.col(ref.col).Eq(am.col(rp.fkAttrs[k].col)))
			}
		case registry.ManyToOne:
			for k, ref := range rp.refAttrs {
				conds = append(conds, am.col(ref.col).Eq(m.col(rp.fkAttrs[k].col)))
			}
		default:
			sec := rp.secondary.Alias("")
			var on2 []core.Expr
			for k, ap := range rp.targetAttrs {
				on2 = append(on2, am.col(ap.col).Eq(sec.Corresponding(rp.targetCols[k])))
			}
			j, err := core.NewJoin(sec, alias, core.And(on2...), core.InnerJoin)
			if err != nil {
				return err
			}
			right = j
			for k, ap := range rp.ownerAttrs {
				conds = append(conds, m.col(ap.col).Eq(sec.Corresponding(rp.ownerCols[k])))
			}
		}
		for _, c := range kid.criteria(tp) {
			conds = append(conds, am.expr(c))
		}
		kind := core.LeftJoin
		if inner {
			kind = core.InnerJoin
		}
		if wantInner && optional && b.slotJoin[idx] >= 0 {
			// an inner join below an outer one goes inside it, as
			// SQLAlchemy nests it: users LEFT OUTER JOIN (orders AS
			// orders_1 JOIN order_items AS order_items_1 ON …) ON …
			pj := &b.joins[b.slotJoin[idx]]
			nj, err := core.NewJoin(pj.right, right, core.And(conds...), core.InnerJoin)
			if err != nil {
				return err
			}
			pj.right = nj
			b.slotJoin = append(b.slotJoin, b.slotJoin[idx])
		} else {
			b.joins = append(b.joins, pendingJoin{right: right, on: core.And(conds...), kind: kind})
			b.slotJoin = append(b.slotJoin, len(b.joins)-1)
		}
		for _, o := range rp.orderBy {
			b.order = append(b.order, am.expr(o))
		}
		if rp.coll != nil {
			b.uniq = true
		}
		b.nextUnion = union
		if err := b.addEntity(kid, am, idx, rp, !inner); err != nil {
			return err
		}
	}
	return nil
}

// addContains reads a relationship from a join the query made itself
// (contains_eager).
func (b *shape) addContains(n *loadNode, rp *relPlan, kid *loadNode, e *loading.Edge, m colMap, parent int, optional bool) error {
	var found *queryJoin
	for i := range b.qjoins {
		j := &b.qjoins[i]
		if e.From != nil {
			if j.target == e.From {
				found = j
				break
			}
			continue
		}
		if j.rp == rp || (j.rp == nil && j.target == core.FromClause(rp.target.table)) {
			found = j
			break
		}
	}
	if found == nil {
		what := fmt.Sprintf("the table %s", rp.target.table.Name())
		if e.From != nil {
			what = "the alias given to From"
		}
		return &InvalidRequestError{Msg: fmt.Sprintf("%s: the query does not join %s for %s; add Join(%q) (or JoinAlias) before the option", e.Option, what, rp.name, rp.field)}
	}
	var km colMap
	if a, ok := found.target.(*core.Alias); ok {
		km = a.Corresponding
	}
	if rp.coll != nil {
		b.uniq = true
	}
	return b.addEntity(kid, km, parent, rp, optional || found.outer)
}

// hasContains reports a contains_eager edge at n.
func (n *loadNode) hasContains() bool {
	for _, e := range n.edges {
		if e != nil && e.Contains {
			return true
		}
	}
	return false
}

// apply adds the shape's columns, joins (onto the FROM element holding
// left) and ORDER BY items to stmt.
func (b *shape) apply(stmt *core.SelectStmt, left core.FromClause) *core.SelectStmt {
	stmt = stmt.AddColumns(b.cols...)
	if len(b.joins) > 0 {
		cur := fromHolding(stmt, left)
		for _, j := range b.joins {
			stmt = stmt.JoinFrom(cur, j.right, j.on, j.kind)
			cur = fromHolding(stmt, left)
		}
	}
	if len(b.order) > 0 {
		stmt = stmt.OrderBy(b.order...)
	}
	return stmt
}

// fromHolding returns the FROM element of stmt that is or joins f (f when
// none does).
func fromHolding(stmt *core.SelectStmt, f core.FromClause) core.FromClause {
	for _, x := range stmt.Froms() {
		if core.FromContains(x, f) {
			return x
		}
	}
	return f
}

// entitySelect builds the SELECT of node n's entity from base (FROM,
// WHERE … without columns), with its joined eager loads.
func entitySelect(n *loadNode, base *core.SelectStmt, from core.FromClause, m colMap, qjoins []queryJoin) (*core.SelectStmt, *shape, error) {
	b := &shape{qjoins: qjoins, from: from}
	if err := b.addEntity(n, m, -1, nil, false); err != nil {
		return nil, nil, err
	}
	return b.apply(base, from), b, nil
}

// runSelect executes stmt, reads its rows through the slots (extra
// columns after them into extra), stores the joined loads, fires the
// load events and runs the post loads of every slot. onRow is called per
// row with the first slot's object; the first slot's objects are
// returned once each, in row order.
func (s *Session) runSelect(ctx context.Context, conn *core.Connection, stmt *core.SelectStmt, b *shape, extra []any, mode loadMode, postRoots bool, onRow func(*instState) error) (roots []*instState, err error) {
	res, err := conn.Execute(ctx, stmt)
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := res.Close(); err == nil {
			err = cerr
		}
	}()
	r := newRowReader(s, mode, b.slots, extra)
	var seen map[*instState]bool
	for {
		more, err := r.next(ctx, res)
		if err != nil {
			return nil, err
		}
		if !more {
			break
		}
		st := r.row[0]
		if onRow != nil {
			if err := onRow(st); err != nil {
				return nil, err
			}
		}
		if b.uniq || len(b.slots) > 1 {
			if seen == nil {
				seen = map[*instState]bool{}
			}
			if seen[st] {
				continue
			}
			seen[st] = true
		}
		roots = append(roots, st)
	}
	if err := res.Err(); err != nil {
		return nil, err
	}
	if err := res.Close(); err != nil {
		return nil, err
	}
	if err := s.completeBatch(ctx, r, roots, mode, nil, postRoots); err != nil {
		return nil, err
	}
	return roots, nil
}

// completeBatch stores the joined loads of the rows read, fires their
// load events, and runs the post loads of each slot's objects (roots for
// the first slot). sub is the subquery-load source of the first slot.
func (s *Session) completeBatch(ctx context.Context, r *rowReader, roots []*instState, mode loadMode, sub *subSource, postRoots bool) error {
	r.finish()
	if err := r.loadPolymorphic(ctx); err != nil {
		return err
	}
	if err := r.fireLoads(ctx); err != nil {
		return err
	}
	for i, sl := range r.slots {
		states := sl.kids
		var src *subSource
		if i == 0 {
			if !postRoots {
				continue
			}
			states, src = roots, sub
		}
		if (sl.n.eager || sl.poly != nil) && len(states) > 0 {
			if err := s.postLoad(ctx, sl.n, states, mode, src); err != nil {
				return err
			}
		}
	}
	return nil
}

// postLoad runs the strategies of node n that load after the rows
// (selectin, subquery, immediate, noload) for states, the objects loaded
// at n, and recursively for what they load.
func (s *Session) postLoad(ctx context.Context, n *loadNode, states []*instState, mode loadMode, sub *subSource) error {
	if len(n.p.ancestors) > 0 || n.p.poly() != nil {
		// objects of n's subtypes load their relationships (inherited
		// and their own) at the subtype's node for n's options
		var own []*instState
		var order []*plan
		var groups map[*plan][]*instState
		for _, st := range states {
			if st.p == n.p {
				own = append(own, st)
				continue
			}
			if groups == nil {
				groups = map[*plan][]*instState{}
			}
			if _, ok := groups[st.p]; !ok {
				order = append(order, st.p)
			}
			groups[st.p] = append(groups[st.p], st)
		}
		for _, sp := range order {
			if sn := n.subNode(sp); sn.eager {
				if err := s.postLoad(ctx, sn, groups[sp], mode, sub); err != nil {
					return err
				}
			}
		}
		if !n.eager {
			return nil
		}
		states = own
	}
	rels, err := n.p.relations()
	if err != nil {
		return err
	}
	for _, rp := range rels {
		strat := n.strat[rp.i]
		switch strat {
		case loading.LazyNoLoad:
			for _, st := range states {
				if needsLoad(st, rp, mode) {
					s.setRelated(rp, st, nil)
				}
			}
			continue
		case loading.LazySelectIn, loading.LazySubquery, loading.LazyImmediate:
		default:
			continue
		}
		var owners []*instState
		for _, st := range states {
			if st.p == n.p && needsLoad(st, rp, mode) {
				if mode != loadNormal {
					s.clearRelated(rp, st)
				}
				owners = append(owners, st)
			}
		}
		if len(owners) == 0 {
			continue
		}
		lr := &relLoad{rp: rp, node: n.kids[rp.i], criteria: n.criteria(rp.target), mode: mode}
		switch {
		case strat == loading.LazySubquery && sub != nil:
			if err := s.subqueryLoad(ctx, lr, owners, sub); err != nil {
				return err
			}
		case strat == loading.LazyImmediate:
			for _, st := range owners {
				if err := s.runRelLoad(ctx, lr, []*instState{st}); err != nil {
					return err
				}
			}
		default:
			// selectin (and subquery loading of objects that were not
			// loaded by a query, which has no statement to repeat)
			if err := s.runRelLoad(ctx, lr, owners); err != nil {
				return err
			}
		}
	}
	return nil
}

// needsLoad reports whether rp of st is to be loaded: not yet loaded, or
// reloaded when populating.
func needsLoad(st *instState, rp *relPlan, mode loadMode) bool {
	if st.st == Pending {
		return false
	}
	return mode != loadNormal || !st.relLoaded(rp.i)
}

// relLoad is one load of a relationship for a set of owners.
type relLoad struct {
	rp       *relPlan
	node     *loadNode // the node the related objects load at (nil: the target's plain)
	criteria []core.Expr
	mode     loadMode
	// found collects the related objects, once each
	found []*instState
	seen  map[*instState]bool
}

func (lr *relLoad) target() *loadNode {
	if lr.node != nil {
		return lr.node
	}
	return lr.rp.target.plain
}

func (lr *relLoad) collect(st *instState) {
	if lr.seen == nil {
		lr.seen = map[*instState]bool{}
	}
	if !lr.seen[st] {
		lr.seen[st] = true
		lr.found = append(lr.found, st)
	}
}

// runRelLoad loads lr's relationship for owners with IN queries (the
// selectin strategy, and explicit loads).
func (s *Session) runRelLoad(ctx context.Context, lr *relLoad, owners []*instState) error {
	switch lr.rp.dir {
	case registry.ManyToOne:
		return s.loadManyToOne(ctx, lr, owners, false)
	case registry.OneToMany:
		return s.loadByParentKey(ctx, lr, owners, nil)
	default:
		return s.loadByParentKey(ctx, lr, owners, lr.rp.secondary)
	}
}

// clearRelated empties rp's field of st and marks it unloaded, before a
// load that replaces it (populate_existing): what the program had put in
// it is discarded, as SQLAlchemy's populate_existing discards pending
// changes.
func (s *Session) clearRelated(rp *relPlan, st *instState) {
	f := rp.relField(st.sv())
	if rp.coll == nil || f.Kind() == reflect.Slice || f.Kind() == reflect.Map {
		f.SetZero()
	} else {
		_ = rp.coll.Replace(f, nil)
	}
	rels, _ := st.p.relations()
	rs := &s.relsOf(st, rels)[rp.i]
	rs.ref, rs.members = nil, nil
	s.setLoaded(st, rp, false)
}
