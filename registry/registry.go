package registry

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/declarative"
	"github.com/retort-orm/retort/hybrid"
	"github.com/retort-orm/retort/inheritance"
)

// Registry collects model types and configures them into [Mapper]s. Register
// and MapTable are safe from several goroutines; after Configure the
// registry is read-only and its lookups are lock-free.
type Registry struct {
	mu       sync.Mutex
	md       *core.MetaData
	funcs    map[string]func() any
	entries  []*entry
	byType   map[reflect.Type]*entry
	regErr   error
	state    atomic.Pointer[state]
	building atomic.Pointer[state]

	hybrids    []hybrid.Attr
	validators []validatorDecl

	before []func(*Registry) error
	mapped []func(*Mapper) error
	after  []func(*Registry) error
}

type entry struct {
	model *declarative.Model
	table *core.Table // imperative mapping
}

type state struct {
	err     error
	mappers []*Mapper
	byType  map[reflect.Type]*Mapper
	byName  map[string]*Mapper
	byTable map[*core.Table]*Mapper
}

// Option configures a [Registry].
type Option func(*Registry)

// WithMetaData makes the registry build its tables in md (default: a new
// core.MetaData). Tables already in md can be used as secondary tables and
// by MapTable.
func WithMetaData(md *core.MetaData) Option { return func(r *Registry) { r.md = md } }

// WithFunc names a Go function for the default_func, onupdate_func and
// version_func tag options. "now" (time.Now) is predefined.
func WithFunc(name string, f func() any) Option {
	return func(r *Registry) { r.funcs[name] = f }
}

// New returns an empty registry.
func New(opts ...Option) *Registry {
	r := &Registry{
		md:     nil,
		funcs:  map[string]func() any{"now": func() any { return time.Now() }},
		byType: map[reflect.Type]*entry{},
	}
	for _, o := range opts {
		o(r)
	}
	if r.md == nil {
		r.md = core.NewMetaData()
	}
	return r
}

// MetaData is the collection holding every mapped table.
func (r *Registry) MetaData() *core.MetaData { return r.md }

// ConfigureError is the sticky error of a failed Configure: it names the
// mapper that failed and wraps the cause (usually a
// *declarative.MappingError, which matches *core.ArgumentError).
type ConfigureError struct {
	Mapper string
	Err    error
}

func (e *ConfigureError) Error() string {
	if e.Mapper == "" {
		return "retort: registry: configure failed: " + strings.TrimPrefix(e.Err.Error(), "retort: ")
	}
	return "retort: registry: configuring mapper " + e.Mapper + ": " + strings.TrimPrefix(e.Err.Error(), "retort: ")
}

// Unwrap returns the cause.
func (e *ConfigureError) Unwrap() error { return e.Err }

// ErrConfigured is returned by Register, MapTable and the listener methods
// after Configure has run.
var ErrConfigured = errors.New("retort: registry: already configured; register models before Configure")

// ErrNotConfigured is returned by lookups before Configure.
var ErrNotConfigured = errors.New("retort: registry: not configured; call Configure first")

func typeOfModel(v any) reflect.Type {
	t, ok := v.(reflect.Type)
	if !ok {
		t = reflect.TypeOf(v)
	}
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// Register adds model types (struct values, pointers to structs or
// reflect.Types). Registering a type twice is a no-op. A declaration error
// is returned and is also returned by Configure.
func (r *Registry) Register(models ...any) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.state.Load() != nil {
		return ErrConfigured
	}
	for _, v := range models {
		t := typeOfModel(v)
		m, err := declarative.Read(t)
		if err != nil {
			if r.regErr == nil {
				r.regErr = err
			}
			return err
		}
		if _, dup := r.byType[m.Type]; dup {
			continue
		}
		e := &entry{model: m}
		r.byType[m.Type] = e
		r.entries = append(r.entries, e)
	}
	return nil
}

// MustRegister is Register for program init: it panics on error.
func (r *Registry) MustRegister(models ...any) {
	if err := r.Register(models...); err != nil {
		panic(err)
	}
}

