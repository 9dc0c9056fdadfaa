package core

import (
	"strings"
)

// Node is any piece of a statement tree: expressions, FROM clauses,
// statements and DDL. The set of node kinds is closed (Node has an unexported
// method); user-defined SQL constructs enter through [Custom].
type Node interface {
	retortNode()
	// keyInto writes the node's part of the statement cache key.
	keyInto(k *KeyWriter)
}

// Expr is an SQL expression that produces a value (SQLAlchemy's
// ColumnElement): a column, a bound value, an operator applied to other
// expressions, a function call, a CASE, a scalar subquery …
//
// Operators are methods. Go values given to them are bound as parameters,
// typed after the expression they are compared with; an Expr argument is used
// as it is. Every Expr is immutable: operators return new nodes.
type Expr interface {
	Node
	// Type is the SQL type of the expression's value.
	Type() Type

	Eq(v any) Expr
	Ne(v any) Expr
	Lt(v any) Expr
	Le(v any) Expr
	Gt(v any) Expr
	Ge(v any) Expr
	// Is renders IS (for NULL and booleans); IsNot renders IS NOT.
	Is(v any) Expr
	IsNot(v any) Expr
	IsNull() Expr
	IsNotNull() Expr
	IsDistinctFrom(v any) Expr
	IsNotDistinctFrom(v any) Expr
	// In takes values, one *SelectStmt / subquery (x IN (SELECT …)), or nothing
	// (an empty IN, which is always false).
	In(vs ...any) Expr
	NotIn(vs ...any) Expr
	Between(lo, hi any) Expr
	NotBetween(lo, hi any) Expr
	Like(pattern any) Expr
	NotLike(pattern any) Expr
	ILike(pattern any) Expr
	NotILike(pattern any) Expr
	// LikeEscape is LIKE with an ESCAPE character.
	LikeEscape(pattern any, escape rune) Expr
	// Contains, StartsWith and EndsWith build LIKE patterns around a bound
	// string. The value's own % and _ (and the escape character) are
	// escaped with '/', so the value always matches literally (SQLAlchemy's
	// autoescape=True; a deliberate default here).
	Contains(s string) Expr
	StartsWith(s string) Expr
	EndsWith(s string) Expr
	Add(v any) Expr
	Sub(v any) Expr
	Mul(v any) Expr
	Div(v any) Expr
	Mod(v any) Expr
	// Concat is string concatenation (|| , concat() or + by dialect).
	Concat(v any) Expr
	Neg() Expr
	// Op applies a custom binary operator, rendered as written.
	Op(operator string, v any) Expr
	Collate(collation string) Expr
	Asc() Expr
	Desc() Expr
	NullsFirst() Expr
	NullsLast() Expr
	Label(name string) *Label
	Cast(t Type) Expr

	exprBase() *ops
}

// ops carries the operator methods every expression has. self is the
// expression that embeds it, set by the node's constructor.
type ops struct {
	self Expr
}

func (o *ops) exprBase() *ops { return o }
func (*ops) retortNode()      {}

