package declarative

import (
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/retort-orm/retort/core"
)

// Model is the declaration data read from one struct type. It is computed
// once per reflect.Type and shared: treat it as read-only.
type Model struct {
	Type reflect.Type // the struct type (never a pointer)
	Name string       // the Go type name, e.g. "User"
	// Table is the table name: the TableName() method's result, or the
	// convention (snake_case of the type name, plural: User → users,
	// BlogPost → blog_posts, Category → categories, Address → addresses).
	Table           string
	TableFromMethod bool
	// Columns in table order: declaration order, mixin columns where the
	// mixin is embedded, then stably sorted by the sort option.
	Columns       []*Column
	Relationships []*Relationship
	// Mixins are the embedded structs whose fields were flattened into the
	// model, outermost first.
	Mixins []reflect.Type
	// Base is the embedded base type of an inheritance hierarchy (a field
	// tagged `orm:"inherits"`), or nil.
	Base *Base
	// MapperArgs from the MapperArgs() method merged with polymorphic_on
	// and polymorphic_identity tags.
	MapperArgs MapperArgs
	// Composites are the fields tagged composite (M5); their columns are in
	// Columns too.
	Composites []*Composite
	// Properties are the fields tagged column_property or query_expression (M6).
	Properties []*Property

	tableArgs []func() []core.TableItem
	colProps  func(*core.Table, *core.MetaData) map[string]core.Expr
}

// ColumnProperties calls the model's method
// `ColumnProperties(self *core.Table, md *core.MetaData) map[string]core.Expr`,
// which returns the SQL expression of each column_property field by Go field
// name. It returns nil when the model has no such method.
func (m *Model) ColumnProperties(self *core.Table, md *core.MetaData) map[string]core.Expr {
	if m.colProps == nil {
		return nil
	}
	return m.colProps(self, md)
}

// HasColumnProperties reports whether the model defines ColumnProperties.
func (m *Model) HasColumnProperties() bool { return m.colProps != nil }

// Composite is a value struct spread over several columns (SQLAlchemy's
// composite()): `Start Point `orm:"composite"“ maps Point's fields X and Y
// to columns start_x and start_y (or to the names given by columns:a,b).
type Composite struct {
	Field   string
	Path    string
	Index   []int
	GoType  reflect.Type
	Tag     string
	From    reflect.Type
	Columns []*Column // in the value struct's field order; their Index paths go through the composite field
}

// Property is a read-only attribute loaded from an SQL expression: a
// column_property (its expression comes from the ColumnProperties method)
// or a query_expression (its expression is given per query).
type Property struct {
	Field           string
	Path            string
	Index           []int
	GoType          reflect.Type
	Tag             string
	From            reflect.Type
	QueryExpression bool
	Deferred        bool
	DeferGroup      string
}

// TableArgs calls the model's and its mixins' TableArgs() methods (mixins
// first) and returns the items. Each call returns fresh values, so that two
// registries never share a constraint.
func (m *Model) TableArgs() []core.TableItem {
	var out []core.TableItem
	for _, f := range m.tableArgs {
		out = append(out, f()...)
	}
	return out
}

// HasTableArgs reports whether the model or a mixin defines TableArgs().
func (m *Model) HasTableArgs() bool { return len(m.tableArgs) > 0 }

// ColumnByField returns the column declared by the Go field (name or
// dotted path), or nil.
func (m *Model) ColumnByField(name string) *Column {
	for _, c := range m.Columns {
		if c.Field == name || c.Path == name {
			return c
		}
	}
	return nil
}

// RelationshipByField returns the relationship declared by the Go field, or nil.
func (m *Model) RelationshipByField(name string) *Relationship {
	for _, r := range m.Relationships {
		if r.Field == name || r.Path == name {
			return r
		}
	}
	return nil
}

// MapperArgs are mapper-level settings. A model declares them with a method
// `MapperArgs() declarative.MapperArgs`; polymorphic_on and
// polymorphic_identity may also come from tags.
type MapperArgs struct {
	// PolymorphicOn names the discriminator column (Go field or column name).
	PolymorphicOn string
	// PolymorphicIdentity is this type's discriminator value.
	PolymorphicIdentity string
	// Synonyms maps another name to a mapped attribute's Go field name
	// (SQLAlchemy's synonym()): queries may use either name.
	Synonyms map[string]string
	// Kind is the inheritance kind for a subtype: "joined", "single" or
	// "concrete". Usually given on the embedded base field's tag.
	Kind string
	// PolymorphicLoad is how a query of a base type loads this subtype's
	// own columns (SQLAlchemy's polymorphic_load): "inline" adds its
	// table to the base's query with a LEFT OUTER JOIN, "selectin" loads
	// them with one more SELECT per subtype for the rows of that type.
	// The default is "inline" for a joined subtype (and irrelevant for
	// single and concrete ones, whose columns come with the row).
	PolymorphicLoad string
	// WithPolymorphic, on a hierarchy's base, names the subtypes whose
	// tables a query of the base joins by default ("*" for all): it
	// overrides the subtypes' PolymorphicLoad. Nil leaves each subtype's
	// own setting.
	WithPolymorphic []string
	// PolymorphicAbstract marks an intermediate type that is never
	// instantiated: it has no identity of its own, and querying it
	// returns its subtypes.
	PolymorphicAbstract bool
}

// PolymorphicLoads lists the accepted PolymorphicLoad values.
var PolymorphicLoads = []string{"inline", "selectin"}

// InheritanceKinds lists the accepted kind values.
var InheritanceKinds = []string{"joined", "single", "concrete"}

// Base is an embedded base struct of an inheritance hierarchy.
type Base struct {
	Type  reflect.Type
	Field string
	Index []int
	Tag   string
	Kind  string // joined (default), single or concrete
}

// Column is one mapped column declared by a struct field.
type Column struct {
	Field  string       // the Go field name
	Path   string       // dotted path through mixins: "Timestamps.CreatedAt"
	Index  []int        // reflect field index path from the model
	GoType reflect.Type // the field's Go type
	Tag    string       // the raw tag value
	From   reflect.Type // the mixin that declared it, or nil

	Name             string    // column name (snake_case of the field name by default)
	Type             core.Type // from type: or inferred with core.TypeOf
	TypeOverride     bool
	Nullable         bool
	NullableExplicit bool // nullable or notnull was written
	PrimaryKey       bool

	Default        any // parsed to the field's Go type; valid when HasDefault
	HasDefault     bool
	DefaultFunc    string // a function name resolved by the registry
	ServerDefault  string // SQL text
	OnUpdate       any
	HasOnUpdate    bool
	OnUpdateFunc   string
	ServerOnUpdate string

	Indexed    bool
	IndexName  string // shared by the columns of a composite index
	Unique     bool
	UniqueName string // shared by the columns of a composite unique constraint

	FK            *ForeignKey
	Autoincrement *bool
	Comment       string
	Sort          int
	Identity      bool
	Sequence      string
	Computed      string // SQL text of a generated column
	PolymorphicOn bool
	// Deferred columns are not loaded by default (SQLAlchemy's deferred());
	// DeferGroup names a group loaded together ("" is the column's own group).
	Deferred   bool
	DeferGroup string
	// Composite is the composite field the column belongs to, or "".
	Composite string
	// Mutable marks a JSON column whose value (a map, slice or struct) is
	// tracked for in-place changes by snapshot and deep comparison
	// (SQLAlchemy's MutableDict/MutableList; tag option mutable).
	Mutable bool
	// Version marks the mapper's version counter column (SQLAlchemy's
	// version_id_col; tag option version): an integer incremented on every
	// UPDATE and checked in the WHERE clause of UPDATE and DELETE.
	// VersionFunc names a generator registered with the registry that
	// makes each new version value instead (tag option version_func:<name>).
	Version     bool
	VersionFunc string
}

