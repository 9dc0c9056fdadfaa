package orm

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/declarative"
	"github.com/retort-orm/retort/loading"
	"github.com/retort-orm/retort/registry"
)

// loadNode is how a query loads one entity at one path: the columns it
// selects and, per relationship, the strategy and the node of the
// related entity. The mapping's defaults make one tree per plan
// (plan.defaultNode); a query with loader options builds its own, which
// the objects it loads keep (instState.ln) so that their later explicit
// loads follow it, as SQLAlchemy keeps load options on the instance
// state. A node is immutable once built.
type loadNode struct {
	p    *plan
	opt  *loading.Node // nil: the mapping's defaults
	tree *loading.Tree // nil without options
	path string
	// cols are the loaded column attributes, in SELECT order; partial
	// reports that they differ from the plan's default (p.load)
	cols    []*attrPlan
	partial bool
	// props are the SQL-expression attributes loaded after the columns
	// (column_property, and query_expression given WithExpression)
	props []*propLoad
	// per relationship (by relPlan.i): its strategy, the option edge
	// naming it (or nil), and the node its objects load at (nil when
	// nothing loads beyond it)
	strat []loading.Strategy
	edges []*loading.Edge
	kids  []*loadNode
	// eager reports that some relationship loads with the rows or right
	// after them (joined, selectin, subquery, immediate, noload)
	eager bool
	// joined reports a joined eager load (of any depth) from this node
	joined bool
	// joinedColl reports a joined eager load of a collection from this
	// node, which needs the LIMIT wrapping
	joinedColl bool
	// derived are the nodes of objects that loaded more columns later
	// (LoadColumns), by the set added (guarded by derivedMu)
	derived map[string]*loadNode
	// polyNodes are the nodes of rows of subtypes read at this node
	// (guarded by derivedMu), polyMissing that such a node lacks
	// columns of its type's default load (see polyNode)
	polyNodes   map[polyKey]*loadNode
	polyMissing bool
}

var derivedMu sync.Mutex

// strategyOf is how rp loads for objects loaded at n.
func (n *loadNode) strategyOf(rp *relPlan) loading.Strategy {
	if n == nil || rp.i >= len(n.strat) {
		s, _ := loading.ParseStrategy(rp.lazy)
		return s
	}
	return n.strat[rp.i]
}

// criteria returns the loader criteria for target's loads from objects
// loaded at n.
func (n *loadNode) criteria(target *plan) []core.Expr {
	var out []core.Expr
	if n != nil && n.tree != nil {
		out = n.tree.Criteria(target.m)
	}
	if target.discWhere != nil {
		// a single-table subtype's rows
		out = append(slices.Clip(out), target.discWhere)
	}
	return out
}

var defaultNodes sync.Map // *plan -> *loadNode

// defaultNode is the plan's node when a query gives no options: the
// mapping's deferred columns stay unloaded and each relationship loads as
// its lazy tag says; eager defaults stop at a mapper already on the path,
// as SQLAlchemy's do without join_depth.
func (p *plan) defaultNode() (*loadNode, error) {
	if n, ok := defaultNodes.Load(p); ok {
		return n.(*loadNode), nil
	}
	n, err := buildNode(p, nil, nil, p.name, nil)
	if err != nil {
		return nil, err
	}
	actual, _ := defaultNodes.LoadOrStore(p, n)
	return actual.(*loadNode), nil
}

// buildNode builds the node of plan p for the options opt (nil: the
// mapping's) of tree, at path; seen holds the plans on the path.
func buildNode(p *plan, opt *loading.Node, tree *loading.Tree, path string, seen []*plan) (*loadNode, error) {
	return buildNodeWith(p, opt, tree, path, seen, nil, loading.LazyDefault)
}