func (o *ops) Eq(v any) Expr    { return compare(o.self, opEq, v) }
func (o *ops) Ne(v any) Expr    { return compare(o.self, opNe, v) }
func (o *ops) Lt(v any) Expr    { return compare(o.self, opLt, v) }
func (o *ops) Le(v any) Expr    { return compare(o.self, opLe, v) }
func (o *ops) Gt(v any) Expr    { return compare(o.self, opGt, v) }
func (o *ops) Ge(v any) Expr    { return compare(o.self, opGe, v) }
func (o *ops) Is(v any) Expr    { return compare(o.self, opIs, v) }
func (o *ops) IsNot(v any) Expr { return compare(o.self, opIsNot, v) }
func (o *ops) IsNull() Expr     { return newBinary(o.self, opIs, Null(), Boolean{}) }
func (o *ops) IsNotNull() Expr  { return newBinary(o.self, opIsNot, Null(), Boolean{}) }
func (o *ops) IsDistinctFrom(v any) Expr {
	return compare(o.self, opIsDistinctFrom, v)
}
func (o *ops) IsNotDistinctFrom(v any) Expr {
	return compare(o.self, opIsNotDistinctFrom, v)
}
func (o *ops) In(vs ...any) Expr    { return newIn(o.self, false, vs) }
func (o *ops) NotIn(vs ...any) Expr { return newIn(o.self, true, vs) }
func (o *ops) Between(lo, hi any) Expr {
	return newBetween(o.self, lo, hi, false)
}
func (o *ops) NotBetween(lo, hi any) Expr {
	return newBetween(o.self, lo, hi, true)
}
func (o *ops) Like(p any) Expr     { return newLike(o.self, opLike, p, 0) }
func (o *ops) NotLike(p any) Expr  { return newLike(o.self, opNotLike, p, 0) }
func (o *ops) ILike(p any) Expr    { return newLike(o.self, opILike, p, 0) }
func (o *ops) NotILike(p any) Expr { return newLike(o.self, opNotILike, p, 0) }
func (o *ops) LikeEscape(p any, esc rune) Expr {
	return newLike(o.self, opLike, p, esc)
}
func (o *ops) Contains(s string) Expr {
	return newLikeAffix(o.self, s, true, true)
}
func (o *ops) StartsWith(s string) Expr {
	return newLikeAffix(o.self, s, false, true)
}
func (o *ops) EndsWith(s string) Expr {
	return newLikeAffix(o.self, s, true, false)
}
func (o *ops) Add(v any) Expr { return arith(o.self, opAdd, v) }
func (o *ops) Sub(v any) Expr { return arith(o.self, opSub, v) }
func (o *ops) Mul(v any) Expr { return arith(o.self, opMul, v) }
func (o *ops) Div(v any) Expr { return arith(o.self, opDiv, v) }
func (o *ops) Mod(v any) Expr { return arith(o.self, opMod, v) }
func (o *ops) Concat(v any) Expr {
	return newBinary(o.self, opConcat, coerce(v, o.self.Type()), o.self.Type())
}
func (o *ops) Neg() Expr { return newUnary(opNeg, o.self, o.self.Type()) }
func (o *ops) Op(operator string, v any) Expr {
	b := newBinary(o.self, opCustom, coerce(v, o.self.Type()), o.self.Type())
	b.custom = operator
	return b
}
func (o *ops) Collate(collation string) Expr {
	b := newBinary(o.self, opCollate, nil, o.self.Type())
	b.custom = collation
	return b
}
func (o *ops) Asc() Expr        { return newUnary(opAsc, o.self, o.self.Type()) }
func (o *ops) Desc() Expr       { return newUnary(opDesc, o.self, o.self.Type()) }
func (o *ops) NullsFirst() Expr { return newUnary(opNullsFirst, o.self, o.self.Type()) }
func (o *ops) NullsLast() Expr  { return newUnary(opNullsLast, o.self, o.self.Type()) }
func (o *ops) Label(name string) *Label {
	return newLabel(o.self, name)
}
func (o *ops) Cast(t Type) Expr { return Cast(o.self, t) }

// operator codes
type opcode uint8

const (
	opNone opcode = iota
	opEq
	opNe
	opLt
	opLe
	opGt
	opGe
	opIs
	opIsNot
	opIsDistinctFrom
	opIsNotDistinctFrom
	opLike
	opNotLike
	opILike
	opNotILike
	opAdd
	opSub
	opMul
	opDiv
	opMod
	opConcat
	opCustom
	opCollate
	opAnd
	opOr
	opComma
	opNot
	opNeg
	opAsc
	opDesc
	opNullsFirst
	opNullsLast
	opExists
	opNotExists
	opDistinct
	opIn
	opNotIn
)

var opText = [...]string{
	opEq: " = ", opNe: " != ", opLt: " < ", opLe: " <= ", opGt: " > ", opGe: " >= ",
	opIs: " IS ", opIsNot: " IS NOT ",
	opIsDistinctFrom: " IS DISTINCT FROM ", opIsNotDistinctFrom: " IS NOT DISTINCT FROM ",
	opLike: " LIKE ", opNotLike: " NOT LIKE ", opILike: " ILIKE ", opNotILike: " NOT ILIKE ",
	opAdd: " + ", opSub: " - ", opMul: " * ", opDiv: " / ", opMod: " % ", opConcat: " || ",
	opAnd: " AND ", opOr: " OR ", opComma: ", ",
	opIn: " IN ", opNotIn: " NOT IN ",
}

