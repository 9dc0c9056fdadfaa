package core

import (
	"fmt"
	"strconv"
	"strings"
)

// Compiler turns a statement tree into SQL text and a bind plan for one
// dialect. There is one compiler for every dialect: it walks each node kind
// once and asks the dialect, through [Dialect] hooks, only where syntax
// differs. Dialect hooks and user [Construct]s write through its methods.
//
// A Compiler is used by one goroutine for one statement.
type Compiler struct {
	d    Dialect
	feat Features
	buf  []byte
	// binds emitted, in text order; the text holds a bindMarker for each.
	binds []*BindParam
	// literal renders bound values inline (debug / DDL).
	literal bool
	// unqualified renders columns without their table (DDL, INSERT lists).
	unqualified bool
	anon        map[any]string
	anonCount   map[string]int
	stack       []*selectFrame
	ctes        []*cteEntry
	cteByName   map[string]*cteEntry
	// depth guards against runaway recursion.
	depth int
	// identErr is the first identifier that cannot be rendered.
	identErr error
	// marks are what dialect hooks noted for later hooks (see Mark).
	marks map[any]struct{}
	// qualifyTable's columns are qualified by qualifyAs (see QualifyAs).
	qualifyTable *Table
	qualifyAs    string
}

type selectFrame struct {
	froms []FromClause // FROM elements rendered at this level (leaves of joins included)
}

type cteEntry struct {
	cte   *CTE
	text  []byte
	binds []*BindParam
	done  bool
}

// bindMarker stands for a bound parameter in the text until the final pass
// numbers the placeholders in text order.
const bindMarker = 0

func newCompiler(d Dialect) *Compiler {
	return &Compiler{d: d, feat: d.Features(), buf: make([]byte, 0, 256)}
}

// Dialect is the dialect being compiled for.
func (c *Compiler) Dialect() Dialect { return c.d }

// Features is the dialect's feature set.
func (c *Compiler) Features() Features { return c.feat }

// WriteString appends raw SQL text.
func (c *Compiler) WriteString(s string) { c.buf = append(c.buf, s...) }

// WriteByte appends one byte of raw SQL text.
func (c *Compiler) WriteByte(b byte) error { c.buf = append(c.buf, b); return nil }

// WriteInt appends an integer.
func (c *Compiler) WriteInt(n int64) { c.buf = strconv.AppendInt(c.buf, n, 10) }

// WriteIdent appends an identifier, quoted when the dialect needs it. A
// name with a NUL byte cannot be quoted faithfully by any database: the
// statement fails to compile, naming it.
func (c *Compiler) WriteIdent(name string) {
	if strings.IndexByte(name, 0) >= 0 && c.identErr == nil {
		c.identErr = &CompileError{Msg: fmt.Sprintf("identifier %q contains a NUL byte", name)}
	}
	c.buf = c.d.AppendIdent(c.buf, name)
}

// Unsupported returns the error for a construct the dialect cannot render.
func (c *Compiler) Unsupported(construct string) error {
	return &UnsupportedCompilationError{Dialect: c.d.Name(), Construct: construct}
}

// Literal reports whether bound values are being rendered inline.
func (c *Compiler) Literal() bool { return c.literal }

// WriteLiteral appends v as an SQL literal of type t.
func (c *Compiler) WriteLiteral(v any, t Type) error {
	b, err := c.d.AppendLiteral(c.buf, v, t)
	if err != nil {
		return err
	}
	c.buf = b
	return nil
}

// WriteTable appends a table's (schema-qualified) name.
func (c *Compiler) WriteTable(t *Table) {
	if t.schema != "" {
		c.WriteIdent(t.schema)
		c.buf = append(c.buf, '.')
	}
	c.WriteIdent(t.name)
}

// WriteColumn appends a column reference, qualified by its FROM element
// unless qualified is false.
func (c *Compiler) WriteColumn(col *Column, qualified bool) error {
	if qualified && !c.unqualified && col.from != nil {
		if c.qualifyTable != nil && col.from == FromClause(c.qualifyTable) {
			c.buf = append(c.buf, c.qualifyAs...)
		} else if err := c.writeFromName(col.from); err != nil {
			return err
		}
		c.buf = append(c.buf, '.')
	}
	c.WriteIdent(col.name)
	return nil
}

// WriteExpr compiles an expression.
func (c *Compiler) WriteExpr(e Expr) error { return c.expr(e) }

