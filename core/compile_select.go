package core

import (
	"fmt"
)

// selectMode says where a SELECT is being rendered.
type selectMode uint8

const (
	modeTop  selectMode = iota // the statement itself
	modeFrom                   // a subquery in FROM, a CTE body: columns always labelled
	modeExpr                   // scalar subquery, EXISTS, IN (…): correlates to enclosing
)

// selectLabels computes, for each column of a SELECT, the name it is known
// by and the label to render after AS ("" for none). Unnamed expressions get
// anon_N (or <function>_N), duplicates <name>_N, a repeated column
// <name>__N, as SQLAlchemy does. Numbering is per SELECT.
func selectLabels(cols []Expr, labelPlain bool) (names, labels []string) {
	names = make([]string, len(cols))
	labels = make([]string, len(cols))
	used := make(map[string]Expr, len(cols))
	counts := map[string]int{}
	next := func(base, sep string) string {
		for {
			counts[base+sep]++
			n := base + sep + itoa(counts[base+sep])
			if _, taken := used[n]; !taken {
				return n
			}
		}
	}
	for i, e := range cols {
		name := exprName(e)
		_, isLabel := e.(*Label)
		switch {
		case name == "":
			base := "anon"
			if f, ok := e.(*FuncExpr); ok {
				base = f.name
			}
			name = next(base, "_")
			labels[i] = name
		default:
			if prev, dup := used[name]; dup {
				if prev == e {
					name = next(name, "__")
				} else {
					name = next(name, "_")
				}
				labels[i] = name
			} else if isLabel || labelPlain {
				labels[i] = name
			} else if _, isCast := e.(*CastExpr); isCast {
				labels[i] = name
			}
		}
		used[name] = e
		names[i] = name
	}
	return names, labels
}

func (c *Compiler) selectable(s Selectable, top bool) error {
	mode := modeExpr
	if top {
		mode = modeTop
	}
	return c.selectAs(s, mode)
}

func (c *Compiler) selectAs(s Selectable, mode selectMode) error {
	c.depth++
	defer func() { c.depth-- }()
	if c.depth > 200 {
		return &CompileError{Msg: "statement nesting is too deep (over 200 levels)"}
	}
	switch x := s.(type) {
	case *SelectStmt:
		return c.selectStmt(x, mode)
	case *CompoundSelect:
		return c.compound(x, mode)
	case nil:
		return &ArgumentError{Msg: "subquery statement is nil"}
	}
	return &UnsupportedCompilationError{Dialect: c.d.Name(), Construct: fmt.Sprintf("%T", s)}
}

// selectFroms returns the FROM elements a SELECT renders: explicit ones
// first, then those its columns and WHERE refer to; tables inside a join
// are not repeated; with correlate, elements of enclosing SELECTs are left
// out.
func (c *Compiler) selectFroms(s *SelectStmt, correlate bool) ([]FromClause, error) {
	var fs []FromClause
	for _, f := range s.froms {
		fs = addFrom(fs, f)
	}
	for _, e := range s.columns {
		fs = exprFroms(e, fs)
	}
	for _, e := range s.where {
		fs = exprFroms(e, fs)
	}
	if len(fs) == 0 {
		return nil, nil
	}
	fs = canonFroms(fs)
	// hide elements that are part of a join in the list
	var inJoins []FromClause
	for _, f := range fs {
		if j, ok := f.(*Join); ok {
			inJoins = fromLeaves(j, inJoins)
		}
	}
	out := fs[:0:0]
	for _, f := range fs {
		if _, isJoin := f.(*Join); !isJoin && containsFrom(inJoins, f) {
			continue
		}
		out = append(out, f)
	}
	if correlate && len(c.stack) > 0 {
		kept := out[:0:0]
		for _, f := range out {
			if c.enclosingHas(f) && (!s.corrSet || containsFrom(s.correlate, f)) {
				continue
			}
			kept = append(kept, f)
		}
		if len(kept) == 0 && len(out) > 0 {
			return nil, &CompileError{Msg: "a subquery returned no FROM clauses due to auto-correlation; use Correlate(...) to control correlation"}
		}
		out = kept
	}
	return out, nil
}