// ForeignKey is the fk: option of a column.
type ForeignKey struct {
	Table    string // "table" or "schema.table"
	Column   string
	OnDelete string // canonical upper case: CASCADE, SET NULL, SET DEFAULT, RESTRICT, NO ACTION
	OnUpdate string
	Name     string
}

// Target is "table.column".
func (f *ForeignKey) Target() string { return f.Table + "." + f.Column }

// Relationship is a relationship declared by a struct field tagged `rel`.
type Relationship struct {
	Field  string
	Path   string
	Index  []int
	GoType reflect.Type
	Tag    string
	From   reflect.Type

	// Target is the related struct type, from the field's Go type.
	Target reflect.Type
	// TargetName is the name given with rel:Name, or "".
	TargetName string
	// Many reports a collection field (slice or map).
	Many bool

	BackPopulates  string
	Secondary      string
	ForeignKeys    []string
	PrimaryJoin    string
	SecondaryJoin  string
	RemoteSide     []string
	OrderBy        []OrderBy
	Cascade        Cascade
	CascadeGiven   bool
	Lazy           string
	UseList        *bool
	ViewOnly       bool
	PassiveDeletes bool
	PostUpdate     bool
	SingleParent   bool
	// Collection is "slice", "set", "map" or "write_only" (a
	// collections.WriteOnly field); CollectionKey is the target's
	// field a map is keyed by.
	Collection string
	// Instrumented reports an instrumented collection type (such as
	// collections.List[T]) rather than a plain slice or map.
	Instrumented  bool
	CollectionKey string
	// Ordering names the target's integer field that holds each member's
	// position in a slice collection (tag option ordering:<Field>,
	// SQLAlchemy's ordering_list); OrderingFrom is the position of the
	// first member (tag option ordering_from:<n>, count_from; default 0).
	Ordering     string
	OrderingFrom int
}

// OrderBy is one order_by item: a target attribute, ascending unless Desc.
type OrderBy struct {
	Attr string
	Desc bool
}

// Cascade is a set of relationship cascade rules.
type Cascade uint8

// Cascade rules.
const (
	CascadeSaveUpdate Cascade = 1 << iota
	CascadeMerge
	CascadeExpunge
	CascadeDelete
	CascadeDeleteOrphan
	CascadeRefreshExpire
	// CascadeAll is "all": every rule but delete-orphan.
	CascadeAll = CascadeSaveUpdate | CascadeMerge | CascadeExpunge | CascadeDelete | CascadeRefreshExpire
	// CascadeDefault is SQLAlchemy's default, "save-update, merge".
	CascadeDefault = CascadeSaveUpdate | CascadeMerge
)

var cascadeNames = []struct {
	name string
	c    Cascade
}{
	{"save-update", CascadeSaveUpdate}, {"merge", CascadeMerge}, {"expunge", CascadeExpunge},
	{"delete", CascadeDelete}, {"delete-orphan", CascadeDeleteOrphan}, {"refresh-expire", CascadeRefreshExpire},
}

// Has reports whether every rule in x is set.
func (c Cascade) Has(x Cascade) bool { return c&x == x }

// String lists the rules, comma-separated.
func (c Cascade) String() string {
	var parts []string
	for _, n := range cascadeNames {
		if c&n.c != 0 {
			parts = append(parts, n.name)
		}
	}
	return strings.Join(parts, ", ")
}

// ParseCascade parses a cascade list: save-update, merge, expunge, delete,
// delete-orphan, refresh-expire, all, none.
func ParseCascade(s string) (Cascade, error) {
	var c Cascade
	known := []string{"all", "none"}
	for _, n := range cascadeNames {
		known = append(known, n.name)
	}
	for _, p := range splitList(s) {
		p = strings.ToLower(strings.ReplaceAll(p, "_", "-"))
		switch p {
		case "all":
			c |= CascadeAll
			continue
		case "none":
			continue
		}
		ok := false
		for _, n := range cascadeNames {
			if n.name == p {
				c |= n.c
				ok = true
			}
		}
		if !ok {
			msg := fmt.Sprintf("unknown cascade rule %q", p)
			if cl := Closest(p, known); cl != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", cl)
			}
			return 0, fmt.Errorf("%s; known rules: %s", msg, strings.Join(known, ", "))
		}
	}
	return c, nil
}

// LazyStrategies lists the accepted lazy values.
var LazyStrategies = []string{"select", "joined", "selectin", "subquery", "immediate", "raise", "raise_on_sql", "noload", "write_only", "dynamic"}

// FKActions lists the accepted ondelete/onupdate actions.
var FKActions = []string{"CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT", "NO ACTION"}

// ---------------------------------------------------------------- reading

type cached struct {
	m   *Model
	err error
}

var cache sync.Map // reflect.Type -> *cached

