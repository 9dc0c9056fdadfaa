package registry

import (
	"reflect"
	"slices"
	"sync/atomic"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/declarative"
	"github.com/retort-orm/retort/hybrid"
	"github.com/retort-orm/retort/inheritance"
)

// Mapper is the immutable mapping of one struct type: its table, its
// column attributes with precomputed field index paths, its primary key and
// its relationships. Mappers are built by [Registry.Configure] and are safe
// for concurrent reads from any goroutine.
type Mapper struct {
	typ      reflect.Type
	decl     *declarative.Model
	table    *core.Table
	reg      *Registry
	attrs    []*Attribute
	byField  map[string]*Attribute
	byColumn map[string]*Attribute
	pk       []*Attribute
	rels     []*Relationship
	relBy    map[string]*Relationship
	inherits *Mapper
	kind     string
	polyOn   *Attribute
	identity string
	// the hierarchy (see inherit.go)
	root     *Mapper
	subs     []*Mapper
	poly     *inheritance.Map[*Mapper]
	polyLoad string
	abstract bool
	inhCond  []ColumnPair
	// a concrete hierarchy's union, and whether its discriminator is
	// the union's own column
	union       *core.Subquery
	virtualDisc bool
	// an abstract base of concrete subtypes, whose table is not in the
	// registry's MetaData
	abstractConcrete bool
	// see RowsFrom and DiscriminatorCriteria
	rowsFrom   core.FromClause
	discWhere  core.Expr
	imperative bool
	composites []*Composite
	compBy     map[string]*Composite
	props      []*Property
	propBy     map[string]*Property
	synonyms   map[string]*Attribute
	// hybrids (M7) and validators (M8), set by Configure
	hybrids    []hybrid.Attr
	hybridBy   map[string]hybrid.Attr
	hybridSQL  map[string]core.Expr
	validators map[string][]Validator
	// a read-only mapper of a select or a join (MapSelectable)
	from core.FromClause
	// the version counter column (S7) and its generator (nil: counter)
	version    *Attribute
	versionGen func() any
	// attribute handle index, built on first use
	handleIdx atomic.Pointer[handleIndex]
}

// Version is the version counter attribute (tag option version or
// version_func), or nil when the mapper has none.
func (m *Mapper) Version() *Attribute { return m.version }

// VersionGenerator is the function that makes each new version value
// (tag option version_func), or nil for an integer counter.
func (m *Mapper) VersionGenerator() func() any { return m.versionGen }

// Type is the mapped struct type.
func (m *Mapper) Type() reflect.Type { return m.typ }

// Name is the Go type name, e.g. "User".
func (m *Mapper) Name() string { return m.decl.Name }

// Table is the table the type is mapped to.
func (m *Mapper) Table() *core.Table { return m.table }

// Registry is the registry that built the mapper.
func (m *Mapper) Registry() *Registry { return m.reg }

// Declaration is the declaration data read from the struct type.
func (m *Mapper) Declaration() *declarative.Model { return m.decl }

// Imperative reports a mapper made by [Registry.MapTable].
func (m *Mapper) Imperative() bool { return m.imperative }

// Attributes returns the column attributes in table column order (a copy).
func (m *Mapper) Attributes() []*Attribute { return slices.Clone(m.attrs) }

// Attribute returns the column attribute for a Go field name, a dotted
// path through mixins and composites ("Timestamps.CreatedAt", "Start.X"),
// or a synonym.
func (m *Mapper) Attribute(field string) (*Attribute, bool) {
	if a, ok := m.byField[field]; ok {
		return a, ok
	}
	a, ok := m.synonyms[field]
	return a, ok
}

// Synonym returns the attribute a synonym (MapperArgs().Synonyms) stands for.
func (m *Mapper) Synonym(name string) (*Attribute, bool) {
	a, ok := m.synonyms[name]
	return a, ok
}

// Composites returns the composite attributes (M5) in field order (a copy).
func (m *Mapper) Composites() []*Composite { return slices.Clone(m.composites) }

// Composite returns the composite attribute declared by a Go field.
func (m *Mapper) Composite(field string) (*Composite, bool) {
	c, ok := m.compBy[field]
	return c, ok
}

// Properties returns the column_property and query_expression attributes
// (M6) in field order (a copy).
func (m *Mapper) Properties() []*Property { return slices.Clone(m.props) }

// Property returns the SQL-expression attribute declared by a Go field.
func (m *Mapper) Property(field string) (*Property, bool) {
	p, ok := m.propBy[field]
	return p, ok
}

// Composite is a value struct mapped over several columns (SQLAlchemy's
// composite()).
type Composite struct {
	decl  *declarative.Composite
	attrs []*Attribute
	expr  core.Expr
}

// Name is the Go field name.
func (c *Composite) Name() string { return c.decl.Field }

// Index is the reflect field index path of the value struct (a copy).
func (c *Composite) Index() []int { return slices.Clone(c.decl.Index) }

