package core

import (
	"fmt"
	"slices"
)

// FromClause is anything that can stand in a FROM list: a *Table, an
// *Alias, a *Join, a *Subquery or a *CTE.
type FromClause interface {
	Node
	fromClause()
}

// Selectable is a statement that returns rows and can be used as a subquery:
// *SelectStmt or *CompoundSelect.
type Selectable interface {
	Statement
	selectable()
	selectColumns() []Expr
}

// Statement is anything that can be compiled and executed: *SelectStmt,
// *CompoundSelect, *Insert, *Update, *Delete, *TextExpr and the DDL elements.
type Statement interface {
	Node
	statement()
}

// ---------------------------------------------------------------- alias

// Alias is a named (or anonymous) alias of a table: FROM users AS u.
type Alias struct {
	table   *Table
	name    string
	columns []*Column
	byName  map[string]*Column
}

func (*Alias) retortNode() {}
func (*Alias) fromClause() {}

func newAlias(t *Table, name string) *Alias {
	a := &Alias{table: t, name: name, byName: make(map[string]*Column, len(t.columns))}
	a.columns = make([]*Column, len(t.columns))
	for i, c := range t.columns {
		pc := proxyColumn(c, a)
		a.columns[i] = pc
		a.byName[c.name] = pc
		if c.key != "" {
			a.byName[c.key] = pc
		}
	}
	return a
}

func proxyColumn(c *Column, from FromClause) *Column {
	pc := &Column{}
	*pc = *c
	pc.self = pc
	pc.from = from
	pc.base = c
	pc.fkeys = nil
	return pc
}

// Name is the alias name ("" when anonymous).
func (a *Alias) Name() string { return a.name }

// Table is the aliased table.
func (a *Alias) Table() *Table { return a.table }

// C returns the alias's column for the table column of that name (nil if none).
func (a *Alias) C(name string) *Column { return a.byName[name] }

// Columns returns the alias's columns.
func (a *Alias) Columns() []*Column { return a.columns }

// ---------------------------------------------------------------- join

// JoinKind is the kind of a join.
type JoinKind uint8

// Join kinds.
const (
	InnerJoin JoinKind = iota
	LeftJoin
	FullJoin
	CrossJoin
)

// Join is left JOIN right ON cond.
type Join struct {
	left, right FromClause
	on          Expr
	kind        JoinKind
	// derived: on was computed from the foreign keys between left and
	// right, so it is a function of them (the cache key need not walk it).
	derived bool
}

func (*Join) retortNode() {}
func (*Join) fromClause() {}

// Left is the join's left side.
func (j *Join) Left() FromClause { return j.left }

// Right is the join's right side.
func (j *Join) Right() FromClause { return j.right }

// On is the join condition (nil for a cross join).
func (j *Join) On() Expr { return j.on }

// Kind is the join kind.
func (j *Join) Kind() JoinKind { return j.kind }

// NewJoin joins left to right on cond. A nil cond is derived from the
// foreign keys between the two sides; it is an error when there is no
// foreign key path or more than one.
func NewJoin(left, right FromClause, on Expr, kind JoinKind) (*Join, error) {
	derived := false
	if on == nil && kind != CrossJoin {
		var err error
		on, err = joinCondition(left, right)
		if err != nil {
			return nil, err
		}
		derived = true
	}
	return &Join{left: left, right: right, on: on, kind: kind, derived: derived}, nil
}

// tablesOf lists the tables (and aliases) reachable in a FROM element.
func fromLeaves(f FromClause, out []FromClause) []FromClause {
	if j, ok := f.(*Join); ok {
		out = fromLeaves(j.left, out)
		return fromLeaves(j.right, out)
	}
	return append(out, f)
}

func leafTable(f FromClause) (*Table, func(*Column) *Column) {
	switch x := f.(type) {
	case *Table:
		return x, func(c *Column) *Column { return c }
	case *Alias:
		return x.table, func(c *Column) *Column { return x.byName[c.name] }
	}
	return nil, nil
}