// Read returns the declaration of a struct type (or pointer to struct),
// reading its tags, mixins and methods once and caching the result (the
// error too) for later calls.
func Read(t reflect.Type) (*Model, error) {
	if t == nil {
		return nil, &MappingError{Struct: "<nil>", Msg: "no type given", Hint: "pass a struct value or pointer, e.g. &User{}"}
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if v, ok := cache.Load(t); ok {
		c := v.(*cached)
		return c.m, c.err
	}
	m, err := read(t)
	v, _ := cache.LoadOrStore(t, &cached{m, err})
	c := v.(*cached)
	return c.m, c.err
}

// ReadValue is Read(reflect.TypeOf(model)).
func ReadValue(model any) (*Model, error) { return Read(reflect.TypeOf(model)) }

type reader struct {
	m    *Model
	cols []*colEntry
	errs []error
}

type colEntry struct {
	c     *Column
	depth int
}

func typeName(t reflect.Type) string {
	if t.Name() != "" {
		return t.Name()
	}
	return t.String()
}

func read(t reflect.Type) (*Model, error) {
	if t.Kind() != reflect.Struct {
		return nil, &MappingError{Struct: t.String(), Msg: fmt.Sprintf("a model must be a struct, not %s", t.Kind()), Hint: "register a struct type such as &User{}"}
	}
	m := &Model{Type: t, Name: typeName(t)}
	r := &reader{m: m}
	r.walk(t, nil, "", nil, 0, map[reflect.Type]bool{t: true})
	if len(r.errs) > 0 {
		return nil, r.errs[0]
	}
	// an own field shadows a mixin field of the same Go name
	own := map[string]bool{}
	for _, e := range r.cols {
		if e.depth == 0 {
			own[e.c.Field] = true
		}
	}
	byName := map[string]*colEntry{}
	for _, e := range r.cols {
		if e.depth > 0 && own[e.c.Field] {
			continue
		}
		if prev, dup := byName[e.c.Name]; dup {
			c := e.c
			if prev.c.From != nil || c.From != nil {
				from := func(x *Column) string {
					if x.From == nil {
						return m.Name
					}
					return "mixin " + typeName(x.From)
				}
				return nil, &MappingError{Struct: m.Name, Field: c.Path, Tag: c.Tag,
					Msg:  fmt.Sprintf("column %q conflicts with the column of the same name from %s (field %s)", c.Name, from(prev.c), prev.c.Path),
					Hint: "rename one with column:<name>, or declare the field once in the model to override the mixin's"}
			}
			return nil, &MappingError{Struct: m.Name, Field: c.Path, Tag: c.Tag,
				Msg:  fmt.Sprintf("duplicate column name %q (also used by field %s)", c.Name, prev.c.Path),
				Hint: "give one of them another name with column:<name>"}
		}
		byName[e.c.Name] = e
		m.Columns = append(m.Columns, e.c)
	}
	sort.SliceStable(m.Columns, func(i, j int) bool { return m.Columns[i].Sort < m.Columns[j].Sort })

	// methods
	if err := r.methods(t); err != nil {
		return nil, err
	}
	if m.Table == "" {
		if strings.ContainsAny(m.Name, "[]. ") {
			return nil, &MappingError{Struct: m.Name, Msg: "a generic or unnamed type has no conventional table name", Hint: "define a method `TableName() string`"}
		}
		m.Table = Plural(SnakeCase(m.Name))
	}
	// polymorphic_on
	var pon []*Column
	for _, c := range m.Columns {
		if c.PolymorphicOn {
			pon = append(pon, c)
		}
	}
	if len(pon) > 1 {
		return nil, &MappingError{Struct: m.Name, Field: pon[1].Path, Tag: pon[1].Tag, Msg: fmt.Sprintf("polymorphic_on is set on two fields (%s and %s)", pon[0].Path, pon[1].Path), Hint: "mark only the discriminator column with polymorphic_on"}
	}
	if len(pon) == 1 {
		if m.MapperArgs.PolymorphicOn != "" && m.MapperArgs.PolymorphicOn != pon[0].Field && m.MapperArgs.PolymorphicOn != pon[0].Name {
			return nil, &MappingError{Struct: m.Name, Field: pon[0].Path, Tag: pon[0].Tag, Msg: fmt.Sprintf("polymorphic_on tag disagrees with MapperArgs().PolymorphicOn %q", m.MapperArgs.PolymorphicOn), Hint: "declare the discriminator in one place"}
		}
		m.MapperArgs.PolymorphicOn = pon[0].Field
	} else if p := m.MapperArgs.PolymorphicOn; p != "" {
		found := false
		for _, c := range m.Columns {
			if c.Field == p || c.Name == p || c.Path == p {
				found = true
			}
		}
		if !found {
			return nil, &MappingError{Struct: m.Name, Field: "MapperArgs", Msg: fmt.Sprintf("PolymorphicOn names %q, which is not a mapped column of %s", p, m.Name), Hint: "name a column field such as \"Type\", or tag that field with polymorphic_on"}
		}
	}
	if m.Base != nil {
		if m.MapperArgs.Kind != "" && m.Base.Kind != "" && m.MapperArgs.Kind != m.Base.Kind {
			return nil, &MappingError{Struct: m.Name, Field: m.Base.Field, Tag: m.Base.Tag, Msg: fmt.Sprintf("kind %q disagrees with MapperArgs().Kind %q", m.Base.Kind, m.MapperArgs.Kind), Hint: "declare the inheritance kind in one place"}
		}
		if m.Base.Kind == "" {
			m.Base.Kind = m.MapperArgs.Kind
		}
		if m.Base.Kind == "" {
			m.Base.Kind = "joined"
		}
		m.MapperArgs.Kind = m.Base.Kind
	} else if m.MapperArgs.Kind != "" {
		return nil, &MappingError{Struct: m.Name, Field: "MapperArgs", Msg: fmt.Sprintf("Kind %q is set but %s embeds no base", m.MapperArgs.Kind, m.Name), Hint: "embed the base struct with `orm:\"inherits\"`, or leave Kind empty on the base"}
	}
	return m, nil
}

func (r *reader) fail(field, tag, msg, hint string) {
	r.errs = append(r.errs, &MappingError{Struct: r.m.Name, Field: field, Tag: tag, Msg: msg, Hint: hint})
}

// isValueStruct reports a struct type that is a column value (time.Time,
// sql.Null*, decimals, UUIDs) rather than a mixin.
func isValueStruct(t reflect.Type) bool {
	typ, _, err := core.TypeOf(t)
	if err != nil {
		return false
	}
	_, isJSON := typ.(core.JSON)
	return !isJSON
}

func (r *reader) walk(t reflect.Type, index []int, prefix string, from reflect.Type, depth int, seen map[reflect.Type]bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag, hasTag := f.Tag.Lookup(TagKey)
		if tag == "-" {
			continue
		}
		idx := append(slices.Clone(index), i)
		path := prefix + f.Name
		if !f.IsExported() && !(f.Anonymous && f.Type.Kind() == reflect.Struct) {
			if hasTag {
				r.fail(path, tag, "the field is unexported, so it cannot be mapped", "export it (capitalise the name) or remove the orm tag")
			}
			continue
		}
		opts := splitTag(tag)
		if !r.checkOptions(path, tag, opts) {
			continue
		}
		has := func(n string) bool {
			for _, o := range opts {
				if o.name == n {
					return true
				}
			}
			return false
		}
		isRel := has("rel")
		fieldClass := classColumn
		switch {
		case isRel:
			fieldClass = classRel
		case has("composite"):
			fieldClass = classComposite
		case has("column_property") || has("query_expression"):
			fieldClass = classProp
		case has("inherits"):
			fieldClass = classBase
		}
		bad := false
		for _, o := range opts {
			spec := optionSpecs[o.name]
			if spec.class&fieldClass != 0 {
				continue
			}
			bad = true
			switch {
			case spec.class == classRel:
				r.fail(path, tag, fmt.Sprintf("option %q is a relationship option but the field is not declared a relationship", o.name), "add `rel` to the tag: `orm:\"rel;"+o.name+":…\"`")
			case fieldClass == classRel:
				r.fail(path, tag, fmt.Sprintf("option %q is a column option but the field is a relationship", o.name), "put column options on the foreign key column field, not on the relationship")
			case spec.class == classBase:
				r.fail(path, tag, fmt.Sprintf("option %q belongs on an embedded base field tagged inherits", o.name), "embed the base struct with `orm:\"inherits;"+o.name+":…\"`, or use a MapperArgs() method")
			case spec.class == classComposite:
				r.fail(path, tag, fmt.Sprintf("option %q belongs on a composite field", o.name), "add `composite` to the tag")
			case fieldClass == classComposite:
				r.fail(path, tag, fmt.Sprintf("option %q does not apply to a composite field", o.name), "tag the value struct's fields instead; a composite takes composite, columns and deferred")
			case fieldClass == classProp:
				r.fail(path, tag, fmt.Sprintf("option %q does not apply to a column_property or query_expression field", o.name), "such a field takes only deferred")
			default:
				r.fail(path, tag, fmt.Sprintf("option %q does not apply here", o.name), "remove it")
			}
			break
		}
		if bad {
			return
		}
		if has("column_property") && has("query_expression") {
			r.fail(path, tag, "column_property and query_expression are both given", "keep one of them")
			return
		}
		switch {
		case has("inherits"):
			if !f.Anonymous || f.Type.Kind() != reflect.Struct {
				r.fail(path, tag, "inherits is only valid on an embedded struct (by value)", "embed the base type: `Employee `orm:\"inherits\"``")
				continue
			}
			if depth > 0 || r.m.Base != nil {
				r.fail(path, tag, "a model may embed one inheritance base, at its top level", "remove the second inherits")
				continue
			}
			b := &Base{Type: f.Type, Field: path, Index: idx, Tag: tag}
			for _, o := range opts {
				switch o.name {
				case "kind":
					k := strings.ToLower(o.value)
					if !slices.Contains(InheritanceKinds, k) {
						r.fail(path, tag, fmt.Sprintf("unknown inheritance kind %q", o.value), "write kind:joined, kind:single or kind:concrete")
						return
					}
					b.Kind = k
				case "polymorphic_identity":
					r.m.MapperArgs.PolymorphicIdentity = o.value
				case "polymorphic_load":
					v := strings.ToLower(o.value)
					if !slices.Contains(PolymorphicLoads, v) {
						r.fail(path, tag, fmt.Sprintf("unknown polymorphic_load %q", o.value), "write polymorphic_load:inline or polymorphic_load:selectin")
						return
					}
					r.m.MapperArgs.PolymorphicLoad = v
				case "polymorphic_abstract":
					v, err := parseBoolOpt(o)
					if err != nil {
						r.fail(path, tag, err.Error(), "write polymorphic_abstract or polymorphic_abstract:false")
						return
					}
					r.m.MapperArgs.PolymorphicAbstract = v
				}
			}
			r.m.Base = b
		case isRel:
			r.relationship(f, idx, path, tag, opts, from)
		case fieldClass == classComposite:
			r.composite(f, idx, path, tag, opts, from, depth)
		case fieldClass == classProp:
			p := &Property{Field: f.Name, Path: path, Index: idx, GoType: f.Type, Tag: tag, From: from, QueryExpression: has("query_expression")}
			for _, o := range opts {
				if o.name == "deferred" {
					p.Deferred, p.DeferGroup = true, o.value
				}
			}
			r.m.Properties = append(r.m.Properties, p)
		case f.Anonymous && !hasTag && (f.Type.Kind() == reflect.Struct || f.Type.Kind() == reflect.Pointer && f.Type.Elem().Kind() == reflect.Struct) && !isValueStruct(f.Type):
			if f.Type.Kind() == reflect.Pointer {
				r.fail(path, tag, "a mixin must be embedded by value, not by pointer", fmt.Sprintf("embed %s instead of *%s", f.Type.Elem().Name(), f.Type.Elem().Name()))
				continue
			}
			if seen[f.Type] {
				r.fail(path, tag, fmt.Sprintf("mixin %s is embedded twice", f.Type), "embed each mixin once")
				continue
			}
			seen[f.Type] = true
			r.m.Mixins = append(r.m.Mixins, f.Type)
			if fn, err := tableArgsMethod(f.Type); err != nil {
				r.fail(path, tag, err.Error(), "declare `func ("+f.Type.Name()+") TableArgs() []core.TableItem`")
			} else if fn != nil {
				r.m.tableArgs = append(r.m.tableArgs, fn)
			}
			r.walk(f.Type, idx, path+".", f.Type, depth+1, seen)
		default:
			if c := r.column(f, idx, path, tag, opts, from); c != nil {
				r.cols = append(r.cols, &colEntry{c: c, depth: depth})
			}
		}
	}
}

