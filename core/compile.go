package core

import (
	"errors"
	"fmt"
	"hash/maphash"
	"sync"
	"sync/atomic"

	lru "github.com/hashicorp/golang-lru/v2"
)

// Compiled is a statement compiled for one dialect: the SQL text and the
// arguments for its placeholders, in placeholder order. An argument that is
// a [NamedParam] is supplied at execution with [Compiled.BindNamed].
type Compiled struct {
	SQL  string
	Args []any
	// Columns describes the result columns of a SELECT or a RETURNING
	// clause: the name each is known by and its SQL type (used to process
	// values read back). Nil for statements without rows.
	Columns []ResultColumn
	// ArgTypes are the SQL types of Args, in the same order, for value
	// processing: core.ProcessArgs(d, c.Args, c.ArgTypes...). Shared with
	// the statement cache: do not modify.
	ArgTypes []Type

	plan *plan // the cached statement it came from; nil when not cached
}

// ResultColumn is one column of a statement's result.
type ResultColumn struct {
	Name string
	Type Type
}

// resultColumns lists the result columns of a statement.
func resultColumns(st Statement) []ResultColumn {
	var cols []Expr
	switch s := st.(type) {
	case *SelectStmt:
		cols = s.columns
	case *CompoundSelect:
		cols = s.selectColumns()
	case *InsertStmt:
		cols = s.returning
	case *UpdateStmt:
		cols = s.returning
	case *DeleteStmt:
		cols = s.returning
	}
	if len(cols) == 0 {
		return nil
	}
	names, _ := selectLabels(cols, false)
	out := make([]ResultColumn, len(cols))
	for i, e := range cols {
		out[i] = ResultColumn{Name: names[i], Type: e.Type()}
	}
	return out
}

// NamedParam stands in Compiled.Args for a parameter made with [Param],
// whose value is given at execution.
type NamedParam struct{ Name string }

// BindNamed returns Args with each NamedParam replaced by params[name]. A
// missing name is an error naming it.
func (c Compiled) BindNamed(params map[string]any) ([]any, error) {
	out := make([]any, len(c.Args))
	for i, a := range c.Args {
		if np, ok := a.(NamedParam); ok {
			v, ok := params[np.Name]
			if !ok {
				return nil, &ArgumentError{Msg: fmt.Sprintf("no value for parameter %q", np.Name)}
			}
			out[i] = v
			continue
		}
		out[i] = a
	}
	return out, nil
}

// slot says where the value of one placeholder comes from.
type slot struct {
	kind  uint8 // slotValue, slotNamed, slotConst, slotFunc
	idx   int
	name  string
	value any
	fn    func() any
}

const (
	slotValue uint8 = iota // values extracted from the statement by the key walk
	slotNamed              // a Param supplied at execution
	slotConst              // a value fixed by the statement's structure
	slotFunc               // a column's Go default, called per execution
)

// plan is a compiled statement shared by every statement of the same shape.
type plan struct {
	key     string
	sql     string
	slots   []slot
	columns []ResultColumn
	types   []Type
	shape   atomic.Pointer[planShape] // of its results, set by the first
}

// identity reports whether the plan's arguments are the first n bound
// values in the order the key walk met them, nothing else.
func (p *plan) identity(n int) bool {
	if len(p.slots) != n {
		return false
	}
	for i := range p.slots {
		if s := &p.slots[i]; s.kind != slotValue || s.idx != i {
			return false
		}
	}
	return true
}

func (p *plan) args(dst []any, values []any) []any {
	if len(p.slots) == 0 {
		return dst[:0]
	}
	var out []any
	if cap(dst) >= len(p.slots) {
		out = dst[:len(p.slots)]
	} else {
		out = make([]any, len(p.slots))
	}
	for i := range p.slots {
		s := &p.slots[i]
		switch s.kind {
		case slotValue:
			out[i] = values[s.idx]
			if f, ok := out[i].(lazyArg); ok {
				out[i] = f()
			}
		case slotNamed:
			out[i] = NamedParam{Name: s.name}
		case slotConst:
			out[i] = s.value
		case slotFunc:
			out[i] = s.fn()
		}
	}
	return out
}

