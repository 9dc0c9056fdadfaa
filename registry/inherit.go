package registry

import (
	"fmt"

	"github.com/retort-orm/retort/core"
	"slices"
	"strings"

	"github.com/retort-orm/retort/inheritance"
)

// Inheritance hierarchies: the polymorphic map of each hierarchy, the
// join condition of each joined subtype to its base, how a query of a
// base loads each subtype, and the relationships subtypes inherit.

// Root is the topmost base of m's hierarchy (m itself when it inherits
// from nothing).
func (m *Mapper) Root() *Mapper {
	if m.root == nil {
		return m
	}
	return m.root
}

// Subtypes are the mappers that inherit directly from m, in registration
// order (a copy).
func (m *Mapper) Subtypes() []*Mapper { return slices.Clone(m.subs) }

// Descendants are m and every mapper below it, bases before subtypes.
func (m *Mapper) Descendants() []*Mapper {
	out := []*Mapper{m}
	for i := 0; i < len(out); i++ {
		out = append(out, out[i].subs...)
	}
	return out
}

// IsA reports whether m is base or one of its subtypes.
func (m *Mapper) IsA(base *Mapper) bool {
	for x := m; x != nil; x = x.inherits {
		if x == base {
			return true
		}
	}
	return false
}

// Polymorphic is the hierarchy's polymorphic map (discriminator value to
// mapper), shared by every mapper of the hierarchy, or nil when the
// hierarchy has no discriminator.
func (m *Mapper) Polymorphic() *inheritance.Map[*Mapper] { return m.poly }

// PolymorphicIdentities are the identities of m and its subtypes: the
// discriminator values a query of m accepts (for a single-table subtype,
// its WHERE type IN (…)).
func (m *Mapper) PolymorphicIdentities() []string {
	var out []string
	for _, d := range m.Descendants() {
		if d.identity != "" {
			out = append(out, d.identity)
		}
	}
	return out
}

// PolymorphicLoad is how a query of one of m's bases loads m's own table
// when m is a joined subtype: [inheritance.Inline] (a LEFT OUTER JOIN in
// the base's query) or [inheritance.SelectIn] (one more SELECT for the
// rows of this type); "" for other mappers.
func (m *Mapper) PolymorphicLoad() string { return m.polyLoad }

// PolymorphicAbstract reports an intermediate type of a hierarchy that is
// never instantiated (it has no identity).
func (m *Mapper) PolymorphicAbstract() bool { return m.abstract }

// VirtualDiscriminator is the name of the discriminator column of a
// concrete hierarchy's polymorphic union when its tables have none.
const VirtualDiscriminator = "type"

// PolymorphicUnion is the polymorphic union of a base with concrete
// subtypes (SQLAlchemy's pjoin): its table's rows and every concrete
// subtype table's, with a discriminator column (see
// [inheritance.Union]); nil for other mappers.
func (m *Mapper) PolymorphicUnion() *core.Subquery { return m.union }

// PolymorphicUnionAnon is the polymorphic union as an anonymous
// subquery (pjoin_1, pjoin_2 … at compile time), for a statement that
// reads it beside or inside another reading of it; nil when m has none.
func (m *Mapper) PolymorphicUnionAnon() *core.Subquery {
	if m.union == nil {
		return nil
	}
	return core.AnonSubquery(m.union.Select(), "pjoin")
}

// HierarchyTables are the tables of the rows of m and its subtypes (its
// polymorphic union's tables, for a concrete hierarchy).
func (m *Mapper) HierarchyTables() []*core.Table {
	var out []*core.Table
	for _, d := range m.Descendants() {
		if d.table != nil && !slices.Contains(out, d.table) {
			out = append(out, d.table)
		}
	}
	return out
}

// UnionDiscriminator is the name of the polymorphic union's discriminator
// column.
func (m *Mapper) UnionDiscriminator() string {
	if m.polyOn != nil {
		return m.polyOn.column.Name()
	}
	return VirtualDiscriminator
}

// buildUnion sets m's polymorphic union when concrete subtypes inherit
// from it (after every mapper of the hierarchy is configured).
func (r *Registry) buildUnion(m *Mapper) *failure {
	var branches []inheritance.UnionBranch
	if m.identity != "" && m.table != nil {
		branches = append(branches, inheritance.UnionBranch{Identity: m.identity, Table: m.table})
	}
	concrete := false
	for _, d := range m.Descendants()[1:] {
		if d.kind != inheritance.Concrete || d.table == nil {
			continue
		}
		concrete = true
		if d.identity == "" {
			continue
		}
		branches = append(branches, inheritance.UnionBranch{Identity: d.identity, Table: d.table})
	}
	if !concrete || len(branches) == 0 || m.poly == nil {
		return nil
	}
	disc := m.UnionDiscriminator()
	for _, b := range branches {
		if c := b.Table.C(disc); c != nil && m.virtualDisc {
			return fail(m.Name(), merr(m.decl, "", "", fmt.Sprintf("table %q has a column %q, the name of the polymorphic union's discriminator", b.Table.Name(), disc), "rename the column, or declare it the discriminator with polymorphic_on on the base"))
		}
	}
	m.union = inheritance.Union(branches, disc, "pjoin")
	return nil
}

