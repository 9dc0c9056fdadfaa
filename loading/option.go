package loading

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/registry"
)

// Strategy is how a relationship is loaded (SQLAlchemy's lazy= values and
// loader options).
type Strategy uint8

// Strategies. LazyDefault means "what the mapping says" (the relationship's
// lazy tag, select when it has none).
const (
	LazyDefault Strategy = iota
	// LazySelect leaves the relationship unloaded; the program loads it with an
	// explicit call (lazy="select").
	LazySelect
	// LazyJoined loads it in the same SELECT through a LEFT OUTER JOIN of an
	// anonymous alias (an inner JOIN with InnerJoin).
	LazyJoined
	// LazySelectIn loads it after the rows with one SELECT … WHERE key IN (…)
	// per 500 parents.
	LazySelectIn
	// LazySubquery loads it after the rows with one SELECT that joins the
	// target to the original query as a subquery.
	LazySubquery
	// LazyImmediate loads it after the rows with one SELECT per object.
	LazyImmediate
	// LazyRaise leaves it unloaded and makes loading it an error.
	LazyRaise
	// LazyRaiseOnSQL is LazyRaise only when loading needs SQL (a many-to-one
	// whose target is in the identity map loads).
	LazyRaiseOnSQL
	// LazyNoLoad sets it empty without SQL.
	LazyNoLoad
	// LazyWriteOnly marks a relationship that is never loaded whole.
	LazyWriteOnly
)

var strategyNames = [...]string{"default", "select", "joined", "selectin", "subquery", "immediate", "raise", "raise_on_sql", "noload", "write_only"}

// String is the strategy's lazy= name ("selectin", "joined" …).
func (s Strategy) String() string {
	if int(s) < len(strategyNames) {
		return strategyNames[s]
	}
	return fmt.Sprintf("Strategy(%d)", uint8(s))
}

// ParseStrategy turns a mapping's lazy value into a Strategy ("" and
// "select" are LazySelect; "dynamic" is LazyWriteOnly, its legacy form).
func ParseStrategy(lazy string) (Strategy, bool) {
	switch lazy {
	case "", "select":
		return LazySelect, true
	case "dynamic":
		return LazyWriteOnly, true
	}
	for i, n := range strategyNames {
		if i > 0 && n == lazy {
			return Strategy(i), true
		}
	}
	return LazyDefault, false
}

// Option is a loader option given to an ORM query (orm.Query.Options).
// Options are immutable values; building one never fails, and a mistake
// (a path that names no relationship of the entity it starts from, a
// strategy a relationship cannot take) is an error when the query is
// built, naming the path.
type Option interface {
	loaderOption()
}

// Load is a relationship loader option along a path of relationships
// from the query's entity: JoinedLoad("Orders").SelectInLoad("Items") loads the
// orders in the query's SELECT and their items with one more SELECT. A
// path element is a Go field name ("Orders") or the address of the field
// on the entity's probe value (&registry.Probe[User]().Orders), which the
// compiler checks. Column options on a Load (LoadOnly, Defer, Undefer)
// apply to the entity at its end.
type Load struct {
	parent   *Load
	elem     any // string or probe field pointer; "*" is the wildcard
	strategy Strategy
	inner    bool
	contains bool
	from     core.FromClause // ContainsEager's alias
	cols     []colOpt
	// noStrategy: the element only walks the path (DefaultLoad)
	noStrategy bool
	// poly: a Polymorphic option for the entity at the end of the path
	poly *Polymorphic
}

func (*Load) loaderOption() {}

type colKind uint8

const (
	colLoadOnly colKind = iota + 1
	colDefer
	colUndefer
	colUndeferGroup
	colRaise // defer with raiseload
)

type colOpt struct {
	kind   colKind
	fields []any // strings or probe pointers; the group name for colUndeferGroup
}

func start(elem any, s Strategy) *Load { return &Load{elem: elem, strategy: s} }

func (l *Load) chain(elem any, s Strategy) *Load {
	return &Load{parent: l, elem: elem, strategy: s}
}