// checkOptions rejects unknown, misspelled, repeated and wrongly valued options.
func (r *reader) checkOptions(path, tag string, opts []option) bool {
	seen := map[string]bool{}
	for _, o := range opts {
		spec, ok := optionSpecs[o.name]
		if !ok {
			if h, ok := optionHints[strings.ToLower(o.name)]; ok {
				r.fail(path, tag, fmt.Sprintf("unknown option %q", o.name), fmt.Sprintf("write %q instead", h))
			} else if c := Closest(o.name, knownOptions); c != "" {
				r.fail(path, tag, fmt.Sprintf("unknown option %q", o.name), fmt.Sprintf("did you mean %q?", c))
			} else {
				r.fail(path, tag, fmt.Sprintf("unknown option %q", o.name), "known options: "+strings.Join(knownOptions, ", "))
			}
			return false
		}
		if seen[o.name] {
			r.fail(path, tag, fmt.Sprintf("option %q is given twice", o.name), "keep one")
			return false
		}
		seen[o.name] = true
		switch spec.rule {
		case valNone:
			if o.hasValue {
				r.fail(path, tag, fmt.Sprintf("option %q takes no value (got %q)", o.name, o.value), fmt.Sprintf("write just %q", o.name))
				return false
			}
		case valRequired:
			if !o.hasValue || (o.value == "" && o.name != "server_default" && o.name != "default") {
				if o.name == "column" {
					r.fail(path, tag, "empty column name", "write column:<name>, or leave the option out for the snake_case default")
				} else {
					r.fail(path, tag, fmt.Sprintf("option %q needs a value", o.name), fmt.Sprintf("write %s:<value>", o.name))
				}
				return false
			}
		}
	}
	return true
}

func parseBoolOpt(o option) (bool, error) {
	if !o.hasValue || o.value == "" {
		return true, nil
	}
	b, err := strconv.ParseBool(o.value)
	if err != nil {
		return false, fmt.Errorf("option %q takes true or false, not %q", o.name, o.value)
	}
	return b, nil
}

func parseAction(s string) (string, bool) {
	a := strings.ToUpper(strings.TrimSpace(strings.ReplaceAll(s, "_", " ")))
	a = strings.Join(strings.Fields(a), " ")
	return a, slices.Contains(FKActions, a)
}