// InheritCondition is the join of a joined subtype's table to its base's:
// pairs of subtype primary key column = base column (a copy).
func (m *Mapper) InheritCondition() []ColumnPair { return slices.Clone(m.inhCond) }

// RowsFrom is what a SELECT of m's rows reads from: its table; for a
// joined subtype its tables joined root first on their inherit
// conditions (employee JOIN manager ON employee.id = manager.id); for a
// mapper of a selectable, that selectable.
func (m *Mapper) RowsFrom() core.FromClause {
	if m.from != nil {
		return m.from
	}
	if m.rowsFrom != nil {
		return m.rowsFrom
	}
	return m.table
}

// DiscriminatorCriteria is the WHERE criterion that keeps a single-table
// subtype's rows, discriminator IN (its identity and its subtypes'), or
// nil for other mappers.
func (m *Mapper) DiscriminatorCriteria() core.Expr { return m.discWhere }

// TableMappers are the mappers whose tables hold m's rows, root first:
// m itself for a root or a concrete type; a joined subtype's bases up to
// the root, then it; a single-table type adds no table of its own (its
// nearest base with one stands for it).
func (m *Mapper) TableMappers() []*Mapper {
	var chain []*Mapper
	for x := m; x != nil; x = x.inherits {
		if x.kind != inheritance.Single {
			chain = append(chain, x)
		}
		if x.kind != inheritance.Joined && x.kind != inheritance.Single {
			break
		}
	}
	slices.Reverse(chain)
	return chain
}

// configureRows sets RowsFrom and DiscriminatorCriteria (after the
// hierarchy is configured).
func (m *Mapper) configureRows() {
	if chain := m.TableMappers(); len(chain) > 1 && m.from == nil {
		var from core.FromClause = chain[0].table
		for _, x := range chain[1:] {
			var on []core.Expr
			for _, pr := range x.inhCond {
				on = append(on, pr.Remote.Eq(pr.Local))
			}
			if j, err := core.NewJoin(from, x.table, core.And(on...), core.InnerJoin); err == nil {
				from = j
			}
		}
		m.rowsFrom = from
	}
	if m.kind == inheritance.Single && m.polyOn != nil {
		var ids []any
		for _, id := range m.PolymorphicIdentities() {
			ids = append(ids, id)
		}
		if len(ids) > 0 {
			m.discWhere = m.polyOn.column.In(ids...)
		}
	}
}

// configureHierarchy sets m's hierarchy data; bases come first.
func (r *Registry) configureHierarchy(m *Mapper) *failure {
	d := m.decl
	m.abstract = d.MapperArgs.PolymorphicAbstract
	if m.abstract && m.identity != "" {
		return fail(m.Name(), merr(d, "MapperArgs", "", fmt.Sprintf("polymorphic_abstract type has polymorphic_identity %q", m.identity), "remove one: an abstract type is never instantiated"))
	}
	if m.inherits == nil {
		if m.polyOn != nil {
			m.poly = inheritance.NewMap[*Mapper](m.Name(), m.polyOn.column.Name())
		}
	} else {
		m.root = m.inherits.Root()
		m.inherits.subs = append(m.inherits.subs, m)
		m.poly = m.root.poly
		if m.poly == nil && m.polyOn != nil {
			// the discriminator is declared below the root
			m.poly = inheritance.NewMap[*Mapper](m.Name(), m.polyOn.column.Name())
		}
	}
	if m.kind == inheritance.Concrete && m.poly == nil && m.identity != "" {
		// a concrete hierarchy without a discriminator column: the
		// polymorphic union's "type" column holds each table's identity,
		// as SQLAlchemy's ConcreteBase does
		root := m.Root()
		root.poly = inheritance.NewMap[*Mapper](root.Name(), VirtualDiscriminator)
		root.virtualDisc = true
		if root.identity != "" {
			root.poly.Add(root.identity, root)
		}
		for _, d := range root.Descendants() {
			d.poly = root.poly
		}
	}
	if m.identity != "" && m.poly != nil {
		if prev, dup := m.poly.Add(m.identity, m); dup {
			return fail(m.Name(), merr(d, "MapperArgs", "", fmt.Sprintf("polymorphic_identity %q is already the identity of %s in the %s hierarchy", m.identity, prev.Name(), m.Root().Name()), "give each type of a hierarchy its own identity"))
		}
	}
	if m.inherits != nil && m.poly != nil && m.identity == "" && !m.abstract && m.kind != inheritance.Concrete {
		return fail(m.Name(), merr(d, d.Base.Field, d.Base.Tag, fmt.Sprintf("subtype %s of the polymorphic %s hierarchy has no polymorphic_identity", m.Name(), m.Root().Name()), "add polymorphic_identity:VALUE to the inherits tag, or polymorphic_abstract for a type never instantiated"))
	}
	if m.kind == inheritance.Joined {
		if f := r.joinCondition(m); f != nil {
			return f
		}
		m.polyLoad = inheritance.Inline
		if d.MapperArgs.PolymorphicLoad != "" {
			m.polyLoad = d.MapperArgs.PolymorphicLoad
		} else if b := m.inherits; b.polyLoad != "" {
			m.polyLoad = b.polyLoad
		}
		// a base's WithPolymorphic overrides
		for b := m.inherits; b != nil; b = b.inherits {
			if wp := b.decl.MapperArgs.WithPolymorphic; wp != nil {
				if slices.Contains(wp, "*") || slices.Contains(wp, m.Name()) {
					m.polyLoad = inheritance.Inline
				} else {
					m.polyLoad = inheritance.SelectIn
				}
				break
			}
		}
	}
	if wp := d.MapperArgs.WithPolymorphic; len(wp) > 0 {
		for _, name := range wp {
			if name == "*" {
				continue
			}
			ok := false
			for _, x := range r.entries {
				if x.model.Name == name {
					ok = true
				}
			}
			if !ok {
				return fail(m.Name(), merr(d, "MapperArgs", "", fmt.Sprintf("WithPolymorphic names %q, which is not a mapped type", name), "name subtypes of "+m.Name()+", or \"*\""))
			}
		}
	}
	return nil
}

