package relationship

import (
	"fmt"
	"strings"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/declarative"
	"github.com/retort-orm/retort/inheritance"
	"github.com/retort-orm/retort/registry"
)

// Exists returns a correlated EXISTS of the rows of rel's target related
// to the enclosing statement's row of rel's parent, and matching every
// condition of conds: the SQL form of SQLAlchemy's relationship any() and
// has(), and the building block of every proxy comparison in this package.
//
//	one-to-many   EXISTS (SELECT 1 FROM addresses WHERE users.id = addresses.user_id AND <conds>)
//	many-to-one   EXISTS (SELECT 1 FROM users WHERE users.id = addresses.user_id AND <conds>)
//	many-to-many  EXISTS (SELECT 1 FROM post_tags, tags WHERE posts.id = post_tags.post_id AND tags.id = post_tags.tag_id AND <conds>)
//
// The join condition is written referred column = foreign key column, as
// SQLAlchemy writes it. The subquery correlates only to the parent's
// table (SQLAlchemy's correlate_except(target, secondary)): the target and
// the secondary table stay in its FROM even when the enclosing SELECT
// joins them too. Used outside a SELECT of the parent, the parent table
// appears in the subquery's FROM, as SQLAlchemy's str() of the expression
// shows.
//
// When the relationship is self-referential (the target's table is the
// parent's), the target is an alias named after the table plus "_1"
// (nodes AS nodes_1) and conds written against the table are rendered
// against the alias, as SQLAlchemy adapts them; a condition meant for the
// outer row must then use another alias of the table.
//
// A nil rel gives an expression whose compilation fails with a
// *core.ArgumentError (Exists never panics).
func Exists(rel *registry.Relationship, conds ...core.Expr) core.Expr {
	if rel == nil {
		return errExpr(&core.ArgumentError{Msg: "relationship.Exists: the relationship is nil"})
	}
	return ExistsOfType(rel, rel.Target(), conds...)
}

// ExistsOfType is Exists for the related rows of sub, the relationship's
// target or one of its subtypes (SQLAlchemy's
// Company.employees.of_type(Manager).any(…)): the subquery reads sub's
// rows (a joined subtype's tables joined, a single-table subtype's
// discriminator IN its identities), and conds may use sub's columns.
func ExistsOfType(rel *registry.Relationship, sub *registry.Mapper, conds ...core.Expr) core.Expr {
	if rel == nil || sub == nil {
		return errExpr(&core.ArgumentError{Msg: "relationship.ExistsOfType: the relationship or the type is nil"})
	}
	if !sub.IsA(rel.Target()) {
		return errExpr(&core.ArgumentError{Msg: fmt.Sprintf("relationship.ExistsOfType: %s is not %s or one of its subtypes", sub.Name(), rel.Target().Name())})
	}
	target := rel.Target().Table()
	parent := rel.Parent().Table()
	if target == nil || parent == nil {
		return errExpr(&core.ArgumentError{Msg: fmt.Sprintf("relationship.Exists: %s joins a mapper without a table (a mapper onto a select)", rel)})
	}
	var tfrom core.FromClause = sub.RowsFrom()
	adapt := func(e core.Expr) core.Expr { return e }
	switch {
	case sub.PolymorphicUnion() != nil:
		// a concrete hierarchy's base: its rows and its subtypes' are
		// the polymorphic union's
		u := sub.PolymorphicUnionAnon()
		tfrom, adapt = u, byName(u.C, sub.HierarchyTables())
	case sub != rel.Target() && sub.InheritanceKind() == "concrete":
		// a concrete subtype's own table has the columns
		t := sub.Table()
		tfrom, adapt = t, byName(t.C, rel.Target().HierarchyTables())
	case target == parent && tfrom == core.FromClause(target):
		a := target.Alias(target.Name() + "_1")
		tfrom = a
		adapt = a.Adapt
	}
	if c := sub.DiscriminatorCriteria(); c != nil {
		conds = append([]core.Expr{c}, conds...)
	}
	var where []core.Expr
	froms := []core.FromClause{tfrom}
	correlate := []core.FromClause{}
	addCorr := func(c *core.Column) {
		if t := c.Table(); t != nil && !containsTable(correlate, t) {
			correlate = append(correlate, t)
		}
	}
	switch rel.Direction() {
	case registry.ManyToMany:
		froms = []core.FromClause{rel.Secondary(), tfrom}
		for _, p := range rel.Pairs() {
			addCorr(p.Local)
			where = append(where, p.Local.Eq(p.Remote))
		}
		for _, p := range rel.SecondaryPairs() {
			where = append(where, adapt(p.Local).Eq(p.Remote))
		}
	case registry.ManyToOne:
		// parent holds the foreign key: Local is it, Remote the referred key
		for _, p := range rel.Pairs() {
			addCorr(p.Local)
			where = append(where, adapt(p.Remote).Eq(p.Local))
		}
	default:
		for _, p := range rel.Pairs() {
			addCorr(p.Local)
			where = append(where, p.Local.Eq(adapt(p.Remote)))
		}
	}
	for _, c := range conds {
		if c == nil {
			continue
		}
		where = append(where, adapt(c))
	}
	return core.Select(core.LiteralColumn("1", core.Integer{})).
		From(froms...).
		Where(where...).
		Correlate(correlate...).
		Exists()
}

