package orm

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"unsafe"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/inheritance"
	"github.com/retort-orm/retort/loading"
	"github.com/retort-orm/retort/registry"
)

// Inheritance in the Session.
//
// A subtype embeds its base struct, so an object of a subtype holds a
// whole value of each of its bases: a *Manager's Employee field is an
// Employee. The Session tracks the object under its real type; a pointer
// to its embedded base (what a query of the base returns, what a
// []*Employee collection holds) is the same object seen as the base
// (instState.view), and the Session finds its state from either pointer.
//
// A joined subtype's plan writes one row per table of its hierarchy
// (tableParts, root first); a query of a base reads each row as its real
// type: the discriminator picks the subtype, the subtypes' own columns
// come from LEFT OUTER JOINs (polymorphic_load inline) or from one more
// SELECT per subtype (selectin), see polyInfo.

// tablePart is one table a plan's objects are written to: the plan's own
// table, or for a joined subtype each table from the root's down.
type tablePart struct {
	i       int
	table   *core.Table
	attrs   []*attrPlan // the attributes of this table's columns
	pk      []*attrPlan // this table's primary key attributes, in key order
	version *attrPlan   // the version counter when it is in this table
	// sync: before this part's INSERT, dst (this table's key) takes the
	// value of src (the parent table's column), the inherit condition
	sync [][2]*attrPlan
	// decl is the mapper that declares the table
	decl *registry.Mapper
	// writerP is the plan the table's rows are written through (see
	// writer), set on first use
	writerOnce sync.Once
	writerP    *plan
}

// writer is the plan whose attributes write the part's rows for objects
// of p: the plan of the type that declares the table when its columns of
// the table are p's (a joined hierarchy's tables), so that the rows of
// objects of its subtypes batch with its own; p itself when p adds
// columns to the table (a single-table subtype).
func (part *tablePart) writer(p *plan) *plan {
	part.writerOnce.Do(func() {
		part.writerP = p
		if part.decl == nil || part.decl == p.m {
			return
		}
		dp := planFor(part.decl)
		if part.i < len(dp.parts) && len(dp.parts[part.i].attrs) == len(part.attrs) && dp.parts[part.i].table == part.table {
			part.writerP = dp
		}
	})
	return part.writerP
}

// ancestorView is where a base's struct sits in a subtype's.
type ancestorView struct {
	m   *registry.Mapper
	off uintptr
}

// buildParts sets p.parts and each attribute's part.
func (p *plan) buildParts() {
	m := p.m
	chain := m.TableMappers()
	byCol := map[*core.Column]*attrPlan{}
	for _, ap := range p.attrs {
		byCol[ap.col] = ap
		ap.part = -1
	}
	for i, x := range chain {
		t := x.Table()
		if i == len(chain)-1 {
			t = p.table
		}
		part := &tablePart{i: i, table: t, decl: x}
		for _, ap := range p.attrs {
			if ap.col.Table() == t {
				ap.part = i
				part.attrs = append(part.attrs, ap)
				if ap.version {
					part.version = ap
				}
			}
		}
		if i == 0 {
			part.pk = p.pk
		} else {
			for _, c := range t.PrimaryKeyColumns() {
				if ap := byCol[c]; ap != nil {
					part.pk = append(part.pk, ap)
				}
			}
			for _, pr := range x.InheritCondition() {
				if dst, src := byCol[pr.Local], byCol[pr.Remote]; dst != nil && src != nil {
					part.sync = append(part.sync, [2]*attrPlan{dst, src})
				}
			}
		}
		p.parts = append(p.parts, part)
	}
	// a joined subtype selects from its tables joined, root first; a
	// single-table subtype's rows are those of its identities
	if len(p.parts) > 1 && m.From() == nil {
		p.joinFrom = m.RowsFrom()
	}
	p.discWhere = m.DiscriminatorCriteria()
	// where each base's struct sits
	off := uintptr(0)
	t := p.typ
	for x := m; x.Inherits() != nil; x = x.Inherits() {
		b := x.Declaration().Base
		for _, i := range b.Index {
			f := t.Field(i)
			off += f.Offset
			t = f.Type
		}
		p.ancestors = append(p.ancestors, ancestorView{m: x.Inherits(), off: off})
	}
}

