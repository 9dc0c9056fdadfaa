package loading

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/declarative"
	"github.com/retort-orm/retort/registry"
)

// Tree is a query's loader options resolved against its entity: which
// relationship loads how along each path, which columns each entity
// loads, and the loader criteria per mapper. A Tree is immutable once
// built and may be shared by the objects a query loads (their later
// explicit loads follow it, as SQLAlchemy's load options stay on the
// instance state).
type Tree struct {
	Root     *Node
	criteria []resolvedCriteria
}

type resolvedCriteria struct {
	m    *registry.Mapper // nil with fn
	expr core.Expr
	fn   func(*registry.Mapper) core.Expr
}

// Node is the options that apply to one entity at one path.
type Node struct {
	Mapper *registry.Mapper
	// Path is the path from the query's entity ("User", "User.Orders").
	Path string
	// Edges are the relationships options name, in the order first named.
	Edges []*Edge
	// Wildcard is the strategy "*" gave, LazyDefault when none did.
	Wildcard Strategy
	// column options, in order
	cols []colOpt
	// resolved column choices: attribute → loaded; nil when no column
	// option applies
	colLoad map[*registry.Attribute]bool
	// properties (column_property) undeferred
	propLoad map[*registry.Property]bool
	// raiseCols are the columns deferred with raiseload
	raiseCols map[*registry.Attribute]bool
	// exprs are the query_expression attributes' expressions
	exprs map[*registry.Property]core.Expr
	// pending WithExpression options, resolved with the columns
	exprOpts []*Expression
	// Poly is the Polymorphic option for this entity, nil when none
	Poly *PolyChoice
	// Narrow are the subtypes of Mapper an OfType named on the way here:
	// options further along may name their relationships
	Narrow []*registry.Mapper
}

// Expression returns the expression WithExpression gave the
// query_expression attribute p at this node (nil when none).
func (n *Node) Expression(p *registry.Property) core.Expr {
	if n == nil {
		return nil
	}
	return n.exprs[p]
}

// Edge is how one relationship loads at one path.
type Edge struct {
	Rel      *registry.Relationship
	Strategy Strategy // LazyDefault: the mapping's
	Inner    bool     // JoinedInner
	Contains bool     // ContainsEager
	From     core.FromClause
	Child    *Node
	// Option is the option that set it, for messages.
	Option string
}

// Edge returns the options of rel at this node, or nil.
func (n *Node) Edge(rel *registry.Relationship) *Edge {
	if n == nil {
		return nil
	}
	for _, e := range n.Edges {
		if e.Rel == rel {
			return e
		}
	}
	// a subtype's copy of a base's relationship follows the option
	// naming the base's
	if o := rel.Origin(); o != rel {
		for _, e := range n.Edges {
			if e.Rel.Origin() == o {
				return e
			}
		}
	}
	return nil
}

// Strategy is how rel loads at this node: the option naming it, else the
// wildcard, else the mapping's lazy setting.
func (n *Node) Strategy(rel *registry.Relationship) Strategy {
	if e := n.Edge(rel); e != nil && e.Strategy != LazyDefault {
		return e.Strategy
	}
	if n != nil && n.Wildcard != LazyDefault {
		if s, _ := ParseStrategy(rel.Lazy()); s == LazyWriteOnly {
			return LazyWriteOnly
		}
		return n.Wildcard
	}
	s, _ := ParseStrategy(rel.Lazy())
	return s
}

// HasColumnOptions reports whether column options change the entity's
// columns at this node.
func (n *Node) HasColumnOptions() bool {
	return n != nil && (n.colLoad != nil || n.propLoad != nil || n.exprs != nil)
}

// LoadsColumn reports whether the attribute is loaded at this node: the
// options' choice, else the mapping's (deferred columns are not).
func (n *Node) LoadsColumn(a *registry.Attribute) bool {
	if n != nil && n.colLoad != nil {
		if v, ok := n.colLoad[a]; ok {
			return v
		}
	}
	return !a.Deferred()
}

// LoadsProperty reports whether a column_property is loaded at this node.
func (n *Node) LoadsProperty(p *registry.Property) bool {
	if n != nil && n.propLoad != nil {
		if v, ok := n.propLoad[p]; ok {
			return v
		}
	}
	return !p.Deferred()
}

// RaisesColumn reports a column deferred with raiseload at this node.
func (n *Node) RaisesColumn(a *registry.Attribute) bool {
	return n != nil && n.raiseCols[a]
}

// Criteria returns the loader criteria for mapper m (given for m or for a
// mapper it inherits from), written against m's table.
func (t *Tree) Criteria(m *registry.Mapper) []core.Expr {
	if t == nil {
		return nil
	}
	var out []core.Expr
	for _, c := range t.criteria {
		if c.fn != nil {
			if e := c.fn(m); e != nil {
				out = append(out, e)
			}
			continue
		}
		for x := m; x != nil; x = x.Inherits() {
			if x == c.m {
				out = append(out, c.expr)
				break
			}
		}
	}
	return out
}