// JoinedLoad loads the relationship in the query's SELECT through a LEFT
// OUTER JOIN of an anonymous alias (SQLAlchemy's joinedload).
func JoinedLoad(rel any) *Load { return start(rel, LazyJoined) }

// JoinedLoadInner is JoinedLoad with an inner JOIN (innerjoin=True): right when
// the relationship is never empty, and it drops parents that have none.
func JoinedLoadInner(rel any) *Load { l := start(rel, LazyJoined); l.inner = true; return l }

// SelectInLoad loads the relationship with one SELECT … WHERE key IN (…) per
// 500 parents after the rows are loaded (selectinload).
func SelectInLoad(rel any) *Load { return start(rel, LazySelectIn) }

// SubqueryLoad loads the relationship with one SELECT joining the target
// to the original query, wrapped as a subquery (subqueryload).
func SubqueryLoad(rel any) *Load { return start(rel, LazySubquery) }

// ImmediateLoad loads the relationship with one SELECT per object right
// after the rows are loaded (immediateload).
func ImmediateLoad(rel any) *Load { return start(rel, LazyImmediate) }

// LazyLoad leaves the relationship unloaded, for an explicit load later
// (lazyload).
func LazyLoad(rel any) *Load { return start(rel, LazySelect) }

// RaiseLoad leaves the relationship unloaded and makes loading it an
// error (raiseload). "*" applies to every relationship of the entity not
// named by another option.
func RaiseLoad(rel any) *Load { return start(rel, LazyRaise) }

// RaiseLoadOnSQL is RaiseLoad only where loading needs SQL
// (raiseload(sql_only=True)).
func RaiseLoadOnSQL(rel any) *Load { return start(rel, LazyRaiseOnSQL) }

// NoLoad sets the relationship empty without SQL (noload).
func NoLoad(rel any) *Load { return start(rel, LazyNoLoad) }

// DefaultLoad walks to a relationship without changing how it loads, to
// set options further along the path (defaultload).
func DefaultLoad(rel any) *Load { l := start(rel, LazyDefault); l.noStrategy = true; return l }

// ContainsEager populates the relationship from columns the query
// already selects through an explicit join (contains_eager): the query
// must join the relationship's target (Query.Join); From names the alias
// when it was joined through one.
func ContainsEager(rel any) *Load { l := start(rel, LazyJoined); l.contains = true; return l }

// JoinedLoad chains a joined load of rel from the entity at the end of l.
func (l *Load) JoinedLoad(rel any) *Load { return l.chain(rel, LazyJoined) }

// JoinedLoadInner chains an inner joined load.
func (l *Load) JoinedLoadInner(rel any) *Load {
	n := l.chain(rel, LazyJoined)
	n.inner = true
	return n
}

// SelectInLoad chains a selectin load.
func (l *Load) SelectInLoad(rel any) *Load { return l.chain(rel, LazySelectIn) }

// SubqueryLoad chains a subquery load.
func (l *Load) SubqueryLoad(rel any) *Load { return l.chain(rel, LazySubquery) }

// ImmediateLoad chains an immediate load.
func (l *Load) ImmediateLoad(rel any) *Load { return l.chain(rel, LazyImmediate) }

// LazyLoad chains a lazy load.
func (l *Load) LazyLoad(rel any) *Load { return l.chain(rel, LazySelect) }

// RaiseLoad chains a raise load ("*" for every other relationship).
func (l *Load) RaiseLoad(rel any) *Load { return l.chain(rel, LazyRaise) }

// NoLoad chains a noload.
func (l *Load) NoLoad(rel any) *Load { return l.chain(rel, LazyNoLoad) }

// DefaultLoad chains a step that keeps rel's strategy.
func (l *Load) DefaultLoad(rel any) *Load {
	n := l.chain(rel, LazyDefault)
	n.noStrategy = true
	return n
}

// ContainsEager chains a contains_eager step.
func (l *Load) ContainsEager(rel any) *Load {
	n := l.chain(rel, LazyJoined)
	n.contains = true
	return n
}

// From names the alias a ContainsEager step's target was joined through.
func (l *Load) From(alias core.FromClause) *Load {
	n := *l
	n.from = alias
	return &n
}