func (r *reader) column(f reflect.StructField, idx []int, path, tag string, opts []option, from reflect.Type) *Column {
	c := &Column{Field: f.Name, Path: path, Index: idx, GoType: f.Type, Tag: tag, From: from, Name: SnakeCase(f.Name)}
	fail := func(msg, hint string) *Column { r.fail(path, tag, msg, hint); return nil }
	var typeOpt string
	for _, o := range opts {
		switch o.name {
		case "column":
			c.Name = o.value
		case "type":
			typeOpt = o.value
		case "pk":
			c.PrimaryKey = true
		case "notnull":
			c.Nullable, c.NullableExplicit = false, true
		case "nullable":
			c.Nullable, c.NullableExplicit = true, true
		case "default":
			c.HasDefault = true
		case "default_func":
			c.DefaultFunc = o.value
		case "server_default":
			c.ServerDefault = unescapeCommas(o.value)
		case "onupdate":
			c.HasOnUpdate = true
		case "onupdate_func":
			c.OnUpdateFunc = o.value
		case "server_onupdate":
			c.ServerOnUpdate = unescapeCommas(o.value)
		case "index":
			c.Indexed, c.IndexName = true, o.value
		case "unique":
			c.Unique, c.UniqueName = true, o.value
		case "fk":
			fk, err := parseFK(o.value)
			if err != nil {
				return fail(err.Error(), "write fk:<table>.<column>[,ondelete:cascade][,onupdate:cascade][,name:<constraint>]")
			}
			c.FK = fk
		case "autoincrement":
			b, err := parseBoolOpt(o)
			if err != nil {
				return fail(err.Error(), "write autoincrement or autoincrement:false")
			}
			c.Autoincrement = &b
		case "comment":
			c.Comment = unescapeCommas(o.value)
		case "sort":
			n, err := strconv.Atoi(o.value)
			if err != nil {
				return fail(fmt.Sprintf("sort value %q is not an integer", o.value), "write sort:<integer>, e.g. sort:-1 to put the column first")
			}
			c.Sort = n
		case "identity":
			c.Identity = true
		case "sequence":
			c.Sequence = o.value
		case "computed":
			c.Computed = unescapeCommas(o.value)
		case "polymorphic_on":
			c.PolymorphicOn = true
		case "deferred":
			c.Deferred, c.DeferGroup = true, o.value
		case "mutable":
			c.Mutable = true
		case "version":
			c.Version = true
		case "version_func":
			c.Version, c.VersionFunc = true, o.value
		}
	}
	has := func(n string) bool {
		for _, o := range opts {
			if o.name == n {
				return true
			}
		}
		return false
	}
	// type and nullability
	inferred, goNullable, err := core.TypeOf(f.Type)
	if typeOpt != "" {
		t, perr := ParseType(typeOpt)
		if perr != nil {
			return fail("bad type override: "+perr.Error(), "write e.g. type:varchar(50), type:numeric(10,2) or type:enum(a,b)")
		}
		c.Type, c.TypeOverride = t, true
		if err != nil {
			goNullable = f.Type.Kind() == reflect.Pointer
		}
	} else {
		if err != nil {
			return fail(fmt.Sprintf("no SQL type is known for Go type %s", f.Type), "add a type override such as type:text, or skip the field with `orm:\"-\"`")
		}
		c.Type = inferred
	}
	if !c.NullableExplicit {
		c.Nullable = goNullable
	}
	switch {
	case has("pk") && has("nullable"):
		return fail("a primary key column cannot be nullable", "remove nullable (primary key columns are NOT NULL)")
	case has("notnull") && has("nullable"):
		return fail("notnull and nullable contradict each other", "keep one of them")
	case has("nullable") && !goNullable:
		return fail(fmt.Sprintf("nullable on Go type %s, which cannot hold NULL", f.Type), fmt.Sprintf("use *%s or sql.Null[%s] for a nullable column", f.Type, f.Type))
	case has("default") && has("default_func"):
		return fail("default and default_func are both given", "keep one of them")
	case has("onupdate") && has("onupdate_func"):
		return fail("onupdate and onupdate_func are both given", "keep one of them")
	case c.Identity && c.Sequence != "":
		return fail("identity and sequence are both given", "keep one of them")
	case has("version") && has("version_func"):
		return fail("version and version_func are both given", "keep one of them: version_func implies version")
	case c.Version && c.VersionFunc == "" && !isIntegerType(c.Type):
		return fail(fmt.Sprintf("a version counter must be an integer column, not %s", f.Type), "use an int field, or give version_func:<name> for a generated version")
	case c.Version && c.PrimaryKey:
		return fail("a primary key column cannot be the version counter", "use a separate column for the version")
	case c.Version && goNullable && !c.NullableExplicit:
		return fail(fmt.Sprintf("a version column cannot be nullable (Go type %s)", f.Type), "use a non-pointer type for the version")
	case c.Autoincrement != nil && *c.Autoincrement && !isIntegerType(c.Type):
		return fail(fmt.Sprintf("autoincrement on a %s column", c.Type.TypeName()), "autoincrement needs an integer column")
	case c.Mutable && !isJSONType(c.Type):
		return fail(fmt.Sprintf("mutable on a %s column", c.Type.TypeName()), "mutable tracks in-place changes of JSON values: use it with type:json (or a map/slice field mapped to JSON)")
	}
	if c.PrimaryKey {
		c.Nullable = false
	}
	for _, o := range opts {
		switch o.name {
		case "default":
			v, err := parseLiteral(f.Type, o.value)
			if err != nil {
				return fail(fmt.Sprintf("default %q: %v", o.value, err), fmt.Sprintf("write a literal of Go type %s, or use server_default:<SQL> or default_func:<name>", f.Type))
			}
			c.Default = v
		case "onupdate":
			v, err := parseLiteral(f.Type, o.value)
			if err != nil {
				return fail(fmt.Sprintf("onupdate %q: %v", o.value, err), fmt.Sprintf("write a literal of Go type %s, or use onupdate_func:<name>", f.Type))
			}
			c.OnUpdate = v
		}
	}
	return c
}

func (r *reader) composite(f reflect.StructField, idx []int, path, tag string, opts []option, from reflect.Type, depth int) {
	ft := f.Type
	if ft.Kind() != reflect.Struct || isValueStruct(ft) {
		r.fail(path, tag, fmt.Sprintf("a composite must be a struct value type such as Point{X, Y}, not %s", ft), "declare the field as a struct (by value), or drop composite to map a single column")
		return
	}
	comp := &Composite{Field: f.Name, Path: path, Index: idx, GoType: ft, Tag: tag, From: from}
	var names []string
	deferred, group := false, ""
	for _, o := range opts {
		switch o.name {
		case "columns":
			names = splitList(o.value)
		case "deferred":
			deferred, group = true, o.value
		}
	}
	var fields []reflect.StructField
	for i := 0; i < ft.NumField(); i++ {
		sf := ft.Field(i)
		if sf.Tag.Get(TagKey) == "-" {
			continue
		}
		if !sf.IsExported() {
			r.fail(path, tag, fmt.Sprintf("composite type %s has the unexported field %s", ft, sf.Name), "export it, or skip it with `orm:\"-\"`")
			return
		}
		fields = append(fields, sf)
	}
	if len(fields) == 0 {
		r.fail(path, tag, fmt.Sprintf("composite type %s has no fields to map", ft), "give it exported fields")
		return
	}
	if names != nil && len(names) != len(fields) {
		r.fail(path, tag, fmt.Sprintf("columns lists %d names but %s has %d fields", len(names), ft, len(fields)), fmt.Sprintf("give one column name per field of %s, in order", ft.Name()))
		return
	}
	prefix := SnakeCase(f.Name) + "_"
	for j, sf := range fields {
		sub := sf.Tag.Get(TagKey)
		subOpts := splitTag(sub)
		subPath := path + "." + sf.Name
		if !r.checkOptions(subPath, sub, subOpts) {
			return
		}
		for _, o := range subOpts {
			if optionSpecs[o.name].class&classColumn == 0 {
				r.fail(subPath, sub, fmt.Sprintf("option %q cannot be used inside a composite", o.name), "a composite's fields take column options only")
				return
			}
		}
		c := r.column(sf, append(slices.Clone(idx), sf.Index...), subPath, sub, subOpts, from)
		if c == nil {
			return
		}
		c.Field = subPath
		explicit := false
		for _, o := range subOpts {
			explicit = explicit || o.name == "column"
		}
		switch {
		case names != nil:
			if names[j] == "" {
				r.fail(path, tag, "empty column name in columns", "write columns:<name>,<name>,…")
				return
			}
			c.Name = names[j]
		case !explicit:
			c.Name = prefix + c.Name
		}
		if deferred {
			c.Deferred, c.DeferGroup = true, group
		}
		c.Composite = path
		comp.Columns = append(comp.Columns, c)
		r.cols = append(r.cols, &colEntry{c: c, depth: depth})
	}
	r.m.Composites = append(r.m.Composites, comp)
}