// MapTable maps a struct onto an existing table of the registry's MetaData
// (imperative mapping): each mapped field's column name (its column: option
// or snake_case name) must be a column of the table. Table columns with no
// field are not mapped. Relationship fields work as in declarative mapping.
func (r *Registry) MapTable(model any, table *core.Table) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.state.Load() != nil {
		return ErrConfigured
	}
	t := typeOfModel(model)
	m, err := declarative.Read(t)
	if err == nil && table == nil {
		err = &declarative.MappingError{Struct: m.Name, Msg: "MapTable was given a nil table", Hint: "pass a *core.Table of the registry's MetaData"}
	}
	if err == nil && table.MetaData() != r.md {
		err = &declarative.MappingError{Struct: m.Name, Msg: fmt.Sprintf("table %q belongs to another MetaData", table.Key()), Hint: "create the registry with registry.New(registry.WithMetaData(md)) for the table's MetaData"}
	}
	if err == nil {
		if _, dup := r.byType[m.Type]; dup {
			err = &declarative.MappingError{Struct: m.Name, Msg: "the type is already registered", Hint: "map a type once, with Register or with MapTable"}
		}
	}
	if err != nil {
		if r.regErr == nil {
			r.regErr = err
		}
		return err
	}
	e := &entry{model: m, table: table}
	r.byType[m.Type] = e
	r.entries = append(r.entries, e)
	return nil
}

// OnBeforeConfigured adds a listener called at the start of Configure
// (SQLAlchemy's before_configured), before any mapper exists (lookups
// return ErrNotConfigured). An error fails Configure.
func (r *Registry) OnBeforeConfigured(fn func(*Registry) error) error {
	return r.listen(func() { r.before = append(r.before, fn) })
}

// OnMapperConfigured adds a listener called for each mapper once every
// mapper is configured (mapper_configured), bases before subtypes. Lookups
// work inside it. An error fails Configure.
func (r *Registry) OnMapperConfigured(fn func(*Mapper) error) error {
	return r.listen(func() { r.mapped = append(r.mapped, fn) })
}

// OnAfterConfigured adds a listener called when every mapper is
// configured, before Configure returns (after_configured). Lookups work
// inside it. An error fails Configure.
func (r *Registry) OnAfterConfigured(fn func(*Registry) error) error {
	return r.listen(func() { r.after = append(r.after, fn) })
}

func (r *Registry) listen(add func()) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.state.Load() != nil {
		return ErrConfigured
	}
	add()
	return nil
}

