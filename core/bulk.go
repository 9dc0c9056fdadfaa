package core

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// bulkShapes caches the compiled multi-VALUES INSERT of each bulk-insert
// shape (table, columns, rows per batch, RETURNING columns) of an engine,
// so that a batch of plain values runs without building or compiling a
// statement.
type bulkShapes struct {
	mu sync.RWMutex
	m  map[bulkKey]Compiled
}

// maxBulkShapes bounds the shape cache; shapes past it compile each time.
const maxBulkShapes = 1024

type bulkKey struct {
	t    *Table
	cols string // the columns' positions in t
	ret  string // the RETURNING columns' positions in t
	n    int    // rows per statement
}

func (s *bulkShapes) get(k bulkKey) (Compiled, bool) {
	s.mu.RLock()
	c, ok := s.m[k]
	s.mu.RUnlock()
	return c, ok
}

func (s *bulkShapes) put(k bulkKey, c Compiled) {
	s.mu.Lock()
	if s.m == nil {
		s.m = map[bulkKey]Compiled{}
	}
	if len(s.m) < maxBulkShapes {
		s.m[k] = c
	}
	s.mu.Unlock()
}

// positions encodes the positions in t of exprs, which must all be columns
// of t; ok is false otherwise.
func positions(t *Table, exprs []Expr) (string, bool) {
	var b strings.Builder
	for _, e := range exprs {
		col, isCol := e.(*Column)
		if !isCol || col.Table() != t {
			return "", false
		}
		i := colIndex(t, col)
		if i < 0 {
			return "", false
		}
		b.WriteString(strconv.Itoa(i))
		b.WriteByte(',')
	}
	return b.String(), true
}

// InsertRows inserts rows into table: each row holds the values of cols,
// in that order (nil is NULL). It is [Connection.InsertMany] without maps:
// the rows are sent in multi-VALUES INSERTs of as many rows as the
// dialect's bind-parameter limit allows (1000 rows at most), each shape
// compiled once per engine and then run with the rows' values as its
// arguments, converted by the columns' types. With returning expressions
// the statement is INSERT … RETURNING and the returned rows come back in
// input order, as InsertMany's do; without them the Result reports the
// rows affected.
//
// Values that are SQL expressions (or columns without a type given NULL)
// are accepted and compile that batch as a statement of its own.
func (c *Connection) InsertRows(ctx context.Context, table *Table, cols []*Column, rows [][]any, returning ...Expr) (*Result, error) {
	if err := c.usable(); err != nil {
		return nil, err
	}
	if table == nil {
		return nil, &ArgumentError{Msg: "insert rows: nil table"}
	}
	if len(cols) == 0 {
		return nil, &ArgumentError{Msg: fmt.Sprintf("insert rows into %q: no columns", table.Name())}
	}
	for _, col := range cols {
		if col == nil || col.Table() != table || colIndex(table, col) < 0 {
			name := "<nil>"
			if col != nil {
				name = col.Name()
			}
			return nil, &ArgumentError{Msg: fmt.Sprintf("insert rows into %q: column %q is not a column of the table", table.Name(), name)}
		}
	}
	w := len(cols)
	for i, r := range rows {
		if len(r) != w {
			return nil, &ArgumentError{Msg: fmt.Sprintf("insert rows into %q: row %d has %d values for %d columns", table.Name(), i, len(r), w)}
		}
	}
	fill := func(start, end int, dst []any) error {
		for i := start; i < end; i++ {
			copy(dst[(i-start)*w:], rows[i])
		}
		return nil
	}
	return c.bulkInsert(ctx, nil, table, cols, len(rows), fill, returning, len(returning) > 0)
}

