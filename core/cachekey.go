package core

import (
	"encoding/binary"
	"fmt"
	"math"
	"reflect"
)

// KeyWriter builds a statement's cache key: everything that changes the SQL
// text (node kinds, operators, names, tables, types, the number of values)
// and nothing that does not (the bound values, which it collects aside in
// walk order). A [Construct] describes itself through it.
type KeyWriter struct {
	buf    []byte
	values []any
	binds  []*BindParam
	seen   []any // anonymous elements, numbered by first appearance
	err    error
	depth  int
	inline int // > 0: bound values are rendered inline, so they are part of the key
	// collect records the bind nodes (needed only to build a plan on a
	// miss); named writes value parameters' names (only named-parameter
	// dialects render them).
	collect bool
	named   bool
}

func (k *KeyWriter) reset() {
	k.buf = k.buf[:0]
	k.values = k.values[:0]
	k.binds = k.binds[:0]
	k.seen = k.seen[:0]
	k.err = nil
	k.depth = 0
	k.inline = 0
	k.collect = false
	k.named = false
}

// release drops references to user values so a pooled writer does not keep
// them alive.
func (k *KeyWriter) release() {
	clear(k.values)
	clear(k.binds)
	clear(k.seen)
}

// WriteString adds a string to the key.
func (k *KeyWriter) WriteString(s string) {
	k.buf = binary.AppendUvarint(k.buf, uint64(len(s)))
	k.buf = append(k.buf, s...)
}

// WriteInt adds an integer to the key.
func (k *KeyWriter) WriteInt(n int64) { k.buf = binary.AppendVarint(k.buf, n) }

func (k *KeyWriter) writeUint(n uint64) { k.buf = binary.AppendUvarint(k.buf, n) }

func (k *KeyWriter) tag(t byte) { k.buf = append(k.buf, t) }

// ordinal numbers x by first appearance; it reports whether this is the first.
func (k *KeyWriter) ordinal(x any) bool {
	for i, s := range k.seen {
		if s == x {
			k.writeUint(uint64(i))
			return false
		}
	}
	k.seen = append(k.seen, x)
	k.writeUint(uint64(len(k.seen) - 1))
	return true
}

// WriteNode adds a node (and everything under it) to the key.
func (k *KeyWriter) WriteNode(n Node) {
	if k.err != nil {
		return
	}
	if n == nil {
		k.tag(0)
		return
	}
	k.depth++
	if k.depth > 400 {
		k.err = &CompileError{Msg: "statement nesting is too deep"}
		return
	}
	n.keyInto(k)
	k.depth--
}

func (k *KeyWriter) exprs(es []Expr) {
	k.writeUint(uint64(len(es)))
	for _, e := range es {
		k.WriteNode(e)
	}
}

func (k *KeyWriter) froms(fs []FromClause) {
	k.writeUint(uint64(len(fs)))
	for _, f := range fs {
		k.WriteNode(f)
	}
}

func (k *KeyWriter) column(c *Column) {
	if c.from == nil || c.from == FromClause(c.table) {
		// a table column (or a free-standing one)
		k.writeUint(c.id)
		if c.from == nil {
			k.WriteString(c.name)
		}
		return
	}
	k.writeUint(0)
	k.WriteString(c.name)
	k.WriteNode(c.from)
}

func (k *KeyWriter) bind(b *BindParam) {
	if b.has && k.inline > 0 {
		k.WriteString(b.name)
		k.tag(2)
		k.literal(b.value)
		return
	}
	if b.has {
		if k.named {
			k.WriteString(b.name)
		}
		k.tag(1)
		if b.lazy {
			k.values = append(k.values, lazyArg(b.fn))
		} else {
			k.values = append(k.values, b.value)
		}
		if k.collect {
			k.binds = append(k.binds, b)
		}
	} else {
		k.WriteString(b.name)
		k.tag(0)
	}
}

func (k *KeyWriter) fn(f *FuncExpr) {
	k.WriteString(f.name)
	k.typ(f.typ)
	if f.star {
		k.tag(1)
	} else {
		k.tag(0)
	}
	k.exprs(f.args)
	k.WriteNode(f.filter)
}

func (k *KeyWriter) frame(f *Frame) {
	if f == nil {
		k.tag(0)
		return
	}
	k.tag(1)
	for _, p := range []*int{f.Start, f.End} {
		if p == nil {
			k.tag(0)
		} else {
			k.tag(1)
			k.WriteInt(int64(*p))
		}
	}
}