// Configure builds every mapper and their tables, once. It returns the
// same error on every call after a failure (the error is sticky). After it
// returns, the registry is read-only.
func (r *Registry) Configure() error {
	if s := r.state.Load(); s != nil {
		return s.err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if s := r.state.Load(); s != nil {
		return s.err
	}
	s := r.configure()
	r.building.Store(nil)
	r.state.Store(s)
	return s.err
}

// Configured reports whether Configure has run (successfully or not).
func (r *Registry) Configured() bool { return r.state.Load() != nil }

func (r *Registry) current() (*state, error) {
	s := r.state.Load()
	if s == nil {
		s = r.building.Load()
		if s == nil {
			return nil, ErrNotConfigured
		}
		return s, nil
	}
	if s.err != nil {
		return nil, s.err
	}
	return s, nil
}

// Mapper returns the mapper of a model (value, pointer or reflect.Type).
func (r *Registry) Mapper(model any) (*Mapper, error) {
	s, err := r.current()
	if err != nil {
		return nil, err
	}
	t := typeOfModel(model)
	if m, ok := s.byType[t]; ok {
		return m, nil
	}
	return nil, &core.ArgumentError{Msg: fmt.Sprintf("type %v is not mapped by this registry", t)}
}

// MapperFor returns the mapper of T.
func MapperFor[T any](r *Registry) (*Mapper, error) {
	return r.Mapper(reflect.TypeFor[T]())
}

// MapperByName returns the mapper of the Go type with the given name.
func (r *Registry) MapperByName(name string) (*Mapper, error) {
	s, err := r.current()
	if err != nil {
		return nil, err
	}
	if m, ok := s.byName[name]; ok {
		return m, nil
	}
	return nil, &core.ArgumentError{Msg: fmt.Sprintf("no mapped type is named %q", name)}
}

// Mappers returns every mapper in registration order.
func (r *Registry) Mappers() ([]*Mapper, error) {
	s, err := r.current()
	if err != nil {
		return nil, err
	}
	return slices.Clone(s.mappers), nil
}

// ---------------------------------------------------------------- configure

type failure struct {
	mapper string
	err    error
}

func fail(m string, err error) *failure { return &failure{m, err} }

func merr(m *declarative.Model, field, tag, msg, hint string) error {
	return &declarative.MappingError{Struct: m.Name, Field: field, Tag: tag, Msg: msg, Hint: hint}
}

func (r *Registry) configure() *state {
	s := &state{byType: map[reflect.Type]*Mapper{}, byName: map[string]*Mapper{}, byTable: map[*core.Table]*Mapper{}}
	if f := r.configureInto(s); f != nil {
		// a fresh state: s may be read by listeners' goroutines
		return &state{err: &ConfigureError{Mapper: f.mapper, Err: f.err}}
	}
	return s
}

func (r *Registry) configureInto(s *state) *failure {
	if r.regErr != nil {
		name := ""
		var me *declarative.MappingError
		if errors.As(r.regErr, &me) {
			name = me.Struct
		}
		return fail(name, r.regErr)
	}
	for _, fn := range r.before {
		if err := fn(r); err != nil {
			return fail("", err)
		}
	}
	// names
	for _, e := range r.entries {
		if prev, ok := s.byName[e.model.Name]; ok {
			return fail(e.model.Name, merr(e.model, "", "", fmt.Sprintf("two mapped types are named %s (%v and %v)", e.model.Name, prev.typ, e.model.Type), "rename one: relationship targets are resolved by name"))
		}
		m := &Mapper{typ: e.model.Type, decl: e.model, reg: r, byField: map[string]*Attribute{}, byColumn: map[string]*Attribute{}, relBy: map[string]*Relationship{}, imperative: e.table != nil}
		s.byName[e.model.Name] = m
		s.byType[e.model.Type] = m
		s.mappers = append(s.mappers, m)
	}
	// inheritance: bases must be registered; order bases before subtypes
	entryOf := map[*Mapper]*entry{}
	for i, e := range r.entries {
		m := s.mappers[i]
		entryOf[m] = e
		if b := e.model.Base; b != nil {
			bm, ok := s.byType[b.Type]
			if !ok {
				return fail(m.Name(), merr(e.model, b.Field, b.Tag, fmt.Sprintf("base type %s is not registered", b.Type), fmt.Sprintf("register it too: reg.Register(&%s{})", b.Type.Name())))
			}
			if e.table != nil {
				return fail(m.Name(), merr(e.model, b.Field, b.Tag, "an imperatively mapped type cannot inherit", "map the subtype declaratively"))
			}
			m.inherits, m.kind = bm, b.Kind
			if t := e.model.Type; len(b.Index) != 1 || t.Field(b.Index[0]).Offset != 0 {
				// a *Base pointer to a subtype's object is the object's
				// own address: queries of the base hand out such pointers
				return fail(m.Name(), merr(e.model, b.Field, b.Tag, fmt.Sprintf("the inheritance base %s must be the first field of %s", b.Type.Name(), m.Name()), fmt.Sprintf("move the embedded %s to the top of the struct", b.Type.Name())))
			}
		}
	}
	ordered := make([]*Mapper, 0, len(s.mappers))
	done := map[*Mapper]bool{}
	var visit func(m *Mapper, depth int) *failure
	visit = func(m *Mapper, depth int) *failure {
		if done[m] {
			return nil
		}
		if depth > len(s.mappers) {
			return fail(m.Name(), merr(m.decl, "", "", "inheritance cycle", "a type cannot be its own base"))
		}
		if m.inherits != nil {
			if f := visit(m.inherits, depth+1); f != nil {
				return f
			}
		}
		done[m] = true
		ordered = append(ordered, m)
		return nil
	}
	for _, m := range s.mappers {
		if f := visit(m, 0); f != nil {
			return f
		}
	}
	// single-table subtypes add their columns to the root table
	extra := map[*Mapper][]*declarative.Column{}
	for _, m := range ordered {
		if m.kind == "single" {
			root := m.inherits
			for root.kind == "single" {
				root = root.inherits
			}
			extra[root] = append(extra[root], m.decl.Columns...)
		}
	}
	// an abstract base of concrete subtypes (SQLAlchemy's
	// AbstractConcreteBase) has no table in the database: its columns
	// live in a table of a MetaData of its own, which only its subtypes'
	// polymorphic union stands for in SQL
	for _, m := range ordered {
		if m.inherits != nil && m.kind == "concrete" && m.inherits.decl.MapperArgs.PolymorphicAbstract && m.inherits.inherits == nil {
			m.inherits.abstractConcrete = true
		}
	}
	// tables
	for _, m := range ordered {
		e := entryOf[m]
		switch {
		case e.table != nil:
			m.table = e.table
		case m.kind == "single":
			m.table = m.inherits.table
			if m.decl.HasTableArgs() || m.decl.TableFromMethod && m.decl.Table != m.table.Name() {
				return fail(m.Name(), merr(m.decl, "", "", "a single-table subtype has no table of its own", "remove TableName/TableArgs from the subtype, or use kind:joined"))
			}
		default:
			cols := m.decl.Columns
			if m.kind == "concrete" {
				cols = append(slices.Clone(m.inherits.decl.Columns), cols...)
			}
			if f := r.buildTable(m, cols, extra[m]); f != nil {
				return f
			}
		}
		if m.abstractConcrete {
			continue
		}
		if prev, ok := s.byTable[m.table]; ok && m.kind != "single" {
			return fail(m.Name(), merr(m.decl, "", "", fmt.Sprintf("table %q is already mapped by %s", m.table.Key(), prev.Name()), "map each table once, or use inheritance"))
		}
		if m.kind != "single" {
			s.byTable[m.table] = m
		}
	}
	// attributes
	for _, m := range ordered {
		if f := r.buildAttributes(m, s); f != nil {
			return f
		}
	}
	// composites, SQL-expression attributes, synonyms
	for _, m := range ordered {
		if f := r.buildExtras(m); f != nil {
			return f
		}
	}
	// hybrids (M7)
	for _, m := range ordered {
		if f := r.buildHybrids(m); f != nil {
			return f
		}
	}
	// foreign keys
	for _, m := range ordered {
		if m.kind == "single" || m.imperative || m.abstractConcrete {
			continue
		}
		if f := r.checkFKs(m); f != nil {
			return f
		}
	}
	// columns that should be relationships
	for _, m := range ordered {
		for _, a := range m.attrs {
			t := a.goType
			for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
				t = t.Elem()
			}
			if tm, ok := s.byType[t]; ok && !a.decl.TypeOverride {
				return fail(m.Name(), merr(m.decl, a.path, a.decl.Tag, fmt.Sprintf("field of type %s holds the mapped model %s but is declared as a column", a.goType, tm.Name()), "add `rel` to the tag to declare a relationship, or type:json to store it as JSON"))
			}
		}
	}
	// relationships
	for _, m := range ordered {
		if m.kind == inheritance.Concrete {
			// a concrete subtype's own table holds the foreign keys of
			// the relationships its base declares: each is built again
			// on it, reached through the embedded base field
			for _, bd := range m.inherits.decl.Relationships {
				if slices.ContainsFunc(m.decl.Relationships, func(d *declarative.Relationship) bool { return d.Field == bd.Field }) {
					continue
				}
				nd := *bd
				nd.Index = append(slices.Clone(m.decl.Base.Index), bd.Index...)
				nd.Path = m.decl.Base.Field + "." + bd.Path
				if m.inherits.abstractConcrete {
					// (the abstract base has no relationship to pair with)
					nd.BackPopulates = ""
				}
				rel, err := r.buildRelationship(m, &nd, s)
				if err != nil {
					return fail(m.Name(), err)
				}
				rel.origin = m.inherits.relBy[bd.Field]
				m.rels = append(m.rels, rel)
				m.relBy[nd.Field] = rel
				m.relBy[nd.Path] = rel
			}
		}
		if m.abstractConcrete {
			// its relationships are its subtypes' (SQLAlchemy's
			// AbstractConcreteBase cannot have its own either)
			continue
		}
		for _, d := range m.decl.Relationships {
			rel, err := r.buildRelationship(m, d, s)
			if err != nil {
				return fail(m.Name(), err)
			}
			m.rels = append(m.rels, rel)
			m.relBy[d.Field] = rel
			if d.Path != d.Field {
				m.relBy[d.Path] = rel
			}
		}
	}
	for _, m := range ordered {
		inheritRelationships(m)
	}
	for _, m := range ordered {
		for _, rel := range m.rels {
			if err := pairBack(rel); err != nil {
				return fail(m.Name(), err)
			}
		}
	}
	// polymorphism
	for _, m := range ordered {
		if f := r.configurePolymorphic(m); f != nil {
			return f
		}
		if f := r.configureHierarchy(m); f != nil {
			return f
		}
	}
	for _, m := range ordered {
		m.configureRows()
		if m.identity != "" && m.poly == nil {
			// (a concrete hierarchy's identities need no column: its
			// union holds them)
			return fail(m.Name(), merr(m.decl, "MapperArgs", "", fmt.Sprintf("polymorphic_identity %q is set but no type in the hierarchy declares polymorphic_on", m.identity), "tag the base's discriminator field with polymorphic_on, e.g. `Type string `orm:\"polymorphic_on\"``"))
		}
		if f := r.buildUnion(m); f != nil {
			return f
		}
	}
	// validators (M8), once relationships exist
	for _, m := range ordered {
		if f := r.buildValidators(m); f != nil {
			return f
		}
	}
	// every mapper is complete and never written again: listeners (and
	// lookups made from them) may read them
	r.building.Store(s)
	for _, m := range ordered {
		for _, fn := range r.mapped {
			if err := fn(m); err != nil {
				return fail(m.Name(), err)
			}
		}
	}
	for _, fn := range r.after {
		if err := fn(r); err != nil {
			return fail("", err)
		}
	}
	return nil
}