func fromName(f FromClause) string {
	switch x := f.(type) {
	case *Table:
		return x.Key()
	case *Alias:
		if x.name != "" {
			return x.name
		}
		return "alias of " + x.table.name
	case *Subquery:
		return "subquery " + x.name
	case *CTE:
		return "cte " + x.name
	case *Join:
		return "join"
	}
	return fmt.Sprintf("%T", f)
}

// joinCondition derives ON from foreign keys between the leaves of left and
// the right side, as SQLAlchemy's join_condition does.
func joinCondition(left, right FromClause) (Expr, error) {
	rt, rmap := leafTable(right)
	if rt == nil {
		return nil, &ArgumentError{Msg: fmt.Sprintf("can't derive a join condition to %s: give an ON clause", fromName(right))}
	}
	var found []Expr
	for _, lf := range fromLeaves(left, nil) {
		lt, lmap := leafTable(lf)
		if lt == nil {
			continue
		}
		var here []Expr
		// right -> left
		for _, fk := range rt.fks {
			if ref, err := fk.Referred(); err == nil && ref == lt {
				here = append(here, fkCond(fk, rt, rmap, lt, lmap, false))
			}
		}
		// left -> right
		if lt != rt {
			for _, fk := range lt.fks {
				if ref, err := fk.Referred(); err == nil && ref == rt {
					here = append(here, fkCond(fk, lt, lmap, rt, rmap, false))
				}
			}
		}
		if len(here) > 1 {
			return nil, &ArgumentError{Msg: fmt.Sprintf("can't determine a join between %s and %s: there are %d foreign key paths; give an ON clause", fromName(lf), fromName(right), len(here))}
		}
		if len(here) == 1 {
			found = append(found, here[0])
		}
	}
	switch len(found) {
	case 0:
		return nil, &ArgumentError{Msg: fmt.Sprintf("can't find any foreign key relationship between %s and %s; give an ON clause", fromName(left), fromName(right))}
	case 1:
		return found[0], nil
	}
	return nil, &ArgumentError{Msg: fmt.Sprintf("can't determine a join to %s: more than one table on the left has a foreign key path to it; give an ON clause", fromName(right))}
}

func fkCond(fk *ForeignKeyConstraint, from *Table, fmap func(*Column) *Column, to *Table, tmap func(*Column) *Column, _ bool) Expr {
	conds := make([]Expr, len(fk.Columns))
	for i := range fk.Columns {
		// SQLAlchemy renders referred = referring (parent.id = child.parent_id)
		conds[i] = tmap(to.byName[fk.RefColumns[i]]).Eq(fmap(from.byName[fk.Columns[i]]))
	}
	return And(conds...)
}

// ---------------------------------------------------------------- subquery, CTE

// Subquery is a SELECT used in FROM: (SELECT …) AS name.
type Subquery struct {
	sel     Selectable
	name    string
	lateral bool
	columns []*Column
	byName  map[string]*Column
	// anonBase names an anonymous subquery base_N at compile time
	// (anon_N when empty)
	anonBase string
}

// AnonSubquery makes s an anonymous subquery named base_1, base_2 … at
// compile time, numbered per statement (SQLAlchemy's pjoin_1 for a second
// reading of a polymorphic union).
func AnonSubquery(s Selectable, base string) *Subquery {
	sq := subqueryOf(s, "", false)
	sq.anonBase = base
	return sq
}

func (*Subquery) retortNode() {}
func (*Subquery) fromClause() {}

// Name is the subquery's alias ("" when anonymous).
func (s *Subquery) Name() string { return s.name }

// C returns the subquery's column of that name (its label or column name).
func (s *Subquery) C(name string) *Column { return s.byName[name] }

// Columns returns the subquery's exported columns.
func (s *Subquery) Columns() []*Column { return s.columns }

// Select is the subquery's statement.
func (s *Subquery) Select() Selectable { return s.sel }