// HasCriteria reports whether any loader criteria were given.
func (t *Tree) HasCriteria() bool { return t != nil && len(t.criteria) > 0 }

// Error is a loader option that does not fit the query: it names the
// option's path and says what to write instead.
type Error struct {
	Option string
	Msg    string
}

// Error implements error.
func (e *Error) Error() string {
	if e.Option == "" {
		return "retort: loading: " + e.Msg
	}
	return "retort: loading: " + e.Option + ": " + e.Msg
}

// Resolve resolves opts against the query's entity root. It returns nil
// (and no error) when opts set nothing.
func Resolve(reg *registry.Registry, root *registry.Mapper, opts []Option) (*Tree, error) {
	if len(opts) == 0 {
		return nil, nil
	}
	t := &Tree{Root: &Node{Mapper: root, Path: root.Name()}}
	for _, o := range opts {
		switch x := o.(type) {
		case nil:
			continue
		case *Load:
			if err := t.addLoad(reg, x); err != nil {
				return nil, err
			}
		case *Columns:
			t.Root.cols = append(t.Root.cols, x.c)
		case *Polymorphic:
			if err := t.Root.setPoly(x); err != nil {
				return nil, err
			}
		case *Expression:
			t.Root.exprOpts = append(t.Root.exprOpts, x)
		case *Criteria:
			rc := resolvedCriteria{expr: x.expr, fn: x.fn}
			if x.fn == nil {
				m, err := reg.Mapper(reflect.TypeOf(x.typ).Elem())
				if err != nil {
					return nil, &Error{Option: "WithLoaderCriteria[" + x.label + "]", Msg: err.Error()}
				}
				if x.expr == nil {
					return nil, &Error{Option: "WithLoaderCriteria[" + x.label + "]", Msg: "nil criteria"}
				}
				rc.m = m
			}
			t.criteria = append(t.criteria, rc)
		default:
			return nil, &Error{Msg: fmt.Sprintf("unknown option %T", o)}
		}
	}
	if err := t.Root.resolveCols(reg); err != nil {
		return nil, err
	}
	return t, nil
}

func (t *Tree) addLoad(reg *registry.Registry, l *Load) error {
	var chain []*Load
	for x := l; x != nil; x = x.parent {
		chain = append(chain, x)
	}
	slices.Reverse(chain)
	n := t.Root
	for _, step := range chain {
		if s, ok := step.elem.(string); ok && s == "*" {
			if step.noStrategy || step.contains {
				return &Error{Option: l.describe(reg), Msg: "the wildcard \"*\" takes a strategy (RaiseLoad(\"*\"), LazyLoad(\"*\") …)"}
			}
			n.Wildcard = step.strategy
			n.cols = append(n.cols, step.cols...)
			continue
		}
		elem := step.elem
		var sub *registry.Mapper
		if tr, ok := elem.(*TypedRel); ok {
			sm, err := reg.Mapper(reflect.New(tr.Type).Interface())
			if err != nil {
				return &Error{Option: l.describe(reg), Msg: err.Error()}
			}
			sub, elem = sm, tr.Rel
		}
		rel, err := resolveRel(reg, n, elem, l.describe(reg))
		if err != nil {
			return err
		}
		if sub != nil && !sub.IsA(rel.Target()) {
			return &Error{Option: l.describe(reg), Msg: fmt.Sprintf("%s is not %s (the target of %s.%s) or one of its subtypes", sub.Name(), rel.Target().Name(), n.Mapper.Name(), rel.Name())}
		}
		if s, _ := ParseStrategy(rel.Lazy()); s == LazyWriteOnly && !step.noStrategy {
			switch step.strategy {
			case LazySelect, LazyRaise, LazyRaiseOnSQL, LazyNoLoad:
			default:
				what := step.strategy.String() + " loading"
				if step.contains {
					what = "contains_eager"
				}
				return &Error{Option: l.describe(reg), Msg: fmt.Sprintf("%s.%s is a %s relationship: it is never loaded whole, so %s does not apply; query it (orm.WriteOnly) instead", n.Mapper.Name(), rel.Name(), rel.Lazy(), what)}
			}
		}
		e := n.Edge(rel)
		if e == nil {
			e = &Edge{Rel: rel, Child: &Node{Mapper: rel.Target(), Path: n.Path + "." + rel.Name()}}
			n.Edges = append(n.Edges, e)
		}
		if !step.noStrategy {
			e.Strategy = step.strategy
			e.Inner = step.inner
			e.Contains = step.contains
			e.From = step.from
			e.Option = l.describe(reg)
		}
		e.Child.cols = append(e.Child.cols, step.cols...)
		if sub != nil && sub != e.Child.Mapper && !slices.Contains(e.Child.Narrow, sub) {
			e.Child.Narrow = append(e.Child.Narrow, sub)
		}
		n = e.Child
		if step.poly != nil {
			if err := n.setPoly(step.poly); err != nil {
				err.(*Error).Option = l.describe(reg)
				return err
			}
		}
	}
	return nil
}