func (k *KeyWriter) sequence(s *Sequence) {
	k.WriteString(s.Schema)
	k.WriteString(s.Name)
}

// typ writes a type without allocating for the generic types.
func (k *KeyWriter) typ(t Type) {
	switch x := t.(type) {
	case nil:
		k.tag(0)
	case NullType:
		k.tag(1)
	case Integer:
		k.tag(2)
	case BigInteger:
		k.tag(3)
	case SmallInteger:
		k.tag(4)
	case String:
		k.tag(5)
		k.WriteInt(int64(x.Length))
		k.WriteString(x.Collation)
		if x.National {
			k.tag(1)
		} else {
			k.tag(0)
		}
	case Text:
		k.tag(6)
		k.WriteString(x.Collation)
	case Boolean:
		k.tag(7)
	case Float:
		k.tag(8)
		k.WriteInt(int64(x.Precision))
	case Double:
		k.tag(9)
	case Numeric:
		k.tag(10)
		k.WriteInt(int64(x.Precision))
		k.WriteInt(int64(x.Scale))
	case Date:
		k.tag(11)
	case Time:
		k.tag(12)
		if x.Timezone {
			k.tag(1)
		} else {
			k.tag(0)
		}
	case DateTime:
		k.tag(13)
		if x.Timezone {
			k.tag(1)
		} else {
			k.tag(0)
		}
	case Interval:
		k.tag(14)
	case LargeBinary:
		k.tag(15)
		k.WriteInt(int64(x.Length))
	case JSON:
		k.tag(16)
	case UUID:
		k.tag(17)
	default:
		k.tag(99)
		k.WriteString(reflect.TypeOf(t).String())
		k.WriteString(t.TypeName())
	}
}

// literal writes a value rendered inline (it changes the SQL text).
func (k *KeyWriter) literal(v any) {
	switch x := v.(type) {
	case nil:
		k.tag(0)
	case string:
		k.tag(1)
		k.WriteString(x)
	case int:
		k.tag(2)
		k.WriteInt(int64(x))
	case int64:
		k.tag(2)
		k.WriteInt(x)
	case bool:
		if x {
			k.tag(3)
		} else {
			k.tag(4)
		}
	case float64:
		k.tag(5)
		k.writeUint(math.Float64bits(x))
	default:
		k.tag(6)
		k.WriteString(reflect.TypeOf(v).String())
		k.WriteString(fmt.Sprint(v))
	}
}

func (k *KeyWriter) selectStmt(s *SelectStmt) {
	if s.err != nil {
		k.err = s.err
		return
	}
	k.exprs(s.columns)
	k.froms(s.froms)
	k.exprs(s.where)
	k.exprs(s.groupBy)
	k.exprs(s.having)
	k.exprs(s.orderBy)
	k.WriteNode(s.limit)
	k.WriteNode(s.offset)
	flags := byte(0)
	if s.distinct {
		flags |= 1
	}
	if s.corrSet {
		flags |= 2
	}
	if s.forUpdate != nil {
		flags |= 4
	}
	k.tag(flags)
	k.exprs(s.distinctOn)
	if s.forUpdate != nil {
		o := s.forUpdate
		k.tag(byte(o.Mode))
		b := byte(0)
		if o.NoWait {
			b |= 1
		}
		if o.SkipLocked {
			b |= 2
		}
		k.tag(b)
		k.writeUint(uint64(len(o.Of)))
		for _, n := range o.Of {
			k.WriteNode(n)
		}
	}
	if s.corrSet {
		k.froms(s.correlate)
	}
}

func (k *KeyWriter) insert(s *InsertStmt) {
	if s.err != nil {
		k.err = s.err
		return
	}
	k.WriteNode(s.table)
	if s.inline {
		k.tag(1)
	} else {
		k.tag(0)
	}
	k.writeUint(uint64(len(s.cols)))
	for _, c := range s.cols {
		k.writeUint(c.id)
	}
	k.writeUint(uint64(len(s.rows)))
	for _, r := range s.rows {
		for _, e := range r {
			k.WriteNode(e)
		}
	}
	if s.fromSelect != nil {
		k.tag(1)
		k.WriteNode(s.fromSelect)
	} else {
		k.tag(0)
	}
	k.exprs(s.returning)
	if u := s.upsert; u != nil {
		k.tag(1)
		k.writeUint(uint64(len(u.Target)))
		for _, c := range u.Target {
			k.writeUint(c.id)
		}
		k.WriteString(u.Constraint)
		k.inline++
		k.WriteNode(u.TargetWhere)
		k.inline--
		if u.DoNothing {
			k.tag(1)
		} else {
			k.tag(0)
		}
		k.writeUint(uint64(len(u.Set)))
		for _, a := range u.Set {
			k.writeUint(a.Col.id)
			k.WriteNode(a.Value.(Expr))
		}
		k.WriteNode(u.Where)
	} else {
		k.tag(0)
	}
}