func exportColumns(sel Selectable, from FromClause) ([]*Column, map[string]*Column) {
	cols := sel.selectColumns()
	out := make([]*Column, 0, len(cols))
	by := make(map[string]*Column, len(cols))
	for i, e := range cols {
		name := exprName(e)
		if name == "" {
			name = fmt.Sprintf("anon_%d", i+1)
		}
		if _, dup := by[name]; dup {
			name = fmt.Sprintf("%s_%d", name, i+1)
		}
		c := &Column{name: name, typ: e.Type(), from: from, subExpr: e, nullable: true, id: nextID()}
		if bc, ok := e.(*Column); ok {
			c.base = bc
			c.primaryKey = bc.primaryKey
			c.table = nil
		}
		c.self = c
		out = append(out, c)
		by[name] = c
	}
	return out, by
}

// exprName is the name a select column is known by: its label, or a
// column's name, or "" when it has none.
func exprName(e Expr) string {
	switch x := e.(type) {
	case *Label:
		return x.name
	case *Column:
		return x.name
	case *TextExpr:
		if x.column {
			return x.text
		}
	}
	return ""
}

// CTE is a common table expression: WITH name AS (SELECT …).
type CTE struct {
	sel       Selectable
	name      string
	recursive bool
	restates  *CTE
	columns   []*Column
	byName    map[string]*Column
}

func (*CTE) retortNode() {}
func (*CTE) fromClause() {}

// Name is the CTE's name.
func (c *CTE) Name() string { return c.name }

// C returns the CTE's column of that name.
func (c *CTE) C(name string) *Column { return c.byName[name] }

// Columns returns the CTE's columns.
func (c *CTE) Columns() []*Column { return c.columns }

// Recursive reports WITH RECURSIVE.
func (c *CTE) Recursive() bool { return c.recursive }

func newCTE(sel Selectable, name string, recursive bool) *CTE {
	c := &CTE{sel: sel, name: name, recursive: recursive}
	c.columns, c.byName = exportColumns(sel, c)
	return c
}

// Union makes a recursive CTE's body "anchor UNION recursive part". The
// parts refer to the CTE through its columns; the result restates the same
// CTE, so references to either one render the same name.
func (c *CTE) Union(parts ...Selectable) *CTE { return c.compound(setUnion, parts) }

// UnionAll is Union with UNION ALL.
func (c *CTE) UnionAll(parts ...Selectable) *CTE { return c.compound(setUnionAll, parts) }

func (c *CTE) compound(op setOp, parts []Selectable) *CTE {
	all := append([]Selectable{c.sel}, parts...)
	n := &CTE{sel: newCompound(op, all), name: c.name, recursive: c.recursive, restates: c}
	// the new CTE's own columns, so selecting n.C(…) reaches n (and its
	// whole body), not the anchor it restates
	n.columns = make([]*Column, len(c.columns))
	n.byName = make(map[string]*Column, len(c.byName))
	for i, col := range c.columns {
		pc := proxyColumn(col, n)
		n.columns[i] = pc
		n.byName[col.name] = pc
	}
	return n
}

// ---------------------------------------------------------------- select

// LockMode is FOR UPDATE / FOR SHARE.
type LockMode uint8

// Lock modes.
const (
	LockUpdate LockMode = iota + 1
	LockShare
	LockNoKeyUpdate
	LockKeyShare
)

// ForUpdateOptions configures SELECT … FOR UPDATE.
type ForUpdateOptions struct {
	Mode       LockMode // zero means LockUpdate
	NoWait     bool
	SkipLocked bool
	Of         []Node // tables or columns: FOR UPDATE OF …
}

// SelectStmt is a SELECT statement. Builder methods return a new SelectStmt; the
// receiver is never changed, so a SelectStmt can be shared and extended safely.
// A mistake made while building (a bad join, an unknown item) is kept and
// returned when the statement is compiled.
type SelectStmt struct {
	columns    []Expr
	froms      []FromClause
	where      []Expr
	groupBy    []Expr
	having     []Expr
	orderBy    []Expr
	limit      Expr
	offset     Expr
	distinct   bool
	distinctOn []Expr
	forUpdate  *ForUpdateOptions
	correlate  []FromClause
	corrSet    bool
	err        error
}