func containsTable(fs []core.FromClause, t *core.Table) bool {
	for _, f := range fs {
		if f == core.FromClause(t) {
			return true
		}
	}
	return false
}

// Any returns the correlated EXISTS of the collection relationship field
// of m (SQLAlchemy's User.addresses.any(conds...)): true for a parent row
// with at least one related row matching every condition, or with any
// related row at all when conds is empty. See [Exists] for the SQL.
//
// field is the Go field name of a one-to-many or many-to-many
// relationship. A field that is no relationship, or a scalar relationship
// (use [Has]), is a *declarative.MappingError naming the struct and field.
func Any(m *registry.Mapper, field string, conds ...core.Expr) (core.Expr, error) {
	return AnyOfType(m, field, nil, conds...)
}

// AnyOfType is Any for the members of type sub, the relationship's
// target or one of its subtypes (nil: the target); see [ExistsOfType].
func AnyOfType(m *registry.Mapper, field string, sub *registry.Mapper, conds ...core.Expr) (core.Expr, error) {
	rel, err := lookup(m, field, "Any")
	if err != nil {
		return nil, err
	}
	if sub == nil {
		sub = rel.Target()
	}
	if !sub.IsA(rel.Target()) {
		return nil, &declarative.MappingError{Struct: m.Name(), Field: field, Msg: fmt.Sprintf("%s is not %s or one of its subtypes", sub.Name(), rel.Target().Name()), Hint: "name a subtype of the relationship's target"}
	}
	if !isCollection(rel) {
		return nil, &declarative.MappingError{Struct: m.Name(), Field: field,
			Msg:  fmt.Sprintf("Any is not implemented for scalar relationships (%s is a %s relationship to %s)", rel, rel.Direction(), rel.Target().Name()),
			Hint: "use Has for a scalar relationship (SQLAlchemy: \"'any()' not implemented for scalar attributes. Use has().\")"}
	}
	return ExistsOfType(rel, sub, conds...), nil
}

// Has returns the correlated EXISTS of the scalar relationship field of m
// (SQLAlchemy's Address.user.has(conds...)): true for a row whose related
// object exists and matches every condition. See [Exists] for the SQL.
//
// field is the Go field name of a many-to-one (or scalar one-to-one)
// relationship. A field that is no relationship, or a collection (use
// [Any]), is a *declarative.MappingError naming the struct and field.
func Has(m *registry.Mapper, field string, conds ...core.Expr) (core.Expr, error) {
	rel, err := lookup(m, field, "Has")
	if err != nil {
		return nil, err
	}
	if isCollection(rel) {
		return nil, &declarative.MappingError{Struct: m.Name(), Field: field,
			Msg:  fmt.Sprintf("Has is not implemented for collections (%s is a collection of %s)", rel, rel.Target().Name()),
			Hint: "use Any for a collection (SQLAlchemy: \"'has()' not implemented for collections. Use any().\")"}
	}
	return Exists(rel, conds...), nil
}

// isCollection reports a relationship held in a collection field.
func isCollection(rel *registry.Relationship) bool {
	return rel.CollectionKind() != "" || rel.Declaration().Many
}

// lookup finds the relationship field of m, or says what field is.
func lookup(m *registry.Mapper, field, op string) (*registry.Relationship, error) {
	if m == nil {
		return nil, &core.ArgumentError{Msg: "relationship." + op + ": the mapper is nil"}
	}
	if rel, ok := m.Relationship(field); ok {
		return rel, nil
	}
	return nil, notRelationship(m, field)
}

// notRelationship is the error for a field of m that is not a
// relationship: a column, or an unknown name with the closest
// relationship suggested.
func notRelationship(m *registry.Mapper, field string) error {
	var names []string
	for _, r := range m.Relationships() {
		names = append(names, r.Name())
	}
	hint := fmt.Sprintf("%s has no relationships", m.Name())
	if len(names) > 0 {
		hint = "name a relationship field of " + m.Name() + "; known: " + strings.Join(names, ", ")
		if cl := declarative.Closest(field, names); cl != "" && cl != field {
			hint = fmt.Sprintf("did you mean %s?", cl)
		}
	}
	msg := fmt.Sprintf("%s.%s is not a relationship", m.Name(), field)
	if a, ok := m.Attribute(field); ok {
		msg = fmt.Sprintf("%s.%s is a column attribute (%s), not a relationship", m.Name(), field, a.Column().Name())
	} else if _, ok := m.Type().FieldByName(field); !ok {
		msg = fmt.Sprintf("%s has no field %s", m.Name(), field)
	}
	return &declarative.MappingError{Struct: m.Name(), Field: field, Msg: msg, Hint: hint}
}

func errExpr(err error) core.Expr { return core.Invalid(err) }

// byName adapts expressions over the columns of tables to the columns of
// the same names that col returns (a union's, a concrete subtype's
// table's).
func byName(col func(string) *core.Column, tables []*core.Table) func(core.Expr) core.Expr {
	m := inheritance.ByName(tables, col)
	return func(e core.Expr) core.Expr { return core.ReplaceColumns(e, m) }
}