// canonFroms folds CTEs restated by a recursive Union onto the newest one.
func canonFroms(fs []FromClause) []FromClause {
	hasCTE := false
	for _, f := range fs {
		if _, ok := f.(*CTE); ok {
			hasCTE = true
			break
		}
	}
	if !hasCTE {
		return fs
	}
	out := make([]FromClause, 0, len(fs))
	for _, f := range fs {
		cte, ok := f.(*CTE)
		if !ok {
			out = append(out, f)
			continue
		}
		dup := false
		for i, o := range out {
			oc, ok := o.(*CTE)
			if !ok {
				continue
			}
			if restates(oc, cte) {
				dup = true
				break
			}
			if restates(cte, oc) {
				out[i] = cte
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, f)
		}
	}
	return out
}

// restates reports whether newer is older or restates it.
func restates(newer, older *CTE) bool {
	for n := newer; n != nil; n = n.restates {
		if n == older {
			return true
		}
	}
	return false
}

func containsFrom(list []FromClause, f FromClause) bool {
	for _, x := range list {
		if x == f {
			return true
		}
		if a, ok := x.(*CTE); ok {
			if b, ok := f.(*CTE); ok && (restates(a, b) || restates(b, a)) {
				return true
			}
		}
	}
	return false
}

func (c *Compiler) enclosingHas(f FromClause) bool {
	for i := len(c.stack) - 1; i >= 0; i-- {
		if containsFrom(c.stack[i].froms, f) {
			return true
		}
	}
	return false
}

func (c *Compiler) selectStmt(s *SelectStmt, mode selectMode) error {
	if s.err != nil {
		return s.err
	}
	if len(s.columns) == 0 {
		return &ArgumentError{Msg: "select has no columns"}
	}
	froms, err := c.selectFroms(s, mode == modeExpr)
	if err != nil {
		return err
	}
	frame := &selectFrame{}
	for _, f := range froms {
		frame.froms = fromLeaves(f, frame.froms)
		if _, ok := f.(*Join); ok {
			frame.froms = append(frame.froms, f)
		}
	}
	c.stack = append(c.stack, frame)
	defer func() { c.stack = c.stack[:len(c.stack)-1] }()

	c.buf = append(c.buf, "SELECT "...)
	if len(s.distinctOn) > 0 {
		if !c.feat.Has(FeatDistinctOn) {
			return c.Unsupported("DISTINCT ON")
		}
		c.buf = append(c.buf, "DISTINCT ON ("...)
		if err := c.WriteExprs(s.distinctOn, ", "); err != nil {
			return err
		}
		c.buf = append(c.buf, ") "...)
	} else if s.distinct {
		c.buf = append(c.buf, "DISTINCT "...)
	}
	if err := c.d.VisitSelectPrefix(c, s); err != nil {
		return err
	}
	_, labels := selectLabels(s.columns, mode == modeFrom)
	for i, col := range s.columns {
		if i > 0 {
			c.buf = append(c.buf, ", "...)
		}
		e := col
		if l, ok := col.(*Label); ok {
			e = l.expr
		}
		if err := c.expr(e); err != nil {
			return err
		}
		if labels[i] != "" {
			c.buf = append(c.buf, " AS "...)
			c.WriteIdent(labels[i])
		}
	}
	if len(froms) > 0 {
		c.buf = append(c.buf, " \nFROM "...)
		for i, f := range froms {
			if i > 0 {
				c.buf = append(c.buf, ", "...)
			}
			if err := c.fromElement(f); err != nil {
				return err
			}
		}
	} else if c.feat.Has(FeatFromDual) {
		c.buf = append(c.buf, " FROM DUAL"...)
	}
	if len(s.where) > 0 {
		if err := c.whereClause(s.where); err != nil {
			return err
		}
	}
	if len(s.groupBy) > 0 {
		c.buf = append(c.buf, " GROUP BY "...)
		if err := c.WriteExprs(s.groupBy, ", "); err != nil {
			return err
		}
	}
	if len(s.having) > 0 {
		c.buf = append(c.buf, " \nHAVING "...)
		if err := c.conditions(s.having); err != nil {
			return err
		}
	}
	if len(s.orderBy) > 0 {
		if err := c.orderByClause(s.orderBy); err != nil {
			return err
		}
	}
	if s.limit != nil || s.offset != nil {
		if err := c.d.VisitLimitOffset(c, s.limit, s.offset, s.orderBy); err != nil {
			return err
		}
	}
	if s.forUpdate != nil {
		if err := c.d.VisitForUpdate(c, s, s.forUpdate); err != nil {
			return err
		}
	}
	return nil
}