// precedence, higher binds tighter (after SQLAlchemy's operators._PRECEDENCE)
func precedence(op opcode) int {
	switch op {
	case opNeg:
		return 9
	case opConcat:
		return 8 // SQLAlchemy puts concat with * and /
	case opMul, opDiv, opMod:
		return 8
	case opAdd, opSub:
		return 7
	case opCollate:
		return 9
	case opEq, opNe, opLt, opLe, opGt, opGe, opIs, opIsNot, opIsDistinctFrom, opIsNotDistinctFrom,
		opLike, opNotLike, opILike, opNotILike, opIn, opNotIn, opCustom:
		return 5
	case opNot:
		return 4
	case opAnd:
		return 3
	case opOr:
		return 2
	case opComma:
		return 0
	}
	return 10
}

// coerce turns a Go value into an expression: an Expr stays as it is, a
// *SelectStmt becomes a scalar subquery, nil becomes NULL, anything else a bound
// parameter typed t.
func coerce(v any, t Type) Expr {
	switch x := v.(type) {
	case Expr:
		return x
	case nil:
		return Null()
	case exprCarrier:
		return x.unwrapExpr()
	case *SelectStmt:
		return x.ScalarSubquery()
	case *CompoundSelect:
		return x.ScalarSubquery()
	}
	return newBind("", v, t, true)
}

// coerceNamed is coerce with the bind named after the column compared
// against (used by String() output: users.id = :id_1).
func coerceNamed(v any, left Expr) Expr {
	e := coerce(v, left.Type())
	if b, ok := e.(*BindParam); ok && b.name == "" {
		if col, ok := left.(*Column); ok {
			b.name = col.Key()
		}
	}
	return e
}

// exprCarrier is implemented by typed wrappers ([Col]) that carry an Expr.
type exprCarrier interface {
	unwrapExpr() Expr
}

// AsExpr returns the expression behind v: v itself for an Expr, the column
// for a typed [Col], or a bound parameter for a plain Go value.
func AsExpr(v any) Expr { return coerce(v, nil) }

func compare(left Expr, op opcode, v any) Expr {
	right := coerceNamed(v, left)
	if bv, ok := v.(bool); ok && (op == opIs || op == opIsNot) {
		// IS takes the TRUE / FALSE keywords, not a parameter: x IS $1 is
		// a syntax error on PostgreSQL and MySQL.
		right = False()
		if bv {
			right = True()
		}
	}
	if _, isNull := right.(*nullNode); isNull {
		switch op {
		case opEq:
			op = opIs
		case opNe:
			op = opIsNot
		}
	}
	return newBinary(left, op, right, Boolean{})
}

func arith(left Expr, op opcode, v any) Expr {
	right := coerce(v, left.Type())
	t := left.Type()
	if isNullType(t) {
		t = right.Type()
	}
	if op == opAdd && typeAffinity(t) == affString {
		op = opConcat
	}
	if op == opDiv && typeAffinity(t) == affInteger {
		// integer / integer is a decimal on MySQL and Oracle and an
		// integer elsewhere: typed Numeric, as SQLAlchemy 2.0's true
		// division, it reads back exactly on every backend
		t = Numeric{}
	}
	return newBinary(left, op, right, t)
}

// ---------------------------------------------------------------- nodes

// BinaryExpr is left OP right.
type BinaryExpr struct {
	ops
	left, right Expr
	op          opcode
	typ         Type
	custom      string // custom operator text or collation
	escape      rune   // LIKE … ESCAPE
}

func newBinary(l Expr, op opcode, r Expr, t Type) *BinaryExpr {
	b := &BinaryExpr{left: l, right: r, op: op, typ: t}
	b.self = b
	return b
}

// Type implements Expr.
func (b *BinaryExpr) Type() Type { return b.typ }

// Operator is the binary operator (for dialect hooks, e.g. to flatten a
// chain of concatenations).
func (b *BinaryExpr) Operator() Operator { return b.op }

// Operands returns the left and right operands.
func (b *BinaryExpr) Operands() (left, right Expr) { return b.left, b.right }

// UnaryExpr is an operator applied to one expression: NOT x, -x, x DESC,
// EXISTS (…), DISTINCT x.
type UnaryExpr struct {
	ops
	op      opcode
	operand Expr
	typ     Type
}

