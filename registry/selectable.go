package registry

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/declarative"
)

// Mapping a struct onto a select or a join (the second half of SCOPE row
// M3; SQLAlchemy's "Mapping a Class against Multiple Tables" and "against
// Arbitrary Selects").
//
// Differences from SQLAlchemy: the mapper is read-only (loading only; the
// unit of work does not write through a join or a subquery), it is not one
// of the registry's configured mappers (it has no relationships and is
// not a relationship target, and Registry.Mappers does not list it), and
// a column that two sides of a join share a name with is named qualified,
// column:table.column, instead of being listed as a property of several
// columns.

// subqueryer is a statement that can become a FROM element (*core.SelectStmt).
type subqueryer interface {
	Subquery(name string) *core.Subquery
}

// MapSelectable maps a struct onto a select (a core.Selectable, made a
// subquery named after the type's table name, or a *core.Subquery) or a join
// (*core.Join), or an alias. Each mapped field's column (its column: option
// or snake_case name) must be a column of from: in a join, a name that is
// ambiguous between the sides is written qualified, column:table.column
// (alias or subquery name for those). The primary key is the fields tagged
// pk, or else the columns that are primary keys of their tables. The
// result is a read-only mapper: Table() is nil, From() is the FROM
// element, attribute handles, Column and hybrids work as for any mapper.
func (r *Registry) MapSelectable(model any, from any) (*Mapper, error) {
	t := typeOfModel(model)
	d, err := declarative.Read(t)
	if err != nil {
		return nil, err
	}
	bad := func(field, tag, msg, hint string) (*Mapper, error) {
		return nil, &declarative.MappingError{Struct: d.Name, Field: field, Tag: tag, Msg: msg, Hint: hint}
	}
	var fc core.FromClause
	switch f := from.(type) {
	case *core.Join:
		fc = f
	case *core.Subquery:
		fc = f
	case *core.Alias:
		fc = f
	case *core.Table:
		return bad("", "", "MapSelectable was given a table", "map a table with Register or MapTable")
	case subqueryer:
		if f == nil || reflect.ValueOf(f).IsNil() {
			return bad("", "", "MapSelectable was given a nil select", "pass a *core.SelectStmt, *core.Subquery or *core.Join")
		}
		fc = f.Subquery(d.Table)
	default:
		return bad("", "", fmt.Sprintf("MapSelectable cannot map onto %T", from), "pass a *core.SelectStmt, *core.Subquery, *core.Join or *core.Alias")
	}
	if reflect.ValueOf(fc).IsNil() {
		return bad("", "", "MapSelectable was given a nil FROM element", "pass a *core.SelectStmt, *core.Subquery, *core.Join or *core.Alias")
	}
	if len(d.Relationships) > 0 {
		rel := d.Relationships[0]
		return bad(rel.Path, rel.Tag, "a type mapped onto a select or a join cannot declare relationships", "skip the field with `orm:\"-\"`, or map the type onto a table")
	}
	if d.Base != nil {
		return bad(d.Base.Field, d.Base.Tag, "a type mapped onto a select or a join cannot inherit", "map the hierarchy onto tables")
	}
	cols := selectableColumns(fc, "", nil)
	byName := map[string][]qualCol{}
	for _, qc := range cols {
		byName[qc.col.Name()] = append(byName[qc.col.Name()], qc)
		if qc.qual != "" {
			byName[qc.qual+"."+qc.col.Name()] = append(byName[qc.qual+"."+qc.col.Name()], qc)
		}
	}
	m := &Mapper{typ: t, decl: d, reg: r, byField: map[string]*Attribute{}, byColumn: map[string]*Attribute{}, relBy: map[string]*Relationship{}, imperative: true, from: fc}
	for _, c := range d.Columns {
		found := byName[c.Name]
		switch {
		case len(found) == 0:
			names := make([]string, 0, len(byName))
			for n := range byName {
				names = append(names, n)
			}
			sort.Strings(names)
			hint := "name one of its columns with column:<name>: " + strings.Join(names, ", ")
			if cl := declarative.Closest(c.Name, names); cl != "" {
				hint = fmt.Sprintf("did you mean column:%s?", cl)
			}
			return bad(c.Path, c.Tag, fmt.Sprintf("column %q is not a column of %s", c.Name, fromName(fc)), hint)
		case len(found) > 1:
			var qs []string
			for _, q := range found {
				qs = append(qs, q.qual+"."+q.col.Name())
			}
			return bad(c.Path, c.Tag, fmt.Sprintf("column %q is ambiguous in %s (%s)", c.Name, fromName(fc), strings.Join(qs, ", ")), "qualify it: column:"+qs[0])
		}
		a := &Attribute{field: c.Field, path: c.Path, index: c.Index, goType: c.GoType, column: found[0].col, decl: c}
		if prev, dup := m.byColumn[c.Name]; dup {
			return bad(c.Path, c.Tag, fmt.Sprintf("column %q is already mapped by field %s", c.Name, prev.path), "map each column once")
		}
		m.attrs = append(m.attrs, a)
		m.byColumn[c.Name] = a
		m.byField[c.Field] = a
		m.byField[c.Path] = a
		if c.PrimaryKey {
			m.pk = append(m.pk, a)
		}
	}
	if len(m.pk) == 0 {
		for _, a := range m.attrs {
			if b := baseColumn(a.column); b != nil && b.IsPrimaryKey() {
				m.pk = append(m.pk, a)
			}
		}
	}
	if len(m.pk) == 0 {
		return bad("", "", fmt.Sprintf("no primary key: no field is tagged pk and no mapped column of %s is a table's primary key", fromName(fc)), "tag the identity fields with `orm:\"pk\"`")
	}
	return m, nil
}

// From is the FROM element of a mapper made by [Registry.MapSelectable]
// (a *core.Subquery, *core.Join or *core.Alias), or nil for a table mapper.
func (m *Mapper) From() core.FromClause { return m.from }

// ReadOnly reports a mapper onto a select or a join: the unit of work never
// writes it.
func (m *Mapper) ReadOnly() bool { return m.from != nil }

type qualCol struct {
	qual string
	col  *core.Column
}

func selectableColumns(f core.FromClause, _ string, out []qualCol) []qualCol {
	switch x := f.(type) {
	case *core.Join:
		out = selectableColumns(x.Left(), "", out)
		return selectableColumns(x.Right(), "", out)
	case *core.Table:
		for _, c := range x.Columns() {
			out = append(out, qualCol{x.Name(), c})
		}
	case *core.Alias:
		for _, c := range x.Columns() {
			out = append(out, qualCol{x.Name(), c})
		}
	case *core.Subquery:
		for _, c := range x.Columns() {
			out = append(out, qualCol{x.Name(), c})
		}
	}
	return out
}

func baseColumn(c *core.Column) *core.Column { return c.Base() }

func fromName(f core.FromClause) string {
	switch x := f.(type) {
	case *core.Join:
		return "join(" + fromName(x.Left()) + ", " + fromName(x.Right()) + ")"
	case *core.Table:
		return x.Key()
	case *core.Alias:
		return "alias " + x.Name()
	case *core.Subquery:
		return "subquery " + x.Name()
	}
	return fmt.Sprintf("%T", f)
}