func (r *Registry) fn(m *declarative.Model, c *declarative.Column, name string) (func() any, error) {
	f, ok := r.funcs[name]
	if !ok {
		known := make([]string, 0, len(r.funcs))
		for k := range r.funcs {
			known = append(known, k)
		}
		sort.Strings(known)
		return nil, merr(m, c.Path, c.Tag, fmt.Sprintf("function %q is not known to the registry", name), fmt.Sprintf("register it with registry.New(registry.WithFunc(%q, f)); known: %s", name, strings.Join(known, ", ")))
	}
	return f, nil
}

func (r *Registry) buildTable(m *Mapper, cols, extra []*declarative.Column) *failure {
	d := m.decl
	md := r.md
	if m.abstractConcrete {
		md = r.md.Shadow()
	}
	if _, exists := md.Table(d.Table); exists {
		return fail(m.Name(), merr(d, "", "", fmt.Sprintf("table %q is already defined in the MetaData", d.Table), "give the model another name with a TableName() method, or map the existing table with MapTable"))
	}
	var items []core.TableItem
	indexes := map[string]*core.Index{}
	uniques := map[string]*core.UniqueConstraint{}
	var groups []core.TableItem
	add := func(c *declarative.Column, forceNullable bool) *failure {
		var opts []core.ColumnOption
		switch {
		case c.PrimaryKey:
			opts = append(opts, core.PrimaryKey())
		case c.Nullable || forceNullable:
			opts = append(opts, core.Nullable())
		default:
			opts = append(opts, core.NotNull())
		}
		if c.HasDefault {
			opts = append(opts, core.Default(c.Default))
		}
		if c.DefaultFunc != "" {
			f, err := r.fn(d, c, c.DefaultFunc)
			if err != nil {
				return fail(m.Name(), err)
			}
			opts = append(opts, core.DefaultFunc(f))
		}
		if c.ServerDefault != "" {
			opts = append(opts, core.ServerDefault(core.Raw(c.ServerDefault, nil)))
		}
		if c.HasOnUpdate {
			opts = append(opts, core.OnUpdate(c.OnUpdate))
		}
		if c.OnUpdateFunc != "" {
			f, err := r.fn(d, c, c.OnUpdateFunc)
			if err != nil {
				return fail(m.Name(), err)
			}
			opts = append(opts, core.OnUpdate(f))
		}
		if c.ServerOnUpdate != "" {
			opts = append(opts, core.ServerOnUpdate(core.Raw(c.ServerOnUpdate, nil)))
		}
		if c.Indexed {
			if c.IndexName == "" {
				opts = append(opts, core.Indexed(false))
			} else if ix, ok := indexes[c.IndexName]; ok {
				ix.Columns = append(ix.Columns, c.Name)
			} else {
				ix := &core.Index{Name: c.IndexName, Columns: []string{c.Name}}
				indexes[c.IndexName] = ix
				groups = append(groups, ix)
			}
		}
		if c.Unique {
			if c.UniqueName == "" {
				opts = append(opts, core.Unique())
			} else if u, ok := uniques[c.UniqueName]; ok {
				u.Columns = append(u.Columns, c.Name)
			} else {
				u := &core.UniqueConstraint{Name: c.UniqueName, Columns: []string{c.Name}}
				uniques[c.UniqueName] = u
				groups = append(groups, u)
			}
		}
		if fk := c.FK; fk != nil {
			var fo []core.FKOption
			if fk.OnDelete != "" {
				fo = append(fo, core.OnDelete(fk.OnDelete))
			}
			if fk.OnUpdate != "" {
				fo = append(fo, core.OnUpdateAction(fk.OnUpdate))
			}
			if fk.Name != "" {
				fo = append(fo, core.FKName(fk.Name))
			}
			opts = append(opts, core.References(fk.Target(), fo...))
		}
		if c.Autoincrement != nil {
			opts = append(opts, core.Autoincrement(*c.Autoincrement))
		}
		if c.Comment != "" {
			opts = append(opts, core.ColumnComment(c.Comment))
		}
		if c.Sort != 0 {
			opts = append(opts, core.SortOrder(c.Sort))
		}
		if c.Identity {
			opts = append(opts, core.WithIdentity(core.Identity{}))
		}
		if c.Sequence != "" {
			opts = append(opts, core.WithSequence(&core.Sequence{Name: c.Sequence}))
		}
		if c.Computed != "" {
			opts = append(opts, core.ComputedAs(core.Raw(c.Computed, nil), nil))
		}
		items = append(items, core.Col(c.Name, c.Type, opts...))
		return nil
	}
	seen := map[string]*declarative.Column{}
	for _, c := range cols {
		seen[c.Name] = c
		if f := add(c, false); f != nil {
			return f
		}
	}
	for _, c := range extra {
		if prev, dup := seen[c.Name]; dup {
			return fail(m.Name(), merr(d, prev.Path, prev.Tag, fmt.Sprintf("column %q is declared again by a single-table subtype (field %s)", c.Name, c.Path), "declare the column once, on the base"))
		}
		seen[c.Name] = c
		if c.PrimaryKey {
			return fail(m.Name(), merr(d, c.Path, c.Tag, "a single-table subtype cannot add primary key columns", "declare the primary key on the base"))
		}
		if f := add(c, true); f != nil {
			return f
		}
	}
	items = append(items, groups...)
	items = append(items, d.TableArgs()...)
	t, err := md.NewTable(d.Table, items...)
	if err != nil {
		return fail(m.Name(), merr(d, "TableArgs", "", strings.TrimPrefix(err.Error(), "retort: "), "fix the table arguments or the column declarations"))
	}
	m.table = t
	return nil
}