// buildNodeWith is buildNode with the attributes the parent's load reads
// (need: the foreign key a collection's rows are grouped by, which a
// column option may not leave out) and the wildcard strategy of an
// enclosing RaiseLoad("*") or LazyLoad("*"), which applies at every depth
// below it unless a nearer option says otherwise (as SQLAlchemy's does).
func buildNodeWith(p *plan, opt *loading.Node, tree *loading.Tree, path string, seen []*plan, need []*attrPlan, wild loading.Strategy) (*loadNode, error) {
	n := &loadNode{p: p, opt: opt, tree: tree, path: path}
	rels, err := p.relations()
	if err != nil {
		return nil, err
	}
	if opt != nil && opt.Wildcard != loading.LazyDefault {
		wild = opt.Wildcard
	}
	if len(rels) > 0 {
		n.strat = make([]loading.Strategy, len(rels))
		n.edges = make([]*loading.Edge, len(rels))
		n.kids = make([]*loadNode, len(rels))
		for _, rp := range rels {
			e := opt.Edge(rp.r)
			n.edges[rp.i] = e
			mapping, _ := loading.ParseStrategy(rp.lazy)
			switch {
			case e != nil && e.Strategy != loading.LazyDefault:
				n.strat[rp.i] = e.Strategy
			case mapping == loading.LazyWriteOnly:
				n.strat[rp.i] = mapping
			case wild != loading.LazyDefault:
				n.strat[rp.i] = wild
			default:
				n.strat[rp.i] = mapping
			}
			// a default eager strategy does not go round a cycle
			if e == nil && loadsNow(n.strat[rp.i]) && onPath(seen, rp.target) {
				n.strat[rp.i] = loading.LazySelect
			}
		}
	}
	// the columns: the options' choice, with the keys the loads read
	if opt.HasColumnOptions() || len(need) > 0 {
		must := map[*attrPlan]bool{}
		for _, ap := range need {
			must[ap] = true
		}
		for _, rp := range rels {
			if !loadsNow(n.strat[rp.i]) || n.strat[rp.i] == loading.LazyJoined {
				continue // (a joined load joins on the columns, not the fields)
			}
			switch rp.dir {
			case registry.ManyToOne:
				for _, ap := range rp.fkAttrs {
					must[ap] = true
				}
			case registry.OneToMany:
				for _, ap := range rp.refAttrs {
					must[ap] = true
				}
			default:
				for _, ap := range rp.ownerAttrs {
					must[ap] = true
				}
			}
		}
		for _, ap := range p.attrs {
			if must[ap] || (opt.HasColumnOptions() && opt.LoadsColumn(ap.a)) || (!opt.HasColumnOptions() && !ap.deferred) {
				n.cols = append(n.cols, ap)
			}
		}
		n.partial = !sameAttrs(n.cols, p.load)
		if !n.partial {
			n.cols = p.load
		}
	} else {
		n.cols = p.load
	}
	n.props = p.props
	if opt != nil {
		var props []*propLoad
		changed := false
		for _, pr := range p.m.Properties() {
			switch {
			case pr.QueryExpression():
				if x := opt.Expression(pr); x != nil {
					props = append(props, newPropLoad(pr, x))
					changed = true
				}
			case pr.Expr() != nil && opt.LoadsProperty(pr):
				props = append(props, newPropLoad(pr, pr.Expr()))
				changed = changed || pr.Deferred()
			default:
				changed = changed || !pr.Deferred()
			}
		}
		if changed {
			n.props = props
			n.partial = true
		}
	}
	if len(rels) == 0 {
		return n, nil
	}
	seen = append(seen, p)
	for _, rp := range rels {
		s, e := n.strat[rp.i], n.edges[rp.i]
		if s == loading.LazyNoLoad {
			n.eager = true // set empty after the rows
		}
		var child *loading.Node
		if e != nil {
			child = e.Child
		}
		if !loadsNow(s) {
			if (e != nil || wild != loading.LazyDefault) && s == loading.LazySelect || e != nil && s == loading.LazyDefault {
				// a later explicit load follows the options beyond it
				kid, err := buildNodeWith(rp.target, child, tree, path+"."+rp.field, seen, nil, wild)
				if err != nil {
					return nil, err
				}
				n.kids[rp.i] = kid
			}
			continue
		}
		// the rows of a load after the parents' are grouped by these (a
		// joined load's rows carry their parent)
		var kneed []*attrPlan
		switch {
		case s == loading.LazyJoined:
		case rp.dir == registry.OneToMany:
			kneed = rp.fkAttrs
		case rp.dir == registry.ManyToOne:
			kneed = rp.refAttrs
		default:
			kneed = rp.targetAttrs
		}
		kid, err := buildNodeWith(rp.target, child, tree, path+"."+rp.field, seen, kneed, wild)
		if err != nil {
			return nil, err
		}
		n.kids[rp.i] = kid
		n.eager = true
		if s == loading.LazyJoined {
			n.joined = true
			if rp.coll != nil || kid.joinedColl {
				n.joinedColl = true
			}
		}
	}
	return n, nil
}