func (k *KeyWriter) update(s *UpdateStmt) {
	if s.err != nil {
		k.err = s.err
		return
	}
	k.WriteNode(s.table)
	flags := byte(0)
	if s.inline {
		flags |= 1
	}
	if s.ordered {
		flags |= 2
	}
	k.tag(flags)
	k.writeUint(uint64(len(s.sets)))
	for i, a := range s.sets {
		k.writeUint(a.Col.id)
		k.WriteNode(s.setExprs[i])
	}
	k.exprs(s.where)
	k.froms(s.froms)
	k.exprs(s.returning)
}

// ---------------------------------------------------------------- per-node keys

func (x *Column) keyInto(k *KeyWriter) {
	k.tag(1)
	k.column(x)
}

func (x *BindParam) keyInto(k *KeyWriter) {
	k.tag(2)
	k.bind(x)
}

func (x *BinaryExpr) keyInto(k *KeyWriter) {
	if x.custom == "" && x.escape == 0 {
		k.buf = append(k.buf, 3, byte(x.op))
	} else {
		k.buf = append(k.buf, 23, byte(x.op))
		k.WriteString(x.custom)
		k.WriteInt(int64(x.escape))
	}
	k.WriteNode(x.left)
	if x.right != nil {
		k.WriteNode(x.right)
	} else {
		k.tag(0)
	}
}

func (x *UnaryExpr) keyInto(k *KeyWriter) {
	k.tag(4)
	k.tag(byte(x.op))
	k.WriteNode(x.operand)
}

func (x *ClauseList) keyInto(k *KeyWriter) {
	k.tag(5)
	k.tag(byte(x.op))
	k.exprs(x.items)
}

func (x *Label) keyInto(k *KeyWriter) {
	k.tag(6)
	k.WriteString(x.name)
	k.WriteNode(x.expr)
}

func (x *Grouping) keyInto(k *KeyWriter) {
	k.tag(7)
	k.WriteNode(x.inner)
}

func (x *nullNode) keyInto(k *KeyWriter) {
	k.tag(8)
}

func (x *boolConst) keyInto(k *KeyWriter) {
	if x.v {
		k.tag(9)
	} else {
		k.tag(10)
	}
}

func (x *LiteralExpr) keyInto(k *KeyWriter) {
	k.tag(11)
	k.literal(x.value)
	k.typ(x.typ)
}

func (x *TextExpr) keyInto(k *KeyWriter) {
	k.tag(12)
	k.WriteString(x.text)
	if x.column {
		k.tag(1)
	} else {
		k.tag(0)
	}
	k.typ(x.typ)
	// parameters in text order
	for _, name := range textParamNames(x.text) {
		k.bind(x.param(name))
	}
}

func (x *CastExpr) keyInto(k *KeyWriter) {
	k.tag(13)
	k.typ(x.typ)
	k.WriteNode(x.expr)
}

func (x *CaseExpr) keyInto(k *KeyWriter) {
	k.tag(14)
	k.WriteNode(x.value)
	k.writeUint(uint64(len(x.whens)))
	for _, w := range x.whens {
		k.WriteNode(w.Cond.(Expr))
		k.WriteNode(w.Result.(Expr))
	}
	k.WriteNode(x.els)
}

func (x *FuncExpr) keyInto(k *KeyWriter) {
	k.tag(15)
	k.fn(x)
}

func (x *OverExpr) keyInto(k *KeyWriter) {
	k.tag(16)
	k.fn(x.fn)
	k.exprs(x.w.PartitionBy)
	k.exprs(x.w.OrderBy)
	k.frame(x.w.Rows)
	k.frame(x.w.Range)
}