func (r *Registry) buildAttributes(m *Mapper, s *state) *failure {
	d := m.decl
	var decls []*declarative.Column
	var prefix []int
	if m.inherits != nil && m.kind != "concrete" {
		// base attributes first, reached through the embedded base field
		prefix = d.Base.Index
		for _, a := range m.inherits.attrs {
			na := *a
			na.index = append(slices.Clone(prefix), a.index...)
			na.path = d.Base.Field + "." + a.path
			m.attrs = append(m.attrs, &na)
		}
	}
	decls = d.Columns
	if m.kind == "concrete" {
		for _, c := range m.inherits.decl.Columns {
			cc := *c
			cc.Index = append(slices.Clone(d.Base.Index), c.Index...)
			cc.Path = d.Base.Field + "." + c.Path
			decls = append(decls, &cc)
		}
	}
	for _, c := range decls {
		col := m.table.C(c.Name)
		if col == nil {
			names := []string{}
			for _, tc := range m.table.Columns() {
				names = append(names, tc.Name())
			}
			hint := "name a column of the table with column:<name>, or skip the field with `orm:\"-\"`"
			if cl := declarative.Closest(c.Name, names); cl != "" {
				hint = fmt.Sprintf("did you mean column:%s?", cl)
			}
			return fail(m.Name(), merr(d, c.Path, c.Tag, fmt.Sprintf("column %q is not a column of table %q", c.Name, m.table.Key()), hint))
		}
		m.attrs = append(m.attrs, &Attribute{field: c.Field, path: c.Path, index: c.Index, goType: c.GoType, column: col, decl: c})
	}
	// order by table position; a subtype's base attributes first (a
	// single-table subtype of a joined one has columns in two tables)
	if m.kind != "joined" && m.kind != "single" {
		sort.SliceStable(m.attrs, func(i, j int) bool { return m.attrs[i].column.Position() < m.attrs[j].column.Position() })
	}
	inherited := func(a *Attribute) bool { return d.Base != nil && strings.HasPrefix(a.path, d.Base.Field+".") }
	for _, a := range m.attrs {
		// a field of the model itself shadows the base's field of the same
		// name, as in Go
		if prev, dup := m.byField[a.field]; !dup || inherited(prev) && !inherited(a) {
			m.byField[a.field] = a
		}
		m.byField[a.path] = a
		if _, dup := m.byColumn[a.column.Name()]; !dup || a.column.Table() == m.table {
			m.byColumn[a.column.Name()] = a
		}
	}
	pkTable := m.table
	if m.kind == "joined" || m.kind == "single" {
		// the identity of a subtype is its hierarchy root's (through
		// joined and single-table levels)
		root := m
		for root.inherits != nil && (root.kind == "joined" || root.kind == "single") {
			root = root.inherits
		}
		pkTable = root.table
	}
	for _, c := range pkTable.PrimaryKeyColumns() {
		for _, a := range m.attrs {
			if a.column == c {
				m.pk = append(m.pk, a)
			}
		}
	}
	if len(pkTable.PrimaryKeyColumns()) == 0 {
		return fail(m.Name(), merr(d, "", "", fmt.Sprintf("table %q has no primary key", m.table.Key()), "mark the key field with `orm:\"pk\"` (several fields for a composite key)"))
	}
	if len(m.pk) != len(pkTable.PrimaryKeyColumns()) {
		return fail(m.Name(), merr(d, "", "", fmt.Sprintf("primary key columns of table %q are not all mapped to fields", pkTable.Key()), "add a field for each primary key column"))
	}
	if m.kind == "joined" && len(m.table.PrimaryKeyColumns()) == 0 {
		return fail(m.Name(), merr(d, "", "", fmt.Sprintf("joined-table subtype table %q has no primary key", m.table.Key()), fmt.Sprintf("declare e.g. `ID int `orm:\"pk;column:id;fk:%s.id\"`` in %s", m.inherits.table.Name(), d.Name)))
	}
	// the version counter (S7): at most one per hierarchy, inherited
	for _, a := range m.attrs {
		if a.decl == nil || !a.decl.Version {
			continue
		}
		if m.version != nil && m.version != a && m.version.column != a.column {
			return fail(m.Name(), merr(d, a.path, a.decl.Tag, fmt.Sprintf("a second version column (%s already is one)", m.version.path), "keep one version column per mapped hierarchy"))
		}
		if m.version == nil {
			m.version = a
			if a.decl.VersionFunc != "" {
				f, err := r.fn(d, a.decl, a.decl.VersionFunc)
				if err != nil {
					return fail(m.Name(), err)
				}
				m.versionGen = f
			}
		}
	}
	return nil
}