// WriteOperand compiles an expression as an operand of op, adding
// parentheses where precedence requires them.
func (c *Compiler) WriteOperand(e Expr, op Operator) error { return c.operand(e, op) }

// WriteExprs compiles expressions separated by sep.
func (c *Compiler) WriteExprs(es []Expr, sep string) error {
	for i, e := range es {
		if i > 0 {
			c.buf = append(c.buf, sep...)
		}
		if err := c.expr(e); err != nil {
			return err
		}
	}
	return nil
}

// WriteSelect compiles a nested SELECT (without parentheses).
func (c *Compiler) WriteSelect(s Selectable) error { return c.selectable(s, false) }

// WriteType appends a type's SQL name; forCast selects the CAST spelling.
func (c *Compiler) WriteType(t Type, forCast bool) error {
	s, err := c.d.TypeSQL(c, t, forCast)
	if err != nil {
		return err
	}
	c.buf = append(c.buf, s...)
	return nil
}

// Unqualified runs fn with column references rendered without their table
// (as in DDL and INSERT column lists).
func (c *Compiler) Unqualified(fn func() error) error {
	old := c.unqualified
	c.unqualified = true
	err := fn()
	c.unqualified = old
	return err
}

// AnonName returns the compile-time name of an anonymous element
// ("anon_1", "count_1" …), the same each time for the same element.
func (c *Compiler) AnonName(key any, base string) string {
	if n, ok := c.anon[key]; ok {
		return n
	}
	if c.anon == nil {
		c.anon = map[any]string{}
		c.anonCount = map[string]int{}
	}
	c.anonCount[base]++
	n := base + "_" + strconv.Itoa(c.anonCount[base])
	c.anon[key] = n
	return n
}

// ---------------------------------------------------------------- entry

func (c *Compiler) statement(st Statement) error {
	c.depth++
	defer func() { c.depth-- }()
	if c.depth > 200 {
		return &CompileError{Msg: "statement nesting is too deep (over 200 levels)"}
	}
	switch s := st.(type) {
	case *SelectStmt:
		return c.selectable(s, true)
	case *CompoundSelect:
		return c.selectable(s, true)
	case *InsertStmt:
		return c.insert(s)
	case *UpdateStmt:
		return c.update(s)
	case *DeleteStmt:
		return c.delete(s)
	case *TextExpr:
		return c.text(s)
	case DDLElement:
		return c.ddl(s)
	case nil:
		return &ArgumentError{Msg: "statement is nil"}
	}
	return &UnsupportedCompilationError{Dialect: c.d.Name(), Construct: fmt.Sprintf("%T", st)}
}

// ---------------------------------------------------------------- expressions

func (c *Compiler) expr(e Expr) error {
	switch x := e.(type) {
	case *Column:
		if x.from == nil && x.table == nil {
			c.WriteIdent(x.name)
			return nil
		}
		return c.WriteColumn(x, true)
	case *BindParam:
		return c.bind(x)
	case *BinaryExpr:
		return c.binary(x)
	case *ClauseList:
		return c.list(x)
	case *UnaryExpr:
		return c.unary(x)
	case *Label:
		// a label outside the columns clause renders its expression
		return c.expr(x.expr)
	case *Grouping:
		c.buf = append(c.buf, '(')
		if err := c.expr(x.inner); err != nil {
			return err
		}
		c.buf = append(c.buf, ')')
		return nil
	case *nullNode:
		c.buf = append(c.buf, "NULL"...)
		return nil
	case *boolConst:
		c.buf = c.d.AppendBool(c.buf, x.v)
		return nil
	case *LiteralExpr:
		return c.WriteLiteral(x.value, x.typ)
	case *TextExpr:
		return c.text(x)
	case *CastExpr:
		c.buf = append(c.buf, "CAST("...)
		if err := c.expr(x.expr); err != nil {
			return err
		}
		c.buf = append(c.buf, " AS "...)
		if err := c.WriteType(x.typ, true); err != nil {
			return err
		}
		c.buf = append(c.buf, ')')
		return nil
	case *CaseExpr:
		return c.caseExpr(x)
	case *FuncExpr:
		return c.function(x)
	case *OverExpr:
		return c.over(x)
	case *InExpr:
		return c.in(x)
	case *BetweenExpr:
		if err := c.operand(x.expr, opEq); err != nil {
			return err
		}
		if x.negate {
			c.buf = append(c.buf, " NOT BETWEEN "...)
		} else {
			c.buf = append(c.buf, " BETWEEN "...)
		}
		if err := c.operand(x.lo, opEq); err != nil {
			return err
		}
		c.buf = append(c.buf, " AND "...)
		return c.operand(x.hi, opEq)
	case *ScalarSelect:
		c.buf = append(c.buf, '(')
		if err := c.selectable(x.stmt, false); err != nil {
			return err
		}
		c.buf = append(c.buf, ')')
		return nil
	case *ExcludedExpr:
		return c.d.VisitExcluded(c, x.col)
	case *seqNext:
		if !c.feat.Has(FeatSequences) {
			return c.Unsupported("sequence next value")
		}
		return c.d.VisitNextValue(c, x.seq)
	case *CustomExpr:
		return x.c.CompileSQL(c)
	case nil:
		return &ArgumentError{Msg: "nil expression"}
	}
	if ec, ok := e.(exprCarrier); ok {
		return c.expr(ec.unwrapExpr())
	}
	return &UnsupportedCompilationError{Dialect: c.d.Name(), Construct: fmt.Sprintf("%T", e)}
}