// GoType is the value struct type.
func (c *Composite) GoType() reflect.Type { return c.decl.GoType }

// Attributes are the column attributes, in the value struct's field order (a copy).
func (c *Composite) Attributes() []*Attribute { return slices.Clone(c.attrs) }

// Expr is the composite as one SQL value, the tuple of its columns, for
// comparisons as a whole: c.Expr().Eq(core.Tuple(3, 4)).
func (c *Composite) Expr() core.Expr { return c.expr }

// Property is a read-only attribute loaded from an SQL expression: a
// column_property, or a query_expression whose expression each query gives.
type Property struct {
	decl *declarative.Property
	expr core.Expr
}

// Name is the Go field name.
func (p *Property) Name() string { return p.decl.Field }

// Index is the reflect field index path (a copy).
func (p *Property) Index() []int { return slices.Clone(p.decl.Index) }

// GoType is the field's Go type.
func (p *Property) GoType() reflect.Type { return p.decl.GoType }

// Expr is the column_property's SQL expression; nil for a query_expression.
func (p *Property) Expr() core.Expr { return p.expr }

// QueryExpression reports a query_expression attribute.
func (p *Property) QueryExpression() bool { return p.decl.QueryExpression }

// Deferred reports a property not loaded by default.
func (p *Property) Deferred() bool { return p.decl.Deferred }

// AttributeByColumn returns the attribute mapped to a column name.
func (m *Mapper) AttributeByColumn(column string) (*Attribute, bool) {
	a, ok := m.byColumn[column]
	return a, ok
}

// PrimaryKey returns the primary key attributes in key order (a copy).
func (m *Mapper) PrimaryKey() []*Attribute { return slices.Clone(m.pk) }

// Relationships returns the relationships in field order (a copy).
func (m *Mapper) Relationships() []*Relationship { return slices.Clone(m.rels) }

// Relationship returns the relationship declared by a Go field.
func (m *Mapper) Relationship(field string) (*Relationship, bool) {
	r, ok := m.relBy[field]
	return r, ok
}

// Inherits is the base type's mapper in an inheritance hierarchy, or nil.
func (m *Mapper) Inherits() *Mapper { return m.inherits }

// InheritanceKind is "joined", "single" or "concrete" for a subtype, "" otherwise.
func (m *Mapper) InheritanceKind() string { return m.kind }

// PolymorphicOn is the discriminator attribute of the hierarchy, or nil.
func (m *Mapper) PolymorphicOn() *Attribute { return m.polyOn }

// PolymorphicIdentity is the type's discriminator value, or "".
func (m *Mapper) PolymorphicIdentity() string { return m.identity }

// String is "Mapper[User(users)]".
func (m *Mapper) String() string {
	if m.table == nil {
		return "Mapper[" + m.decl.Name + "(" + fromName(m.from) + ")]"
	}
	return "Mapper[" + m.decl.Name + "(" + m.table.Key() + ")]"
}

// Attribute is a mapped column attribute: a struct field and its column.
type Attribute struct {
	field  string
	path   string
	index  []int
	goType reflect.Type
	column *core.Column
	decl   *declarative.Column
}

// Name is the Go field name.
func (a *Attribute) Name() string { return a.field }

// Path is the dotted field path through embedded mixins ("Timestamps.CreatedAt").
func (a *Attribute) Path() string { return a.path }

// Index is the reflect field index path from the mapped struct (a copy);
// use it with reflect.Value.FieldByIndex.
func (a *Attribute) Index() []int { return slices.Clone(a.index) }

// GoType is the field's Go type.
func (a *Attribute) GoType() reflect.Type { return a.goType }

// Column is the mapped table column.
func (a *Attribute) Column() *core.Column { return a.column }

// Declaration is the field's declaration data.
func (a *Attribute) Declaration() *declarative.Column { return a.decl }

// Deferred reports a column not loaded by default (SQLAlchemy's deferred()).
func (a *Attribute) Deferred() bool { return a.decl.Deferred }

// DeferGroup is the deferral group loaded together ("" for the column alone).
func (a *Attribute) DeferGroup() string { return a.decl.DeferGroup }

// Direction is a relationship's direction.
type Direction uint8

// Relationship directions.
const (
	OneToMany Direction = iota + 1
	ManyToOne
	ManyToMany
)

// String is SQLAlchemy's name: ONETOMANY, MANYTOONE, MANYTOMANY.
func (d Direction) String() string {
	switch d {
	case OneToMany:
		return "ONETOMANY"
	case ManyToOne:
		return "MANYTOONE"
	case ManyToMany:
		return "MANYTOMANY"
	}
	return "UNKNOWN"
}

// ColumnPair pairs a column on the local (parent) side of a join with the
// column it equals on the remote side.
type ColumnPair struct {
	Local, Remote *core.Column
}