func newUnary(op opcode, e Expr, t Type) *UnaryExpr {
	u := &UnaryExpr{op: op, operand: e, typ: t}
	u.self = u
	return u
}

// Type implements Expr.
func (u *UnaryExpr) Type() Type { return u.typ }

// ClauseList is a list of expressions joined by AND, OR or a comma (a tuple).
type ClauseList struct {
	ops
	op    opcode
	items []Expr
}

// Type implements Expr.
func (l *ClauseList) Type() Type {
	if l.op == opComma {
		return NullType{}
	}
	return Boolean{}
}

// TupleItems returns the items of a tuple made by [Tuple], and nil for an
// AND / OR list.
func (l *ClauseList) TupleItems() []Expr {
	if l.op != opComma {
		return nil
	}
	return l.items
}

func newList(op opcode, items []Expr) *ClauseList {
	l := &ClauseList{op: op, items: items}
	l.self = l
	return l
}

// And joins conditions with AND. Nested ANDs are flattened; And() with no
// conditions is an empty list that renders nothing where a WHERE clause is
// built, and true elsewhere.
func And(conds ...Expr) Expr { return conjunction(opAnd, conds) }

// Or joins conditions with OR.
func Or(conds ...Expr) Expr { return conjunction(opOr, conds) }

func conjunction(op opcode, conds []Expr) Expr {
	items := make([]Expr, 0, len(conds))
	for _, c := range conds {
		if c == nil {
			continue
		}
		if l, ok := c.(*ClauseList); ok && l.op == op {
			items = append(items, l.items...)
			continue
		}
		items = append(items, c)
	}
	if len(items) == 1 {
		return items[0]
	}
	return newList(op, items)
}

// Tuple is a row value (a, b, c), usable in comparisons and tuple IN.
func Tuple(items ...any) Expr {
	es := make([]Expr, len(items))
	for i, it := range items {
		es[i] = coerce(it, nil)
	}
	return newList(opComma, es)
}

// Not negates a condition: NOT x (or the inverse operator where there is one,
// as SQLAlchemy does: NOT (a = b) renders a != b).
func Not(e Expr) Expr {
	if b, ok := e.(*BinaryExpr); ok {
		if inv, ok := inverse[b.op]; ok && b.escape == 0 {
			nb := *b
			nb.op = inv
			nb.self = &nb
			return &nb
		}
	}
	if u, ok := e.(*UnaryExpr); ok {
		switch u.op {
		case opNot:
			return u.operand
		case opExists:
			return newUnary(opNotExists, u.operand, Boolean{})
		case opNotExists:
			return newUnary(opExists, u.operand, Boolean{})
		}
	}
	if in, ok := e.(*InExpr); ok {
		n := *in
		n.negate = !in.negate
		n.self = &n
		return &n
	}
	if bt, ok := e.(*BetweenExpr); ok {
		n := *bt
		n.negate = !bt.negate
		n.self = &n
		return &n
	}
	return newUnary(opNot, e, Boolean{})
}

var inverse = map[opcode]opcode{
	opEq: opNe, opNe: opEq, opLt: opGe, opGe: opLt, opGt: opLe, opLe: opGt,
	opIs: opIsNot, opIsNot: opIs, opIsDistinctFrom: opIsNotDistinctFrom,
	opIsNotDistinctFrom: opIsDistinctFrom, opLike: opNotLike, opNotLike: opLike,
	opILike: opNotILike, opNotILike: opILike,
}

// Distinct renders DISTINCT x, as in count(DISTINCT x).
func Distinct(e Expr) Expr { return newUnary(opDistinct, e, e.Type()) }

// Exists renders EXISTS (subquery).
func Exists(s Selectable) Expr {
	return newUnary(opExists, &ScalarSelect{stmt: s, exists: true}, Boolean{})
}

// InExpr is x IN (…) / x NOT IN (…): a list of values, an empty list, or a
// subquery.
type InExpr struct {
	ops
	left   Expr
	values []Expr
	sub    Selectable
	negate bool
}

// Type implements Expr.
func (*InExpr) Type() Type { return Boolean{} }