// loadsNow reports a strategy that loads with the rows or right after
// them.
func loadsNow(s loading.Strategy) bool {
	switch s {
	case loading.LazyJoined, loading.LazySelectIn, loading.LazySubquery, loading.LazyImmediate:
		return true
	}
	return false
}

func onPath(seen []*plan, p *plan) bool {
	for _, x := range seen {
		if x == p {
			return true
		}
	}
	return false
}

func sameAttrs(a, b []*attrPlan) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// nodeFor is the node a query of p with opts loads its objects at.
func nodeFor(s *Session, p *plan, opts []loading.Option) (*loadNode, error) {
	if len(opts) == 0 {
		return p.defaultNode()
	}
	tree, err := loading.Resolve(s.reg, p.m, opts)
	if err != nil {
		return nil, err
	}
	if tree == nil {
		return p.defaultNode()
	}
	return buildNode(p, tree.Root, tree, p.name, nil)
}

// propLoad is an SQL-expression attribute a node loads: its field and
// the expression (against the mapper's table).
type propLoad struct {
	p     *registry.Property
	expr  core.Expr
	index []int
	label string
}

func newPropLoad(pr *registry.Property, expr core.Expr) *propLoad {
	return &propLoad{p: pr, expr: expr, index: pr.Index(), label: core.ToSnakeCase(pr.Name())}
}

// item is the SELECT item of the expression read through m.
func (pl *propLoad) item(m colMap) core.SelectItem {
	return m.expr(pl.expr).Label(pl.label)
}

// field is the attribute's field in sv.
func (pl *propLoad) field(sv reflect.Value) reflect.Value { return fieldByIndexAlloc(sv, pl.index) }

// width is the number of columns a node's entity takes in a row.
func (n *loadNode) width() int { return len(n.cols) + len(n.props) }

// loadedAt is the node whose columns the object has loaded.
func (st *instState) loadedAt() *loadNode {
	if st.ln != nil {
		return st.ln
	}
	return st.p.plain
}

// withLoaded returns n with the attributes of attrs and props loaded too,
// built once per set and kept on n.
func (n *loadNode) withLoaded(attrs []*attrPlan, props []*registry.Property) *loadNode {
	var key strings.Builder
	for _, ap := range attrs {
		fmt.Fprintf(&key, "a%d,", ap.i)
	}
	for _, pr := range props {
		key.WriteString("p" + pr.Name() + ",")
	}
	derivedMu.Lock()
	defer derivedMu.Unlock()
	if d, ok := n.derived[key.String()]; ok {
		return d
	}
	d := *n
	d.derived, d.polyNodes = nil, nil
	d.cols = nil
	for _, ap := range n.p.attrs {
		if slices.Contains(n.cols, ap) || slices.Contains(attrs, ap) {
			d.cols = append(d.cols, ap)
		}
	}
	d.props = slices.Clone(n.props)
	for _, pr := range props {
		if pr.Expr() != nil {
			d.props = append(d.props, newPropLoad(pr, pr.Expr()))
		}
	}
	d.partial = true
	if n.derived == nil {
		n.derived = map[string]*loadNode{}
	}
	n.derived[key.String()] = &d
	return &d
}

