package core

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sync/atomic"
)

// ErrResultClosed is returned when rows are asked of a result that has none
// (a statement without rows) or that was already closed or consumed
// (SQLAlchemy's ResourceClosedError).
var ErrResultClosed = errors.New("retort: this result returns no rows, or was already closed")

// Result is what executing a statement returns (SQLAlchemy's
// CursorResult). A result with rows streams them from the driver: iterate
// with Next and Scan or Row, or consume them with All, First, One,
// OneOrNone, Scalar, Mappings, Partitions, or the generic [Scalars],
// [ScalarOne], [ScanAll] and [ScanOne]. Values are converted by the column
// types of the statement (see [ValueConverter] for the Go value of each
// type).
//
// A Result holds its connection until its rows are exhausted or it is
// closed: always consume it or Close it. The consuming methods close it
// themselves. A Result is used by one goroutine at a time.
type Result struct {
	rows    DriverRows
	onClose func(error)
	conn    *Connection // the connection whose rows these are, told when they close (instead of onClose)
	closed  bool
	err     error

	cols    *rowColumns
	types   []Type
	isJSON  []bool
	vc      ValueConverter
	holders []any // what the driver scans into
	raw     []any // the *any targets' storage
	getters []func() any

	exec ExecResult

	// for wrapping driver errors met while reading rows
	d          Dialect
	stmt       string
	params     []any
	hideParams bool

	// struct scan plan of the last struct type scanned into
	planType      reflect.Type
	plan          *structPlan
	direct        *directPlan // direct scan usable with these rows, nil when none
	cand          *directPlan // plan's candidate direct scan
	directChecked bool

	shape *resultShape // shared by the results of one cached statement; nil otherwise
	dests []any        // direct scan destinations
	// NextScan's direct path: checked, usable, the kind of each column
	nsChecked bool
	nsOK      bool
	nsKinds   []DirectKind
	// the direct path holds for NextScanFixed's destinations (decided:
	// nsFixedSet)
	nsFixed, nsFixedSet bool
	// NextScanAt's direct path: decided (atSet), usable (atOK), and the
	// field pointers of its generic path
	atSet, atOK bool
	atDests     []any
	nrows       int32 // rows advanced to

	// inline storage for the slices above, so that a narrow result is
	// one allocation
	holdBuf [inlineCols]any
	rawBuf  [inlineCols]any
	dstBuf  [inlineCols]any
}

// inlineCols is how many columns a Result stores without allocating.
const inlineCols = 6

// resultShape is what NewResult derives from a statement's columns alone,
// computed once per cached statement and shared by its results (read
// only).
type resultShape struct {
	names  []string
	cols   *rowColumns
	types  []Type
	isJSON []bool

	plans atomic.Pointer[shapePlan] // struct plan of the last type scanned into
	// rows is how many rows the last result of the statement read to
	// its end had (see RowsHint)
	rows atomic.Int32
}

// shapePlan is a struct scan plan cached on a resultShape.
type shapePlan struct {
	t      reflect.Type
	plan   *structPlan
	direct *directPlan
}

// rowColumns is shared by every Row of a result.
type rowColumns struct {
	names []string
	index map[string]int
}

func newRowColumns(names []string) *rowColumns {
	rc := &rowColumns{names: names, index: make(map[string]int, len(names))}
	for i, n := range names {
		if _, dup := rc.index[n]; !dup {
			rc.index[n] = i
		}
	}
	return rc
}

// NewResult wraps a driver's rows. cols are the compiled statement's
// result columns (their types drive value conversion); a column the
// statement does not describe (a textual query) is converted by the Go
// value the driver returns. onClose, when not nil, is called exactly once,
// when the rows are closed or exhausted, with the iteration error.
func NewResult(rows DriverRows, cols []ResultColumn, d Dialect, onClose func(error)) *Result {
	return newResult(rows, cols, nil, d, onClose)
}