// writesTable reports whether p's objects have rows in t.
func (p *plan) writesTable(t *core.Table) bool {
	for _, part := range p.parts {
		if part.table == t {
			return true
		}
	}
	return false
}

// offsetOf is where base's struct sits in p's (0 and true for p itself);
// false when base is not one of p's types.
func (p *plan) offsetOf(base *plan) (uintptr, bool) {
	if base == p {
		return 0, true
	}
	for _, a := range p.ancestors {
		if a.m == base.m {
			return a.off, true
		}
	}
	return 0, false
}

// isA reports whether p is base or one of its subtypes.
func (p *plan) isA(base *plan) bool {
	_, ok := p.offsetOf(base)
	return ok
}

// ptrAs is the object as a pointer of as's type: a *Employee to a
// Manager's embedded Employee (the base is the subtype's first field, at
// the same address). as is st's type or one of its bases.
func (st *instState) ptrAs(as *plan) reflect.Value {
	return as.at(st.ptr)
}

// polyInfo is how a query of a plan reads rows of its subtypes.
type polyInfo struct {
	disc *attrPlan // the discriminator in the plan's attributes
	// plans are the subtypes by identity (the plan itself included when
	// it has one)
	plans map[string]*plan
	pmap  *inheritance.Map[*registry.Mapper]
	// union is a concrete hierarchy's polymorphic union, which a query of
	// the plan reads; umap maps the hierarchy's table columns to its
	// columns; udisc is its discriminator column when the tables have
	// none (disc is nil then)
	union *core.Subquery
	umap  colMap
	udisc *core.Column
	// inline are the subtypes' own columns a query of the plan selects:
	// from LEFT OUTER JOINs of joined subtypes' tables, or the columns a
	// single-table subtype adds to the table
	inline []*polyGroup
	// copies: per concrete subtype plan, the inline columns it takes, as
	// (column in the group's plan, column in the subtype's plan) pairs
	copyMu sync.Mutex
	copies map[*plan]*polyCopy
	// nodes are the derived load nodes per (node, subtype), see polyNode
}

// polyGroup is one subtype's columns in a polymorphic query.
type polyGroup struct {
	sp    *plan
	attrs []*attrPlan // of sp
	// join: the subtype's table joined on the inherit condition (nil for
	// a single-table subtype, whose columns are on the queried table)
	table *core.Table
	on    []registry.ColumnPair
}

type polyCopy struct {
	groups []int            // indexes of the groups the subtype takes
	pairs  [][][2]*attrPlan // per group: (src in group plan, dst in subtype plan)
	cols   []*attrPlan      // the subtype's attributes the row fills
}

type polyInfoKey struct {
	p      *plan
	choice string // loading.PolyChoice.Key, "" for the mapping's
}

var polyInfos sync.Map // polyInfoKey -> *polyInfo (nil pointer: not polymorphic)

// poly returns p's polymorphic loading data as the mapping says, nil when
// a query of p returns only p's own type.
func (p *plan) poly() *polyInfo { return p.polyFor(nil) }

// polyFor is poly with a query's WithPolymorphic or SelectInPolymorphic
// choice (nil: the mapping's).
func (p *plan) polyFor(c *loading.PolyChoice) *polyInfo {
	key := polyInfoKey{p: p}
	if c != nil {
		key.choice = c.Key
	}
	if v, ok := polyInfos.Load(key); ok {
		return v.(*polyInfo)
	}
	pi := buildPoly(p, c)
	v, _ := polyInfos.LoadOrStore(key, pi)
	return v.(*polyInfo)
}

// polyInfo is the node's polymorphic loading data (see plan.polyFor).
func (n *loadNode) polyInfo() *polyInfo {
	if n.opt != nil && n.opt.Poly != nil {
		return n.p.polyFor(n.opt.Poly)
	}
	return n.p.poly()
}

