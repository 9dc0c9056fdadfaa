package core

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// MetaData is a collection of tables (and sequences, enum types) with a
// shared naming convention and default schema. Tables are added at program
// init; after that a MetaData is read-only and safe for concurrent use.
type MetaData struct {
	mu        sync.RWMutex
	tables    map[string]*Table
	order     []*Table
	sequences map[string]*Sequence
	Schema    string
	Naming    NamingConvention
	// refs is where foreign keys look for the tables this MetaData does
	// not have (see Shadow)
	refs *MetaData
}

// Shadow returns an empty MetaData whose tables' foreign keys may refer
// to m's tables: a place for a table that no DDL creates and no statement
// names, only the SQL built from others (the ORM keeps an abstract base
// of concrete subtypes there, whose rows are its subtypes' tables').
func (m *MetaData) Shadow() *MetaData {
	s := NewMetaData()
	s.Schema, s.Naming, s.refs = m.Schema, m.Naming, m
	return s
}

// lookup is Table, then the tables of the MetaData a Shadow refers to.
func (m *MetaData) lookup(key string) (*Table, bool) {
	if t, ok := m.Table(key); ok {
		return t, true
	}
	if m.refs != nil {
		return m.refs.Table(key)
	}
	return nil, false
}

// NewMetaData returns an empty MetaData using [DefaultNamingConvention].
func NewMetaData() *MetaData {
	return &MetaData{
		tables:    map[string]*Table{},
		sequences: map[string]*Sequence{},
		Naming:    DefaultNamingConvention(),
	}
}

// Tables returns the tables in the order they were added.
func (m *MetaData) Tables() []*Table {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return append([]*Table(nil), m.order...)
}

// Table returns the table with the given key ("name" or "schema.name").
func (m *MetaData) Table(key string) (*Table, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	t, ok := m.tables[key]
	return t, ok
}

// Sequences returns the sequences attached to columns of this MetaData or
// added with AddSequence, sorted by name.
func (m *MetaData) Sequences() []*Sequence {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]*Sequence, 0, len(m.sequences))
	for _, s := range m.sequences {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// AddSequence registers a free-standing sequence.
func (m *MetaData) AddSequence(s *Sequence) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sequences[s.key()] = s
}

// TableItem is anything that can be given to [MetaData.NewTable]: a
// *Column, a constraint, an *Index or a [TableOption].
type TableItem interface {
	tableItem()
}

// NewTable defines a table in m. It fails, naming the table and the item, on
// a duplicate table or column name, a constraint naming a missing column, or
// an invalid option.
func (m *MetaData) NewTable(name string, items ...TableItem) (*Table, error) {
	t := &Table{name: name, md: m, id: nextID(), byName: map[string]*Column{}, byKey: map[string]*Column{}}
	t.self = t
	if name == "" {
		return nil, &ArgumentError{Msg: "table name is empty"}
	}
	if strings.IndexByte(name, 0) >= 0 {
		return nil, &ArgumentError{Msg: fmt.Sprintf("table name %q contains a NUL byte", name)}
	}
	if m.Schema != "" {
		t.schema = m.Schema
	}
	var errs []error
	for _, it := range items {
		if it == nil {
			continue
		}
		if err := t.add(it); err != nil {
			errs = append(errs, err)
		}
	}
	if err := t.finish(); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, dup := m.tables[t.Key()]; dup {
		return nil, &ArgumentError{Msg: fmt.Sprintf("table %q is already defined in this MetaData", t.Key())}
	}
	m.tables[t.Key()] = t
	m.order = append(m.order, t)
	for _, c := range t.columns {
		if c.sequence != nil {
			m.sequences[c.sequence.key()] = c.sequence
		}
	}
	return t, nil
}

// MustTable is NewTable for program init: it panics on error.
func (m *MetaData) MustTable(name string, items ...TableItem) *Table {
	t, err := m.NewTable(name, items...)
	if err != nil {
		panic(err)
	}
	return t
}

var idCounter atomic.Uint64

func nextID() uint64 { return idCounter.Add(1) }