func (*SelectStmt) retortNode() {}
func (*SelectStmt) statement()  {}
func (*SelectStmt) selectable() {}

func (s *SelectStmt) selectColumns() []Expr { return s.columns }

// SelectItem is what Select accepts: an Expr, a typed column, or a FROM
// element (a table, alias, subquery or CTE) meaning all of its columns.
type SelectItem = Node

// Select starts a SELECT of the given columns (SQLAlchemy's select()).
// A table or alias selects all of its columns.
func Select(items ...SelectItem) *SelectStmt {
	s := &SelectStmt{}
	s.columns, s.err = expandItems(items, nil)
	return s
}

func expandItems(items []SelectItem, cols []Expr) ([]Expr, error) {
	cols = slices.Grow(cols, len(items))
	for i, it := range items {
		switch x := it.(type) {
		case Expr:
			cols = append(cols, x)
		case exprCarrier:
			cols = append(cols, x.unwrapExpr())
		case *Table:
			for _, c := range x.columns {
				cols = append(cols, c)
			}
		case *Alias:
			for _, c := range x.columns {
				cols = append(cols, c)
			}
		case *Subquery:
			for _, c := range x.columns {
				cols = append(cols, c)
			}
		case *CTE:
			for _, c := range x.columns {
				cols = append(cols, c)
			}
		case nil:
			return cols, &ArgumentError{Msg: fmt.Sprintf("select: item %d is nil", i+1)}
		default:
			return cols, &ArgumentError{Msg: fmt.Sprintf("select: item %d (%T) is not a column expression or FROM element", i+1, it)}
		}
	}
	return cols, nil
}

func (s *SelectStmt) clone() *SelectStmt {
	n := *s
	return &n
}

func appendCopy[T any](a []T, b ...T) []T {
	out := make([]T, 0, len(a)+len(b))
	out = append(out, a...)
	return append(out, b...)
}

// Err is the first error made while building the statement.
func (s *SelectStmt) Err() error { return s.err }

// Columns returns the statement's column expressions.
func (s *SelectStmt) Columns() []Expr { return s.columns }

// AddColumns returns s with more columns.
func (s *SelectStmt) AddColumns(items ...SelectItem) *SelectStmt {
	n := s.clone()
	var err error
	n.columns, err = expandItems(items, appendCopy(s.columns))
	if n.err == nil {
		n.err = err
	}
	return n
}

// Where adds conditions, joined with AND to any already there.
func (s *SelectStmt) Where(conds ...Expr) *SelectStmt {
	n := s.clone()
	n.where = appendCopy(s.where, conds...)
	return n
}

// WhereClause returns the WHERE conditions.
func (s *SelectStmt) WhereClause() []Expr { return s.where }

// From sets explicit FROM elements (SQLAlchemy's select_from), placed
// before those derived from the columns.
func (s *SelectStmt) From(froms ...FromClause) *SelectStmt {
	n := s.clone()
	n.froms = appendCopy(s.froms, froms...)
	return n
}

// Join joins target to the statement's leftmost FROM element (the last one
// joined, or the first table of its columns), ON cond or on the foreign key
// between them when cond is nil.
func (s *SelectStmt) Join(target FromClause, on Expr) *SelectStmt {
	return s.join(target, on, InnerJoin)
}

// OuterJoin is Join with LEFT OUTER JOIN.
func (s *SelectStmt) OuterJoin(target FromClause, on Expr) *SelectStmt {
	return s.join(target, on, LeftJoin)
}

// FullJoin is Join with FULL OUTER JOIN.
func (s *SelectStmt) FullJoin(target FromClause, on Expr) *SelectStmt {
	return s.join(target, on, FullJoin)
}

// JoinFrom joins left to right explicitly.
func (s *SelectStmt) JoinFrom(left, right FromClause, on Expr, kind JoinKind) *SelectStmt {
	n := s.clone()
	j, err := NewJoin(left, right, on, kind)
	if err != nil {
		if n.err == nil {
			n.err = err
		}
		return n
	}
	n.froms = replaceFrom(s.froms, left, j)
	return n
}