func newIn(left Expr, negate bool, vs []any) Expr {
	in := &InExpr{left: left, negate: negate}
	in.self = in
	if len(vs) == 1 {
		switch s := vs[0].(type) {
		case *SelectStmt:
			in.sub = s
			return in
		case *CompoundSelect:
			in.sub = s
			return in
		case *Subquery:
			in.sub = s.sel
			return in
		}
	}
	var elemTypes []Type
	if l, ok := left.(*ClauseList); ok && l.op == opComma {
		elemTypes = make([]Type, len(l.items))
		for i, it := range l.items {
			elemTypes[i] = it.Type()
		}
	}
	in.values = make([]Expr, 0, len(vs))
	for _, v := range vs {
		if elemTypes != nil {
			if tup, ok := v.([]any); ok {
				items := make([]Expr, len(tup))
				for i, x := range tup {
					var et Type
					if i < len(elemTypes) {
						et = elemTypes[i]
					}
					items[i] = coerce(x, et)
				}
				in.values = append(in.values, newList(opComma, items))
				continue
			}
		}
		in.values = append(in.values, coerceNamed(v, left))
	}
	return in
}

// BetweenExpr is x BETWEEN lo AND hi.
type BetweenExpr struct {
	ops
	expr, lo, hi Expr
	negate       bool
}

// Type implements Expr.
func (*BetweenExpr) Type() Type { return Boolean{} }

func newBetween(e Expr, lo, hi any, negate bool) Expr {
	b := &BetweenExpr{expr: e, lo: coerce(lo, e.Type()), hi: coerce(hi, e.Type()), negate: negate}
	b.self = b
	return b
}

func newLike(left Expr, op opcode, p any, esc rune) Expr {
	b := newBinary(left, op, coerce(p, String{}), Boolean{})
	b.escape = esc
	return b
}

// likeEscapeChar is the escape character Contains/StartsWith/EndsWith use.
const likeEscapeChar = '/'

