package inheritance

import (
	"fmt"

	"github.com/retort-orm/retort/core"
	"slices"
	"strconv"
	"strings"
)

// The inheritance kinds of a subtype.
const (
	Joined   = "joined"
	Single   = "single"
	Concrete = "concrete"
)

// The ways a query of a base type loads a joined subtype's own table
// (SQLAlchemy's polymorphic_load).
const (
	// Inline joins the subtype's table into the base's query with a LEFT
	// OUTER JOIN (with_polymorphic).
	Inline = "inline"
	// SelectIn loads the subtype's columns with one more SELECT … WHERE
	// pk IN (…) for the rows of that type (selectin_polymorphic).
	SelectIn = "selectin"
)

// Map is the polymorphic map of one hierarchy: from each discriminator
// value to the mapped type (T is the registry's mapper) that a row with
// that value becomes. A Map is built once, when the registry is
// configured, and only read after that.
type Map[T any] struct {
	hierarchy string
	column    string
	byKey     map[string]T
	order     []string
}

// NewMap returns an empty map for the hierarchy rooted at the type named
// hierarchy, whose discriminator is column.
func NewMap[T any](hierarchy, column string) *Map[T] {
	return &Map[T]{hierarchy: hierarchy, column: column, byKey: map[string]T{}}
}

// Add maps identity to t. It reports the type already mapped to the
// identity, if any (then nothing is changed).
func (m *Map[T]) Add(identity string, t T) (prev T, dup bool) {
	if p, ok := m.byKey[identity]; ok {
		return p, true
	}
	m.byKey[identity] = t
	m.order = append(m.order, identity)
	return prev, false
}

// Hierarchy is the name of the hierarchy's root type.
func (m *Map[T]) Hierarchy() string { return m.hierarchy }

// Column is the discriminator column's name.
func (m *Map[T]) Column() string { return m.column }

// Identities lists the mapped discriminator values in the order they were
// added (bases before their subtypes).
func (m *Map[T]) Identities() []string { return slices.Clone(m.order) }

// LookupString returns the type of a discriminator value read as a string.
func (m *Map[T]) LookupString(v string) (T, error) {
	if t, ok := m.byKey[v]; ok {
		return t, nil
	}
	var zero T
	return zero, m.unknown(v)
}

// Lookup returns the type of a discriminator value of any type: integers,
// booleans and byte strings are compared by their text (an identity
// given as "1" matches an integer column's 1).
func (m *Map[T]) Lookup(v any) (T, error) {
	k, ok := Key(v)
	if ok {
		if t, found := m.byKey[k]; found {
			return t, nil
		}
	}
	var zero T
	return zero, m.unknown(v)
}

func (m *Map[T]) unknown(v any) error {
	return &UnknownIdentityError{Hierarchy: m.hierarchy, Column: m.column, Value: v, Known: m.Identities()}
}

// Key renders a discriminator value as the text an identity is written
// in; false for NULL.
func Key(v any) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "", false
	case string:
		return x, true
	case *string:
		if x == nil {
			return "", false
		}
		return *x, true
	case []byte:
		return string(x), true
	case int64:
		return strconv.FormatInt(x, 10), true
	case int:
		return strconv.Itoa(x), true
	case bool:
		return strconv.FormatBool(x), true
	}
	return fmt.Sprint(v), true
}

// UnknownIdentityError reports a row whose discriminator value no type of
// the hierarchy has as its polymorphic identity: the row cannot be
// loaded, since Retort cannot tell which Go type it is.
type UnknownIdentityError struct {
	Hierarchy string // the hierarchy's root type
	Column    string // the discriminator column
	Value     any    // the value the row holds
	Known     []string
}

func (e *UnknownIdentityError) Error() string {
	v := fmt.Sprintf("%q", fmt.Sprint(e.Value))
	if e.Value == nil {
		v = "NULL"
	}
	return fmt.Sprintf("retort: a row of the %s hierarchy has %s = %s, which is no polymorphic identity of the hierarchy (known: %s); map a type with polymorphic_identity:%v or fix the row",
		e.Hierarchy, e.Column, v, strings.Join(e.Known, ", "), e.Value)
}

// UnionBranch is one table of a polymorphic union: the rows of the type
// whose polymorphic identity is Identity.
type UnionBranch struct {
	Identity string
	Table    *core.Table
}

// Union is SQLAlchemy's polymorphic_union: the rows of every table of a
// concrete hierarchy as one subquery named alias, UNION ALL of one SELECT
// per table. Its columns are every column name of the tables (in the
// order first met), each branch selecting its table's column or a NULL
// cast to the column's type, and a discriminator column named disc
// holding each branch's identity.
func Union(branches []UnionBranch, disc, alias string) *core.Subquery {
	var names []string
	types := map[string]core.Type{}
	for _, b := range branches {
		for _, c := range b.Table.Columns() {
			if _, ok := types[c.Name()]; !ok {
				names = append(names, c.Name())
				types[c.Name()] = c.Type()
			}
		}
	}
	var sels []core.Selectable
	for _, b := range branches {
		items := make([]core.SelectItem, 0, len(names)+1)
		for _, n := range names {
			if c := b.Table.C(n); c != nil {
				items = append(items, c.Label(n))
			} else {
				items = append(items, core.Cast(core.Null(), types[n]).Label(n))
			}
		}
		items = append(items, core.Literal(b.Identity).Label(disc))
		sels = append(sels, core.Select(items...).From(b.Table))
	}
	first := sels[0].(*core.SelectStmt)
	if len(sels) == 1 {
		return first.Subquery(alias)
	}
	return first.UnionAll(sels[1:]...).Subquery(alias)
}

// ByName maps each column of tables to the column of the same name that
// col returns, and other columns to nil: how a hierarchy's columns are
// read from its polymorphic union, or a concrete base's columns from a
// subtype's own table.
func ByName(tables []*core.Table, col func(name string) *core.Column) func(*core.Column) *core.Column {
	return func(c *core.Column) *core.Column {
		for _, t := range tables {
			if c.Table() == t {
				return col(c.Name())
			}
		}
		return nil
	}
}