func buildPoly(p *plan, c *loading.PolyChoice) *polyInfo {
	m := p.m
	pm := m.Polymorphic()
	desc := m.Descendants()
	if pm == nil || len(desc) == 1 {
		return nil
	}
	pi := &polyInfo{pmap: pm, plans: map[string]*plan{}, copies: map[*plan]*polyCopy{}}
	on := m.PolymorphicOn()
	for _, ap := range p.attrs {
		if ap.a == on || on != nil && ap.col == on.Column() {
			pi.disc = ap
		}
	}
	if u := m.PolymorphicUnion(); u != nil {
		// a concrete hierarchy: queries read the union, whose
		// discriminator column is its own when the tables have none
		pi.union = u
		if pi.disc == nil {
			pi.udisc = u.C(m.UnionDiscriminator())
		}
		pi.umap = inheritance.ByName(m.HierarchyTables(), u.C)
		unionMaps.Store(u, pi.umap)
	}
	if pi.disc == nil && pi.udisc == nil {
		return nil
	}
	base := map[string]bool{}
	for _, ap := range p.attrs {
		base[ap.col.Name()] = true
	}
	inlined := map[*registry.Mapper]bool{m: true}
	for _, d := range desc {
		if d.PolymorphicIdentity() != "" {
			pi.plans[d.PolymorphicIdentity()] = planFor(d)
		}
		if d == m || !inlined[d.Inherits()] {
			continue
		}
		sp := planFor(d)
		g := &polyGroup{sp: sp}
		switch d.InheritanceKind() {
		case inheritance.Joined:
			if c != nil && !c.Inline[d] || c == nil && d.PolymorphicLoad() != inheritance.Inline {
				continue
			}
			g.table = d.Table()
			g.on = d.InheritCondition()
			for _, ap := range sp.load {
				if ap.col.Table() == g.table {
					g.attrs = append(g.attrs, ap)
				}
			}
		case inheritance.Single:
			parent := planFor(d.Inherits())
			for _, ap := range sp.load {
				if parent.attrOfColumn(ap.col) == nil {
					g.attrs = append(g.attrs, ap)
				}
			}
		case inheritance.Concrete:
			if pi.union == nil || d.Inherits() != m {
				continue
			}
			// its columns the base's table does not have, read from the
			// union by name
			for _, ap := range sp.load {
				if !base[ap.col.Name()] {
					g.attrs = append(g.attrs, ap)
				}
			}
		default:
			continue
		}
		inlined[d] = true
		pi.inline = append(pi.inline, g)
	}
	return pi
}

// attrOfColumn is p's attribute of column c, or nil.
func (p *plan) attrOfColumn(c *core.Column) *attrPlan {
	for _, ap := range p.attrs {
		if ap.col == c {
			return ap
		}
	}
	return nil
}

// unionMaps maps each polymorphic union to the map of its hierarchy's
// table columns to its columns (by name), for fromMap.
var unionMaps sync.Map // *core.Subquery -> colMap

// subtypeOf returns the plan of the row whose discriminator field is in
// sv (a struct of the polymorphic plan base), or in disc when the
// discriminator is a polymorphic union's own column.
func (pi *polyInfo) subtypeOf(base *plan, sv reflect.Value, disc string) (*plan, error) {
	var key string
	var f reflect.Value
	if pi.disc != nil {
		f = pi.disc.field(sv)
	}
	switch {
	case pi.disc == nil:
		key = disc
	case f.Kind() == reflect.String:
		key = f.String()
	default:
		k, ok := inheritance.Key(bindValue(f))
		if !ok {
			return nil, &inheritance.UnknownIdentityError{Hierarchy: pi.pmap.Hierarchy(), Column: pi.pmap.Column(), Known: pi.pmap.Identities()}
		}
		key = k
	}
	if sp, ok := pi.plans[key]; ok {
		return sp, nil
	}
	if _, err := pi.pmap.LookupString(key); err != nil {
		return nil, err
	}
	return nil, &InvalidRequestError{Msg: fmt.Sprintf("a row loaded as %s has %s = %q, the identity of a type that is not a %s", base.name, pi.pmap.Column(), key, base.name)}
}