// setPoly resolves a Polymorphic option against the node's mapper.
func (n *Node) setPoly(o *Polymorphic) error {
	name := "WithPolymorphic"
	if o.selectIn {
		name = "SelectInPolymorphic"
	}
	m := n.Mapper
	desc := m.Descendants()
	if m.Polymorphic() == nil || len(desc) == 1 {
		return &Error{Option: name, Msg: fmt.Sprintf("%s, the entity at %s, has no polymorphic subtypes", m.Name(), n.Path)}
	}
	chosen := map[*registry.Mapper]bool{}
	all := len(o.types) == 0 || slices.Contains(o.types, "*")
	for _, t := range o.types {
		if t == "*" {
			continue
		}
		var found *registry.Mapper
		var names []string
		for _, d := range desc[1:] {
			names = append(names, d.Name())
			if d.Name() == t {
				found = d
			}
		}
		if found == nil {
			return &Error{Option: name, Msg: fmt.Sprintf("%q is not a subtype of %s (its subtypes: %s)", t, m.Name(), strings.Join(names, ", "))}
		}
		chosen[found] = true
	}
	c := &PolyChoice{Inline: map[*registry.Mapper]bool{}}
	var key []string
	for _, d := range desc[1:] {
		in := all || chosen[d]
		if o.selectIn {
			in = !in
		}
		if in {
			c.Inline[d] = true
			key = append(key, d.Name())
		}
	}
	c.Key = "inline:" + strings.Join(key, ",")
	n.Poly = c
	return nil
}

// resolveRel finds the relationship an element names at node n.
func resolveRel(reg *registry.Registry, n *Node, elem any, opt string) (*registry.Relationship, error) {
	m := n.Mapper
	var name string
	switch x := elem.(type) {
	case string:
		name = x
	default:
		pm, field, err := reg.ProbeField(elem)
		if err != nil {
			return nil, &Error{Option: opt, Msg: err.Error()}
		}
		if !inherits(m, pm) && !slices.ContainsFunc(n.Narrow, func(s *registry.Mapper) bool { return inherits(s, pm) }) {
			return nil, &Error{Option: opt, Msg: fmt.Sprintf("%s.%s does not apply to %s, the entity at %s; give the full path from the query's entity to it", pm.Name(), field, m.Name(), n.Path)}
		}
		name = field
	}
	if rel, ok := m.Relationship(name); ok {
		return rel, nil
	}
	// a relationship of a subtype an OfType named
	for _, s := range n.Narrow {
		if rel, ok := s.Relationship(name); ok {
			return rel, nil
		}
	}
	for _, d := range m.Descendants()[1:] {
		if _, ok := d.Relationship(name); ok {
			return nil, &Error{Option: opt, Msg: fmt.Sprintf("%s.%s is a relationship of %s's subtype %s; name it through OfType[%s] on the relationship leading to %s", d.Name(), name, m.Name(), d.Name(), d.Name(), n.Path)}
		}
	}
	if _, ok := m.Attribute(name); ok {
		return nil, &Error{Option: opt, Msg: fmt.Sprintf("%s.%s is a column attribute, not a relationship; use LoadOnly, Defer or Undefer for columns", m.Name(), name)}
	}
	// a relationship of another entity: the path skipped a step
	if ms, err := reg.Mappers(); err == nil {
		for _, o := range ms {
			if o == m {
				continue
			}
			if _, ok := o.Relationship(name); ok {
				return nil, &Error{Option: opt, Msg: fmt.Sprintf("%s.%s does not apply to %s, the entity at %s; give the full path from the query's entity to it", o.Name(), name, m.Name(), n.Path)}
			}
		}
	}
	var names []string
	for _, r := range m.Relationships() {
		names = append(names, r.Name())
	}
	msg := fmt.Sprintf("%s has no relationship %q", m.Name(), name)
	if c := declarative.Closest(name, names); c != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", c)
	}
	return nil, &Error{Option: opt, Msg: msg}
}

// inherits reports whether m is base or a subtype of it.
func inherits(m, base *registry.Mapper) bool {
	for x := m; x != nil; x = x.Inherits() {
		if x == base {
			return true
		}
	}
	return false
}