func (c *Compiler) bind(b *BindParam) error {
	if c.literal {
		if !b.has {
			return &CompileError{Msg: fmt.Sprintf("literal rendering: parameter %q has no value", b.name)}
		}
		return c.WriteLiteral(b.value, b.typ)
	}
	c.buf = append(c.buf, bindMarker)
	c.binds = append(c.binds, b)
	return nil
}

func needsGroup(child Expr, parent opcode) bool {
	var op opcode
	switch x := child.(type) {
	case *BinaryExpr:
		op = x.op
		if op == opCollate {
			return false
		}
	case *ClauseList:
		if x.op == opComma {
			return false // tuples render their own parentheses
		}
		if len(x.items) < 2 {
			return false
		}
		op = x.op
	case *UnaryExpr:
		if x.op == opNot {
			op = opNot
		} else {
			return false
		}
	case *InExpr:
		op = opIn
	case *BetweenExpr:
		op = opEq
	default:
		return false
	}
	cp, pp := precedence(op), precedence(parent)
	if cp < pp {
		return true
	}
	if cp == pp {
		if op == parent && (op == opAnd || op == opOr || op == opAdd || op == opMul || op == opConcat) {
			return false
		}
		return true
	}
	return false
}

func (c *Compiler) operand(e Expr, parent opcode) error {
	if needsGroup(e, parent) {
		c.buf = append(c.buf, '(')
		if err := c.expr(e); err != nil {
			return err
		}
		c.buf = append(c.buf, ')')
		return nil
	}
	return c.expr(e)
}

func (c *Compiler) binary(b *BinaryExpr) error {
	switch b.op {
	case opIs, opIsNot:
		if _, isBool := b.right.(*boolConst); isBool {
			ok, err := c.d.VisitBinary(c, b.op, b.left, b.right)
			if ok || err != nil {
				return err
			}
		}
	case opConcat, opILike, opNotILike, opIsDistinctFrom, opIsNotDistinctFrom, opMod, opLike, opNotLike, opDiv:
		if b.escape == 0 {
			ok, err := c.d.VisitBinary(c, b.op, b.left, b.right)
			if ok || err != nil {
				return err
			}
		} else if b.op == opILike || b.op == opNotILike {
			// ILIKE with ESCAPE: let the dialect render the operator, then add ESCAPE
			ok, err := c.d.VisitBinary(c, b.op, b.left, b.right)
			if err != nil {
				return err
			}
			if ok {
				return c.escapeClause(b.escape)
			}
		}
	case opCollate:
		if err := c.operand(b.left, opCollate); err != nil {
			return err
		}
		c.buf = append(c.buf, " COLLATE "...)
		c.WriteIdent(b.custom)
		return nil
	}
	if err := c.operand(b.left, b.op); err != nil {
		return err
	}
	if b.op == opCustom {
		c.buf = append(c.buf, ' ')
		c.buf = append(c.buf, b.custom...)
		c.buf = append(c.buf, ' ')
	} else {
		c.buf = append(c.buf, opText[b.op]...)
	}
	if err := c.operand(b.right, b.op); err != nil {
		return err
	}
	if b.escape != 0 {
		return c.escapeClause(b.escape)
	}
	return nil
}

func (c *Compiler) escapeClause(esc rune) error {
	c.buf = append(c.buf, " ESCAPE "...)
	return c.WriteLiteral(string(esc), String{})
}