func (l *Load) withCols(k colKind, fields []any) *Load {
	n := *l
	n.cols = append(append([]colOpt(nil), l.cols...), colOpt{kind: k, fields: fields})
	return &n
}

// LoadOnly loads only the named column attributes (and the primary key)
// of the entity at the end of the path; the others are deferred.
func (l *Load) LoadOnly(fields ...any) *Load { return l.withCols(colLoadOnly, fields) }

// Defer leaves the named column attributes of the entity at the end of
// the path unloaded.
func (l *Load) Defer(fields ...any) *Load { return l.withCols(colDefer, fields) }

// Undefer loads the named deferred column attributes too.
func (l *Load) Undefer(fields ...any) *Load { return l.withCols(colUndefer, fields) }

// UndeferGroup loads the deferred columns of a deferral group.
func (l *Load) UndeferGroup(group string) *Load {
	return l.withCols(colUndeferGroup, []any{group})
}

// Columns is a column loading option for the query's entity (LoadOnly,
// Defer, Undefer, UndeferGroup at the top level).
type Columns struct {
	c colOpt
}

func (*Columns) loaderOption() {}

// LoadOnly loads only the named column attributes of the query's entity
// (with its primary key); the others are deferred (load_only).
func LoadOnly(fields ...any) *Columns { return &Columns{colOpt{colLoadOnly, fields}} }

// Defer leaves the named column attributes unloaded (defer).
func Defer(fields ...any) *Columns { return &Columns{colOpt{colDefer, fields}} }

// DeferRaise defers the named columns and makes loading them later an
// error (defer(..., raiseload=True)).
func DeferRaise(fields ...any) *Columns { return &Columns{colOpt{colRaise, fields}} }

// Undefer loads the named deferred column attributes (undefer).
func Undefer(fields ...any) *Columns { return &Columns{colOpt{colUndefer, fields}} }

// UndeferGroup loads the deferred columns of a group (undefer_group).
func UndeferGroup(group string) *Columns {
	return &Columns{colOpt{colUndeferGroup, []any{group}}}
}

// Expression supplies the SQL expression a query_expression attribute
// loads from in this query (SQLAlchemy's with_expression).
type Expression struct {
	field any
	expr  core.Expr
}

func (*Expression) loaderOption() {}

// WithExpression loads the query_expression attribute field (a Go field
// name or a probe field address) of the query's entity from expr, written
// against its table's columns. Without it such an attribute stays unloaded.
func WithExpression(field any, expr core.Expr) *Expression {
	return &Expression{field: field, expr: expr}
}

// Criteria adds criteria to every SELECT of an entity the query loads:
// its own rows, the joins of joined loading, and the SELECTs of selectin,
// subquery, immediate and later explicit loads of objects it loaded
// (SQLAlchemy's with_loader_criteria). Typical uses are soft deletion and
// multi-tenancy.
type Criteria struct {
	typ   any // a *T of the mapped type, resolved through the registry
	expr  core.Expr
	fn    func(m *registry.Mapper) core.Expr
	label string
}

func (*Criteria) loaderOption() {}

// WithLoaderCriteria adds cond, written against T's table columns, to
// every load of T. It applies to T's subtypes too.
func WithLoaderCriteria[T any](cond core.Expr) *Criteria {
	var zero *T
	return &Criteria{typ: zero, expr: cond, label: fmt.Sprintf("%T", zero)[1:]}
}

// WithLoaderCriteriaFunc adds fn(m)'s criteria to every load of each
// entity m for which fn returns non-nil: for a mixin's column shared by
// many models (a tenant id, a deleted flag).
func WithLoaderCriteriaFunc(fn func(m *registry.Mapper) core.Expr) *Criteria {
	return &Criteria{fn: fn, label: "func"}
}

// String describes a path for messages:
// JoinedLoad("Orders").SelectInLoad("Items").
func (l *Load) String() string { return l.describe(nil) }