// copyFor returns how a row's inline columns go into an object of sp.
func (pi *polyInfo) copyFor(sp *plan) *polyCopy {
	pi.copyMu.Lock()
	defer pi.copyMu.Unlock()
	if c, ok := pi.copies[sp]; ok {
		return c
	}
	c := &polyCopy{}
	for gi, g := range pi.inline {
		if !sp.isA(g.sp) {
			continue
		}
		var pairs [][2]*attrPlan
		for _, ap := range g.attrs {
			if dst := sp.attrOfColumn(ap.col); dst != nil {
				pairs = append(pairs, [2]*attrPlan{ap, dst})
				c.cols = append(c.cols, dst)
			}
		}
		c.groups = append(c.groups, gi)
		c.pairs = append(c.pairs, pairs)
	}
	pi.copies[sp] = c
	return c
}

// inlineWidth is the number of columns the inline groups add to a row.
func (pi *polyInfo) inlineWidth() int {
	if pi == nil {
		return 0
	}
	n := 0
	for _, g := range pi.inline {
		n += len(g.attrs)
	}
	return n
}

// subtypeRow picks the type of the row just scanned into sl.spare by its
// discriminator. A row of the slot's own type is left as it is; a row of
// a subtype gets a new object of that type holding the scanned base and
// the subtype's inline columns, and the node it loads at.
func (r *rowReader) subtypeRow(sl *slot) (*loadNode, unsafe.Pointer, error) {
	base := sl.n.p
	if sl.poly.disc == nil && !sl.inline {
		// a concrete base read from its own table, not the union: its
		// rows are its own
		return sl.n, sl.spare, nil
	}
	sp, err := sl.poly.subtypeOf(base, base.at(sl.spare).Elem(), sl.disc)
	if err != nil {
		return nil, nil, err
	}
	if sp == base {
		return sl.n, sl.spare, nil
	}
	obj := r.s.objSlabs.takePtr(sp)
	// the base's fields, scanned into a struct of the base's type, are
	// the first field of the subtype's struct
	base.at(obj).Elem().Set(base.at(sl.spare).Elem())
	sub, ok := sl.subs[sp]
	if !ok {
		// (once per slot and subtype: the shared caches take a lock)
		sub.cp = sl.poly.copyFor(sp)
		sub.n = sl.n.polyNode(sp, sub.cp, sl.inline)
		if sl.subs == nil {
			sl.subs = map[*plan]slotSub{}
		}
		sl.subs[sp] = sub
	}
	cp := sub.cp
	if sl.inline {
		ov := sp.at(obj).Elem()
		for k, gi := range cp.groups {
			gsv := sl.gspare[gi].Elem()
			for _, pr := range cp.pairs[k] {
				pr[1].field(ov).Set(pr[0].field(gsv))
			}
		}
	}
	return sub.n, obj, nil
}

// slotSub is how a slot reads rows of one subtype.
type slotSub struct {
	cp *polyCopy
	n  *loadNode
}

// polyNode is the node of a row of subtype sp read at n: sp's
// relationships load as n's options say, and its columns are n's and,
// when the row had them (inline), the subtype's own. polyMissing reports
// columns of sp's default load the row lacked, which load after the rows.
func (n *loadNode) polyNode(sp *plan, cp *polyCopy, inline bool) *loadNode {
	return n.subtypeNode(polyKey{sp: sp, inline: inline}, func(d *loadNode) {
		// (a concrete subtype's columns are its own table's: matched by
		// name)
		concrete := sp.rootPlan != n.p.rootPlan
		key := func(ap *attrPlan) any {
			if concrete {
				return ap.col.Name()
			}
			return ap.col
		}
		have := map[any]bool{}
		for _, ap := range n.cols {
			have[key(ap)] = true
		}
		if inline {
			for _, ap := range cp.cols {
				have[key(ap)] = true
			}
		}
		d.cols = nil
		for _, ap := range sp.attrs {
			if have[key(ap)] {
				d.cols = append(d.cols, ap)
			}
		}
		for _, ap := range sp.load {
			if !have[key(ap)] {
				d.polyMissing = true
			}
		}
		d.props = nil
		d.partial = !sameAttrs(d.cols, sp.load) || len(sp.props) > 0
	})
}

