package core

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
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
	t *Table
	n int // rows per statement
	// the positions in t (plus one) of the columns and of the RETURNING
	// columns, when they fit; long holds both otherwise
	cols [bulkKeyCols]uint16
	ret  [bulkKeyRet]uint16
	long string
}

const (
	bulkKeyCols = 12
	bulkKeyRet  = 4
)

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

// shapeKey fills k with the positions in t of cols and ret, which must all
// be columns of t; ok is false otherwise. It allocates only for shapes
// wider than the key's arrays.
func shapeKey(k *bulkKey, t *Table, cols []*Column, ret []Expr) bool {
	k.t = t
	fits := len(cols) <= bulkKeyCols && len(ret) <= bulkKeyRet
	tcols := t.Columns()
	if len(tcols) >= 1<<16-1 {
		fits = false
	}
	var long []byte
	for i, col := range cols {
		p := colIndex(t, col)
		if p < 0 || col.Table() != t {
			return false
		}
		if fits {
			k.cols[i] = uint16(p + 1)
		} else {
			long = strconv.AppendInt(long, int64(p), 10)
			long = append(long, ',')
		}
	}
	if !fits {
		long = append(long, '|')
	}
	for i, e := range ret {
		col, isCol := e.(*Column)
		if !isCol || col.Table() != t {
			return false
		}
		p := colIndex(t, col)
		if p < 0 {
			return false
		}
		if fits {
			k.ret[i] = uint16(p + 1)
		} else {
			long = strconv.AppendInt(long, int64(p), 10)
			long = append(long, ',')
		}
	}
	if !fits {
		k.long = string(long)
	}
	return true
}

// bulkBufs recycles the argument buffers of bulk inserts that nothing
// outside the insert can see (no execute listeners, no echo).
var bulkBufs sync.Pool

// maxPooledBuf bounds the buffers kept in bulkBufs (values).
const maxPooledBuf = 1 << 16

func getBulkBuf(n int) []any {
	if p, ok := bulkBufs.Get().(*[]any); ok {
		if cap(*p) >= n {
			return (*p)[:n]
		}
		bulkBufs.Put(p)
	}
	return make([]any, n)
}