func (c *Compiler) list(l *ClauseList) error {
	if l.op == opComma {
		c.buf = append(c.buf, '(')
		for i, it := range l.items {
			if i > 0 {
				c.buf = append(c.buf, ", "...)
			}
			if err := c.expr(it); err != nil {
				return err
			}
		}
		c.buf = append(c.buf, ')')
		return nil
	}
	if len(l.items) == 0 {
		// empty AND is true, empty OR is false (SQLAlchemy's and_() / or_())
		if l.op == opAnd {
			return c.expr(True())
		}
		return c.expr(False())
	}
	for i, it := range l.items {
		if i > 0 {
			c.buf = append(c.buf, opText[l.op]...)
		}
		if err := c.condition(it, l.op); err != nil {
			return err
		}
	}
	return nil
}

// condition renders a boolean condition, turning bare booleans into x = 1
// on dialects that compare them.
func (c *Compiler) condition(e Expr, parent opcode) error {
	if c.feat.Has(FeatBooleanCompare) {
		switch x := e.(type) {
		case *Column, *FuncExpr:
			if typeAffinity(e.Type()) == affBoolean {
				if err := c.expr(x); err != nil {
					return err
				}
				c.buf = append(c.buf, " = 1"...)
				return nil
			}
		case *boolConst:
			// as SQLAlchemy: the dialect's constant compared with 1, so
			// 1 = 1 / 0 = 1 (SQLite, SQL Server, Oracle), true = 1 / false = 1 (MySQL)
			c.buf = c.d.AppendBool(c.buf, x.v)
			c.buf = append(c.buf, " = 1"...)
			return nil
		case *UnaryExpr:
			if x.op == opNot {
				if _, ok := x.operand.(*Column); ok && typeAffinity(x.operand.Type()) == affBoolean {
					if err := c.expr(x.operand); err != nil {
						return err
					}
					c.buf = append(c.buf, " = 0"...)
					return nil
				}
			}
		}
	}
	return c.operand(e, parent)
}

func (c *Compiler) unary(u *UnaryExpr) error {
	switch u.op {
	case opNot:
		if c.feat.Has(FeatBooleanCompare) {
			if col, ok := u.operand.(*Column); ok && typeAffinity(col.Type()) == affBoolean {
				if err := c.expr(col); err != nil {
					return err
				}
				c.buf = append(c.buf, " = 0"...)
				return nil
			}
		}
		c.buf = append(c.buf, "NOT "...)
		return c.notOperand(u.operand)
	case opNeg:
		c.buf = append(c.buf, '-')
		return c.operand(u.operand, opNeg)
	case opAsc, opDesc:
		if err := c.operand(u.operand, opComma); err != nil {
			return err
		}
		if u.op == opAsc {
			c.buf = append(c.buf, " ASC"...)
		} else {
			c.buf = append(c.buf, " DESC"...)
		}
		return nil
	case opNullsFirst, opNullsLast:
		if !c.feat.Has(FeatNullsOrdering) {
			return c.Unsupported("NULLS FIRST / NULLS LAST")
		}
		if err := c.expr(u.operand); err != nil {
			return err
		}
		if u.op == opNullsFirst {
			c.buf = append(c.buf, " NULLS FIRST"...)
		} else {
			c.buf = append(c.buf, " NULLS LAST"...)
		}
		return nil
	case opExists, opNotExists:
		if u.op == opNotExists {
			c.buf = append(c.buf, "NOT "...)
		}
		c.buf = append(c.buf, "EXISTS "...)
		return c.expr(u.operand)
	case opDistinct:
		c.buf = append(c.buf, "DISTINCT "...)
		return c.expr(u.operand)
	}
	return &CompileError{Msg: fmt.Sprintf("unknown unary operator %d", u.op)}
}

func (c *Compiler) notOperand(e Expr) error {
	switch x := e.(type) {
	case *Column, *BindParam, *FuncExpr, *ScalarSelect, *boolConst, *TextExpr:
		return c.expr(x)
	case *Grouping:
		return c.expr(x)
	case *UnaryExpr:
		if x.op == opExists || x.op == opNotExists {
			return c.expr(x)
		}
	}
	c.buf = append(c.buf, '(')
	if err := c.expr(e); err != nil {
		return err
	}
	c.buf = append(c.buf, ')')
	return nil
}