func (r *Registry) checkFKs(m *Mapper) *failure {
	d := m.decl
	for _, fk := range m.table.ForeignKeys() {
		var field, tag string
		if len(fk.Columns) > 0 {
			if a, ok := m.byColumn[fk.Columns[0]]; ok && a.column.Table() == m.table {
				field, tag = a.path, a.decl.Tag
				if a.decl.FK == nil {
					field, tag = "TableArgs", ""
				}
			}
		}
		rt, ok := r.md.Table(fk.RefTable)
		if !ok && m.table.Schema() != "" {
			rt, ok = r.md.Table(m.table.Schema() + "." + fk.RefTable)
		}
		if !ok {
			var names []string
			for _, t := range r.md.Tables() {
				names = append(names, t.Key())
			}
			hint := "register the model mapping that table, or fix the target; known tables: " + strings.Join(names, ", ")
			if cl := declarative.Closest(fk.RefTable, names); cl != "" {
				hint = fmt.Sprintf("did you mean %q?", cl)
			}
			return fail(m.Name(), merr(d, field, tag, fmt.Sprintf("foreign key %v references table %q, which is not mapped or defined", fk.Columns, fk.RefTable), hint))
		}
		for _, rc := range fk.RefColumns {
			if rt.C(rc) == nil {
				var names []string
				for _, c := range rt.Columns() {
					names = append(names, c.Name())
				}
				hint := "known columns: " + strings.Join(names, ", ")
				if cl := declarative.Closest(rc, names); cl != "" {
					hint = fmt.Sprintf("did you mean %s.%s?", rt.Name(), cl)
				}
				return fail(m.Name(), merr(d, field, tag, fmt.Sprintf("foreign key %v references column %q, which table %q does not have", fk.Columns, rc, rt.Key()), hint))
			}
		}
	}
	return nil
}