// describe is String with probe field addresses named through reg.
func (l *Load) describe(reg *registry.Registry) string {
	var parts []string
	for x := l; x != nil; x = x.parent {
		name := "DefaultLoad"
		if !x.noStrategy {
			switch x.strategy {
			case LazyJoined:
				name = "JoinedLoad"
				if x.contains {
					name = "ContainsEager"
				} else if x.inner {
					name = "JoinedLoadInner"
				}
			case LazySelectIn:
				name = "SelectInLoad"
			case LazySubquery:
				name = "SubqueryLoad"
			case LazyImmediate:
				name = "ImmediateLoad"
			case LazySelect:
				name = "LazyLoad"
			case LazyRaise:
				name = "RaiseLoad"
			case LazyRaiseOnSQL:
				name = "RaiseLoadOnSQL"
			case LazyNoLoad:
				name = "NoLoad"
			}
		}
		parts = append(parts, fmt.Sprintf("%s(%s)", name, elemName(reg, x.elem)))
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, ".")
}

// elemName names a path element for messages: a quoted field name, or a
// probe field address as &Type.Field.
func elemName(reg *registry.Registry, e any) string {
	if t, ok := e.(*TypedRel); ok {
		return fmt.Sprintf("OfType[%s](%s)", t.Type.Name(), elemName(reg, t.Rel))
	}
	if s, ok := e.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	if reg != nil {
		if m, f, err := reg.ProbeField(e); err == nil {
			return "&" + m.Name() + "." + f
		}
	}
	return fmt.Sprintf("%T", e)
}

// Polymorphic is a query option choosing how a query of a hierarchy's
// base loads its subtypes' own tables (SQLAlchemy's with_polymorphic and
// selectin_polymorphic). Without it, each joined subtype loads as its
// mapping says (polymorphic_load, WithPolymorphic in MapperArgs);
// single-table subtypes' columns always come with the row.
type Polymorphic struct {
	selectIn bool
	types    []string
}

func (*Polymorphic) loaderOption() {}

// WithPolymorphic makes the query LEFT OUTER JOIN the tables of the named
// joined subtypes (Go type names; none or "*" for every subtype) and read
// their columns with the rows; other subtypes' columns load with one
// SELECT per subtype after the rows.
func WithPolymorphic(types ...string) *Polymorphic { return &Polymorphic{types: types} }

// SelectInPolymorphic makes the query read only the base's columns and
// load the named joined subtypes' own columns (none or "*": every
// subtype) with one SELECT … WHERE pk IN (…) per subtype present in the
// rows.
func SelectInPolymorphic(types ...string) *Polymorphic {
	return &Polymorphic{selectIn: true, types: types}
}

// WithPolymorphic applies WithPolymorphic to the entity at the end of l
// (the targets of its last relationship).
func (l *Load) WithPolymorphic(types ...string) *Load {
	c := *l
	c.poly = WithPolymorphic(types...)
	return &c
}

// SelectInPolymorphic applies SelectInPolymorphic to the entity at the
// end of l.
func (l *Load) SelectInPolymorphic(types ...string) *Load {
	c := *l
	c.poly = SelectInPolymorphic(types...)
	return &c
}

// PolyChoice is a resolved Polymorphic option: how the joined subtypes
// in Inline load (with the rows, through LEFT OUTER JOINs), every other
// one loading after the rows.
type PolyChoice struct {
	Inline map[*registry.Mapper]bool
	Key    string // identifies the choice (for caches)
}

// TypedRel is a relationship narrowed to one subtype of its target
// (SQLAlchemy's of_type): in a loader path, the options after it may name
// the subtype's relationships; in orm's Join, the join reads the
// subtype's rows. Make one with [OfType].
type TypedRel struct {
	Rel  any          // the relationship: a field name or a probe field address
	Type reflect.Type // the subtype's struct type
}

// OfType narrows rel (a field name or a probe field address) to the
// subtype S of its target: SelectInLoad(OfType[Engineer]("Employees")).
// SelectInLoad("Machines") loads the engineers' machines.
func OfType[S any](rel any) *TypedRel { return &TypedRel{Rel: rel, Type: reflect.TypeFor[S]()} }