type polyKey struct {
	sp     *plan
	inline bool
	post   bool // subNode's
}

// subNode is the node of n's options for objects of n's subtype sp, for
// the loads after the rows.
func (n *loadNode) subNode(sp *plan) *loadNode {
	return n.subtypeNode(polyKey{sp: sp, post: true}, nil)
}

// subtypeNode returns the node of n's options for key.sp, built once per
// key (adjust sets what differs from the subtype's own node) and kept on
// n.
func (n *loadNode) subtypeNode(key polyKey, adjust func(*loadNode)) *loadNode {
	derivedMu.Lock()
	d := n.polyNodes[key]
	derivedMu.Unlock()
	if d != nil {
		return d
	}
	d, err := buildNode(key.sp, n.opt, n.tree, n.path, nil)
	if err != nil {
		// (the options were checked against the base; a subtype adds
		// relationships they cannot name)
		d = &loadNode{p: key.sp, path: n.path}
	}
	if adjust != nil {
		adjust(d)
	}
	derivedMu.Lock()
	defer derivedMu.Unlock()
	if d0 := n.polyNodes[key]; d0 != nil {
		return d0
	}
	if n.polyNodes == nil {
		n.polyNodes = map[polyKey]*loadNode{}
	}
	n.polyNodes[key] = d
	return d
}

// loadPolymorphic loads the own columns of subtype objects whose rows did
// not have them: one SELECT … WHERE pk IN (…) per subtype, from the
// subtype's tables joined (SQLAlchemy's selectin_polymorphic).
func (s *Session) loadPolymorphic(ctx context.Context, states []*instState) error {
	if len(states) == 0 {
		return nil
	}
	type group struct {
		n      *loadNode
		states []*instState
	}
	var groups []*group
	byNode := map[*loadNode]*group{}
	for _, st := range states {
		n := st.loadedAt()
		g := byNode[n]
		if g == nil {
			g = &group{n: n}
			byNode[n] = g
			groups = append(groups, g)
		}
		g.states = append(g.states, st)
	}
	for _, g := range groups {
		p := g.n.p
		var missing []*attrPlan
		for _, ap := range p.load {
			if !slices.Contains(g.n.cols, ap) {
				missing = append(missing, ap)
			}
		}
		if len(missing) == 0 {
			continue
		}
		conn, err := s.connFor(ctx, p)
		if err != nil {
			return err
		}
		items := make([]core.SelectItem, 0, len(p.pk)+len(missing))
		var keyCols []*core.Column
		var order []core.Expr
		for _, ap := range p.pk {
			items = append(items, ap.col)
			keyCols = append(keyCols, ap.col)
			order = append(order, ap.col)
		}
		for _, ap := range missing {
			items = append(items, ap.col)
		}
		loaded := g.n.withLoaded(missing, nil)
		for i := 0; i < len(g.states); i += loadBatch {
			batch := g.states[i:min(i+loadBatch, len(g.states))]
			keys := make([][]any, len(batch))
			for k, st := range batch {
				keys[k] = st.pkValues()
			}
			stmt := core.Select(items...).From(p.from()).Where(inClause(keyCols, keys)).OrderBy(order...)
			if err := s.readPolyRows(ctx, conn, stmt, p, missing, loaded); err != nil {
				return err
			}
		}
	}
	return nil
}