// Table is a database table: columns, constraints, indexes, options. It is
// a FROM clause; its columns are [Column] expressions.
type Table struct {
	self        FromClause
	name        string
	schema      string
	md          *MetaData
	id          uint64
	columns     []*Column
	byName      map[string]*Column
	byKey       map[string]*Column
	pk          *PrimaryKeyConstraint
	fks         []*ForeignKeyConstraint
	uniques     []*UniqueConstraint
	checks      []*CheckConstraint
	indexes     []*Index
	comment     string
	options     map[string]string
	constraints []Constraint // every constraint in declaration order
	declared    []Constraint // table-level FK, unique and check constraints as given to NewTable
}

func (*Table) retortNode() {}
func (*Table) fromClause() {}
func (*Column) tableItem() {}
func (t *Table) String() string {
	return t.Key()
}

// Name is the table's name.
func (t *Table) Name() string { return t.name }

// Schema is the table's schema ("" for the default).
func (t *Table) Schema() string { return t.schema }

// Key is "schema.name" or "name".
func (t *Table) Key() string {
	if t.schema != "" {
		return t.schema + "." + t.name
	}
	return t.name
}

// MetaData is the collection the table belongs to.
func (t *Table) MetaData() *MetaData { return t.md }

// Comment is the table comment.
func (t *Table) Comment() string { return t.comment }

// Option returns a dialect option such as "mysql_engine".
func (t *Table) Option(key string) string { return t.options[key] }

// Columns returns the table's columns in order.
func (t *Table) Columns() []*Column { return t.columns }

// C returns the column with the given name or key; it returns nil when there
// is none (use [Table.Column] for an error).
func (t *Table) C(name string) *Column {
	if c, ok := t.byKey[name]; ok {
		return c
	}
	return t.byName[name]
}

// Column returns the named column or an error naming the table and column.
func (t *Table) Column(name string) (*Column, error) {
	if c := t.C(name); c != nil {
		return c, nil
	}
	return nil, &ArgumentError{Msg: fmt.Sprintf("table %q has no column %q", t.Key(), name)}
}

// PrimaryKey returns the primary key constraint (nil when there is none).
func (t *Table) PrimaryKey() *PrimaryKeyConstraint { return t.pk }

// PrimaryKeyColumns returns the primary key columns in key order.
func (t *Table) PrimaryKeyColumns() []*Column {
	if t.pk == nil {
		return nil
	}
	out := make([]*Column, len(t.pk.Columns))
	for i, n := range t.pk.Columns {
		out[i] = t.byName[n]
	}
	return out
}

// ForeignKeys returns the table's foreign key constraints.
func (t *Table) ForeignKeys() []*ForeignKeyConstraint { return t.fks }

// Uniques returns the table's unique constraints.
func (t *Table) Uniques() []*UniqueConstraint { return t.uniques }

// Checks returns the table's check constraints.
func (t *Table) Checks() []*CheckConstraint { return t.checks }

// Indexes returns the table's indexes.
func (t *Table) Indexes() []*Index { return t.indexes }

// Constraints returns every constraint (PK, FK, unique, check) in
// declaration order, primary key first.
func (t *Table) Constraints() []Constraint { return t.constraints }

// Alias returns an alias of the table (FROM users AS u). An empty name asks
// for an anonymous alias named at compile time (anon_1 …).
func (t *Table) Alias(name string) *Alias { return newAlias(t, name) }