// Compile compiles stmt for dialect d, without caching.
func Compile(d Dialect, stmt Statement) (Compiled, error) {
	if d == nil {
		return Compiled{}, &ArgumentError{Msg: "compile: dialect is nil"}
	}
	c := newCompiler(d)
	sql, binds, err := c.compileTop(stmt)
	if err != nil {
		return Compiled{}, err
	}
	var args []any
	var types []Type
	if len(binds) > 0 {
		args = make([]any, len(binds))
		types = bindTypes(binds)
		for i, b := range binds {
			switch {
			case b.fn != nil:
				args[i] = b.fn()
			case b.has:
				args[i] = b.value
			default:
				args[i] = NamedParam{Name: b.name}
			}
		}
	}
	return Compiled{SQL: sql, Args: args, Columns: resultColumns(stmt), ArgTypes: types}, nil
}

// bindTypes lists the types of the bound parameters. A type that was
// inferred from a bound value is left nil: the cache key does not cover it,
// so a statement of the same shape may bind a value of another Go type, and
// ProcessArgs infers from the value it gets.
func bindTypes(binds []*BindParam) []Type {
	if len(binds) == 0 {
		return nil
	}
	types := make([]Type, len(binds))
	for i, b := range binds {
		if !b.inferred {
			types[i] = b.typ
		}
	}
	return types
}

// MustCompile is Compile for tests and examples; it panics on error.
func MustCompile(d Dialect, stmt Statement) Compiled {
	c, err := Compile(d, stmt)
	if err != nil {
		panic(err)
	}
	return c
}

// RenderLiteral compiles stmt with every bound value rendered inline as an
// escaped SQL literal. It exists for debugging and for DDL scripts; running
// statements should always use bound parameters.
func RenderLiteral(d Dialect, stmt Statement) (string, error) {
	c := newCompiler(d)
	c.literal = true
	sql, _, err := c.compileTop(stmt)
	return sql, err
}

// compileTop compiles a statement, puts the WITH clause in front and
// numbers the placeholders in text order.
func (c *Compiler) compileTop(stmt Statement) (string, []*BindParam, error) {
	if stmt == nil {
		return "", nil, &ArgumentError{Msg: "compile: statement is nil"}
	}
	if err := c.statement(stmt); err != nil {
		return "", nil, err
	}
	if c.identErr != nil {
		return "", nil, c.identErr
	}
	text, binds := c.buf, c.binds
	if len(c.ctes) > 0 {
		w, wb := c.withClause()
		text = append(w, text...)
		binds = append(wb, binds...)
	}
	if len(binds) == 0 {
		return string(text), nil, nil
	}
	out := make([]byte, 0, len(text)+len(binds)*3)
	n := 0
	for _, ch := range text {
		if ch == bindMarker {
			b := binds[n]
			n++
			out = c.d.AppendPlaceholder(out, n, bindName(b, n))
			continue
		}
		out = append(out, ch)
	}
	if n != len(binds) {
		return "", nil, &CompileError{Msg: fmt.Sprintf("internal: %d placeholders for %d parameters", n, len(binds))}
	}
	return string(out), binds, nil
}

func bindName(b *BindParam, n int) string {
	if !b.has {
		return b.name
	}
	if b.name != "" {
		return b.name + "_" + itoa(n)
	}
	return "param_" + itoa(n)
}

// ---------------------------------------------------------------- cache

// StatementCache compiles statements through a bounded LRU keyed by each
// statement's structure (not its bound values): a statement built the same
// way twice compiles once. Safe for concurrent use.
type StatementCache struct {
	lru    *lru.Cache[uint64, *plan]
	seed   maphash.Seed
	pool   sync.Pool
	hits   atomic.Uint64
	misses atomic.Uint64
}

// NewStatementCache returns a cache holding up to size compiled statements.
func NewStatementCache(size int) *StatementCache {
	if size <= 0 {
		size = 500
	}
	l, _ := lru.New[uint64, *plan](size)
	sc := &StatementCache{lru: l, seed: maphash.MakeSeed()}
	sc.pool.New = func() any { return &KeyWriter{buf: make([]byte, 0, 256)} }
	return sc
}

// Len is the number of cached statements.
func (sc *StatementCache) Len() int { return sc.lru.Len() }

// Stats returns the hit and miss counts.
func (sc *StatementCache) Stats() (hits, misses uint64) {
	return sc.hits.Load(), sc.misses.Load()
}