// whereClause writes " \nWHERE cond AND cond".
func (c *Compiler) whereClause(conds []Expr) error {
	c.buf = append(c.buf, " \nWHERE "...)
	return c.conditions(conds)
}

// WriteWhere writes the WHERE clause of a DML statement (" WHERE …").
func (c *Compiler) WriteWhere(conds []Expr) error {
	if len(conds) == 0 {
		return nil
	}
	c.buf = append(c.buf, " WHERE "...)
	return c.conditions(conds)
}

func (c *Compiler) conditions(conds []Expr) error {
	if len(conds) == 1 {
		return c.condition(conds[0], opComma)
	}
	for i, e := range conds {
		if i > 0 {
			c.buf = append(c.buf, " AND "...)
		}
		if err := c.condition(e, opAnd); err != nil {
			return err
		}
	}
	return nil
}

func (c *Compiler) orderByClause(order []Expr) error {
	c.buf = append(c.buf, " ORDER BY "...)
	for i, e := range order {
		if i > 0 {
			c.buf = append(c.buf, ", "...)
		}
		if err := c.orderItem(e); err != nil {
			return err
		}
	}
	return nil
}

// orderItem renders a label by its name, as SQLAlchemy does in ORDER BY.
func (c *Compiler) orderItem(e Expr) error {
	switch x := e.(type) {
	case *Label:
		c.WriteIdent(x.name)
		return nil
	case *UnaryExpr:
		if l, ok := x.operand.(*Label); ok {
			n := *x
			n.operand = LiteralColumn(c.identString(l.name), l.Type())
			n.self = &n
			return c.expr(&n)
		}
	}
	return c.expr(e)
}

func (c *Compiler) identString(name string) string {
	return string(c.d.AppendIdent(nil, name))
}

// WriteOrderBy writes " ORDER BY …" (for dialect hooks that move it).
func (c *Compiler) WriteOrderBy(order []Expr) error {
	if len(order) == 0 {
		return nil
	}
	return c.orderByClause(order)
}

func (c *Compiler) compound(s *CompoundSelect, mode selectMode) error {
	if s.err != nil {
		return s.err
	}
	switch s.op {
	case setIntersect, setExcept:
		if !c.feat.Has(FeatIntersectExcept) {
			return c.Unsupported(setOpText[s.op])
		}
	case setIntersectAll, setExceptAll:
		if !c.feat.Has(FeatIntersectExcept) || !c.feat.Has(FeatSetOpAll) {
			return c.Unsupported(setOpText[s.op])
		}
	}
	kw := c.d.CompoundKeyword(setOpText[s.op])
	for i, part := range s.selects {
		if i > 0 {
			c.buf = append(c.buf, ' ')
			c.buf = append(c.buf, kw...)
			c.buf = append(c.buf, ' ')
		}
		paren := false
		switch p := part.(type) {
		case *CompoundSelect:
			paren = true
		case *SelectStmt:
			paren = len(p.orderBy) > 0 || p.limit != nil || p.offset != nil
		}
		if paren {
			if !c.feat.Has(FeatSetOpParens) {
				return c.Unsupported("ORDER BY / LIMIT or a nested set operation inside " + setOpText[s.op])
			}
			c.buf = append(c.buf, '(')
		}
		m := mode
		if m == modeExpr {
			m = modeExpr
		}
		if err := c.selectAs(part, m); err != nil {
			return err
		}
		if paren {
			c.buf = append(c.buf, ')')
		}
	}
	if len(s.orderBy) > 0 {
		// A compound's ORDER BY names result columns: t.id would name a
		// table outside the SELECTs (SQLAlchemy renders id too).
		if err := c.Unqualified(func() error { return c.orderByClause(s.orderBy) }); err != nil {
			return err
		}
	}
	if s.limit != nil || s.offset != nil {
		if err := c.d.VisitLimitOffset(c, s.limit, s.offset, s.orderBy); err != nil {
			return err
		}
	}
	return nil
}