func replaceFrom(froms []FromClause, left FromClause, j *Join) []FromClause {
	out := make([]FromClause, 0, len(froms)+1)
	replaced := false
	for _, f := range froms {
		if f == left && !replaced {
			out = append(out, j)
			replaced = true
			continue
		}
		out = append(out, f)
	}
	if !replaced {
		out = append(out, j)
	}
	return out
}

func (s *SelectStmt) join(target FromClause, on Expr, kind JoinKind) *SelectStmt {
	var left FromClause
	if len(s.froms) > 0 {
		left = s.froms[len(s.froms)-1]
	} else {
		var fs []FromClause
		for _, c := range s.columns {
			fs = exprFroms(c, fs)
		}
		if len(fs) == 0 {
			n := s.clone()
			if n.err == nil {
				n.err = &ArgumentError{Msg: fmt.Sprintf("select: nothing to join %s from: add columns or a From first", fromName(target))}
			}
			return n
		}
		left = fs[0]
	}
	return s.JoinFrom(left, target, on, kind)
}

// GroupBy adds GROUP BY expressions.
func (s *SelectStmt) GroupBy(exprs ...Expr) *SelectStmt {
	n := s.clone()
	n.groupBy = appendCopy(s.groupBy, exprs...)
	return n
}

// Having adds HAVING conditions.
func (s *SelectStmt) Having(conds ...Expr) *SelectStmt {
	n := s.clone()
	n.having = appendCopy(s.having, conds...)
	return n
}

// OrderBy adds ORDER BY expressions (use .Desc(), .NullsLast() on them).
func (s *SelectStmt) OrderBy(exprs ...Expr) *SelectStmt {
	n := s.clone()
	n.orderBy = appendCopy(s.orderBy, exprs...)
	return n
}

// Limit sets LIMIT n (bound as a parameter).
func (s *SelectStmt) Limit(n int64) *SelectStmt {
	c := s.clone()
	c.limit = newBind("", n, Integer{}, true)
	return c
}

// Offset sets OFFSET n (bound as a parameter).
func (s *SelectStmt) Offset(n int64) *SelectStmt {
	c := s.clone()
	c.offset = newBind("", n, Integer{}, true)
	return c
}

// LimitExpr is the LIMIT expression (nil for none).
func (s *SelectStmt) LimitExpr() Expr { return s.limit }

// OffsetExpr is the OFFSET expression (nil for none).
func (s *SelectStmt) OffsetExpr() Expr { return s.offset }

// OrderByClause returns the ORDER BY expressions.
func (s *SelectStmt) OrderByClause() []Expr { return s.orderBy }

// Distinct makes it SELECT DISTINCT.
func (s *SelectStmt) Distinct() *SelectStmt {
	n := s.clone()
	n.distinct = true
	return n
}

// DistinctOn makes it SELECT DISTINCT ON (exprs) (PostgreSQL only; other
// dialects refuse to compile it).
func (s *SelectStmt) DistinctOn(exprs ...Expr) *SelectStmt {
	n := s.clone()
	n.distinct = true
	n.distinctOn = appendCopy(s.distinctOn, exprs...)
	return n
}

// IsDistinct reports SELECT DISTINCT; DistinctOnExprs the DISTINCT ON list.
func (s *SelectStmt) IsDistinct() bool { return s.distinct }

// DistinctOnExprs returns the DISTINCT ON expressions.
func (s *SelectStmt) DistinctOnExprs() []Expr { return s.distinctOn }

// ForUpdate adds a row-locking clause.
func (s *SelectStmt) ForUpdate(o ForUpdateOptions) *SelectStmt {
	n := s.clone()
	if o.Mode == 0 {
		o.Mode = LockUpdate
	}
	n.forUpdate = &o
	return n
}