// Compile compiles stmt for d, from the cache when a statement of the same
// shape was compiled before. Statements that cannot be keyed (DDL) are
// compiled every time.
func (sc *StatementCache) Compile(d Dialect, stmt Statement) (Compiled, error) {
	return sc.CompileAppend(nil, d, stmt)
}

// CompileAppend is Compile writing the arguments into dst's storage when it
// is large enough, so a caller that reuses an argument slice (an engine's
// per-connection buffer) compiles a cached statement without allocating.
func (sc *StatementCache) CompileAppend(dst []any, d Dialect, stmt Statement) (Compiled, error) {
	if d == nil {
		return Compiled{}, &ArgumentError{Msg: "compile: dialect is nil"}
	}
	if _, isDDL := stmt.(DDLElement); isDDL {
		return Compile(d, stmt)
	}
	k := sc.pool.Get().(*KeyWriter)
	k.reset()
	feat := d.Features()
	k.named = feat.Has(FeatNamedParams)
	k.WriteString(d.Name())
	k.writeUint(uint64(feat))
	k.WriteNode(stmt)
	if k.err != nil {
		err := k.err
		sc.pool.Put(k)
		return Compiled{}, err
	}
	h := maphash.Bytes(sc.seed, k.buf)
	if p, ok := sc.lru.Get(h); ok && p.key == string(k.buf) {
		args := p.args(dst, k.values)
		k.release()
		sc.pool.Put(k)
		sc.count(true)
		return Compiled{SQL: p.sql, Args: args, Columns: p.columns, ArgTypes: p.types, plan: p}, nil
	}
	sc.count(false)
	c := newCompiler(d)
	sql, binds, err := c.compileTop(stmt)
	if err != nil {
		k.release()
		sc.pool.Put(k)
		return Compiled{}, err
	}
	// walk again recording the bind nodes, to map placeholders to values
	key := string(k.buf)
	k.reset()
	k.named, k.collect = feat.Has(FeatNamedParams), true
	k.WriteString(d.Name())
	k.writeUint(uint64(feat))
	k.WriteNode(stmt)
	p := &plan{key: key, sql: sql, slots: make([]slot, len(binds)), columns: resultColumns(stmt), types: bindTypes(binds)}
	index := make(map[*BindParam]int, len(k.binds))
	for i, b := range k.binds {
		if _, seen := index[b]; !seen {
			index[b] = i
		}
	}
	for i, b := range binds {
		s := &p.slots[i]
		switch {
		case b.fn != nil && !b.lazy:
			s.kind, s.fn = slotFunc, b.fn
		case !b.has:
			s.kind, s.name = slotNamed, b.name
		default:
			if idx, ok := index[b]; ok {
				s.kind, s.idx = slotValue, idx
			} else {
				s.kind, s.value = slotConst, b.value
			}
		}
	}
	args := p.args(dst, k.values)
	k.release()
	sc.pool.Put(k)
	sc.lru.Add(h, p)
	return Compiled{SQL: sql, Args: args, Columns: p.columns, ArgTypes: p.types, plan: p}, nil
}

func (sc *StatementCache) count(hit bool) {
	if hit {
		sc.hits.Add(1)
	} else {
		sc.misses.Add(1)
	}
}

// ---------------------------------------------------------------- errors

// ArgumentError reports a mistake in how a statement, table or mapping was
// built (SQLAlchemy's ArgumentError).
type ArgumentError struct{ Msg string }

func (e *ArgumentError) Error() string { return "retort: " + e.Msg }

// CompileError reports a statement that cannot be compiled.
type CompileError struct{ Msg string }

func (e *CompileError) Error() string { return "retort: compile: " + e.Msg }

// UnsupportedCompilationError reports a construct the dialect cannot
// render; it names both.
type UnsupportedCompilationError struct {
	Dialect   string
	Construct string
}

func (e *UnsupportedCompilationError) Error() string {
	return "retort: compile: dialect " + e.Dialect + " does not support " + e.Construct
}

// Is makes every UnsupportedCompilationError match ErrUnsupported.
func (e *UnsupportedCompilationError) Is(target error) bool { return target == ErrUnsupported }

// ErrUnsupported matches any UnsupportedCompilationError with errors.Is.
var ErrUnsupported = errors.New("retort: construct not supported by dialect")

// lazyArg is the value of a BindFunc parameter in a cache key's values:
// the plan calls it when it builds the arguments.
type lazyArg func() any