func (x *InExpr) keyInto(k *KeyWriter) {
	k.tag(17)
	if x.negate {
		k.tag(1)
	} else {
		k.tag(0)
	}
	k.WriteNode(x.left)
	if x.sub != nil {
		k.tag(1)
		k.WriteNode(x.sub)
	} else {
		k.tag(0)
		k.exprs(x.values)
	}
}

func (x *BetweenExpr) keyInto(k *KeyWriter) {
	k.tag(18)
	if x.negate {
		k.tag(1)
	} else {
		k.tag(0)
	}
	k.WriteNode(x.expr)
	k.WriteNode(x.lo)
	k.WriteNode(x.hi)
}

func (x *ScalarSelect) keyInto(k *KeyWriter) {
	k.tag(19)
	if x.exists {
		k.tag(1)
	} else {
		k.tag(0)
	}
	k.WriteNode(x.stmt)
}

func (x *ExcludedExpr) keyInto(k *KeyWriter) {
	k.tag(20)
	k.column(x.col)
}

func (x *seqNext) keyInto(k *KeyWriter) {
	k.tag(21)
	k.sequence(x.seq)
}

func (x *CustomExpr) keyInto(k *KeyWriter) {
	k.tag(22)
	k.WriteString(reflect.TypeOf(x.c).String())
	k.typ(x.typ)
	x.c.CacheKey(k)
}

func (x *Table) keyInto(k *KeyWriter) {
	k.tag(30)
	k.writeUint(x.id)
}

func (x *Alias) keyInto(k *KeyWriter) {
	k.tag(31)
	k.writeUint(x.table.id)
	k.WriteString(x.name)
	if x.name == "" {
		_ = k.ordinal(x)
	}
}

func (x *Join) keyInto(k *KeyWriter) {
	k.tag(32)
	k.tag(byte(x.kind))
	k.WriteNode(x.left)
	k.WriteNode(x.right)
	if x.derived {
		// the ON clause follows from the two sides and the tables' foreign
		// keys, which the key already names
		k.tag(1)
		return
	}
	k.tag(0)
	k.WriteNode(x.on)
}

func (x *Subquery) keyInto(k *KeyWriter) {
	k.tag(33)
	k.WriteString(x.name)
	if k.ordinal(x) {
		if x.lateral {
			k.tag(1)
		} else {
			k.tag(0)
		}
		k.WriteNode(x.sel)
	}
}

func (x *CTE) keyInto(k *KeyWriter) {
	k.tag(34)
	root := x
	for root.restates != nil {
		root = root.restates
	}
	k.WriteString(x.name)
	k.ordinal(root)
	// each version's body is written once, at its first reference
	if k.ordinal(x) {
		if x.recursive {
			k.tag(1)
		} else {
			k.tag(0)
		}
		k.WriteNode(x.sel)
	}
}

func (x *SelectStmt) keyInto(k *KeyWriter) {
	k.tag(40)
	k.selectStmt(x)
}

func (x *CompoundSelect) keyInto(k *KeyWriter) {
	k.tag(41)
	if x.err != nil {
		k.err = x.err
		return
	}
	k.tag(byte(x.op))
	k.writeUint(uint64(len(x.selects)))
	for _, s := range x.selects {
		k.WriteNode(s)
	}
	k.exprs(x.orderBy)
	k.WriteNode(x.limit)
	k.WriteNode(x.offset)
}

func (x *InsertStmt) keyInto(k *KeyWriter) {
	k.tag(42)
	k.insert(x)
}

func (x *UpdateStmt) keyInto(k *KeyWriter) {
	k.tag(43)
	k.update(x)
}

func (x *DeleteStmt) keyInto(k *KeyWriter) {
	k.tag(44)
	if x.err != nil {
		k.err = x.err
		return
	}
	k.WriteNode(x.table)
	k.exprs(x.where)
	k.froms(x.froms)
	k.exprs(x.returning)
}

// keyInto is the fallback for expression kinds without their own key: it
// refuses, so an unkeyed node can never share a cache entry by mistake.
func (o *ops) keyInto(k *KeyWriter) {
	if ec, ok := o.self.(exprCarrier); ok {
		k.WriteNode(ec.unwrapExpr())
		return
	}
	k.err = &CompileError{Msg: fmt.Sprintf("cannot build a cache key for %T", o.self)}
}

func uncacheable(k *KeyWriter, n Node) {
	if k.err == nil {
		k.err = &CompileError{Msg: fmt.Sprintf("cannot build a cache key for %T", n)}
	}
}