func isJSONType(t core.Type) bool {
	_, ok := t.(core.JSON)
	if !ok {
		_, ok = t.(*core.JSON)
	}
	return ok
}

func isIntegerType(t core.Type) bool {
	switch core.ImplType(t).(type) {
	case core.Integer, core.BigInteger, core.SmallInteger:
		return true
	}
	return false
}

func parseFK(v string) (*ForeignKey, error) {
	parts := splitList(v)
	target := parts[0]
	i := strings.LastIndexByte(target, '.')
	if i <= 0 || i == len(target)-1 {
		return nil, fmt.Errorf("foreign key target %q is not <table>.<column>", target)
	}
	fk := &ForeignKey{Table: target[:i], Column: target[i+1:]}
	for _, p := range parts[1:] {
		k, val, ok := strings.Cut(p, ":")
		if !ok {
			return nil, fmt.Errorf("foreign key option %q is not <name>:<value>", p)
		}
		k = strings.ToLower(strings.TrimSpace(k))
		switch k {
		case "ondelete", "onupdate":
			a, ok := parseAction(val)
			if !ok {
				return nil, fmt.Errorf("bad %s action %q (known: cascade, set null, set default, restrict, no action)", k, val)
			}
			if k == "ondelete" {
				fk.OnDelete = a
			} else {
				fk.OnUpdate = a
			}
		case "name":
			fk.Name = strings.TrimSpace(val)
		default:
			msg := fmt.Sprintf("unknown foreign key option %q", k)
			if c := Closest(k, []string{"ondelete", "onupdate", "name"}); c != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", c)
			}
			return nil, fmt.Errorf("%s", msg)
		}
	}
	return fk, nil
}

// parseLiteral converts a default literal to the field's Go type (the
// element type for pointers and sql.Null*).
func parseLiteral(t reflect.Type, s string) (any, error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() == reflect.Struct && t.PkgPath() == "database/sql" && t.NumField() == 2 {
		t = t.Field(0).Type
	}
	v := reflect.New(t).Elem()
	switch t.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return nil, fmt.Errorf("not a boolean")
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(s, 10, t.Bits())
		if err != nil {
			return nil, fmt.Errorf("not an integer that fits %s", t)
		}
		v.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, err := strconv.ParseUint(s, 10, t.Bits())
		if err != nil {
			return nil, fmt.Errorf("not an unsigned integer that fits %s", t)
		}
		v.SetUint(n)
	case reflect.Float32, reflect.Float64:
		n, err := strconv.ParseFloat(s, t.Bits())
		if err != nil {
			return nil, fmt.Errorf("not a number")
		}
		v.SetFloat(n)
	default:
		return nil, fmt.Errorf("a tag default cannot be given for Go type %s", t)
	}
	return v.Interface(), nil
}