// joinCondition finds the foreign key from a joined subtype's primary key
// to its base's table: the inherit condition of its rows.
func (r *Registry) joinCondition(m *Mapper) *failure {
	d := m.decl
	pk := m.table.PrimaryKeyColumns()
	if len(pk) == 0 {
		return nil // reported with the primary key
	}
	var ancestors []string
	for b := m.inherits; b != nil; b = b.inherits {
		if b.table != nil {
			ancestors = append(ancestors, b.table.Name())
		}
	}
	for _, fk := range m.table.ForeignKeys() {
		rt, err := fk.Referred()
		if err != nil {
			continue
		}
		var base *Mapper
		for b := m.inherits; b != nil; b = b.inherits {
			if b.table == rt {
				base = b
				break
			}
		}
		if base == nil || len(fk.Columns) != len(pk) {
			continue
		}
		var pairs []ColumnPair
		for i, cn := range fk.Columns {
			c := m.table.C(cn)
			if c == nil || !c.IsPrimaryKey() {
				pairs = nil
				break
			}
			pairs = append(pairs, ColumnPair{Local: c, Remote: rt.C(fk.RefColumns[i])})
		}
		if len(pairs) == len(pk) {
			m.inhCond = pairs
			return nil
		}
	}
	var names []string
	for _, c := range pk {
		names = append(names, c.Name())
	}
	return fail(m.Name(), merr(d, d.Base.Field, d.Base.Tag, fmt.Sprintf("joined-table subtype table %q has no foreign key from its primary key (%s) to the table of a base (%s)", m.table.Key(), strings.Join(names, ", "), strings.Join(ancestors, ", ")),
		fmt.Sprintf("declare the key as `ID int `orm:\"pk;fk:%s.id\"`` in %s", m.inherits.table.Name(), d.Name)))
}

// inheritRelationships gives each joined or single-table subtype a copy
// of its base's relationships, reached through the embedded base field
// (a concrete subtype declares its own, as in SQLAlchemy).
func inheritRelationships(m *Mapper) {
	b := m.inherits
	if b == nil || m.kind == inheritance.Concrete {
		return
	}
	var own []*Relationship
	own = append(own, m.rels...)
	m.rels = nil
	for _, br := range b.rels {
		if _, shadowed := m.relBy[br.decl.Field]; shadowed && slices.ContainsFunc(own, func(r *Relationship) bool { return r.decl.Field == br.decl.Field }) {
			continue
		}
		nd := *br.decl
		nd.Index = append(slices.Clone(m.decl.Base.Index), br.decl.Index...)
		nd.Path = m.decl.Base.Field + "." + br.decl.Path
		nr := *br
		nr.decl = &nd
		nr.parent = m
		nr.origin = br
		m.rels = append(m.rels, &nr)
		if _, ok := m.relBy[nd.Field]; !ok {
			m.relBy[nd.Field] = &nr
		}
		m.relBy[nd.Path] = &nr
	}
	m.rels = append(m.rels, own...)
}