func (t *Table) add(it TableItem) error {
	switch x := it.(type) {
	case *Column:
		if x.table != nil {
			return &ArgumentError{Msg: fmt.Sprintf("table %q: column %q already belongs to table %q", t.name, x.name, x.table.name)}
		}
		if x.name == "" {
			return &ArgumentError{Msg: fmt.Sprintf("table %q: column %d has no name", t.name, len(t.columns)+1)}
		}
		if strings.IndexByte(x.name, 0) >= 0 {
			return &ArgumentError{Msg: fmt.Sprintf("table %q: column name %q contains a NUL byte", t.name, x.name)}
		}
		if _, dup := t.byName[x.name]; dup {
			return &ArgumentError{Msg: fmt.Sprintf("table %q: duplicate column name %q", t.name, x.name)}
		}
		if x.typ == nil {
			return &ArgumentError{Msg: fmt.Sprintf("table %q: column %q has no type", t.name, x.name)}
		}
		x.table = t
		x.from = t
		x.index = len(t.columns)
		t.columns = append(t.columns, x)
		t.byName[x.name] = x
		if x.key != "" {
			t.byKey[x.key] = x
		}
	case *PrimaryKeyConstraint:
		if t.pk != nil && len(t.pk.Columns) > 0 {
			return &ArgumentError{Msg: fmt.Sprintf("table %q: two primary keys declared", t.name)}
		}
		t.pk = x
	case *ForeignKeyConstraint:
		t.fks = append(t.fks, x)
		t.declared = append(t.declared, x)
	case *UniqueConstraint:
		t.uniques = append(t.uniques, x)
		t.declared = append(t.declared, x)
	case *CheckConstraint:
		t.checks = append(t.checks, x)
		t.declared = append(t.declared, x)
	case *Index:
		t.indexes = append(t.indexes, x)
	case TableOption:
		x(t)
	default:
		return &ArgumentError{Msg: fmt.Sprintf("table %q: unsupported item %T", t.name, it)}
	}
	return nil
}

// finish derives column-level constraints and checks every reference.
func (t *Table) finish() error {
	var errs []error
	// primary key from columns
	var pkCols []string
	for _, c := range t.columns {
		if c.primaryKey {
			pkCols = append(pkCols, c.name)
		}
	}
	if t.pk == nil && len(pkCols) > 0 {
		t.pk = &PrimaryKeyConstraint{Columns: pkCols}
	} else if t.pk != nil && len(pkCols) > 0 && !sameStrings(pkCols, t.pk.Columns) {
		errs = append(errs, &ArgumentError{Msg: fmt.Sprintf("table %q: columns marked PrimaryKey() %v disagree with the PrimaryKeyConstraint %v", t.name, pkCols, t.pk.Columns)})
	}
	if t.pk != nil {
		t.pk.table = t
		for _, n := range t.pk.Columns {
			c, ok := t.byName[n]
			if !ok {
				errs = append(errs, &ArgumentError{Msg: fmt.Sprintf("table %q: primary key names missing column %q", t.name, n)})
				continue
			}
			c.primaryKey = true
			if !c.nullableSet {
				c.nullable = false
			}
		}
		t.constraints = append(t.constraints, t.pk)
	}
	// column-level FKs, uniques, indexes
	for _, c := range t.columns {
		for _, fk := range c.fkeys {
			fk.Columns = []string{c.name}
			t.fks = append(t.fks, fk)
		}
		if c.unique {
			t.uniques = append(t.uniques, &UniqueConstraint{Columns: []string{c.name}, columnLevel: true})
		}
		if c.indexed {
			t.indexes = append(t.indexes, &Index{Columns: []string{c.name}, Unique: c.indexUnique})
		}
	}
	check := func(kind string, cols []string) {
		for _, n := range cols {
			if _, ok := t.byName[n]; !ok {
				errs = append(errs, &ArgumentError{Msg: fmt.Sprintf("table %q: %s names missing column %q", t.name, kind, n)})
			}
		}
	}
	for _, fk := range t.fks {
		fk.table = t
		check("foreign key", fk.Columns)
		if len(fk.RefColumns) != len(fk.Columns) {
			errs = append(errs, &ArgumentError{Msg: fmt.Sprintf("table %q: foreign key %v references %d columns %v", t.name, fk.Columns, len(fk.RefColumns), fk.RefColumns)})
		}
		if fk.RefTable == "" {
			errs = append(errs, &ArgumentError{Msg: fmt.Sprintf("table %q: foreign key %v has no referenced table", t.name, fk.Columns)})
		}
		t.constraints = append(t.constraints, fk)
	}
	for _, u := range t.uniques {
		u.table = t
		check("unique constraint", u.Columns)
		t.constraints = append(t.constraints, u)
	}
	for _, ck := range t.checks {
		ck.table = t
		if ck.Expr == nil {
			errs = append(errs, &ArgumentError{Msg: fmt.Sprintf("table %q: check constraint %q has no expression", t.name, ck.Name)})
		}
		t.constraints = append(t.constraints, ck)
	}
	for _, ix := range t.indexes {
		ix.table = t
		check("index", ix.Columns)
		if len(ix.Columns) == 0 && len(ix.Exprs) == 0 {
			errs = append(errs, &ArgumentError{Msg: fmt.Sprintf("table %q: index %q has no columns", t.name, ix.Name)})
		}
	}
	for _, c := range t.columns {
		if c.def != nil && c.def.IsScalar() {
			c.defBindNode = newBind(c.Key(), c.def.Value, c.typ, true)
		}
		if c.onUpdate != nil && c.onUpdate.IsScalar() {
			c.updBindNode = newBind(c.Key(), c.onUpdate.Value, c.typ, true)
		}
		if c.sequence != nil && c.identity != nil {
			errs = append(errs, &ArgumentError{Msg: fmt.Sprintf("table %q: column %q has both a Sequence and an Identity", t.name, c.name)})
		}
	}
	return errors.Join(errs...)
}