// bulkInsert runs the batches of an insertmanyvalues of n rows: fill
// writes the values of rows [start, end) into dst, row after row. ins,
// when not nil, gives the upsert clause.
func (c *Connection) bulkInsert(ctx context.Context, ins *InsertStmt, t *Table, cols []*Column, n int,
	fill func(start, end int, dst []any) error, retExprs []Expr, returning bool) (*Result, error) {
	if n == 0 {
		if returning {
			return NewResult(&bufferedRows{}, nil, c.e.d, nil), nil
		}
		return NewExecResult(ExecResult{}), nil
	}
	feat := c.e.d.Features()
	if returning && !feat.Has(FeatReturningInsert) {
		return nil, &UnsupportedCompilationError{Dialect: c.e.d.Name(), Construct: "INSERT … RETURNING (insertmanyvalues)"}
	}
	per := 1
	if feat.Has(FeatMultiValuesInsert) && len(cols) > 0 {
		per = c.e.maxParams / len(cols)
		if per > 1000 {
			per = 1000
		}
		if per < 1 {
			per = 1
		}
	}
	var ret []Expr
	sortIdx, visible := -1, 0
	if returning {
		ret = append(ret, retExprs...)
		visible = len(ret)
		if key := sentinelColumn(t); key != nil {
			for i, e := range ret {
				if e == Expr(key) {
					sortIdx = i
				}
			}
			if sortIdx < 0 {
				ret = append(ret, key)
				sortIdx = len(ret) - 1
			}
		}
	}
	if ins == nil {
		ins = Insert(t)
	}
	upsert := ins.UpsertClause() != nil
	// the shape cache holds statements whose SQL and argument types
	// depend only on the columns: every column typed, no upsert, RETURNING
	// only columns of t
	nullBinds := nullBindSafe(c.e.d)
	var key bulkKey
	cacheable := !upsert
	w := len(cols)
	decorated := make([]bool, w)
	for j, col := range cols {
		if isNullType(col.Type()) {
			cacheable = false
		}
		_, decorated[j] = col.Type().(TypeDecorator)
	}
	if cacheable {
		var ok1, ok2 bool
		key.t = t
		key.cols, ok1 = positions(t, colExprs(cols))
		key.ret, ok2 = positions(t, ret)
		cacheable = ok1 && ok2
	}
	// one argument buffer for every batch, unless execute listeners (which
	// may keep the arguments) are registered
	shared := len(c.e.ev.beforeExecute.list()) == 0 && len(c.e.ev.afterExecute.list()) == 0
	var buf []any
	var total ExecResult
	var rbuf bufferedRows
	var resultCols []ResultColumn
	for start := 0; start < n; start += per {
		end := min(start+per, n)
		size := (end - start) * len(cols)
		if !shared || buf == nil {
			buf = make([]any, min(per, n)*len(cols))
		}
		flat := buf[:size:size]
		if err := fill(start, end, flat); err != nil {
			return nil, err
		}
		plain, hasNil := true, false
		for i, v := range flat {
			if v == nil {
				// NULL is a literal in a compiled statement, where a
				// TypeDecorator never sees it: keep it that way
				hasNil = true
				if decorated[i%w] || !nullBinds {
					plain = false
					break
				}
			} else if !plainBindValue(v) {
				plain = false
				break
			}
		}
		var compiled Compiled
		fast, ready := false, false
		if plain && cacheable {
			key.n = end - start
			shape, ok := c.e.bulk.get(key)
			if ok && shape.plan == nil {
				ok = false // known not reusable
			} else if !ok {
				sample := flat
				if hasNil {
					// NULL compiles as a literal: the shape takes a
					// placeholder value instead (a typed column's bind
					// does not depend on its value)
					sample = make([]any, size)
					for i, v := range flat {
						if v == nil {
							v = int64(0)
						}
						sample[i] = v
					}
				}
				var err error
				if shape, err = c.compileBatch(ins, t, cols, sample, end-start, returning, ret); err != nil {
					return nil, err
				}
				if shape.plan != nil && shape.plan.identity(size) && len(shape.ArgTypes) == size {
					cached := shape
					cached.Args = nil
					c.e.bulk.put(key, cached)
					ok = true
				} else if c.e.bulk.put(key, Compiled{}); !hasNil {
					// not a reusable shape (a Go-side default, say):
					// the statement of this batch as it is
					compiled, ready = shape, true
					buf = nil
				}
			}
			if ok {
				compiled = shape
				compiled.Args = flat
				fast = true
			}
		}
		if !fast && !ready {
			var err error
			if compiled, err = c.compileBatch(ins, t, cols, flat, end-start, returning, ret); err != nil {
				return nil, err
			}
			// the statement's values came from buf, which the next
			// batch overwrites: they are the arguments now
			buf = nil
		}
		if !returning {
			r, err := c.run(ctx, compiled, false)
			if err != nil {
				return nil, err
			}
			total.RowsAffected += r.RowsAffected()
			continue
		}
		resultCols = compiled.Columns
		if err := c.readBatch(ctx, compiled, &rbuf, sortIdx); err != nil {
			return nil, err
		}
	}
	if !returning {
		return NewExecResult(total), nil
	}
	if visible < len(resultCols) {
		resultCols = resultCols[:visible]
	}
	rbuf.visible = visible
	if len(resultCols) > 0 {
		rbuf.cols = make([]string, len(resultCols))
		for i, rc := range resultCols {
			rbuf.cols[i] = rc.Name
		}
	}
	return NewResult(&rbuf, resultCols, c.e.d, nil), nil
}

// NullParamDialect is implemented by dialects whose drivers bind an untyped
// NULL parameter to a column of any type. A compiled statement writes NULL
// as a literal; without this capability (SQL Server's driver sends NULL as
// nvarchar, which a binary column rejects) a bulk batch with NULLs compiles
// as a statement of its own.
type NullParamDialect interface {
	BindsNullParams() bool
}

func nullBindSafe(d Dialect) bool {
	n, ok := d.(NullParamDialect)
	return ok && n.BindsNullParams()
}

func colExprs(cols []*Column) []Expr {
	out := make([]Expr, len(cols))
	for i, c := range cols {
		out[i] = c
	}
	return out
}