// LoadColumns loads the named column attributes (Go field names) of obj,
// a persistent object of the session, that its query left unloaded:
// deferred columns, those a LoadOnly or Defer option excluded, and
// deferred column_property attributes, with one SELECT by primary key.
// Go cannot load on a field read, so this is the explicit form of
// SQLAlchemy's load of a deferred attribute on access. Loaded attributes
// are left as they are; a column deferred with DeferRaise is an error.
func (s *Session) LoadColumns(ctx context.Context, obj any, fields ...string) error {
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
		return &DetachedInstanceError{Type: p.name, Msg: fmt.Sprintf("cannot load columns of a %s this Session does not track; Add or Merge it first", p.name)}
	}
	if st.st == Pending {
		return nil
	}
	n := st.loadedAt()
	var attrs []*attrPlan
	var props []*registry.Property
	for _, f := range fields {
		if ap := p.attrByName(f); ap != nil {
			if slices.Contains(n.cols, ap) || slices.Contains(attrs, ap) {
				continue
			}
			if n.opt.RaisesColumn(ap.a) {
				return &InvalidRequestError{Msg: fmt.Sprintf("%s.%s is not available due to raiseload=True", p.name, f)}
			}
			attrs = append(attrs, ap)
			continue
		}
		if pr, ok := p.m.Property(f); ok && pr.Expr() != nil {
			loaded := false
			for _, pl := range n.props {
				loaded = loaded || pl.p == pr
			}
			if !loaded {
				props = append(props, pr)
			}
			continue
		}
		var names []string
		for _, ap := range p.attrs {
			names = append(names, ap.name)
		}
		msg := fmt.Sprintf("%s has no column attribute %q", p.name, f)
		if c := declarative.Closest(f, names); c != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", c)
		}
		return &InvalidRequestError{Msg: msg}
	}
	if len(attrs) == 0 && len(props) == 0 {
		return nil
	}
	if err := s.autoflush(ctx); err != nil {
		return err
	}
	items := make([]core.SelectItem, 0, len(attrs)+len(props))
	dest := make([]any, 0, len(attrs)+len(props))
	fresh := reflect.New(p.typ).Elem()
	for _, ap := range attrs {
		items = append(items, ap.col)
		dest = append(dest, ap.field(fresh).Addr().Interface())
	}
	nulls := make([]core.NullOK, len(props))
	for i, pr := range props {
		pl := newPropLoad(pr, pr.Expr())
		items = append(items, pl.item(nil))
		nulls[i] = core.NullOK{Dest: pl.field(fresh).Addr().Interface()}
		dest = append(dest, &nulls[i])
	}
	var where []core.Expr
	for i, ap := range p.pk {
		where = append(where, ap.col.Eq(bindValue(p.pk[i].field(st.snapOrSelf()))))
	}
	conn, err := s.connFor(ctx, p)
	if err != nil {
		return err
	}
	res, err := conn.Execute(ctx, core.Select(items...).From(p.from()).Where(where...))
	if err != nil {
		return err
	}
	more, err := res.NextScan(dest...)
	if err == nil && !more {
		err = res.Err()
		if err == nil {
			err = &InvalidRequestError{Msg: fmt.Sprintf("cannot load columns of %s %v: its row is gone (deleted by another transaction)", p.name, st.pkValues()), Err: core.ErrNoResultFound}
		}
	}
	if cerr := res.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	s.storeLoaded(st, attrs, fresh)
	sv := st.sv()
	for _, pr := range props {
		pl := newPropLoad(pr, pr.Expr())
		pl.field(sv).Set(pl.field(fresh))
	}
	st.ln = n.withLoaded(attrs, props)
	return nil
}

// attrByName finds the column attribute of Go field path f (nil: none).
func (p *plan) attrByName(f string) *attrPlan {
	for _, ap := range p.attrs {
		if ap.name == f || ap.a.Name() == f {
			return ap
		}
	}
	return nil
}