func putBulkBuf(b []any) {
	if cap(b) == 0 || cap(b) > maxPooledBuf {
		return
	}
	b = b[:cap(b)]
	clear(b)
	bulkBufs.Put(&b)
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
//
// In a transaction, the full batches go through a pipeline where the
// driver has one ([Pipeliner]: PostgreSQL): each batch is sent before the
// result of the one before is read, so encoding one batch overlaps the
// server's work on the other. Execute listeners see every batch as usual.
func (c *Connection) InsertRows(ctx context.Context, table *Table, cols []*Column, rows [][]any, returning ...Expr) (*Result, error) {
	if err := c.checkInsertRows(table, cols); err != nil {
		return nil, err
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

// checkInsertRows checks the connection, the table and the columns of
// InsertRows and InsertRowsFunc.
func (c *Connection) checkInsertRows(table *Table, cols []*Column) error {
	if err := c.usable(); err != nil {
		return err
	}
	if table == nil {
		return &ArgumentError{Msg: "insert rows: nil table"}
	}
	if len(cols) == 0 {
		return &ArgumentError{Msg: fmt.Sprintf("insert rows into %q: no columns", table.Name())}
	}
	for _, col := range cols {
		if col == nil || col.Table() != table || colIndex(table, col) < 0 {
			name := "<nil>"
			if col != nil {
				name = col.Name()
			}
			return &ArgumentError{Msg: fmt.Sprintf("insert rows into %q: column %q is not a column of the table", table.Name(), name)}
		}
	}
	return nil
}

// InsertRowsFunc is [Connection.InsertRows] with the rows produced on
// demand: fill writes row i's values, one per column of cols, into dst
// (len(cols) values; nil is NULL). The values go straight into the
// argument buffer of the row's batch, with no [][]any of the rows in
// between; fill is called once per row, in order. An error from fill
// stops the insert and is returned as it is.
func (c *Connection) InsertRowsFunc(ctx context.Context, table *Table, cols []*Column, n int, fill func(i int, dst []any) error, returning ...Expr) (*Result, error) {
	if err := c.checkInsertRows(table, cols); err != nil {
		return nil, err
	}
	if n < 0 {
		return nil, &ArgumentError{Msg: fmt.Sprintf("insert rows into %q: %d rows", table.Name(), n)}
	}
	if fill == nil {
		return nil, &ArgumentError{Msg: fmt.Sprintf("insert rows into %q: nil fill function", table.Name())}
	}
	w := len(cols)
	batchFill := func(start, end int, dst []any) error {
		for i := start; i < end; i++ {
			if err := fill(i, dst[(i-start)*w:(i-start+1)*w:(i-start+1)*w]); err != nil {
				return err
			}
		}
		return nil
	}
	return c.bulkInsert(ctx, nil, table, cols, n, batchFill, returning, len(returning) > 0)
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
		ret = make([]Expr, len(retExprs), len(retExprs)+1)
		copy(ret, retExprs)
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
	var decoratedBuf [16]bool
	decorated := decoratedBuf[:0]
	if w > len(decoratedBuf) {
		decorated = make([]bool, 0, w)
	}
	decorated = decorated[:w]
	for j, col := range cols {
		if isNullType(col.Type()) {
			cacheable = false
		}
		_, decorated[j] = col.Type().(TypeDecorator)
	}
	if cacheable {
		cacheable = shapeKey(&key, t, cols, ret)
	}
	// one argument buffer for every batch, unless execute listeners (which
	// may keep the arguments) are registered; with no echo either, the
	// buffer is recycled for the next bulk insert
	shared := len(c.e.ev.beforeExecute.list()) == 0 && len(c.e.ev.afterExecute.list()) == 0
	pooled := shared && c.e.echo.Logger == nil
	var buf []any
	var total ExecResult
	var rs returningReader
	if returning {
		if len(ret) == 1 && sortIdx == 0 {
			// RETURNING only the generated key: read unboxed
			rs.buf.keys = make([]int64, 0, n)
		} else {
			rs.buf.rows = make([][]any, 0, n)
		}
		rs.expect = n
		rs.sortIdx = sortIdx
	}
	var resultCols []ResultColumn
	var resultPlan *plan
	// Two or more full batches, in a transaction, may go through a
	// pipeline (see Pipeliner): each batch is sent before the result of
	// the one before is read. The batches alternate between two argument
	// buffers, so that the arguments of a batch whose result is not read
	// yet stay as they were sent (an error reports them).
	if err := c.settle(ctx); err != nil {
		// (a listener's bulk insert inside another's)
		return nil, err
	}
	// A bulk insert that cannot pipeline keeps an empty bulkPipe on the
	// stack; one that may is on the heap, where the Connection can reach
	// it (settle).
	var none bulkPipe
	bp := &none
	if n/per >= 2 {
		if pl, ok := c.dc.(Pipeliner); ok {
			outer := c.pipe
			heap := &bulkPipe{p: pl, rs: &rs, rows: returning}
			c.pipe, bp = heap, heap
			defer func() { c.pipe = outer }()
		}
	}
	defer func() {
		if bp.open != nil {
			if err := bp.open.Close(); err != nil {
				c.broken = true
			}
		}
	}()
	var buf2 []any
	for start := 0; start < n; start += per {
		if bp.err != nil {
			return nil, bp.err
		}
		end := min(start+per, n)
		size := (end - start) * len(cols)
		if bp.open != nil {
			buf, buf2 = buf2, buf
		}
		if !shared || buf == nil {
			if pooled {
				buf = getBulkBuf(min(per, n) * len(cols))
			} else {
				buf = make([]any, min(per, n)*len(cols))
			}
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
					buf, pooled = nil, false
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
			buf, pooled = nil, false
		}
		if returning && resultCols == nil {
			resultCols, resultPlan = compiled.Columns, compiled.plan
		}
		if fast && end-start == per && bp.p != nil {
			if err := c.pipeBatch(ctx, bp, compiled); err != nil {
				return nil, err
			}
			continue
		}
		if err := c.endPipe(ctx, bp); err != nil {
			return nil, err
		}
		if !returning {
			r, err := c.run(ctx, compiled, false)
			if err != nil {
				// the error keeps the arguments
				return nil, err
			}
			total.RowsAffected += r.RowsAffected()
			continue
		}
		if err := c.readBatch(ctx, compiled, &rs); err != nil {
			return nil, err
		}
	}
	if err := c.endPipe(ctx, bp); err != nil {
		return nil, err
	}
	if bp.err != nil {
		return nil, bp.err
	}
	total.RowsAffected += bp.total.RowsAffected
	if pooled {
		if buf != nil {
			putBulkBuf(buf)
		}
		if buf2 != nil {
			putBulkBuf(buf2)
		}
	}
	if !returning {
		return NewExecResult(total), nil
	}
	if visible < len(resultCols) {
		resultCols = resultCols[:visible]
	}
	rbuf := &rs.buf
	rbuf.visible = visible
	if len(resultCols) > 0 {
		// the names of a cached statement's result shape, when it has
		// one for these columns; the Result then reuses the shape too
		if resultPlan != nil {
			if sh := resultPlan.shape.Load(); sh != nil && sh.d == c.e.d && sameResultNames(sh.s.names, resultCols) {
				rbuf.cols = sh.s.names
			}
		}
		if rbuf.cols == nil {
			rbuf.cols = make([]string, len(resultCols))
			for i, rc := range resultCols {
				rbuf.cols[i] = rc.Name
			}
		}
	}
	return newResult(rbuf, resultCols, resultPlan, c.e.d, nil), nil
}

func sameResultNames(names []string, cols []ResultColumn) bool {
	if len(names) != len(cols) {
		return false
	}
	for i := range cols {
		if names[i] != cols[i].Name {
			return false
		}
	}
	return true
}

// returningReader collects the rows of the INSERT … RETURNING batches of
// one bulk insert.
type returningReader struct {
	buf     bufferedRows
	expect  int // rows still expected: the slab is sized for them
	sortIdx int // the sentinel column, or -1
	slab    []any
	ptrs    []any
	key     int64 // readKeys' destination
}

// bulkPipe is the pipeline of one bulk insert's batches.
type bulkPipe struct {
	p    Pipeliner      // the connection's, while the batches may still use one
	open DriverPipeline // the pipeline, once started
	sql  string         // the statement it runs
	// rows: the batches return rows, read into rs; otherwise their rows
	// affected are added to total
	rows  bool
	rs    *returningReader
	total ExecResult
	// the batches sent and not read yet, oldest first (their arguments
	// stay in their buffers until they are read)
	inflight [2]Compiled
	n        int // how many are in flight
	// err: the pipeline was ended by another statement (settle) and its
	// last batch failed
	err error
}

// pipeBatch runs one full batch through the pipeline, starting it on
// the first batch, and reads the batch sent before. A batch the pipeline
// cannot take (the connection cannot pipeline, or an execute listener
// changed its SQL) ends the pipeline and runs on its own, and so do the
// batches after it.
func (c *Connection) pipeBatch(ctx context.Context, bp *bulkPipe, compiled Compiled) error {
	compiled, err := c.ready(ctx, compiled)
	if err != nil {
		return err
	}
	if bp.err != nil {
		return bp.err
	}
	if bp.p == nil {
		// a listener's statement ended the pipeline (settle)
		return c.soloBatch(ctx, bp, compiled)
	}
	if bp.open == nil {
		pl, ok, err := bp.p.Pipeline(ctx, compiled.SQL)
		if err != nil {
			c.afterExecute(ctx, compiled, err)
			return c.wrap(ctx, err, compiled.SQL, compiled.Args)
		}
		if !ok {
			bp.p = nil
			return c.soloBatch(ctx, bp, compiled)
		}
		bp.open, bp.sql = pl, compiled.SQL
	} else if compiled.SQL != bp.sql {
		if err := c.endPipe(ctx, bp); err != nil {
			return err
		}
		return c.soloBatch(ctx, bp, compiled)
	}
	if err := bp.open.Send(compiled.Args); err != nil {
		c.afterExecute(ctx, compiled, err)
		return c.wrap(ctx, err, compiled.SQL, compiled.Args)
	}
	bp.inflight[bp.n] = compiled
	bp.n++
	if bp.n > 1 {
		return c.pipeRead(ctx, bp)
	}
	return nil
}

// soloBatch runs a batch readied by ready on its own.
func (c *Connection) soloBatch(ctx context.Context, bp *bulkPipe, compiled Compiled) error {
	if bp.rows {
		return c.queryBatch(ctx, compiled, bp.rs)
	}
	r, err := c.dc.Exec(ctx, compiled.SQL, compiled.Args)
	c.afterExecute(ctx, compiled, err)
	if err != nil {
		return c.wrap(ctx, err, compiled.SQL, compiled.Args)
	}
	bp.total.RowsAffected += r.RowsAffected
	return nil
}

// pipeRead reads the result of the oldest batch in flight. (An
// after-execute listener's statement may end the pipeline meanwhile: its
// settle reads the batches still in flight, in order.)
func (c *Connection) pipeRead(ctx context.Context, bp *bulkPipe) error {
	prev := bp.inflight[0]
	bp.inflight[0], bp.inflight[1] = bp.inflight[1], Compiled{}
	bp.n--
	if !bp.rows {
		r, err := bp.open.Exec()
		c.afterExecute(ctx, prev, err)
		if err != nil {
			return c.wrap(ctx, err, prev.SQL, prev.Args)
		}
		bp.total.RowsAffected += r.RowsAffected
		return nil
	}
	// the rows are read before the after-execute listeners run: a
	// statement of theirs ends the pipeline (settle), which discards what
	// was not read
	rows, err := bp.open.Rows()
	if err == nil {
		err = c.readRows(ctx, prev, rows, bp.rs)
		c.afterExecute(ctx, prev, nil)
		return err
	}
	c.afterExecute(ctx, prev, err)
	return c.wrap(ctx, err, prev.SQL, prev.Args)
}

// endPipe reads the last batch sent through the pipeline, if any, and
// closes it; the connection then serves single statements again, and the
// later batches run on their own.
func (c *Connection) endPipe(ctx context.Context, bp *bulkPipe) error {
	bp.p = nil
	for bp.open != nil && bp.n > 0 {
		if err := c.pipeRead(ctx, bp); err != nil {
			return err
		}
	}
	pl := bp.open
	if pl == nil {
		return nil
	}
	bp.open = nil
	if err := pl.Close(); err != nil {
		c.broken = true
		return c.wrap(ctx, err, bp.sql, nil)
	}
	return nil
}

// readBatch runs one INSERT … RETURNING and appends its rows to rs.buf,
// sorted by the sentinel column when there is one.
func (c *Connection) readBatch(ctx context.Context, compiled Compiled, rs *returningReader) error {
	compiled, err := c.ready(ctx, compiled)
	if err != nil {
		return err
	}
	return c.queryBatch(ctx, compiled, rs)
}

// queryBatch runs a batch readied by ready on its own and appends
// its rows to rs.buf. The rows are read before the after-execute
// listeners run, so that a listener can run statements of its own on
// the connection.
func (c *Connection) queryBatch(ctx context.Context, compiled Compiled, rs *returningReader) error {
	rows, err := c.dc.Query(ctx, compiled.SQL, compiled.Args)
	if err != nil {
		c.afterExecute(ctx, compiled, err)
		return c.wrap(ctx, err, compiled.SQL, compiled.Args)
	}
	err = c.readRows(ctx, compiled, rows, rs)
	c.afterExecute(ctx, compiled, nil)
	return err
}

// readRows appends the rows of one batch to rs.buf and closes them.
func (c *Connection) readRows(ctx context.Context, compiled Compiled, rows DriverRows, rs *returningReader) error {
	n := len(rows.Columns())
	buf := &rs.buf
	if buf.keys != nil {
		return c.readKeys(ctx, compiled, rows, rs)
	}
	first := len(buf.rows)
	// the rows' values come from one slab sized for the rows still
	// expected, and one set of destinations serves every row
	if len(rs.ptrs) != n {
		rs.ptrs = make([]any, n)
	}
	ptrs := rs.ptrs
	for rows.Next() {
		if len(rs.slab) < n {
			rs.slab = make([]any, n*max(rs.expect, 64))
		}
		vals := rs.slab[:n:n]
		rs.slab = rs.slab[n:]
		rs.expect--
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			rows.Close()
			return c.wrap(ctx, err, compiled.SQL, compiled.Args)
		}
		buf.rows = append(buf.rows, vals)
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return c.wrap(ctx, err, compiled.SQL, compiled.Args)
	}
	if err := rows.Close(); err != nil {
		return c.wrap(ctx, err, compiled.SQL, compiled.Args)
	}
	if i := rs.sortIdx; i >= 0 && i < n {
		sortBySentinel(buf.rows[first:], i)
	}
	return nil
}

// readKeys is readBatch of a RETURNING of the generated key alone: the
// keys are read into int64s (no boxing, no row slices), in the order of
// their values (see sortBySentinel).
func (c *Connection) readKeys(ctx context.Context, compiled Compiled, rows DriverRows, rs *returningReader) error {
	buf := &rs.buf
	first := len(buf.keys)
	if rs.ptrs == nil {
		rs.ptrs = []any{&rs.key}
	}
	for rows.Next() {
		if err := rows.Scan(rs.ptrs...); err != nil {
			rows.Close()
			return c.wrap(ctx, err, compiled.SQL, compiled.Args)
		}
		buf.keys = append(buf.keys, rs.key)
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return c.wrap(ctx, err, compiled.SQL, compiled.Args)
	}
	if err := rows.Close(); err != nil {
		return c.wrap(ctx, err, compiled.SQL, compiled.Args)
	}
	if batch := buf.keys[first:]; !slices.IsSorted(batch) {
		slices.Sort(batch)
	}
	return nil
}

// sortBySentinel puts the rows of one batch in the order of their
// sentinel column (column i), keeping the order of equal keys. The rows
// usually come back in that order already.
func sortBySentinel(batch [][]any, i int) {
	sorted := true
	prev := int64(0)
	for j, r := range batch {
		k, _ := sentinelInt64(r[i])
		if j > 0 && k < prev {
			sorted = false
			break
		}
		prev = k
	}
	if sorted {
		return
	}
	slices.SortStableFunc(batch, func(a, b []any) int {
		x, _ := sentinelInt64(a[i])
		y, _ := sentinelInt64(b[i])
		return cmp.Compare(x, y)
	})
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