func (c *Compiler) in(x *InExpr) error {
	if x.sub == nil && len(x.values) == 0 {
		return c.d.VisitEmptyIn(c, x.left, x.negate)
	}
	tuple := false
	if l, ok := x.left.(*ClauseList); ok && l.op == opComma {
		if !c.feat.Has(FeatTupleIn) {
			return c.Unsupported("tuple IN")
		}
		tuple = true
	}
	if x.negate {
		c.buf = append(c.buf, '(')
	}
	if err := c.operand(x.left, opIn); err != nil {
		return err
	}
	if x.negate {
		c.buf = append(c.buf, " NOT IN ("...)
	} else {
		c.buf = append(c.buf, " IN ("...)
	}
	if x.sub != nil {
		if err := c.selectable(x.sub, false); err != nil {
			return err
		}
	} else {
		if tuple && c.feat.Has(FeatTupleInValues) {
			c.buf = append(c.buf, "VALUES "...)
		}
		for i, v := range x.values {
			if i > 0 {
				c.buf = append(c.buf, ", "...)
			}
			if err := c.expr(v); err != nil {
				return err
			}
		}
	}
	c.buf = append(c.buf, ')')
	if x.negate {
		c.buf = append(c.buf, ')')
	}
	return nil
}

func (c *Compiler) caseExpr(x *CaseExpr) error {
	c.buf = append(c.buf, "CASE "...)
	if x.value != nil {
		if err := c.expr(x.value); err != nil {
			return err
		}
		c.buf = append(c.buf, ' ')
	}
	for _, w := range x.whens {
		c.buf = append(c.buf, "WHEN "...)
		cond := w.Cond.(Expr)
		if x.value == nil {
			// SQLAlchemy groups each WHEN condition: WHEN (a = b) THEN
			if needsGroup(cond, opNot) || isComparison(cond) {
				c.buf = append(c.buf, '(')
				if err := c.expr(cond); err != nil {
					return err
				}
				c.buf = append(c.buf, ')')
			} else if err := c.condition(cond, opComma); err != nil {
				return err
			}
		} else if err := c.expr(cond); err != nil {
			return err
		}
		c.buf = append(c.buf, " THEN "...)
		if err := c.expr(w.Result.(Expr)); err != nil {
			return err
		}
		c.buf = append(c.buf, ' ')
	}
	if x.els != nil {
		c.buf = append(c.buf, "ELSE "...)
		if err := c.expr(x.els); err != nil {
			return err
		}
		c.buf = append(c.buf, ' ')
	}
	c.buf = append(c.buf, "END"...)
	return nil
}

func isComparison(e Expr) bool {
	switch x := e.(type) {
	case *BinaryExpr:
		return precedence(x.op) == 5
	case *InExpr, *BetweenExpr:
		return true
	}
	return false
}

func (c *Compiler) function(f *FuncExpr) error {
	if f.filter != nil && !c.feat.Has(FeatFilterClause) {
		return c.Unsupported("aggregate FILTER (WHERE …)")
	}
	ok, err := c.d.VisitFunc(c, f)
	if err != nil {
		return err
	}
	if !ok {
		if err := c.WriteFuncCall(f.name, f); err != nil {
			return err
		}
	}
	if f.filter != nil {
		c.buf = append(c.buf, " FILTER (WHERE "...)
		if err := c.expr(f.filter); err != nil {
			return err
		}
		c.buf = append(c.buf, ')')
	}
	return nil
}

// Args returns the function's arguments.
func (f *FuncExpr) Args() []Expr { return f.args }

// IsStar reports count(*).
func (f *FuncExpr) IsStar() bool { return f.star }

// WriteFuncCall writes name(args…) for f (name may differ from f's own, as
// dialects rename functions).
func (c *Compiler) WriteFuncCall(name string, f *FuncExpr) error {
	c.buf = append(c.buf, name...)
	c.buf = append(c.buf, '(')
	if f.star {
		c.buf = append(c.buf, '*')
	}
	for i, a := range f.args {
		if i > 0 {
			c.buf = append(c.buf, ", "...)
		}
		if err := c.expr(a); err != nil {
			return err
		}
	}
	c.buf = append(c.buf, ')')
	return nil
}