// newResult is NewResult with the shape cache of a cached statement's plan
// (nil: none).
func newResult(rows DriverRows, cols []ResultColumn, p *plan, d Dialect, onClose func(error)) *Result {
	names := rows.Columns()
	r := &Result{rows: rows, onClose: onClose, d: d}
	if p != nil {
		if sh := p.shape.Load(); sh != nil && sh.d == d && sameNames(sh.s.names, names) {
			r.useShape(sh.s)
			return r
		}
	}
	r.build(names, cols, d)
	if p != nil && !r.shapeHolders() {
		sh := &resultShape{names: names, cols: r.cols, types: r.types, isJSON: r.isJSON}
		p.shape.Store(&planShape{d: d, s: sh})
		r.shape = sh
	}
	return r
}

// planShape is the resultShape of a plan for one dialect.
type planShape struct {
	d Dialect
	s *resultShape
}

// shapeHolders reports whether some column scans into a dialect holder.
func (r *Result) shapeHolders() bool { return r.getters != nil }

func sameNames(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// slots returns n-long slices of the inline storage (or new ones).
func (r *Result) slots(n int) (holders, raw []any) {
	if n <= inlineCols {
		return r.holdBuf[:n:n], r.rawBuf[:n:n]
	}
	return make([]any, n), make([]any, n)
}

// useShape sets r up from a shared shape (no ScanHolder columns).
func (r *Result) useShape(sh *resultShape) {
	r.shape = sh
	r.cols, r.types, r.isJSON = sh.cols, sh.types, sh.isJSON
	r.vc, _ = r.d.(ValueConverter)
	n := len(sh.names)
	r.holders, r.raw = r.slots(n)
	for i := range n {
		r.holders[i] = &r.raw[i]
	}
}

// build sets r up from the statement's columns.
func (r *Result) build(names []string, cols []ResultColumn, d Dialect) {
	if len(names) == 0 && len(cols) > 0 {
		names = make([]string, len(cols))
		for i, c := range cols {
			names[i] = c.Name
		}
	}
	r.cols = newRowColumns(names)
	n := len(names)
	r.types = make([]Type, n)
	r.isJSON = make([]bool, n)
	r.holders, r.raw = r.slots(n)
	r.vc, _ = d.(ValueConverter)
	sh, _ := d.(ScanHolder)
	for i := range n {
		var t Type = NullType{}
		if i < len(cols) && cols[i].Type != nil {
			t = cols[i].Type
		}
		r.types[i] = t
		_, r.isJSON[i] = ImplType(t).(JSON)
		if sh != nil {
			if dest, get, ok := sh.ScanHolder(ImplType(t)); ok {
				if r.getters == nil {
					r.getters = make([]func() any, n)
				}
				r.holders[i], r.getters[i] = dest, get
				continue
			}
		}
		r.holders[i] = &r.raw[i]
	}
}

// SetStatement records the statement the rows come from, so that a driver
// error met while reading them (a division by zero found on row 1000, a lost
// connection) is wrapped by [NewDBError] with the statement and its
// parameters, as an error from Execute is. The engine calls it right after
// NewResult; it returns r.
func (r *Result) SetStatement(stmt string, params []any, hideParams bool) *Result {
	r.stmt, r.params, r.hideParams = stmt, params, hideParams
	return r
}

// driverErr wraps an error from the driver's rows.
func (r *Result) driverErr(err error) error {
	if err == nil || r.d == nil {
		return err
	}
	return NewDBError(r.d, err, r.stmt, r.params, r.hideParams)
}

// NewExecResult is the result of a statement without rows.
func NewExecResult(res ExecResult) *Result {
	return &Result{exec: res, closed: true, cols: noColumns}
}

// noColumns are the (read-only) columns of a result without rows.
var noColumns = newRowColumns(nil)

// Columns returns the names of the result columns.
func (r *Result) Columns() []string { return r.cols.names }

// RowsAffected is the number of rows a statement without rows changed.
func (r *Result) RowsAffected() int64 { return r.exec.RowsAffected }

// LastInsertID is the driver's last insert id and whether it has one.
func (r *Result) LastInsertID() (int64, bool) {
	return r.exec.LastInsertID, r.exec.HasLastInsertID
}

// ReturnsRows reports whether the result has rows (a SELECT or RETURNING).
func (r *Result) ReturnsRows() bool { return r.rows != nil }

// Err returns the error met while iterating, if any.
func (r *Result) Err() error { return r.err }

// Next advances to the next row. It returns false when the rows are
// exhausted or an error occurred (see Err); the result is then closed.
func (r *Result) Next() bool {
	return r.advance() && r.scanRow()
}

// advance moves to the next row without reading it (see scanRow); false
// when the rows are exhausted or failed, the result then closed.
func (r *Result) advance() bool {
	if r.closed || r.rows == nil {
		return false
	}
	if r.rows.Next() {
		r.nrows++
		return true
	}
	err := r.driverErr(r.rows.Err())
	if err == nil && r.shape != nil && r.shape.rows.Load() != r.nrows {
		r.shape.rows.Store(r.nrows)
	}
	r.finish(err)
	return false
}

// RowsHint is how many rows the last result of the same cached statement
// had when it was read to its end (0 when unknown): a guess of this
// result's size, for sizing what its rows go into.
func (r *Result) RowsHint() int {
	if r.shape == nil {
		return 0
	}
	return int(r.shape.rows.Load())
}

// scanRow reads the row advance moved to into the holders; on an error
// the result is closed with it and scanRow returns false.
func (r *Result) scanRow() bool {
	if err := r.rows.Scan(r.holders...); err != nil {
		r.finish(r.driverErr(err))
		return false
	}
	if r.getters != nil {
		for i, g := range r.getters {
			if g != nil {
				r.raw[i] = g()
			}
		}
	}
	return true
}

// finish closes the rows once and reports to onClose.
func (r *Result) finish(err error) {
	if r.closed {
		return
	}
	r.closed = true
	if cerr := r.rows.Close(); err == nil {
		err = r.driverErr(cerr)
	}
	if err != nil && r.err == nil {
		r.err = err
	}
	if r.onClose != nil {
		f := r.onClose
		r.onClose = nil
		f(err)
	} else if c := r.conn; c != nil {
		r.conn = nil
		c.rowsClosed(err, r.stmt, r.params)
	}
}

// Close closes the rows (releasing the connection); later calls do
// nothing. It returns the iteration error, if any.
func (r *Result) Close() error {
	if r.rows != nil {
		r.finish(nil)
	}
	return r.err
}

// value converts the current row's i-th value (JSON stays raw).
func (r *Result) value(i int) (any, error) {
	v, err := resultValue(r.vc, r.types[i], r.raw[i])
	if err != nil {
		var ce *ConversionError
		if errors.As(err, &ce) && ce.Column == "" {
			ce.Column = r.cols.names[i]
		}
		return nil, err
	}
	return v, nil
}

// rowValue is value with JSON decoded.
func (r *Result) rowValue(i int) (any, error) {
	v, err := r.value(i)
	if err != nil {
		return nil, err
	}
	if raw, ok := v.(json.RawMessage); ok && r.isJSON[i] {
		var x any
		if err := json.Unmarshal(raw, &x); err != nil {
			return nil, &ConversionError{Type: "JSON", Column: r.cols.names[i], Msg: "decode JSON", Err: err}
		}
		return x, nil
	}
	return v, nil
}

// Scan copies the current row's values into dest, one pointer per column
// (fewer pointers than columns is an error; a nil pointer skips a column).
// Values are converted by the column types and then stored the way
// database/sql would: *any takes the converted value, pointers and
// sql.Null*/sql.Scanner destinations take NULL, numbers convert between Go
// integer and float kinds with overflow checks, and JSON columns are
// decoded into the destination.
func (r *Result) Scan(dest ...any) error {
	if r.rows == nil {
		return ErrResultClosed
	}
	if len(dest) != len(r.raw) {
		return &ArgumentError{Msg: fmt.Sprintf("Scan: %d destinations for %d columns", len(dest), len(r.raw))}
	}
	for i, d := range dest {
		if d == nil {
			continue
		}
		v, err := r.value(i)
		if err != nil {
			return err
		}
		if err := assign(d, v, r.isJSON[i]); err != nil {
			return &ConversionError{Type: r.types[i].TypeName(), Column: r.cols.names[i], Value: v, Msg: "scan", Err: err}
		}
	}
	return nil
}

// Row returns the current row.
func (r *Result) Row() (Row, error) {
	if r.rows == nil {
		return Row{}, ErrResultClosed
	}
	vals := make([]any, len(r.raw))
	for i := range vals {
		v, err := r.rowValue(i)
		if err != nil {
			return Row{}, err
		}
		vals[i] = v
	}
	return Row{cols: r.cols, vals: vals}, nil
}

// fail closes the result after a conversion error and returns err.
func (r *Result) fail(err error) error {
	r.finish(err)
	return err
}

// All returns every remaining row and closes the result.
func (r *Result) All() ([]Row, error) {
	if r.rows == nil {
		return nil, ErrResultClosed
	}
	var out []Row
	for r.Next() {
		row, err := r.Row()
		if err != nil {
			return nil, r.fail(err)
		}
		out = append(out, row)
	}
	return out, r.err
}

// First returns the first row and closes the result; nil (an empty Row
// with Len 0) and no error when there is none. Use [Row.Valid] to tell.
func (r *Result) First() (Row, error) {
	if r.rows == nil {
		return Row{}, ErrResultClosed
	}
	defer r.Close()
	if !r.Next() {
		return Row{}, r.err
	}
	return r.Row()
}

// One returns the only row: ErrNoResultFound when there is none,
// ErrMultipleResultsFound when there are more. It closes the result.
func (r *Result) One() (Row, error) {
	row, err := r.OneOrNone()
	if err == nil && !row.Valid() {
		return Row{}, ErrNoResultFound
	}
	return row, err
}

// OneOrNone returns the only row, or an invalid Row when there is none;
// ErrMultipleResultsFound when there are more. It closes the result.
func (r *Result) OneOrNone() (Row, error) {
	if r.rows == nil {
		return Row{}, ErrResultClosed
	}
	defer r.Close()
	if !r.Next() {
		return Row{}, r.err
	}
	row, err := r.Row()
	if err != nil {
		return Row{}, err
	}
	if r.Next() {
		return Row{}, ErrMultipleResultsFound
	}
	if r.err != nil {
		return Row{}, r.err
	}
	return row, nil
}

// Scalar returns the first column of the first row, nil when there is no
// row, and closes the result.
func (r *Result) Scalar() (any, error) {
	if r.rows == nil {
		return nil, ErrResultClosed
	}
	defer r.Close()
	if !r.Next() {
		return nil, r.err
	}
	if len(r.raw) == 0 {
		return nil, nil
	}
	return r.rowValue(0)
}

// Mappings returns every remaining row as a map from column name to value
// (a later column of a repeated name wins) and closes the result.
func (r *Result) Mappings() ([]map[string]any, error) {
	if r.rows == nil {
		return nil, ErrResultClosed
	}
	var out []map[string]any
	for r.Next() {
		m := make(map[string]any, len(r.raw))
		for i, name := range r.cols.names {
			v, err := r.rowValue(i)
			if err != nil {
				return nil, r.fail(err)
			}
			m[name] = v
		}
		out = append(out, m)
	}
	return out, r.err
}

// Partitions streams the remaining rows to fn in slices of up to size rows
// (SQLAlchemy's partitions / yield_per): only one slice is held at a time,
// so memory stays bounded however many rows there are. The slice passed to
// fn is reused after fn returns; copy the Rows you keep (the Rows
// themselves stay valid). An error from fn stops the iteration, closes the
// result and is returned.
func (r *Result) Partitions(size int, fn func([]Row) error) error {
	if r.rows == nil {
		return ErrResultClosed
	}
	if size <= 0 {
		size = 1000
	}
	buf := make([]Row, 0, size)
	for r.Next() {
		row, err := r.Row()
		if err != nil {
			return r.fail(err)
		}
		buf = append(buf, row)
		if len(buf) == size {
			if err := fn(buf); err != nil {
				r.finish(nil)
				return err
			}
			clear(buf)
			buf = buf[:0]
		}
	}
	if r.err != nil {
		return r.err
	}
	if len(buf) > 0 {
		return fn(buf)
	}
	return nil
}

// Scalars returns the first column of every remaining row as T and closes
// the result. A NULL is an error unless T can hold it (a pointer, any,
// sql.Null[T]).
func Scalars[T any](r *Result) ([]T, error) {
	if r.rows == nil {
		return nil, ErrResultClosed
	}
	if len(r.raw) == 0 {
		r.Close()
		return nil, &ArgumentError{Msg: "Scalars: the result has no columns"}
	}
	var out []T
	if b, ok := r.rows.(*bufferedRows); ok && b.i < b.len() {
		out = make([]T, 0, b.len()-b.i) // rows already read (bulk insert)
	}
	// one destination for every row: a new one per row would escape
	var x, zero T
	for r.Next() {
		x = zero
		if err := r.scanFirst(&x); err != nil {
			return nil, r.fail(err)
		}
		out = append(out, x)
	}
	return out, r.err
}

// ScalarOne returns the first column of the only row as T:
// ErrNoResultFound when there is no row, ErrMultipleResultsFound when there
// are more. It closes the result.
func ScalarOne[T any](r *Result) (T, error) {
	var x T
	if r.rows == nil {
		return x, ErrResultClosed
	}
	defer r.Close()
	if !r.Next() {
		if r.err != nil {
			return x, r.err
		}
		return x, ErrNoResultFound
	}
	if len(r.raw) == 0 {
		return x, &ArgumentError{Msg: "ScalarOne: the result has no columns"}
	}
	if err := r.scanFirst(&x); err != nil {
		return x, err
	}
	if r.Next() {
		var zero T
		return zero, ErrMultipleResultsFound
	}
	return x, r.err
}

func (r *Result) scanFirst(dest any) error {
	v, err := r.value(0)
	if err != nil {
		return err
	}
	if err := assign(dest, v, r.isJSON[0]); err != nil {
		return &ConversionError{Type: r.types[0].TypeName(), Column: r.cols.names[0], Value: v, Msg: "scan", Err: err}
	}
	return nil
}

// Row is one result row: values by position and by column name. Rows are
// immutable values sharing their result's column list; a Row stays valid
// after its result is closed. The zero Row (from First or OneOrNone on an
// empty result) is not Valid.
type Row struct {
	cols *rowColumns
	vals []any
}

// Valid reports whether the row holds a result row (the zero Row does not).
func (r Row) Valid() bool { return r.cols != nil }

// Values returns the row's values in column order. The slice belongs to
// the row: do not modify it.
func (r Row) Values() []any { return r.vals }

// Len is the number of columns.
func (r Row) Len() int { return len(r.vals) }

// Index returns the i-th value; it panics when i is out of range, as
// indexing a slice does.
func (r Row) Index(i int) any { return r.vals[i] }

// Get returns the value of the named column (the first of that name) and
// whether there is such a column.
func (r Row) Get(name string) (any, bool) {
	if r.cols == nil {
		return nil, false
	}
	i, ok := r.cols.index[name]
	if !ok {
		return nil, false
	}
	return r.vals[i], true
}

// Columns returns the column names.
func (r Row) Columns() []string {
	if r.cols == nil {
		return nil
	}
	return r.cols.names
}