func (r *Registry) configurePolymorphic(m *Mapper) *failure {
	d := m.decl
	m.identity = d.MapperArgs.PolymorphicIdentity
	// the discriminator is declared on the root (or any ancestor)
	for x := m; x != nil; x = x.inherits {
		if on := x.decl.MapperArgs.PolymorphicOn; on != "" {
			a, ok := x.byField[on]
			if !ok {
				a, ok = x.byColumn[on]
			}
			if ok {
				// the subtype's own attribute for the same column
				if ma, ok2 := m.byColumn[a.column.Name()]; ok2 {
					a = ma
				}
				m.polyOn = a
			}
			break
		}
	}
	return nil
}

func (r *Registry) buildExtras(m *Mapper) *failure {
	d := m.decl
	m.compBy = map[string]*Composite{}
	for _, cd := range d.Composites {
		c := &Composite{decl: cd}
		var items []any
		for _, col := range cd.Columns {
			a, ok := m.byField[col.Field]
			if !ok {
				return fail(m.Name(), merr(d, cd.Path, cd.Tag, fmt.Sprintf("composite column %q is not mapped", col.Name), "check the composite's columns"))
			}
			c.attrs = append(c.attrs, a)
			items = append(items, a.column)
		}
		c.expr = core.Tuple(items...)
		m.composites = append(m.composites, c)
		m.compBy[cd.Field] = c
		m.compBy[cd.Path] = c
	}
	m.propBy = map[string]*Property{}
	var exprs map[string]core.Expr
	if d.HasColumnProperties() {
		exprs = d.ColumnProperties(m.table, r.md)
	}
	for key := range exprs {
		p := findProp(d, key)
		if p == nil || p.QueryExpression {
			return fail(m.Name(), merr(d, "ColumnProperties", "", fmt.Sprintf("ColumnProperties returns an expression for %q, which is not a column_property field", key), "tag the field `orm:\"column_property\"`, or drop the key"))
		}
	}
	for _, pd := range d.Properties {
		p := &Property{decl: pd}
		if !pd.QueryExpression {
			e, ok := exprs[pd.Field]
			if !ok || e == nil {
				return fail(m.Name(), merr(d, pd.Path, pd.Tag, "ColumnProperties returns no expression for this column_property", fmt.Sprintf("return it under the key %q", pd.Field)))
			}
			p.expr = e
		}
		if _, clash := m.byField[pd.Field]; clash {
			return fail(m.Name(), merr(d, pd.Path, pd.Tag, "the property's name is also a column attribute", "rename one"))
		}
		m.props = append(m.props, p)
		m.propBy[pd.Field] = p
	}
	m.synonyms = map[string]*Attribute{}
	for name, target := range d.MapperArgs.Synonyms {
		a, ok := m.byField[target]
		if !ok {
			return fail(m.Name(), merr(d, "MapperArgs", "", fmt.Sprintf("synonym %q names %q, which is not a column attribute", name, target), "name a mapped field"))
		}
		if _, clash := m.byField[name]; clash {
			return fail(m.Name(), merr(d, "MapperArgs", "", fmt.Sprintf("synonym %q is already a field name", name), "choose another synonym"))
		}
		m.synonyms[name] = a
	}
	inheritExtras(m)
	return nil
}