func escapeLike(s string) string {
	if !strings.ContainsAny(s, "%_/") {
		return s
	}
	var sb strings.Builder
	for _, r := range s {
		if r == '%' || r == '_' || r == likeEscapeChar {
			sb.WriteRune(likeEscapeChar)
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

func newLikeAffix(left Expr, s string, pre, post bool) Expr {
	var pat Expr = newBind("", escapeLike(s), String{}, true)
	if pre {
		pat = newBinary(Literal("%"), opConcat, pat, String{})
	}
	if post {
		pat = newBinary(pat, opConcat, Literal("%"), String{})
	}
	b := newBinary(left, opLike, pat, Boolean{})
	b.escape = likeEscapeChar
	// parenthesised, as SQLAlchemy renders contains/startswith/endswith
	return Group(b)
}

// Grouping wraps an expression in parentheses.
type Grouping struct {
	ops
	inner Expr
}

// Type implements Expr.
func (g *Grouping) Type() Type { return g.inner.Type() }

// Group puts e in parentheses.
func Group(e Expr) Expr {
	g := &Grouping{inner: e}
	g.self = g
	return g
}

// Label is expr AS name.
type Label struct {
	ops
	expr Expr
	name string
}

func newLabel(e Expr, name string) *Label {
	if l, ok := e.(*Label); ok {
		e = l.expr
	}
	l := &Label{expr: e, name: name}
	l.self = l
	return l
}

// Type implements Expr.
func (l *Label) Type() Type { return l.expr.Type() }

// Name is the label's name.
func (l *Label) Name() string { return l.name }

// Element is the labelled expression.
func (l *Label) Element() Expr { return l.expr }

// CastExpr is CAST(expr AS type).
type CastExpr struct {
	ops
	expr Expr
	typ  Type
}

// Type implements Expr.
func (c *CastExpr) Type() Type { return c.typ }

// Cast renders CAST(v AS t); a Go value is bound first.
func Cast(v any, t Type) Expr {
	c := &CastExpr{expr: coerce(v, t), typ: t}
	c.self = c
	return c
}

// CaseExpr is CASE [value] WHEN … THEN … [ELSE …] END.
type CaseExpr struct {
	ops
	value Expr
	whens []When
	els   Expr
	typ   Type
}

// When is one WHEN cond THEN result branch of a [Case].
type When struct {
	Cond   any
	Result any
}

// Type implements Expr.
func (c *CaseExpr) Type() Type { return c.typ }

// Case builds a searched CASE: each When's Cond is a condition, its Result a
// value or expression. Else may be nil.
func Case(whens []When, els any) Expr { return buildCase(nil, whens, els) }

// CaseValue builds a simple CASE value WHEN x THEN … END.
func CaseValue(value Expr, whens []When, els any) Expr { return buildCase(value, whens, els) }

func buildCase(value Expr, whens []When, els any) Expr {
	c := &CaseExpr{value: value, whens: make([]When, len(whens))}
	var t Type = NullType{}
	for i, w := range whens {
		var ct Type
		if value != nil {
			ct = value.Type()
		}
		cond := coerce(w.Cond, ct)
		res := coerce(w.Result, nil)
		if isNullType(res.Type()) {
			// fall through: typed later from the others
		} else if isNullType(t) {
			t = res.Type()
		}
		c.whens[i] = When{Cond: cond, Result: res}
	}
	if els != nil {
		c.els = coerce(els, t)
		if isNullType(t) {
			t = c.els.Type()
		}
	}
	c.typ = t
	c.self = c
	return c
}

// ---------------------------------------------------------------- leaves

// BindParam is a bound parameter. A bound value travels beside the SQL,
// never inside it. A parameter made with [Param] has no value; it is supplied
// by name at execution.
type BindParam struct {
	ops
	name  string
	value any
	typ   Type
	has   bool       // has a value
	fn    func() any // value computed at execution (a column's Go default)
	// lazy: fn belongs to this statement (BindFunc), not to its shape,
	// so a cached plan takes it from each statement anew
	lazy bool
	// inferred: typ came from the value, not from a column or the caller;
	// the value's Go type decides its processing (Compiled.ArgTypes is nil).
	inferred bool
}

func newBind(name string, v any, t Type, has bool) *BindParam {
	inferred := t == nil
	if inferred {
		t = inferValueType(v)
	}
	b := &BindParam{name: name, value: v, typ: t, has: has, inferred: inferred}
	b.self = b
	return b
}

// Type implements Expr.
func (b *BindParam) Type() Type { return b.typ }

// Name is the parameter's name ("" for anonymous values).
func (b *BindParam) Name() string { return b.name }

// Value is the bound value and whether there is one.
func (b *BindParam) Value() (any, bool) { return b.value, b.has }

// Bind binds a Go value as a parameter of type t (nil infers it from the value).
func Bind(v any, t Type) Expr { return newBind("", v, t, true) }

// BindFunc is a parameter of type t whose value fn computes each time the
// statement executes (SQLAlchemy's bindparam(callable_=fn)): for a value
// that is only known then, such as a key an autoflush is about to write.
func BindFunc(fn func() any, t Type) Expr {
	b := newBind("", nil, t, true)
	b.fn, b.lazy = fn, true
	return b
}

// Param is a named parameter without a value, supplied at execution time
// (SQLAlchemy's bindparam("name")).
func Param(name string, t Type) Expr { return newBind(name, nil, t, false) }

// nullNode is NULL.
type nullNode struct{ ops }

// Type implements Expr.
func (*nullNode) Type() Type { return NullType{} }

var theNull = func() *nullNode { n := &nullNode{}; n.self = n; return n }()

// Null is the SQL NULL keyword.
func Null() Expr { return theNull }

// boolConst is the SQL true / false constant.
type boolConst struct {
	ops
	v bool
}

// Type implements Expr.
func (*boolConst) Type() Type { return Boolean{} }

var theTrue = func() *boolConst { n := &boolConst{v: true}; n.self = n; return n }()
var theFalse = func() *boolConst { n := &boolConst{v: false}; n.self = n; return n }()

// True is the boolean constant true (1 on dialects without booleans).
func True() Expr { return theTrue }

// False is the boolean constant false (0 on dialects without booleans).
func False() Expr { return theFalse }

// LiteralExpr is a Go value rendered into the SQL text rather than bound.
// It is used by the compiler itself for fixed fragments (the '%' of
// Contains); user values go through [Bind]. Rendering escapes the value for
// the dialect.
type LiteralExpr struct {
	ops
	value any
	typ   Type
}

// Type implements Expr.
func (l *LiteralExpr) Type() Type { return l.typ }

// Literal renders v as an SQL literal, escaped for the dialect. Prefer bound
// values; this exists for constants that must appear in the text (DDL
// defaults, index expressions).
func Literal(v any) Expr {
	l := &LiteralExpr{value: v, typ: inferValueType(v)}
	l.self = l
	return l
}

// TextExpr is a fragment of SQL text given by the caller (text() and
// literal_column()). :name markers in it become bound parameters.
type TextExpr struct {
	ops
	text   string
	binds  map[string]any
	typ    Type
	column bool // literal_column: usable as a named column
	params map[string]*BindParam
}

// Type implements Expr.
func (t *TextExpr) Type() Type { return t.typ }

// Raw is SQL text used as it is (SQLAlchemy's text()). Each :name in it is a
// bound parameter whose value comes from binds (or at execution time when
// missing); write \: for a literal colon. The text is not checked.
func Raw(sql string, binds map[string]any) *TextExpr {
	t := &TextExpr{text: sql, binds: binds, typ: NullType{}}
	t.self = t
	for _, name := range textParamNames(sql) {
		if t.params == nil {
			t.params = map[string]*BindParam{}
		}
		if _, ok := t.params[name]; ok {
			continue
		}
		if v, ok := binds[name]; ok {
			t.params[name] = newBind(name, v, nil, true)
		} else {
			t.params[name] = newBind(name, nil, NullType{}, false)
		}
	}
	return t
}

// textParamNames lists the :name markers of a text() in order.
func textParamNames(s string) []string {
	var out []string
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch == '\\' && i+1 < len(s) && s[i+1] == ':' {
			i++
			continue
		}
		if ch == ':' && i+1 < len(s) && s[i+1] == ':' {
			i++
			continue
		}
		if ch == ':' && i+1 < len(s) && isIdentStart(s[i+1]) {
			j := i + 1
			for j < len(s) && isIdentPart(s[j]) {
				j++
			}
			out = append(out, s[i+1:j])
			i = j - 1
		}
	}
	return out
}

// LiteralColumn is a column expression written as SQL text
// (literal_column()): rendered unquoted, as written.
func LiteralColumn(sql string, t Type) Expr {
	if t == nil {
		t = NullType{}
	}
	x := &TextExpr{text: sql, typ: t, column: true}
	x.self = x
	return x
}

// ScalarSelect is a subquery used as a value: (SELECT …).
type ScalarSelect struct {
	ops
	stmt   Selectable
	exists bool
}

// Type implements Expr.
func (s *ScalarSelect) Type() Type {
	if sel, ok := s.stmt.(*SelectStmt); ok && len(sel.columns) == 1 {
		return sel.columns[0].Type()
	}
	return NullType{}
}

// ---------------------------------------------------------------- functions

// FuncExpr is a function call name(args…). It may carry FILTER (WHERE …) and
// be turned into a window function with Over.
type FuncExpr struct {
	ops
	name   string
	args   []Expr
	typ    Type
	filter Expr
	star   bool // count(*)
}

// Type implements Expr.
func (f *FuncExpr) Type() Type { return f.typ }

// Name is the function's name.
func (f *FuncExpr) Name() string { return f.name }

// Func calls an SQL function by name with arguments (Go values are bound).
// Well-known generic functions have their own constructors (Count, Max, Now,
// Coalesce …) which give a result type and render per dialect.
func Func(name string, t Type, args ...any) *FuncExpr {
	f := &FuncExpr{name: name, typ: t}
	if f.typ == nil {
		f.typ = NullType{}
	}
	f.args = make([]Expr, len(args))
	for i, a := range args {
		f.args[i] = coerce(a, nil)
	}
	f.self = f
	return f
}

// Filter adds FILTER (WHERE cond) to an aggregate.
func (f *FuncExpr) Filter(cond Expr) *FuncExpr {
	n := *f
	n.filter = cond
	n.self = &n
	return &n
}

// Over makes the function a window function: fn OVER (window).
func (f *FuncExpr) Over(w Window) Expr {
	o := &OverExpr{fn: f, w: w}
	o.self = o
	return o
}

// Count is count(x), or count(*) with no argument.
func Count(args ...any) *FuncExpr {
	if len(args) == 0 {
		f := Func("count", BigInteger{})
		f.star = true
		return f
	}
	return Func("count", BigInteger{}, args...)
}

// Max is max(x).
func Max(x Expr) *FuncExpr { return Func("max", x.Type(), x) }

// Min is min(x).
func Min(x Expr) *FuncExpr { return Func("min", x.Type(), x) }

// Sum is sum(x).
func Sum(x Expr) *FuncExpr { return Func("sum", x.Type(), x) }

// Avg is avg(x).
func Avg(x Expr) *FuncExpr { return Func("avg", Numeric{}, x) }

// Coalesce is coalesce(a, b, …).
func Coalesce(args ...any) *FuncExpr {
	f := Func("coalesce", nil, args...)
	for _, a := range f.args {
		if !isNullType(a.Type()) {
			f.typ = a.Type()
			break
		}
	}
	return f
}

// Lower is lower(x).
func Lower(x Expr) *FuncExpr { return Func("lower", x.Type(), x) }

// Upper is upper(x).
func Upper(x Expr) *FuncExpr { return Func("upper", x.Type(), x) }

// CharLength is char_length(x) (length() / LEN() where the dialect names it so).
func CharLength(x Expr) *FuncExpr { return Func("char_length", Integer{}, x) }

// Now is the current timestamp: now() / CURRENT_TIMESTAMP by dialect.
func Now() *FuncExpr { return Func("now", DateTime{Timezone: true}) }

// CurrentTimestamp is CURRENT_TIMESTAMP.
func CurrentTimestamp() *FuncExpr { return Func("current_timestamp", DateTime{}) }

// CurrentDate is CURRENT_DATE.
func CurrentDate() *FuncExpr { return Func("current_date", Date{}) }

// Random is a random number: random() / rand() / RAND() by dialect.
func Random() *FuncExpr { return Func("random", Float{}) }

// RowNumber is row_number(), for use with Over.
func RowNumber() *FuncExpr { return Func("row_number", BigInteger{}) }

// Rank is rank(), for use with Over.
func Rank() *FuncExpr { return Func("rank", BigInteger{}) }

// DenseRank is dense_rank(), for use with Over.
func DenseRank() *FuncExpr { return Func("dense_rank", BigInteger{}) }

// Window describes an OVER (…) clause.
type Window struct {
	PartitionBy []Expr
	OrderBy     []Expr
	// Rows or Range frame; nil for none.
	Rows  *Frame
	Range *Frame
}

// Frame is a window frame from Start to End. A nil bound is UNBOUNDED
// (PRECEDING for Start, FOLLOWING for End); 0 is CURRENT ROW; negative values
// are n PRECEDING and positive n FOLLOWING.
type Frame struct {
	Start *int
	End   *int
}

// FrameBound returns a pointer to n, for Frame bounds.
func FrameBound(n int) *int { return &n }

// OverExpr is fn OVER (window).
type OverExpr struct {
	ops
	fn *FuncExpr
	w  Window
}

// Type implements Expr.
func (o *OverExpr) Type() Type { return o.fn.Type() }

// ---------------------------------------------------------------- custom

// Construct is a user-defined SQL construct (SQLAlchemy's @compiles). It
// writes its SQL through the [Compiler], which offers the same building
// blocks the built-in nodes use, and describes itself in the cache key. A
// construct whose key is not complete would share compiled SQL with a
// different one, so CacheKey must write everything that changes the SQL.
type Construct interface {
	// CompileSQL writes the construct's SQL.
	CompileSQL(c *Compiler) error
	// CacheKey writes everything that changes the rendered SQL.
	CacheKey(k *KeyWriter)
}

// CustomExpr wraps a [Construct] as an expression.
type CustomExpr struct {
	ops
	c   Construct
	typ Type
}

// Type implements Expr.
func (c *CustomExpr) Type() Type { return c.typ }

// Custom makes a user construct usable as an expression of type t.
func Custom(c Construct, t Type) Expr {
	if t == nil {
		t = NullType{}
	}
	x := &CustomExpr{c: c, typ: t}
	x.self = x
	return x
}

func (*TextExpr) statement() {}

// Invalid is a boolean expression whose compilation fails with err: how a
// function that returns only an Expr (an ORM criteria builder) reports a
// caller's mistake without panicking; the statement that holds it fails
// when it is compiled, with err.
func Invalid(err error) Expr { return Custom(invalidConstruct{err}, Boolean{}) }

type invalidConstruct struct{ err error }

func (e invalidConstruct) CompileSQL(*Compiler) error { return e.err }
func (e invalidConstruct) CacheKey(k *KeyWriter)      { k.WriteString("invalid:" + e.err.Error()) }
