package orm

import (
	"sync"

	"github.com/retort-orm/retort/core"
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
}

// isDefault reports the mapping's own node for the plan.
func (n *loadNode) isDefault() bool { return n.tree == nil && n.opt == nil }

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
	if n == nil || n.tree == nil {
		return nil
	}
	return n.tree.Criteria(target.m)
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
	n := &loadNode{p: p, opt: opt, tree: tree, path: path}
	if opt.HasColumnOptions() {
		for _, ap := range p.attrs {
			if opt.LoadsColumn(ap.a) {
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
	rels, err := p.relations()
	if err != nil {
		return nil, err
	}
	if len(rels) == 0 {
		return n, nil
	}
	seen = append(seen, p)
	n.strat = make([]loading.Strategy, len(rels))
	n.edges = make([]*loading.Edge, len(rels))
	n.kids = make([]*loadNode, len(rels))
	for _, rp := range rels {
		e := opt.Edge(rp.r)
		s := opt.Strategy(rp.r)
		n.strat[rp.i], n.edges[rp.i] = s, e
		if s == loading.LazyNoLoad {
			n.eager = true // set empty after the rows
		}
		if !loadsNow(s) {
			if e != nil && s == loading.LazySelect {
				// a later explicit load follows the options beyond it
				kid, err := buildNode(rp.target, e.Child, tree, path+"."+rp.field, seen)
				if err != nil {
					return nil, err
				}
				n.kids[rp.i] = kid
			}
			continue
		}
		// a default eager strategy does not go round a cycle
		if e == nil && onPath(seen, rp.target) {
			n.strat[rp.i] = loading.LazySelect
			continue
		}
		var child *loading.Node
		if e != nil {
			child = e.Child
		}
		kid, err := buildNode(rp.target, child, tree, path+"."+rp.field, seen)
		if err != nil {
			return nil, err
		}
		n.kids[rp.i] = kid
		n.eager = true
		if s == loading.LazyJoined {
			n.joined = true
			if rp.coll != nil {
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

// relOf returns the relPlan of a registry relationship of p.
func (p *plan) relOf(r *registry.Relationship) *relPlan {
	rels, _ := p.relations()
	for _, rp := range rels {
		if rp.r == r {
			return rp
		}
	}
	return nil
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