func (r *reader) relationship(f reflect.StructField, idx []int, path, tag string, opts []option, from reflect.Type) {
	rel := &Relationship{Field: f.Name, Path: path, Index: idx, GoType: f.Type, Tag: tag, From: from}
	fail := func(msg, hint string) { r.fail(path, tag, msg, hint) }
	ft := f.Type
	elemStruct := func(t reflect.Type) reflect.Type {
		if t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() == reflect.Struct {
			return t
		}
		return nil
	}
	switch ft.Kind() {
	case reflect.Struct:
		// an instrumented collection (collections.List[T]) names its
		// member type
		if c, ok := reflect.New(ft).Interface().(interface{ CollectionOf() reflect.Type }); ok {
			rel.Target, rel.Many, rel.Collection, rel.Instrumented = elemStruct(c.CollectionOf()), true, "slice", true
			if k, ok := c.(interface{ CollectionKind() string }); ok {
				rel.Collection = k.CollectionKind()
			}
		}
	case reflect.Pointer:
		rel.Target = elemStruct(ft)
		rel.Collection = ""
	case reflect.Slice:
		rel.Target, rel.Many, rel.Collection = elemStruct(ft.Elem()), true, "slice"
	case reflect.Map:
		rel.Many = true
		if ft.Elem().Kind() == reflect.Struct && ft.Elem().NumField() == 0 || ft.Elem().Kind() == reflect.Bool {
			rel.Target, rel.Collection = elemStruct(ft.Key()), "set"
		} else {
			rel.Target, rel.Collection = elemStruct(ft.Elem()), "map"
		}
	}
	if rel.Target == nil || isValueStruct(rel.Target) {
		fail(fmt.Sprintf("a relationship field must be *T, []*T, map[K]*T, map[*T]struct{} or map[*T]bool of a model struct T, not %s", ft), "declare e.g. `Addresses []*Address `orm:\"rel\"`` or `User *User `orm:\"rel\"``")
		return
	}
	if !rel.Instrumented {
		if msg, hint := valueCollection(ft, rel.Collection, rel.Target.Name()); msg != "" {
			fail(msg, hint)
			return
		}
	}
	orderingFromGiven := false
	for _, o := range opts {
		var err error
		switch o.name {
		case "rel":
			rel.TargetName = o.value
			if o.value != "" && o.value != rel.Target.Name() {
				fail(fmt.Sprintf("rel names target %q but the field holds %s", o.value, rel.Target.Name()), fmt.Sprintf("write rel:%s or just rel", rel.Target.Name()))
				return
			}
		case "back_populates":
			rel.BackPopulates = o.value
		case "secondary":
			rel.Secondary = o.value
		case "foreign_keys":
			rel.ForeignKeys = splitList(o.value)
		case "primaryjoin":
			rel.PrimaryJoin = unescapeCommas(o.value)
		case "secondaryjoin":
			rel.SecondaryJoin = unescapeCommas(o.value)
		case "remote_side":
			rel.RemoteSide = splitList(o.value)
		case "order_by":
			for _, it := range splitList(o.value) {
				fs := strings.Fields(it)
				if len(fs) == 0 || len(fs) > 2 || len(fs) == 2 && !strings.EqualFold(fs[1], "asc") && !strings.EqualFold(fs[1], "desc") {
					fail(fmt.Sprintf("bad order_by item %q", it), "write order_by:<Field>[ desc][,<Field>…]")
					return
				}
				rel.OrderBy = append(rel.OrderBy, OrderBy{Attr: fs[0], Desc: len(fs) == 2 && strings.EqualFold(fs[1], "desc")})
			}
		case "cascade":
			rel.Cascade, err = ParseCascade(o.value)
			rel.CascadeGiven = true
			if err != nil {
				fail(err.Error(), "write e.g. cascade:all,delete-orphan")
				return
			}
		case "lazy":
			if !slices.Contains(LazyStrategies, o.value) {
				msg := fmt.Sprintf("unknown lazy strategy %q", o.value)
				if c := Closest(o.value, LazyStrategies); c != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", c)
				}
				fail(msg, "known strategies: "+strings.Join(LazyStrategies, ", "))
				return
			}
			rel.Lazy = o.value
		case "uselist":
			var b bool
			b, err = parseBoolOpt(o)
			rel.UseList = &b
		case "viewonly":
			rel.ViewOnly, err = parseBoolOpt(o)
		case "passive_deletes":
			rel.PassiveDeletes, err = parseBoolOpt(o)
		case "post_update":
			rel.PostUpdate, err = parseBoolOpt(o)
		case "single_parent":
			rel.SingleParent, err = parseBoolOpt(o)
		case "collection":
			kind, key := o.value, ""
			if i := strings.IndexByte(kind, '('); i > 0 && strings.HasSuffix(kind, ")") {
				kind, key = kind[:i], strings.TrimSpace(kind[i+1:len(kind)-1])
			}
			want := map[string]string{"slice": "slice", "list": "slice", "set": "set", "map": "map"}[kind]
			if want == "" {
				fail(fmt.Sprintf("unknown collection kind %q", o.value), "write collection:slice, collection:set or collection:map(<KeyField>)")
				return
			}
			if want != rel.Collection {
				fail(fmt.Sprintf("collection:%s does not match the field's Go type %s (a %s)", kind, ft, orNone(rel.Collection)), "use []*T for slice, map[*T]struct{} or map[*T]bool for set, map[K]*T for map")
				return
			}
			if want == "map" {
				if key == "" {
					fail("collection:map needs the key field", "write collection:map(<KeyField>)")
					return
				}
				if _, ok := rel.Target.FieldByName(key); !ok {
					fail(fmt.Sprintf("collection key %q is not a field of %s", key, rel.Target.Name()), "name a field of the target")
					return
				}
				rel.CollectionKey = key
			}
		case "ordering":
			rel.Ordering = o.value
		case "ordering_from":
			n, perr := strconv.Atoi(o.value)
			if perr != nil {
				fail(fmt.Sprintf("ordering_from value %q is not an integer", o.value), "write ordering_from:0 or ordering_from:1")
				return
			}
			rel.OrderingFrom = n
			orderingFromGiven = true
		}
		if err != nil {
			fail(err.Error(), "write "+o.name+", "+o.name+":true or "+o.name+":false")
			return
		}
	}
	if rel.Collection == "map" && rel.CollectionKey == "" {
		fail("a map relationship needs its key field", "add collection:map(<KeyField>)")
		return
	}
	if rel.Collection == "write_only" {
		// a WriteOnly field is never loaded whole
		switch rel.Lazy {
		case "", "write_only":
			rel.Lazy = "write_only"
		default:
			fail(fmt.Sprintf("lazy:%s on a write-only collection, which is never loaded", rel.Lazy), "remove lazy (a collections.WriteOnly field is lazy:write_only), or declare the field as []*"+rel.Target.Name())
			return
		}
	}
	if orderingFromGiven && rel.Ordering == "" {
		fail("ordering_from without ordering", "add ordering:<Field> naming the target's position field")
		return
	}
	if rel.Ordering != "" {
		if rel.Collection != "slice" {
			fail(fmt.Sprintf("ordering on a %s relationship: ordering keeps each member's position in a slice collection", orNone(rel.Collection)), "declare the field as []*"+rel.Target.Name()+", or remove ordering")
			return
		}
		if _, ok := rel.Target.FieldByName(rel.Ordering); !ok {
			hint := "name an integer field of " + rel.Target.Name() + " that holds each member's position"
			if c := Closest(rel.Ordering, fieldNames(rel.Target)); c != "" {
				hint = fmt.Sprintf("did you mean ordering:%s?", c)
			}
			fail(fmt.Sprintf("ordering names %q, which is not a field of %s", rel.Ordering, rel.Target.Name()), hint)
			return
		}
	}
	if rel.UseList != nil {
		if !*rel.UseList && rel.Many {
			fail(fmt.Sprintf("uselist:false on a collection field of type %s", ft), "declare the field as *"+rel.Target.Name()+" for a scalar (one-to-one) relationship")
			return
		}
		if *rel.UseList && !rel.Many {
			fail(fmt.Sprintf("uselist:true on a scalar field of type %s", ft), "declare the field as []*"+rel.Target.Name())
			return
		}
	}
	if rel.SecondaryJoin != "" && rel.Secondary == "" {
		fail("secondaryjoin without secondary", "add secondary:<table>")
		return
	}
	if !rel.CascadeGiven {
		rel.Cascade = CascadeDefault
	}
	if rel.Lazy == "" {
		rel.Lazy = "select"
	}
	r.m.Relationships = append(r.m.Relationships, rel)
}

// valueCollection reports a collection field whose elements are values, not
// pointers: the session tracks each member by its address, and a slice of
// values moves its elements when it grows, a map copies them in and out.
// It returns the message and hint of the mistake, or "" when ft is fine.
func valueCollection(ft reflect.Type, kind, target string) (msg, hint string) {
	var elem reflect.Type
	var shown, want string
	switch kind {
	case "slice":
		elem = ft.Elem()
		shown, want = "[]"+target, "[]*"+target
	case "map":
		elem = ft.Elem()
		shown, want = "map["+ft.Key().String()+"]"+target, "map["+ft.Key().String()+"]*"+target
	case "set":
		elem = ft.Key()
		v := "bool"
		if ft.Elem().Kind() == reflect.Struct {
			v = "struct{}"
		}
		shown, want = "map["+target+"]"+v, "map[*"+target+"]"+v
	default:
		return "", ""
	}
	if elem.Kind() == reflect.Pointer {
		return "", ""
	}
	why := "moves its elements when it grows"
	if kind != "slice" {
		why = "copies its elements in and out"
	}
	return fmt.Sprintf("a relationship collection must hold pointers: %s %s, so the session could not track them", shown, why), "declare " + want
}

// fieldNames lists the exported field names of struct t, promoted fields
// included.
func fieldNames(t reflect.Type) []string {
	var out []string
	for _, f := range reflect.VisibleFields(t) {
		if f.IsExported() && !f.Anonymous {
			out = append(out, f.Name)
		}
	}
	return out
}

func orNone(s string) string {
	if s == "" {
		return "scalar"
	}
	return s
}

// ---------------------------------------------------------------- methods

var (
	tableItemsType = reflect.TypeOf([]core.TableItem(nil))
	mapperArgsType = reflect.TypeOf(MapperArgs{})
	stringType     = reflect.TypeOf("")
)

// ownMethod finds a method declared on t or *t itself (not promoted from an
// embedded field), and a function calling it on a zero value.
func ownMethod(t reflect.Type, name string) (reflect.Method, bool, bool) {
	auto := func(m reflect.Method) bool {
		f := runtime.FuncForPC(m.Func.Pointer())
		if f == nil {
			return false
		}
		file, _ := f.FileLine(m.Func.Pointer())
		return file == "<autogenerated>"
	}
	if m, ok := t.MethodByName(name); ok && !auto(m) {
		return m, true, true
	}
	if m, ok := reflect.PointerTo(t).MethodByName(name); ok && !auto(m) {
		return m, false, true
	}
	return reflect.Method{}, false, false
}