// Locking returns the row-locking options (nil for none).
func (s *SelectStmt) Locking() *ForUpdateOptions { return s.forUpdate }

// Correlate names the enclosing FROM elements this statement correlates to
// when used as a subquery; with no arguments it correlates to nothing.
// Without a call, correlation is automatic (as in SQLAlchemy).
func (s *SelectStmt) Correlate(froms ...FromClause) *SelectStmt {
	n := s.clone()
	n.corrSet = true
	n.correlate = appendCopy(s.correlate, froms...)
	return n
}

// Subquery turns the statement into a FROM element named name ("" for an
// anonymous name assigned at compile time).
func (s *SelectStmt) Subquery(name string) *Subquery { return subqueryOf(s, name, false) }

// Lateral is Subquery rendered as LATERAL (…).
func (s *SelectStmt) Lateral(name string) *Subquery { return subqueryOf(s, name, true) }

func subqueryOf(s Selectable, name string, lateral bool) *Subquery {
	sq := &Subquery{sel: s, name: name, lateral: lateral}
	sq.columns, sq.byName = exportColumns(s, sq)
	return sq
}

// CTE turns the statement into a common table expression.
func (s *SelectStmt) CTE(name string, recursive bool) *CTE { return newCTE(s, name, recursive) }

// ScalarSubquery makes the statement a value: (SELECT …).
func (s *SelectStmt) ScalarSubquery() Expr {
	x := &ScalarSelect{stmt: s}
	x.self = x
	return x
}

// Exists is EXISTS (SELECT …).
func (s *SelectStmt) Exists() Expr { return Exists(s) }

// Union is s UNION others.
func (s *SelectStmt) Union(others ...Selectable) *CompoundSelect {
	return newCompound(setUnion, append([]Selectable{s}, others...))
}

// UnionAll is s UNION ALL others.
func (s *SelectStmt) UnionAll(others ...Selectable) *CompoundSelect {
	return newCompound(setUnionAll, append([]Selectable{s}, others...))
}

// Intersect is s INTERSECT others.
func (s *SelectStmt) Intersect(others ...Selectable) *CompoundSelect {
	return newCompound(setIntersect, append([]Selectable{s}, others...))
}

// IntersectAll is s INTERSECT ALL others.
func (s *SelectStmt) IntersectAll(others ...Selectable) *CompoundSelect {
	return newCompound(setIntersectAll, append([]Selectable{s}, others...))
}

// Except is s EXCEPT others.
func (s *SelectStmt) Except(others ...Selectable) *CompoundSelect {
	return newCompound(setExcept, append([]Selectable{s}, others...))
}

// ExceptAll is s EXCEPT ALL others.
func (s *SelectStmt) ExceptAll(others ...Selectable) *CompoundSelect {
	return newCompound(setExceptAll, append([]Selectable{s}, others...))
}

// ---------------------------------------------------------------- compound

type setOp uint8

const (
	setUnion setOp = iota + 1
	setUnionAll
	setIntersect
	setIntersectAll
	setExcept
	setExceptAll
)

var setOpText = [...]string{
	setUnion: "UNION", setUnionAll: "UNION ALL", setIntersect: "INTERSECT",
	setIntersectAll: "INTERSECT ALL", setExcept: "EXCEPT", setExceptAll: "EXCEPT ALL",
}

// CompoundSelect is SELECT … UNION / INTERSECT / EXCEPT [ALL] SELECT ….
type CompoundSelect struct {
	op      setOp
	selects []Selectable
	orderBy []Expr
	limit   Expr
	offset  Expr
	err     error
}

func (*CompoundSelect) retortNode() {}
func (*CompoundSelect) statement()  {}
func (*CompoundSelect) selectable() {}

func (c *CompoundSelect) selectColumns() []Expr {
	if len(c.selects) == 0 {
		return nil
	}
	return c.selects[0].selectColumns()
}