// OrderBy is a resolved order_by item.
type OrderBy struct {
	Attr *Attribute
	Desc bool
}

// Relationship is a configured relationship of a [Mapper].
type Relationship struct {
	decl      *declarative.Relationship
	parent    *Mapper
	target    *Mapper
	dir       Direction
	pairs     []ColumnPair
	secondary *core.Table
	secPairs  []ColumnPair
	foreign   []*core.Column
	back      *Relationship
	orderBy   []OrderBy
	collKey   *Attribute
	ordering  *Attribute
	// origin is the base type's relationship a subtype inherits (this
	// is its copy, with the field reached through the embedded base)
	origin *Relationship
}

// Origin is the relationship this one is inherited from: a subtype's
// copy of a relationship its base declares points at the base's. It is
// the relationship itself when it is declared on its own mapper.
func (r *Relationship) Origin() *Relationship {
	for r.origin != nil {
		r = r.origin
	}
	return r
}

// Name is the Go field name.
func (r *Relationship) Name() string { return r.decl.Field }

// Index is the reflect field index path from the parent struct (a copy).
func (r *Relationship) Index() []int { return slices.Clone(r.decl.Index) }

// Parent is the mapper declaring the relationship.
func (r *Relationship) Parent() *Mapper { return r.parent }

// Target is the related mapper.
func (r *Relationship) Target() *Mapper { return r.target }

// Direction is ONETOMANY, MANYTOONE or MANYTOMANY.
func (r *Relationship) Direction() Direction { return r.dir }

// Pairs are the join's column pairs: parent column = remote column. The
// remote side is the target's table, or the secondary table for
// many-to-many (a copy).
func (r *Relationship) Pairs() []ColumnPair { return slices.Clone(r.pairs) }

// Secondary is the association table of a many-to-many relationship, or nil.
func (r *Relationship) Secondary() *core.Table { return r.secondary }

// SecondaryPairs are target column = secondary column pairs of a
// many-to-many relationship (a copy).
func (r *Relationship) SecondaryPairs() []ColumnPair { return slices.Clone(r.secPairs) }

// ForeignKeys are the columns holding the foreign key values (a copy).
func (r *Relationship) ForeignKeys() []*core.Column { return slices.Clone(r.foreign) }

// BackPopulates is the relationship on the target that mirrors this one, or nil.
func (r *Relationship) BackPopulates() *Relationship { return r.back }

// UseList reports a collection (slice or map) relationship.
func (r *Relationship) UseList() bool { return r.decl.Many }

// OrderBy is the resolved order_by of a collection (a copy).
func (r *Relationship) OrderBy() []OrderBy { return slices.Clone(r.orderBy) }

// Cascade is the set of cascade rules.
func (r *Relationship) Cascade() declarative.Cascade { return r.decl.Cascade }

// Lazy is the loader strategy name ("select" by default).
func (r *Relationship) Lazy() string { return r.decl.Lazy }

// ViewOnly reports a relationship never written by flush.
func (r *Relationship) ViewOnly() bool { return r.decl.ViewOnly }

// PassiveDeletes reports that deleting the parent leaves the children to
// the database's ON DELETE rule instead of loading them first (tag option
// passive_deletes).
func (r *Relationship) PassiveDeletes() bool { return r.decl.PassiveDeletes }

// PostUpdate reports that flush writes the foreign key with a second UPDATE
// after both rows exist, breaking a cycle of dependent rows (tag option
// post_update). Its foreign key columns are nullable, which Configure checks.
func (r *Relationship) PostUpdate() bool { return r.decl.PostUpdate }

// SingleParent reports that a target object may belong to one parent
// through this relationship at a time (tag option single_parent).
func (r *Relationship) SingleParent() bool { return r.decl.SingleParent }

// CollectionKind is the Go shape of the field: "slice" for []*T, "set" for
// map[*T]struct{} or map[*T]bool, "map" for map[K]*T, "write_only" for a
// collections.WriteOnly[T], and "" for a scalar *T relationship.
func (r *Relationship) CollectionKind() string { return r.decl.Collection }

// CollectionKey is the target's attribute a map collection is keyed by
// (tag option collection:map(<KeyField>)), or nil when the collection is
// not a map.
func (r *Relationship) CollectionKey() *Attribute { return r.collKey }

// Ordering is the target's integer attribute that holds each member's
// position in a slice collection (tag option ordering:<Field>, SQLAlchemy's
// ordering_list), or nil, and the position of the first member (tag option
// ordering_from, 0 by default). When the relationship has no order_by, it
// is ordered by this attribute ascending.
func (r *Relationship) Ordering() (*Attribute, int) { return r.ordering, r.decl.OrderingFrom }

// Declaration is the field's declaration data.
func (r *Relationship) Declaration() *declarative.Relationship { return r.decl }

// String is "User.Addresses".
func (r *Relationship) String() string { return r.parent.Name() + "." + r.decl.Field }