func sameStrings(a, b []string) bool {
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

// TableOption sets a table-level option; it is a [TableItem].
type TableOption func(*Table)

func (TableOption) tableItem() {}

// InSchema places the table in a schema.
func InSchema(schema string) TableOption { return func(t *Table) { t.schema = schema } }

// TableComment sets the table's comment.
func TableComment(s string) TableOption { return func(t *Table) { t.comment = s } }

// DialectOption sets a dialect-specific table option, named
// "<dialect>_<option>" as in SQLAlchemy (e.g. "mysql_engine": "InnoDB").
func DialectOption(key, value string) TableOption {
	return func(t *Table) {
		if t.options == nil {
			t.options = map[string]string{}
		}
		t.options[key] = value
	}
}

// ---------------------------------------------------------------- columns

// AutoincrementMode says whether an integer primary key is generated by the
// database.
type AutoincrementMode uint8

const (
	// AutoincrementAuto: a single-column integer primary key without a
	// default is autoincrementing (SQLAlchemy's "auto").
	AutoincrementAuto AutoincrementMode = iota
	// AutoincrementOn forces autoincrement.
	AutoincrementOn
	// AutoincrementOff disables it.
	AutoincrementOff
)

// Column is a table column, and the expression that refers to it. Columns
// of aliases and subqueries are Columns too, proxying the original.
type Column struct {
	ops
	name        string
	key         string
	typ         Type
	table       *Table     // owning table (nil for proxies of subqueries)
	from        FromClause // the FROM element this column is reached through
	base        *Column    // proxied column, for aliases and subqueries
	index       int
	id          uint64
	nullable    bool
	nullableSet bool
	primaryKey  bool
	autoinc     AutoincrementMode
	unique      bool
	indexed     bool
	indexUnique bool
	comment     string
	def         *ColumnDefault
	onUpdate    *ColumnDefault
	serverDef   Expr
	serverOnUpd Expr
	computed    *Computed
	identity    *Identity
	sequence    *Sequence
	fkeys       []*ForeignKeyConstraint
	sortOrder   int
	subExpr     Expr // for subquery columns: the select's expression
	defBindNode *BindParam
	updBindNode *BindParam
}

// ColumnOption configures a column in [Col].
type ColumnOption func(*Column)

// Col defines a column: a name, a type and options. Columns are nullable by
// default, except primary key columns (SQLAlchemy's rule).
func Col(name string, t Type, opts ...ColumnOption) *Column {
	c := &Column{name: name, typ: t, nullable: true, id: nextID()}
	c.self = c
	for _, o := range opts {
		o(c)
	}
	if c.primaryKey && !c.nullableSet {
		c.nullable = false
	}
	return c
}

// Type implements Expr.
func (c *Column) Type() Type { return c.typ }

// Name is the column's name in the database.
func (c *Column) Name() string { return c.name }

// Key is the name the column is reached by in Go (defaults to Name).
func (c *Column) Key() string {
	if c.key != "" {
		return c.key
	}
	return c.name
}

// Table is the table that owns the column (for an alias's column, the
// aliased table), or nil for a subquery column.
func (c *Column) Table() *Table { return c.table }

// From is the FROM element through which the column is referenced: its
// table, an alias, a subquery or a CTE.
func (c *Column) From() FromClause { return c.from }

// Base is the column this one proxies (itself for a table column).
func (c *Column) Base() *Column {
	if c.base != nil {
		return c.base.Base()
	}
	return c
}

// Nullable reports whether the column accepts NULL.
func (c *Column) Nullable() bool { return c.nullable }

// IsPrimaryKey reports whether the column is part of the primary key.
func (c *Column) IsPrimaryKey() bool { return c.primaryKey }

// Comment is the column comment.
func (c *Column) Comment() string { return c.comment }

// Default is the client-side default, or nil.
func (c *Column) Default() *ColumnDefault { return c.def }

// OnUpdateDefault is the client-side value applied on UPDATE, or nil.
func (c *Column) OnUpdateDefault() *ColumnDefault { return c.onUpdate }

// ServerDefault is the DDL DEFAULT expression, or nil.
func (c *Column) ServerDefault() Expr { return c.serverDef }

// ServerOnUpdate is the server-side on-update marker (e.g. MySQL ON UPDATE
// CURRENT_TIMESTAMP), or nil.
func (c *Column) ServerOnUpdate() Expr { return c.serverOnUpd }

// Computed is the generated-column definition, or nil.
func (c *Column) Computed() *Computed { return c.computed }

// Identity is the IDENTITY definition, or nil.
func (c *Column) Identity() *Identity { return c.identity }

// Sequence is the column's sequence, or nil.
func (c *Column) Sequence() *Sequence { return c.sequence }

// SortOrder is the declared column order hint (used by the declarative layer).
func (c *Column) SortOrder() int { return c.sortOrder }

// Position is the column's index in its table.
func (c *Column) Position() int { return c.index }

// IsAutoincrement reports whether the database generates the column's
// value: an explicit Autoincrement(true), an Identity, or (auto mode) the
// only integer primary key column with no default, sequence or computed value.
func (c *Column) IsAutoincrement() bool {
	switch c.autoinc {
	case AutoincrementOn:
		return true
	case AutoincrementOff:
		return false
	}
	if c.identity != nil {
		return true
	}
	if !c.primaryKey || c.table == nil || c.def != nil || c.computed != nil {
		return false
	}
	if c.serverDef != nil && c.sequence == nil {
		return false
	}
	if typeAffinity(c.typ) != affInteger {
		return false
	}
	if len(c.table.PrimaryKeyColumns()) != 1 {
		return false
	}
	for _, fk := range c.table.fks {
		for _, n := range fk.Columns {
			if n == c.name {
				return false
			}
		}
	}
	return true
}

// PrimaryKey marks the column as (part of) the primary key.
func PrimaryKey() ColumnOption { return func(c *Column) { c.primaryKey = true } }

// NotNull makes the column NOT NULL.
func NotNull() ColumnOption {
	return func(c *Column) { c.nullable = false; c.nullableSet = true }
}

// Nullable makes the column nullable (even a primary key column, where the
// database allows it).
func Nullable() ColumnOption {
	return func(c *Column) { c.nullable = true; c.nullableSet = true }
}

// Key sets the Go-side name of the column (defaults to its name).
func Key(k string) ColumnOption { return func(c *Column) { c.key = k } }

// Unique adds a single-column UNIQUE constraint.
func Unique() ColumnOption { return func(c *Column) { c.unique = true } }

// Indexed adds a single-column index (unique when unique is true).
func Indexed(unique bool) ColumnOption {
	return func(c *Column) { c.indexed = true; c.indexUnique = unique }
}

// ColumnComment sets the column's comment.
func ColumnComment(s string) ColumnOption { return func(c *Column) { c.comment = s } }

// Autoincrement sets the autoincrement mode explicitly.
func Autoincrement(on bool) ColumnOption {
	return func(c *Column) {
		if on {
			c.autoinc = AutoincrementOn
		} else {
			c.autoinc = AutoincrementOff
		}
	}
}

// SortOrder sets a column order hint.
func SortOrder(n int) ColumnOption { return func(c *Column) { c.sortOrder = n } }

// ColumnDefault is a client-side default: a constant, a Go function called
// once per row, or an SQL expression rendered into the INSERT.
type ColumnDefault struct {
	Value any
	Func  func() any
	Expr  Expr
}

// IsScalar reports a constant default.
func (d *ColumnDefault) IsScalar() bool { return d.Func == nil && d.Expr == nil }

// Default sets a constant client-side default used when an INSERT gives no value.
func Default(v any) ColumnOption {
	return func(c *Column) { c.def = &ColumnDefault{Value: v} }
}

// DefaultFunc sets a Go function called for each inserted row (e.g. uuid.New).
func DefaultFunc(f func() any) ColumnOption {
	return func(c *Column) { c.def = &ColumnDefault{Func: f} }
}

// DefaultExpr sets an SQL expression rendered into the INSERT (e.g. Now()).
func DefaultExpr(e Expr) ColumnOption {
	return func(c *Column) { c.def = &ColumnDefault{Expr: e} }
}

// OnUpdate sets a client-side value (constant, func() any or Expr) applied
// on every UPDATE that does not set the column.
func OnUpdate(v any) ColumnOption {
	return func(c *Column) {
		switch x := v.(type) {
		case func() any:
			c.onUpdate = &ColumnDefault{Func: x}
		case Expr:
			c.onUpdate = &ColumnDefault{Expr: x}
		default:
			c.onUpdate = &ColumnDefault{Value: v}
		}
	}
}

// ServerDefault sets the DDL DEFAULT: a string is an SQL literal string
// ('abc'), an Expr (Text, Now(), Literal) is rendered as SQL.
func ServerDefault(v any) ColumnOption {
	return func(c *Column) {
		switch x := v.(type) {
		case Expr:
			c.serverDef = x
		default:
			c.serverDef = Literal(v)
		}
	}
}

// ServerOnUpdate marks a server-side on-update value (rendered by MySQL as
// ON UPDATE expr; informational elsewhere).
func ServerOnUpdate(e Expr) ColumnOption { return func(c *Column) { c.serverOnUpd = e } }

// Computed is a generated column: GENERATED ALWAYS AS (Expr) [STORED].
type Computed struct {
	Expr Expr
	// Persisted: nil lets the dialect choose; true STORED; false VIRTUAL.
	Persisted *bool
}

// ComputedAs makes the column a generated column.
func ComputedAs(e Expr, persisted *bool) ColumnOption {
	return func(c *Column) { c.computed = &Computed{Expr: e, Persisted: persisted} }
}

// Identity is an IDENTITY column definition (GENERATED … AS IDENTITY).
type Identity struct {
	Always    bool
	OnNull    bool // Oracle: BY DEFAULT ON NULL
	Start     *int64
	Increment *int64
	MinValue  *int64
	MaxValue  *int64
	Cycle     bool
	Cache     *int64
}

// WithIdentity makes the column an IDENTITY column.
func WithIdentity(id Identity) ColumnOption {
	return func(c *Column) { c.identity = &id }
}

// Sequence is a database sequence.
type Sequence struct {
	Name      string
	Schema    string
	Start     *int64
	Increment *int64
	MinValue  *int64
	MaxValue  *int64
	Cycle     bool
	Cache     *int64
}

func (s *Sequence) key() string {
	if s.Schema != "" {
		return s.Schema + "." + s.Name
	}
	return s.Name
}

// WithSequence makes the column's value come from a sequence (rendered as
// the column's default where the dialect uses sequences).
func WithSequence(s *Sequence) ColumnOption { return func(c *Column) { c.sequence = s } }

// NextValue is the expression for a sequence's next value.
func NextValue(s *Sequence) Expr {
	x := &seqNext{seq: s}
	x.self = x
	return x
}

type seqNext struct {
	ops
	seq *Sequence
}

func (*seqNext) Type() Type { return BigInteger{} }

// References adds a foreign key from this column to target, written
// "table.column" or "schema.table.column".
func References(target string, opts ...FKOption) ColumnOption {
	return func(c *Column) {
		fk := &ForeignKeyConstraint{}
		i := strings.LastIndexByte(target, '.')
		if i > 0 {
			fk.RefTable = target[:i]
			fk.RefColumns = []string{target[i+1:]}
		}
		for _, o := range opts {
			o(fk)
		}
		c.fkeys = append(c.fkeys, fk)
	}
}

// FKOption configures a column-level foreign key.
type FKOption func(*ForeignKeyConstraint)

// OnDelete sets ON DELETE (CASCADE, SET NULL, RESTRICT, NO ACTION, SET DEFAULT).
func OnDelete(action string) FKOption {
	return func(f *ForeignKeyConstraint) { f.OnDelete = action }
}

// OnUpdateAction sets ON UPDATE for a foreign key.
func OnUpdateAction(action string) FKOption {
	return func(f *ForeignKeyConstraint) { f.OnUpdate = action }
}

// FKName names the foreign key constraint.
func FKName(name string) FKOption { return func(f *ForeignKeyConstraint) { f.Name = name } }

// ---------------------------------------------------------------- constraints

// Constraint is a table constraint: *PrimaryKeyConstraint,
// *ForeignKeyConstraint, *UniqueConstraint or *CheckConstraint.
type Constraint interface {
	TableItem
	ConstraintName() string
	constraintTable() *Table
}

// PrimaryKeyConstraint is PRIMARY KEY (columns…).
type PrimaryKeyConstraint struct {
	Name    string
	Columns []string
	table   *Table
}

// ForeignKeyConstraint is FOREIGN KEY (Columns) REFERENCES RefTable (RefColumns).
type ForeignKeyConstraint struct {
	Name       string
	Columns    []string
	RefTable   string // "table" or "schema.table"
	RefColumns []string
	OnDelete   string
	OnUpdate   string
	Deferrable *bool
	Initially  string
	// UseAlter emits the constraint with ALTER TABLE after the tables are
	// created (needed for cycles).
	UseAlter bool
	table    *Table
}

// UniqueConstraint is UNIQUE (columns…).
type UniqueConstraint struct {
	Name        string
	Columns     []string
	columnLevel bool
	table       *Table
}

// CheckConstraint is CHECK (Expr).
type CheckConstraint struct {
	Name  string
	Expr  Expr
	table *Table
}

func (*PrimaryKeyConstraint) tableItem() {}
func (*ForeignKeyConstraint) tableItem() {}
func (*UniqueConstraint) tableItem()     {}
func (*CheckConstraint) tableItem()      {}
func (*Index) tableItem()                {}

// ConstraintName implements Constraint.
func (c *PrimaryKeyConstraint) ConstraintName() string { return c.Name }

// ConstraintName implements Constraint.
func (c *ForeignKeyConstraint) ConstraintName() string { return c.Name }

// ConstraintName implements Constraint.
func (c *UniqueConstraint) ConstraintName() string { return c.Name }

// ConstraintName implements Constraint.
func (c *CheckConstraint) ConstraintName() string { return c.Name }

func (c *PrimaryKeyConstraint) constraintTable() *Table { return c.table }
func (c *ForeignKeyConstraint) constraintTable() *Table { return c.table }
func (c *UniqueConstraint) constraintTable() *Table     { return c.table }
func (c *CheckConstraint) constraintTable() *Table      { return c.table }

// Table is the constrained table.
func (c *ForeignKeyConstraint) Table() *Table { return c.table }

// Referred resolves the referenced table in the same MetaData.
func (c *ForeignKeyConstraint) Referred() (*Table, error) {
	if c.table == nil || c.table.md == nil {
		return nil, &ArgumentError{Msg: "foreign key is not attached to a table"}
	}
	key := c.RefTable
	if !strings.Contains(key, ".") && c.table.schema != "" {
		if t, ok := c.table.md.lookup(c.table.schema + "." + key); ok {
			return t, nil
		}
	}
	t, ok := c.table.md.lookup(key)
	if !ok {
		return nil, &ArgumentError{Msg: fmt.Sprintf("table %q: foreign key %v references unknown table %q", c.table.name, c.Columns, c.RefTable)}
	}
	for _, n := range c.RefColumns {
		if t.byName[n] == nil {
			return nil, &ArgumentError{Msg: fmt.Sprintf("table %q: foreign key %v references unknown column %q of table %q", c.table.name, c.Columns, n, c.RefTable)}
		}
	}
	return t, nil
}

// Index is CREATE [UNIQUE] INDEX name ON table (columns or expressions)
// [WHERE cond]. Dialect options such as "mysql_length" or "postgresql_using"
// go in Options.
type Index struct {
	Name    string
	Columns []string
	Exprs   []Expr // functional index parts, after Columns
	Unique  bool
	Where   Expr // partial index (PostgreSQL, SQLite; filtered index on SQL Server)
	Options map[string]string
	table   *Table
}

// Table is the indexed table.
func (ix *Index) Table() *Table { return ix.table }

// ---------------------------------------------------------------- naming

// NamingConvention maps constraint kinds ("pk", "fk", "uq", "ck", "ix") to
// name templates with the tokens SQLAlchemy uses: %(table_name)s,
// %(column_0_name)s, %(column_0N_name)s, %(column_0_N_name)s,
// %(referred_table_name)s, %(referred_column_0_name)s, %(constraint_name)s.
type NamingConvention map[string]string

// DefaultNamingConvention is SQLAlchemy's default: only indexes are named
// (ix_%(column_0_label)s, which is ix_<table>_<column>).
func DefaultNamingConvention() NamingConvention {
	return NamingConvention{"ix": "ix_%(column_0_label)s"}
}

// ConstraintNameFor returns the name a constraint or index gets: its own
// name when set, otherwise the naming convention's, otherwise "".
func ConstraintNameFor(item TableItem) string {
	var t *Table
	var kind, own string
	var cols []string
	var fk *ForeignKeyConstraint
	switch x := item.(type) {
	case *PrimaryKeyConstraint:
		t, kind, own, cols = x.table, "pk", x.Name, x.Columns
	case *ForeignKeyConstraint:
		t, kind, own, cols, fk = x.table, "fk", x.Name, x.Columns, x
	case *UniqueConstraint:
		t, kind, own, cols = x.table, "uq", x.Name, x.Columns
	case *CheckConstraint:
		t, kind, own = x.table, "ck", x.Name
	case *Index:
		t, kind, own, cols = x.table, "ix", x.Name, x.Columns
	default:
		return ""
	}
	if t == nil || t.md == nil {
		return own
	}
	tmpl, ok := t.md.Naming[kind]
	if !ok {
		return own
	}
	if kind == "ck" && own == "" {
		// a check constraint needs an explicit name for %(constraint_name)s;
		// without one the convention applies only if it does not use it.
		if strings.Contains(tmpl, "%(constraint_name)s") {
			return ""
		}
	}
	if own != "" && !strings.Contains(tmpl, "%(constraint_name)s") && kind != "ix" {
		return own
	}
	if own != "" && kind == "ix" {
		return own
	}
	r := func(tok, val string) { tmpl = strings.ReplaceAll(tmpl, "%("+tok+")s", val) }
	r("table_name", t.name)
	r("constraint_name", own)
	if len(cols) > 0 {
		r("column_0_name", cols[0])
		r("column_0_label", t.name+"_"+cols[0])
		r("column_0N_name", strings.Join(cols, ""))
		r("column_0_N_name", strings.Join(cols, "_"))
		r("column_0N_label", t.name+"_"+strings.Join(cols, "_"+t.name+"_"))
		r("column_0_N_label", t.name+"_"+strings.Join(cols, "_"))
	}
	if fk != nil {
		ref := fk.RefTable
		if i := strings.LastIndexByte(ref, '.'); i >= 0 {
			ref = ref[i+1:]
		}
		r("referred_table_name", ref)
		if len(fk.RefColumns) > 0 {
			r("referred_column_0_name", fk.RefColumns[0])
			r("referred_column_0N_name", strings.Join(fk.RefColumns, ""))
			r("referred_column_0_N_name", strings.Join(fk.RefColumns, "_"))
		}
	}
	if strings.Contains(tmpl, "%(") {
		return own
	}
	return tmpl
}