func newCompound(op setOp, sels []Selectable) *CompoundSelect {
	c := &CompoundSelect{op: op, selects: sels}
	n := -1
	for i, s := range sels {
		if s == nil {
			c.err = &ArgumentError{Msg: fmt.Sprintf("%s: part %d is nil", setOpText[op], i+1)}
			return c
		}
		k := len(s.selectColumns())
		if n >= 0 && k != n {
			c.err = &ArgumentError{Msg: fmt.Sprintf("%s: part %d has %d columns, part 1 has %d", setOpText[op], i+1, k, n)}
		}
		n = k
	}
	return c
}

// OrderBy orders the compound result.
func (c *CompoundSelect) OrderBy(exprs ...Expr) *CompoundSelect {
	n := *c
	n.orderBy = appendCopy(c.orderBy, exprs...)
	return &n
}

// Limit limits the compound result.
func (c *CompoundSelect) Limit(k int64) *CompoundSelect {
	n := *c
	n.limit = newBind("", k, Integer{}, true)
	return &n
}

// Offset offsets the compound result.
func (c *CompoundSelect) Offset(k int64) *CompoundSelect {
	n := *c
	n.offset = newBind("", k, Integer{}, true)
	return &n
}

// Subquery turns the compound into a FROM element.
func (c *CompoundSelect) Subquery(name string) *Subquery { return subqueryOf(c, name, false) }

// CTE turns the compound into a common table expression.
func (c *CompoundSelect) CTE(name string, recursive bool) *CTE { return newCTE(c, name, recursive) }

// ScalarSubquery makes the compound a value.
func (c *CompoundSelect) ScalarSubquery() Expr {
	x := &ScalarSelect{stmt: c}
	x.self = x
	return x
}

// ---------------------------------------------------------------- FROM derivation

// exprFroms appends the FROM elements an expression refers to (not looking
// into subqueries).
func exprFroms(e Node, out []FromClause) []FromClause {
	switch x := e.(type) {
	case *Column:
		if x.from != nil {
			return addFrom(out, x.from)
		}
	case *BinaryExpr:
		out = exprFroms(x.left, out)
		if x.right != nil {
			out = exprFroms(x.right, out)
		}
	case *UnaryExpr:
		out = exprFroms(x.operand, out)
	case *ClauseList:
		for _, it := range x.items {
			out = exprFroms(it, out)
		}
	case *Grouping:
		out = exprFroms(x.inner, out)
	case *Label:
		out = exprFroms(x.expr, out)
	case *CastExpr:
		out = exprFroms(x.expr, out)
	case *CaseExpr:
		if x.value != nil {
			out = exprFroms(x.value, out)
		}
		for _, w := range x.whens {
			out = exprFroms(w.Cond.(Expr), out)
			out = exprFroms(w.Result.(Expr), out)
		}
		if x.els != nil {
			out = exprFroms(x.els, out)
		}
	case *FuncExpr:
		for _, a := range x.args {
			out = exprFroms(a, out)
		}
		if x.filter != nil {
			out = exprFroms(x.filter, out)
		}
	case *OverExpr:
		out = exprFroms(x.fn, out)
		for _, p := range x.w.PartitionBy {
			out = exprFroms(p, out)
		}
		for _, p := range x.w.OrderBy {
			out = exprFroms(p, out)
		}
	case *InExpr:
		out = exprFroms(x.left, out)
		for _, v := range x.values {
			out = exprFroms(v, out)
		}
	case *BetweenExpr:
		out = exprFroms(x.expr, out)
		out = exprFroms(x.lo, out)
		out = exprFroms(x.hi, out)
	}
	return out
}

func addFrom(out []FromClause, f FromClause) []FromClause {
	for _, o := range out {
		if o == f {
			return out
		}
	}
	return append(out, f)
}

// Froms returns the statement's explicit FROM elements (tables, aliases,
// joins, subqueries), in order.
func (s *SelectStmt) Froms() []FromClause { return slices.Clone(s.froms) }

// FromContains reports whether target is f or one of the elements f
// joins.
func FromContains(f, target FromClause) bool {
	for _, l := range fromLeaves(f, nil) {
		if l == target {
			return true
		}
	}
	return false
}
