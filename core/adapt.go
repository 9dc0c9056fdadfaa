package core

// Column adaptation: SQLAlchemy's ClauseAdapter. The ORM renders the same
// condition against different FROM elements (a relationship's join
// condition against an anonymous alias for joined eager loading, a query's
// ORDER BY against the subquery that wraps a LIMITed query), so it
// rewrites an expression's column references rather than building the
// expression again.

// ReplaceColumns returns e with each column reference c replaced by fn(c)
// where fn returns a column (nil keeps c). Nodes are copied only on the
// path to a replaced column; e itself is never changed. Subqueries inside
// e (IN (SELECT …), scalar subqueries, EXISTS) are entered for their
// columns, WHERE, GROUP BY, HAVING and ORDER BY, so that a correlated
// subquery follows its outer table (their FROM lists are kept); custom
// constructs are not entered.
func ReplaceColumns(e Expr, fn func(*Column) *Column) Expr {
	if e == nil || fn == nil {
		return e
	}
	out, _ := replaceCols(e, fn)
	return out
}

func replaceCols(e Expr, fn func(*Column) *Column) (Expr, bool) {
	switch x := e.(type) {
	case *Column:
		if r := fn(x); r != nil && r != x {
			return r, true
		}
		return x, false
	case *BinaryExpr:
		l, cl := replaceCols(x.left, fn)
		r, cr := x.right, false
		if x.right != nil {
			r, cr = replaceCols(x.right, fn)
		}
		if !cl && !cr {
			return x, false
		}
		n := *x
		n.left, n.right = l, r
		n.self = &n
		return &n, true
	case *UnaryExpr:
		o, c := replaceCols(x.operand, fn)
		if !c {
			return x, false
		}
		n := *x
		n.operand = o
		n.self = &n
		return &n, true
	case *ClauseList:
		items, c := replaceList(x.items, fn)
		if !c {
			return x, false
		}
		n := *x
		n.items = items
		n.self = &n
		return &n, true
	case *Grouping:
		in, c := replaceCols(x.inner, fn)
		if !c {
			return x, false
		}
		n := *x
		n.inner = in
		n.self = &n
		return &n, true
	case *Label:
		in, c := replaceCols(x.expr, fn)
		if !c {
			return x, false
		}
		n := *x
		n.expr = in
		n.self = &n
		return &n, true
	case *CastExpr:
		in, c := replaceCols(x.expr, fn)
		if !c {
			return x, false
		}
		n := *x
		n.expr = in
		n.self = &n
		return &n, true
	case *CaseExpr:
		changed := false
		val := x.value
		if val != nil {
			var c bool
			val, c = replaceCols(val, fn)
			changed = changed || c
		}
		whens := make([]When, len(x.whens))
		for i, w := range x.whens {
			cond, c1 := replaceCols(w.Cond.(Expr), fn)
			res, c2 := replaceCols(w.Result.(Expr), fn)
			whens[i] = When{Cond: cond, Result: res}
			changed = changed || c1 || c2
		}
		els := x.els
		if els != nil {
			var c bool
			els, c = replaceCols(els, fn)
			changed = changed || c
		}
		if !changed {
			return x, false
		}
		n := *x
		n.value, n.whens, n.els = val, whens, els
		n.self = &n
		return &n, true
	case *FuncExpr:
		nf, c := replaceFunc(x, fn)
		if !c {
			return x, false
		}
		return nf, true
	case *OverExpr:
		f, c1 := replaceFunc(x.fn, fn)
		pb, c2 := replaceList(x.w.PartitionBy, fn)
		ob, c3 := replaceList(x.w.OrderBy, fn)
		if !c1 && !c2 && !c3 {
			return x, false
		}
		n := *x
		n.fn = f
		n.w.PartitionBy, n.w.OrderBy = pb, ob
		n.self = &n
		return &n, true
	case *InExpr:
		l, c1 := replaceCols(x.left, fn)
		vals, c2 := replaceList(x.values, fn)
		sub, c3 := x.sub, false
		if s, ok := x.sub.(*SelectStmt); ok {
			var ns *SelectStmt
			ns, c3 = s.replaceColumns(fn)
			sub = ns
		}
		if !c1 && !c2 && !c3 {
			return x, false
		}
		n := *x
		n.left, n.values, n.sub = l, vals, sub
		n.self = &n
		return &n, true
	case *ScalarSelect:
		s, ok := x.stmt.(*SelectStmt)
		if !ok {
			return x, false
		}
		ns, c := s.replaceColumns(fn)
		if !c {
			return x, false
		}
		n := *x
		n.stmt = ns
		n.self = &n
		return &n, true
	case *BetweenExpr:
		ex, c1 := replaceCols(x.expr, fn)
		lo, c2 := replaceCols(x.lo, fn)
		hi, c3 := replaceCols(x.hi, fn)
		if !c1 && !c2 && !c3 {
			return x, false
		}
		n := *x
		n.expr, n.lo, n.hi = ex, lo, hi
		n.self = &n
		return &n, true
	case exprCarrier:
		return replaceCols(x.unwrapExpr(), fn)
	}
	return e, false
}