// ---------------------------------------------------------------- FROM

func (c *Compiler) aliasAS() {
	if c.feat.Has(FeatNoAliasAS) {
		c.buf = append(c.buf, ' ')
	} else {
		c.buf = append(c.buf, " AS "...)
	}
}

func (c *Compiler) fromElement(f FromClause) error {
	switch x := f.(type) {
	case *Table:
		c.WriteTable(x)
		return nil
	case *Alias:
		c.WriteTable(x.table)
		c.aliasAS()
		c.WriteIdent(c.aliasName(x))
		return nil
	case *Subquery:
		if x.lateral {
			if !c.feat.Has(FeatLateral) {
				return c.Unsupported("LATERAL")
			}
			c.buf = append(c.buf, "LATERAL "...)
		}
		c.buf = append(c.buf, '(')
		mode := modeFrom
		if x.lateral {
			// a lateral subquery correlates to the FROM elements before it
			if err := c.lateralBody(x); err != nil {
				return err
			}
		} else {
			saved := c.stack
			c.stack = nil
			err := c.selectAs(x.sel, mode)
			c.stack = saved
			if err != nil {
				return err
			}
		}
		c.buf = append(c.buf, ')')
		c.aliasAS()
		c.WriteIdent(c.subqueryName(x))
		return nil
	case *CTE:
		if err := c.registerCTE(x); err != nil {
			return err
		}
		c.WriteIdent(c.cteName(x))
		return nil
	case *Join:
		return c.join(x)
	case nil:
		return &ArgumentError{Msg: "nil FROM element"}
	}
	return &UnsupportedCompilationError{Dialect: c.d.Name(), Construct: fmt.Sprintf("%T", f)}
}

func (c *Compiler) lateralBody(x *Subquery) error {
	sel, ok := x.sel.(*SelectStmt)
	if !ok {
		return c.selectAs(x.sel, modeFrom)
	}
	// a lateral subquery correlates to the enclosing FROM list
	return c.selectStmtMode(sel, true)
}

func (c *Compiler) selectStmtMode(s *SelectStmt, lateral bool) error {
	if !lateral {
		return c.selectStmt(s, modeFrom)
	}
	// a lateral subquery: correlate (modeExpr) but label every column
	n := *s
	cols := make([]Expr, len(s.columns))
	names, labels := selectLabels(s.columns, true)
	for i, e := range s.columns {
		if labels[i] != "" {
			if l, ok := e.(*Label); ok {
				e = l.expr
			}
			cols[i] = newLabel(e, names[i])
		} else {
			cols[i] = e
		}
	}
	n.columns = cols
	return c.selectStmt(&n, modeExpr)
}

func (c *Compiler) join(j *Join) error {
	if err := c.fromElement(j.left); err != nil {
		return err
	}
	if j.kind == FullJoin && !c.feat.Has(FeatFullJoin) {
		return c.Unsupported("FULL OUTER JOIN")
	}
	c.buf = append(c.buf, ' ')
	c.buf = append(c.buf, c.d.JoinKeyword(j.kind)...)
	c.buf = append(c.buf, ' ')
	if rj, ok := j.right.(*Join); ok {
		c.buf = append(c.buf, '(')
		if err := c.join(rj); err != nil {
			return err
		}
		c.buf = append(c.buf, ')')
	} else if err := c.fromElement(j.right); err != nil {
		return err
	}
	if j.kind != CrossJoin {
		c.buf = append(c.buf, " ON "...)
		if err := c.condition(j.on, opComma); err != nil {
			return err
		}
	}
	return nil
}