// resolveCols turns the column options of n and its children into the
// per-attribute choices.
func (n *Node) resolveCols(reg *registry.Registry) error {
	for _, e := range n.Edges {
		if err := e.Child.resolveCols(reg); err != nil {
			return err
		}
	}
	for _, x := range n.exprOpts {
		opt := "WithExpression(" + elemName(reg, x.field) + ")"
		a, p, err := resolveCol(reg, n, x.field, opt)
		if err != nil {
			return err
		}
		if p == nil || !p.QueryExpression() {
			name := ""
			if a != nil {
				name = a.Name()
			} else if p != nil {
				name = p.Name()
			}
			return &Error{Option: opt, Msg: fmt.Sprintf("%s.%s is not a query_expression attribute", n.Mapper.Name(), name)}
		}
		if x.expr == nil {
			return &Error{Option: opt, Msg: "nil expression"}
		}
		if n.exprs == nil {
			n.exprs = map[*registry.Property]core.Expr{}
		}
		n.exprs[p] = x.expr
	}
	if len(n.cols) == 0 {
		return nil
	}
	m := n.Mapper
	n.colLoad = map[*registry.Attribute]bool{}
	for _, c := range n.cols {
		opt := colOptName(reg, c)
		if c.kind == colUndeferGroup {
			g, _ := c.fields[0].(string)
			found := false
			for _, a := range m.Attributes() {
				if a.DeferGroup() == g && g != "" {
					n.colLoad[a] = true
					found = true
				}
			}
			if !found {
				return &Error{Option: opt, Msg: fmt.Sprintf("%s has no deferral group %q", m.Name(), g)}
			}
			continue
		}
		var attrs []*registry.Attribute
		for _, f := range c.fields {
			a, p, err := resolveCol(reg, n, f, opt)
			if err != nil {
				return err
			}
			if p != nil {
				if n.propLoad == nil {
					n.propLoad = map[*registry.Property]bool{}
				}
				n.propLoad[p] = c.kind == colUndefer || c.kind == colLoadOnly
				continue
			}
			attrs = append(attrs, a)
		}
		switch c.kind {
		case colLoadOnly:
			for _, a := range m.Attributes() {
				n.colLoad[a] = slices.Contains(attrs, a)
			}
			for _, a := range m.PrimaryKey() {
				n.colLoad[a] = true
			}
			if pa := m.PolymorphicOn(); pa != nil {
				n.colLoad[pa] = true
			}
		case colDefer, colRaise:
			for _, a := range attrs {
				if isPK(m, a) {
					return &Error{Option: opt, Msg: fmt.Sprintf("%s.%s is part of the primary key, which is always loaded", m.Name(), a.Name())}
				}
				n.colLoad[a] = false
				if c.kind == colRaise {
					if n.raiseCols == nil {
						n.raiseCols = map[*registry.Attribute]bool{}
					}
					n.raiseCols[a] = true
				}
			}
		case colUndefer:
			for _, a := range attrs {
				n.colLoad[a] = true
			}
		}
	}
	return nil
}

func isPK(m *registry.Mapper, a *registry.Attribute) bool {
	return slices.Contains(m.PrimaryKey(), a)
}

func resolveCol(reg *registry.Registry, n *Node, f any, opt string) (*registry.Attribute, *registry.Property, error) {
	m := n.Mapper
	var name string
	switch x := f.(type) {
	case string:
		name = x
	default:
		pm, field, err := reg.ProbeField(f)
		if err != nil {
			return nil, nil, &Error{Option: opt, Msg: err.Error()}
		}
		if !inherits(m, pm) {
			return nil, nil, &Error{Option: opt, Msg: fmt.Sprintf("%s.%s does not apply to %s, the entity at %s", pm.Name(), field, m.Name(), n.Path)}
		}
		name = field
	}
	if a, ok := m.Attribute(name); ok {
		return a, nil, nil
	}
	if p, ok := m.Property(name); ok {
		return nil, p, nil
	}
	if _, ok := m.Relationship(name); ok {
		return nil, nil, &Error{Option: opt, Msg: fmt.Sprintf("%s.%s is a relationship, not a column; use a relationship loader option (LazySelectIn, LazyJoined …)", m.Name(), name)}
	}
	var names []string
	for _, a := range m.Attributes() {
		names = append(names, a.Name())
	}
	msg := fmt.Sprintf("%s has no column attribute %q", m.Name(), name)
	if c := declarative.Closest(name, names); c != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", c)
	}
	return nil, nil, &Error{Option: opt, Msg: msg}
}

func colOptName(reg *registry.Registry, c colOpt) string {
	name := map[colKind]string{colLoadOnly: "LoadOnly", colDefer: "Defer", colUndefer: "Undefer", colUndeferGroup: "UndeferGroup", colRaise: "DeferRaise"}[c.kind]
	var args []string
	for _, f := range c.fields {
		args = append(args, elemName(reg, f))
	}
	return name + "(" + fmt.Sprint(joinComma(args)) + ")"
}

func joinComma(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out
}