func callOwn(t reflect.Type, m reflect.Method, valueRecv bool) reflect.Value {
	recv := reflect.New(t)
	if valueRecv {
		recv = recv.Elem()
	}
	return m.Func.Call([]reflect.Value{recv})[0]
}

func checkSig(m reflect.Method, out reflect.Type) bool {
	ft := m.Type // includes the receiver
	return ft.NumIn() == 1 && ft.NumOut() == 1 && ft.Out(0) == out
}

func tableArgsMethod(t reflect.Type) (func() []core.TableItem, error) {
	m, val, ok := ownMethod(t, "TableArgs")
	if !ok {
		return nil, nil
	}
	if !checkSig(m, tableItemsType) {
		return nil, fmt.Errorf("method TableArgs has signature %s", sigString(m))
	}
	return func() []core.TableItem {
		return callOwn(t, m, val).Interface().([]core.TableItem)
	}, nil
}

func sigString(m reflect.Method) string {
	s := m.Type.String()
	// drop the receiver from "func(T, …)"
	if i := strings.IndexAny(s, ",)"); i > 0 && strings.HasPrefix(s, "func(") {
		rest := s[i:]
		if rest[0] == ',' {
			return "func(" + strings.TrimSpace(rest[1:])
		}
		return "func(" + rest
	}
	return s
}

func (r *reader) methods(t reflect.Type) error {
	m := r.m
	if meth, val, ok := ownMethod(t, "TableName"); ok {
		if !checkSig(meth, stringType) {
			return &MappingError{Struct: m.Name, Field: "TableName", Msg: fmt.Sprintf("method TableName has signature %s", sigString(meth)), Hint: "declare `func (" + m.Name + ") TableName() string`"}
		}
		name := callOwn(t, meth, val).String()
		if name == "" {
			return &MappingError{Struct: m.Name, Field: "TableName", Msg: "TableName() returned an empty name", Hint: "return the table's name"}
		}
		m.Table, m.TableFromMethod = name, true
	}
	fn, err := tableArgsMethod(t)
	if err != nil {
		return &MappingError{Struct: m.Name, Field: "TableArgs", Msg: err.Error(), Hint: "declare `func (" + m.Name + ") TableArgs() []core.TableItem`"}
	}
	if fn != nil {
		m.tableArgs = append(m.tableArgs, fn)
	}
	if meth, val, ok := ownMethod(t, "ColumnProperties"); ok {
		ft := meth.Type
		if ft.NumIn() != 3 || ft.In(1) != reflect.TypeOf((*core.Table)(nil)) || ft.In(2) != reflect.TypeOf((*core.MetaData)(nil)) || ft.NumOut() != 1 || ft.Out(0) != reflect.TypeOf(map[string]core.Expr(nil)) {
			return &MappingError{Struct: m.Name, Field: "ColumnProperties", Msg: fmt.Sprintf("method ColumnProperties has signature %s", sigString(meth)), Hint: "declare `func (" + m.Name + ") ColumnProperties(self *core.Table, md *core.MetaData) map[string]core.Expr`"}
		}
		m.colProps = func(self *core.Table, md *core.MetaData) map[string]core.Expr {
			recv := reflect.New(t)
			if val {
				recv = recv.Elem()
			}
			return meth.Func.Call([]reflect.Value{recv, reflect.ValueOf(self), reflect.ValueOf(md)})[0].Interface().(map[string]core.Expr)
		}
	}
	if len(m.Properties) > 0 && m.colProps == nil {
		for _, p := range m.Properties {
			if !p.QueryExpression {
				return &MappingError{Struct: m.Name, Field: p.Path, Tag: p.Tag, Msg: "a column_property field needs its expression", Hint: "declare `func (" + m.Name + ") ColumnProperties(self *core.Table, md *core.MetaData) map[string]core.Expr` returning it under the key \"" + p.Field + "\""}
			}
		}
	}
	if meth, val, ok := ownMethod(t, "MapperArgs"); ok {
		if !checkSig(meth, mapperArgsType) {
			return &MappingError{Struct: m.Name, Field: "MapperArgs", Msg: fmt.Sprintf("method MapperArgs has signature %s", sigString(meth)), Hint: "declare `func (" + m.Name + ") MapperArgs() declarative.MapperArgs`"}
		}
		a := callOwn(t, meth, val).Interface().(MapperArgs)
		if a.Kind != "" && !slices.Contains(InheritanceKinds, a.Kind) {
			return &MappingError{Struct: m.Name, Field: "MapperArgs", Msg: fmt.Sprintf("unknown inheritance kind %q", a.Kind), Hint: "use \"joined\", \"single\" or \"concrete\""}
		}
		if a.PolymorphicIdentity != "" && m.MapperArgs.PolymorphicIdentity != "" && a.PolymorphicIdentity != m.MapperArgs.PolymorphicIdentity {
			return &MappingError{Struct: m.Name, Field: "MapperArgs", Msg: fmt.Sprintf("PolymorphicIdentity %q disagrees with the tag's %q", a.PolymorphicIdentity, m.MapperArgs.PolymorphicIdentity), Hint: "declare the identity in one place"}
		}
		if a.PolymorphicIdentity == "" {
			a.PolymorphicIdentity = m.MapperArgs.PolymorphicIdentity
		}
		if a.PolymorphicLoad != "" && !slices.Contains(PolymorphicLoads, a.PolymorphicLoad) {
			return &MappingError{Struct: m.Name, Field: "MapperArgs", Msg: fmt.Sprintf("unknown PolymorphicLoad %q", a.PolymorphicLoad), Hint: "use \"inline\" or \"selectin\""}
		}
		if a.PolymorphicLoad == "" {
			a.PolymorphicLoad = m.MapperArgs.PolymorphicLoad
		}
		a.PolymorphicAbstract = a.PolymorphicAbstract || m.MapperArgs.PolymorphicAbstract
		m.MapperArgs = a
	}
	return nil
}

// ---------------------------------------------------------------- naming

// SnakeCase converts a Go name to snake_case, keeping initialisms together:
// UserID → user_id, HTTPServer → http_server, ID → id.
func SnakeCase(s string) string {
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		if unicode.IsUpper(r) {
			if i > 0 {
				prev := rs[i-1]
				nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
				if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
					b.WriteByte('_')
				}
			}
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Plural makes the English plural of a snake_case name's last word by the
// regular rules only: category → categories, address → addresses,
// box → boxes, post → posts (person → persons; use TableName() for
// irregular plurals).
func Plural(s string) string {
	if s == "" {
		return s
	}
	switch {
	case strings.HasSuffix(s, "y") && len(s) > 1 && !strings.ContainsRune("aeiou", rune(s[len(s)-2])):
		return s[:len(s)-1] + "ies"
	case strings.HasSuffix(s, "s"), strings.HasSuffix(s, "x"), strings.HasSuffix(s, "z"),
		strings.HasSuffix(s, "ch"), strings.HasSuffix(s, "sh"):
		return s + "es"
	}
	return s + "s"
}