func (c *Compiler) aliasName(a *Alias) string {
	if a.name != "" {
		return a.name
	}
	return c.AnonName(a, a.table.name)
}

func (c *Compiler) subqueryName(s *Subquery) string {
	if s.name != "" {
		return s.name
	}
	if s.anonBase != "" {
		return c.AnonName(s, s.anonBase)
	}
	return c.AnonName(s, "anon")
}

func (c *Compiler) cteName(x *CTE) string {
	for n := x; n != nil; n = n.restates {
		if n.name != "" {
			return n.name
		}
	}
	root := x
	for root.restates != nil {
		root = root.restates
	}
	return c.AnonName(root, "anon")
}

func (c *Compiler) writeFromName(f FromClause) error {
	switch x := f.(type) {
	case *Table:
		c.WriteTable(x)
	case *Alias:
		c.WriteIdent(c.aliasName(x))
	case *Subquery:
		c.WriteIdent(c.subqueryName(x))
	case *CTE:
		c.WriteIdent(c.cteName(x))
	default:
		return &CompileError{Msg: fmt.Sprintf("column qualified by %T", f)}
	}
	return nil
}

// registerCTE compiles a CTE's body the first time it is referenced, into
// its own buffer; the WITH clause is assembled in front of the statement.
func (c *Compiler) registerCTE(x *CTE) error {
	if !c.feat.Has(FeatCTE) {
		return c.Unsupported("common table expressions (WITH)")
	}
	name := c.cteName(x)
	if c.cteByName == nil {
		c.cteByName = map[string]*cteEntry{}
	}
	if e, ok := c.cteByName[name]; ok {
		if e.cte == x || restates(e.cte, x) {
			return nil
		}
		if restates(x, e.cte) {
			if e.done {
				return &CompileError{Msg: fmt.Sprintf("CTE %q: the anchor was rendered before its recursive form; select from the CTE returned by Union", name)}
			}
			return nil
		}
		return &CompileError{Msg: fmt.Sprintf("two different CTEs are named %q", name)}
	}
	e := &cteEntry{cte: x}
	c.cteByName[name] = e
	savedBuf, savedBinds, savedStack := c.buf, c.binds, c.stack
	c.buf, c.binds, c.stack = make([]byte, 0, 128), nil, nil
	err := c.selectAs(x.sel, modeFrom)
	e.text, e.binds = c.buf, c.binds
	c.buf, c.binds, c.stack = savedBuf, savedBinds, savedStack
	if err != nil {
		return err
	}
	e.done = true
	c.ctes = append(c.ctes, e)
	return nil
}

// withClause builds "WITH a AS \n(…), \nb AS \n(…)\n " and its binds.
func (c *Compiler) withClause() ([]byte, []*BindParam) {
	var b []byte
	var binds []*BindParam
	recursive := false
	for _, e := range c.ctes {
		if e.cte.recursive {
			recursive = true
		}
	}
	b = append(b, "WITH "...)
	if recursive && c.feat.Has(FeatRecursiveKeyword) {
		b = append(b, "RECURSIVE "...)
	}
	for i, e := range c.ctes {
		if i > 0 {
			b = append(b, ", \n"...)
		}
		b = c.d.AppendIdent(b, c.cteName(e.cte))
		if e.cte.recursive {
			b = append(b, '(')
			for k, col := range e.cte.columns {
				if k > 0 {
					b = append(b, ", "...)
				}
				b = c.d.AppendIdent(b, col.name)
			}
			b = append(b, ')')
		}
		b = append(b, " AS \n("...)
		b = append(b, e.text...)
		b = append(b, ')')
		binds = append(binds, e.binds...)
	}
	b = append(b, "\n "...)
	return b, binds
}