func (c *Compiler) over(o *OverExpr) error {
	if !c.feat.Has(FeatWindowFunctions) {
		return c.Unsupported("window functions (OVER)")
	}
	if err := c.function(o.fn); err != nil {
		return err
	}
	c.buf = append(c.buf, " OVER ("...)
	sp := false
	if len(o.w.PartitionBy) > 0 {
		c.buf = append(c.buf, "PARTITION BY "...)
		if err := c.WriteExprs(o.w.PartitionBy, ", "); err != nil {
			return err
		}
		sp = true
	}
	if len(o.w.OrderBy) > 0 {
		if sp {
			c.buf = append(c.buf, ' ')
		}
		c.buf = append(c.buf, "ORDER BY "...)
		if err := c.WriteExprs(o.w.OrderBy, ", "); err != nil {
			return err
		}
		sp = true
	}
	for _, fr := range []struct {
		kw string
		f  *Frame
	}{{"ROWS", o.w.Rows}, {"RANGE", o.w.Range}} {
		if fr.f == nil {
			continue
		}
		if sp {
			c.buf = append(c.buf, ' ')
		}
		c.buf = append(c.buf, fr.kw...)
		c.buf = append(c.buf, " BETWEEN "...)
		c.frameBound(fr.f.Start, "PRECEDING")
		c.buf = append(c.buf, " AND "...)
		c.frameBound(fr.f.End, "FOLLOWING")
		sp = true
	}
	c.buf = append(c.buf, ')')
	return nil
}

func (c *Compiler) frameBound(n *int, unbounded string) {
	switch {
	case n == nil:
		c.buf = append(c.buf, "UNBOUNDED "...)
		c.buf = append(c.buf, unbounded...)
	case *n == 0:
		c.buf = append(c.buf, "CURRENT ROW"...)
	case *n < 0:
		c.buf = strconv.AppendInt(c.buf, int64(-*n), 10)
		c.buf = append(c.buf, " PRECEDING"...)
	default:
		c.buf = strconv.AppendInt(c.buf, int64(*n), 10)
		c.buf = append(c.buf, " FOLLOWING"...)
	}
}

// text renders a TextExpr, turning :name into bound parameters.
func (c *Compiler) text(t *TextExpr) error {
	s := t.text
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch == 0 {
			return &CompileError{Msg: "text() contains a NUL byte"}
		}
		if t.column {
			c.buf = append(c.buf, ch)
			continue
		}
		if ch == '\\' && i+1 < len(s) && s[i+1] == ':' {
			c.buf = append(c.buf, ':')
			i++
			continue
		}
		if ch == ':' && i+1 < len(s) && s[i+1] == ':' {
			c.buf = append(c.buf, "::"...)
			i++
			continue
		}
		if ch == ':' && i+1 < len(s) && isIdentStart(s[i+1]) {
			j := i + 1
			for j < len(s) && isIdentPart(s[j]) {
				j++
			}
			name := s[i+1 : j]
			if err := c.bind(t.param(name)); err != nil {
				return err
			}
			i = j - 1
			continue
		}
		c.buf = append(c.buf, ch)
	}
	return nil
}

// param returns the bind node for :name in a text() (made when the text
// was built, so the key walk and the compiler see the same parameters).
func (t *TextExpr) param(name string) *BindParam {
	if b, ok := t.params[name]; ok {
		return b
	}
	return newBind(name, nil, NullType{}, false)
}

func isIdentStart(b byte) bool {
	return b == '_' || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')
}

func isIdentPart(b byte) bool { return isIdentStart(b) || (b >= '0' && b <= '9') }

// BoolConstant reports whether e is the constant True() or False(), and which.
func BoolConstant(e Expr) (value, ok bool) {
	b, ok := e.(*boolConst)
	if !ok {
		return false, false
	}
	return b.v, true
}

// WriteIsBoolean renders x IS [NOT] true/false for dialects whose IS takes
// only NULL (SQL Server, Oracle): x IS true is x = 1, x IS false is x = 0,
// and the negations also accept NULL: x IS NOT true is (x = 0 OR x IS NULL).
func (c *Compiler) WriteIsBoolean(left Expr, negate, value bool) error {
	want := value != negate
	if negate {
		c.buf = append(c.buf, '(')
	}
	if err := c.operand(left, opEq); err != nil {
		return err
	}
	if want {
		c.buf = append(c.buf, " = 1"...)
	} else {
		c.buf = append(c.buf, " = 0"...)
	}
	if negate {
		c.buf = append(c.buf, " OR "...)
		if err := c.operand(left, opIs); err != nil {
			return err
		}
		c.buf = append(c.buf, " IS NULL)"...)
	}
	return nil
}