// readPolyRows reads the rows of a selectin_polymorphic SELECT (key
// columns, then missing) into the objects of the identity map.
func (s *Session) readPolyRows(ctx context.Context, conn *core.Connection, stmt *core.SelectStmt, p *plan, missing []*attrPlan, loaded *loadNode) (err error) {
	res, err := conn.Execute(ctx, stmt)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := res.Close(); err == nil {
			err = cerr
		}
	}()
	fresh := reflect.New(p.typ).Elem()
	dest := make([]any, 0, len(p.pk)+len(missing))
	nulls := make([]core.NullOK, len(missing))
	for _, ap := range p.pk {
		dest = append(dest, ap.field(fresh).Addr().Interface())
	}
	for i, ap := range missing {
		nulls[i] = core.NullOK{Dest: ap.field(fresh).Addr().Interface()}
		dest = append(dest, &nulls[i])
	}
	for {
		more, err := res.NextScan(dest...)
		if err != nil {
			return err
		}
		if !more {
			break
		}
		key, ok := p.keyOfStruct(fresh)
		if !ok {
			continue
		}
		st, found := s.identity.get(key)
		if !found || st.p != p {
			continue
		}
		s.storeLoaded(st, missing, fresh)
		st.ln = loaded
	}
	return res.Err()
}

// objectAs is st's object as a *T, T being p's type: the object itself,
// or the embedded T of an object of a subtype of p; false when st's object
// is neither.
func objectAs[T any](st *instState, p *plan) (*T, bool) {
	if st.p != p && !st.p.isA(p) {
		return nil, false
	}
	return (*T)(st.ptr), true
}

// Concrete returns the object obj is, as its real type: for a *Employee
// that a query of Employee returned for a row of a Manager, the *Manager
// whose embedded Employee it points to. obj must be a pointer to a mapped
// struct; an object the Session does not track is returned as it is (a
// plain struct does not know what embeds it). Use it in a type switch:
//
//	switch e := orm.Concrete(s, emp).(type) {
//	case *Manager: …
//	case *Engineer: …
//	}
func Concrete(s *Session, obj any) any {
	if st := s.stateOf(obj); st != nil {
		return st.object()
	}
	return obj
}

// As returns obj as a *T when the object it is (see [Concrete]) is a T or
// one of T's subtypes: As[Manager](s, emp) is the *Manager holding emp,
// and false when emp is a row of another type. It is the typed form of a
// type assertion on Concrete.
func As[T any](s *Session, obj any) (*T, bool) {
	if t, ok := obj.(*T); ok && t != nil {
		if st := s.stateOf(obj); st == nil || st.p.typ == reflect.TypeFor[T]() {
			return t, true
		}
	}
	st := s.stateOf(obj)
	if st == nil {
		return nil, false
	}
	p, err := mapperOf[T](s)
	if err != nil {
		return nil, false
	}
	return objectAs[T](st, p)
}

// OfType narrows a relationship to the subtype S of its target
// (SQLAlchemy's of_type), for Join and OuterJoin:
//
//	orm.Select[Company](s).Join(orm.OfType[Engineer]("Employees")).
//		Where(engineers.C("engineer_info").Eq("go"))
//
// joins the engineers' rows only (employee JOIN engineer), and later
// joins may start from Engineer's relationships. It is
// [loading.OfType], which loader paths take too.
func OfType[S any](rel any) *loading.TypedRel { return loading.OfType[S](rel) }

// aliasedRows is the FROM of p's rows with each table aliased (a joined
// subtype's tables joined on their inherit conditions), and the map of
// the tables' columns to the aliases'.
func (p *plan) aliasedRows() (core.FromClause, colMap, error) {
	aliases := map[*core.Table]*core.Alias{}
	var from core.FromClause
	for i, part := range p.parts {
		a := part.table.Alias("")
		aliases[part.table] = a
		if i == 0 {
			from = a
			continue
		}
		var on []core.Expr
		for _, pr := range part.decl.InheritCondition() {
			if ra := aliases[pr.Remote.Table()]; ra != nil {
				on = append(on, ra.Corresponding(pr.Remote).Eq(a.Corresponding(pr.Local)))
			}
		}
		j, err := core.NewJoin(from, a, core.And(on...), core.InnerJoin)
		if err != nil {
			return nil, nil, err
		}
		from = j
	}
	return from, func(c *core.Column) *core.Column {
		if a := aliases[c.Table()]; a != nil {
			return a.Corresponding(c)
		}
		return nil
	}, nil
}