func replaceFunc(x *FuncExpr, fn func(*Column) *Column) (*FuncExpr, bool) {
	args, c1 := replaceList(x.args, fn)
	filter, c2 := x.filter, false
	if filter != nil {
		filter, c2 = replaceCols(filter, fn)
	}
	if !c1 && !c2 {
		return x, false
	}
	n := *x
	n.args, n.filter = args, filter
	n.self = &n
	return &n, true
}

func replaceList(es []Expr, fn func(*Column) *Column) ([]Expr, bool) {
	var out []Expr
	for i, it := range es {
		r, c := replaceCols(it, fn)
		if c && out == nil {
			out = make([]Expr, len(es))
			copy(out, es[:i])
		}
		if out != nil {
			out[i] = r
		}
	}
	if out == nil {
		return es, false
	}
	return out, true
}

// derivesFrom reports whether c is b or proxies b (through aliases and
// subqueries).
func derivesFrom(c, b *Column) bool {
	for x := c; x != nil; x = x.base {
		if x == b {
			return true
		}
	}
	return false
}

// Corresponding returns the alias's column for c, a column of the aliased
// table (or nil).
func (a *Alias) Corresponding(c *Column) *Column {
	if c == nil || c.table != a.table || c.from != FromClause(a.table) {
		return nil
	}
	return a.byName[c.name]
}

// Adapt returns e with the aliased table's columns replaced by the
// alias's: a condition written against users renders against the alias.
func (a *Alias) Adapt(e Expr) Expr { return ReplaceColumns(e, a.Corresponding) }

// Corresponding returns the subquery's column that exports c: the column
// whose select expression is c, a label of c, or a column proxying c
// (nil when none does).
func (s *Subquery) Corresponding(c *Column) *Column {
	return correspondingIn(s.columns, c)
}

// Adapt returns e with the columns the subquery exports replaced by the
// subquery's columns: a query's WHERE or ORDER BY renders against the
// subquery that wraps it.
func (s *Subquery) Adapt(e Expr) Expr { return ReplaceColumns(e, s.Corresponding) }

// Corresponding returns the CTE's column that exports c (see
// Subquery.Corresponding).
func (c *CTE) Corresponding(col *Column) *Column { return correspondingIn(c.columns, col) }

func correspondingIn(cols []*Column, c *Column) *Column {
	if c == nil {
		return nil
	}
	for _, sc := range cols {
		if sc == c {
			return nil
		}
	}
	for _, sc := range cols {
		e := sc.subExpr
		if l, ok := e.(*Label); ok {
			e = l.expr
		}
		if ec, ok := e.(*Column); ok && derivesFrom(ec, c) {
			return sc
		}
	}
	return nil
}

// replaceColumns is ReplaceColumns over a SELECT's columns, WHERE, GROUP
// BY, HAVING and ORDER BY (not its FROM list).
func (s *SelectStmt) replaceColumns(fn func(*Column) *Column) (*SelectStmt, bool) {
	cols, c1 := replaceList(s.columns, fn)
	where, c2 := replaceList(s.where, fn)
	group, c3 := replaceList(s.groupBy, fn)
	having, c4 := replaceList(s.having, fn)
	order, c5 := replaceList(s.orderBy, fn)
	if !c1 && !c2 && !c3 && !c4 && !c5 {
		return s, false
	}
	n := s.clone()
	n.columns, n.where, n.groupBy, n.having, n.orderBy = cols, where, group, having, order
	// a table it correlates to is now read through what its columns map
	// to (an alias, a subquery)
	if len(s.correlate) > 0 {
		n.correlate = make([]FromClause, len(s.correlate))
		for i, f := range s.correlate {
			n.correlate[i] = f
			if t, ok := f.(*Table); ok && len(t.columns) > 0 {
				if r := fn(t.columns[0]); r != nil && r.from != nil {
					n.correlate[i] = r.from
				}
			}
		}
	}
	return n, true
}