// inheritExtras gives a joined or single-table subtype its base's
// composites, SQL-expression attributes and synonyms, reached through the
// embedded base field (bases are configured first).
func inheritExtras(m *Mapper) {
	b := m.inherits
	if b == nil || m.kind == inheritance.Concrete {
		return
	}
	byCol := map[*core.Column]*Attribute{}
	for _, a := range m.attrs {
		if _, ok := byCol[a.column]; !ok || strings.HasPrefix(a.path, m.decl.Base.Field+".") {
			byCol[a.column] = a
		}
	}
	prefix := func(idx []int) []int { return append(slices.Clone(m.decl.Base.Index), idx...) }
	var comps []*Composite
	for _, bc := range b.composites {
		if _, own := m.compBy[bc.decl.Field]; own {
			continue
		}
		nd := *bc.decl
		nd.Index = prefix(bc.decl.Index)
		nd.Path = m.decl.Base.Field + "." + bc.decl.Path
		c := &Composite{decl: &nd, expr: bc.expr}
		for _, a := range bc.attrs {
			c.attrs = append(c.attrs, byCol[a.column])
		}
		comps = append(comps, c)
		m.compBy[nd.Field] = c
		m.compBy[nd.Path] = c
	}
	m.composites = append(comps, m.composites...)
	var props []*Property
	for _, bp := range b.props {
		if _, own := m.propBy[bp.decl.Field]; own {
			continue
		}
		nd := *bp.decl
		nd.Index = prefix(bp.decl.Index)
		nd.Path = m.decl.Base.Field + "." + bp.decl.Path
		p := &Property{decl: &nd, expr: bp.expr}
		props = append(props, p)
		m.propBy[nd.Field] = p
	}
	m.props = append(props, m.props...)
	for name, a := range b.synonyms {
		if _, own := m.synonyms[name]; !own && byCol[a.column] != nil {
			m.synonyms[name] = byCol[a.column]
		}
	}
}

func findProp(d *declarative.Model, field string) *declarative.Property {
	for _, p := range d.Properties {
		if p.Field == field {
			return p
		}
	}
	return nil
}
