package core

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// ErrConnectionClosed is returned when a closed [Connection] is used.
var ErrConnectionClosed = errors.New("retort: this Connection is closed")

// ErrConnectionInvalidated is returned when a [Connection] whose database
// connection was lost is used again; close it and connect anew.
var ErrConnectionInvalidated = errors.New("retort: this Connection was invalidated by a lost database connection; close it and connect again")

// ErrTransactionInactive is returned by Commit on a transaction that was
// already committed or rolled back.
var ErrTransactionInactive = errors.New("retort: this transaction is inactive (already committed or rolled back)")

// ExecutionOptions are a connection's execution options.
type ExecutionOptions struct {
	// Isolation is the isolation level of transactions begun from now on.
	Isolation IsolationLevel
	// ReadOnly begins read-only transactions.
	ReadOnly bool
	// Autocommit runs each statement in its own implicit transaction (the
	// database's autocommit; SQLAlchemy's AUTOCOMMIT isolation level): no
	// transaction is begun, Commit and Rollback do nothing. BeginNested
	// is refused.
	Autocommit bool
}

// Connection is one database connection checked out of an [Engine]'s pool,
// SQLAlchemy 2.0's Connection. It belongs to one goroutine at a time.
//
// It works "commit as you go": the first statement begins a transaction
// that stays open until [Connection.Commit] or [Connection.Rollback]; Close
// rolls back what was not committed. [Connection.Begin] begins one
// explicitly; [Connection.BeginNested] adds a SAVEPOINT.
type Connection struct {
	e           *Engine
	dc          DriverConn
	closed      bool
	broken      bool
	inTx        bool
	root        *Transaction
	nested      []*Transaction
	spN         int
	opts        ExecutionOptions
	rowsOpen    bool            // a query's rows are being read
	rowsCtx     context.Context // the context of the query whose rows are open
	engineOwned bool            // Engine.Execute's connection: commit and close when the rows close
	// pipe is the pipeline of the bulk insert running, if any: a statement
	// run while it is open (an execute listener's) ends it first (settle)
	pipe *bulkPipe
}

// settle ends the pipeline of the bulk insert running, if one is open,
// so that another statement can use the connection: the batch in flight
// is read, and the insert's later batches run one by one. An error of
// that batch is kept for the insert to report too.
func (c *Connection) settle(ctx context.Context) error {
	bp := c.pipe
	if bp == nil || bp.open == nil {
		return nil
	}
	if err := c.endPipe(ctx, bp); err != nil {
		bp.err = err
		return err
	}
	return nil
}

// Transaction is a transaction or a savepoint on a [Connection].
type Transaction struct {
	c      *Connection
	name   string // savepoint name; "" for the outermost transaction
	active bool
}

// Engine returns the connection's engine.
func (c *Connection) Engine() *Engine { return c.e }

// DriverConn returns the pooled connection under c.
func (c *Connection) DriverConn() DriverConn { return c.dc }

// Closed reports whether Close was called.
func (c *Connection) Closed() bool { return c.closed }

// InTransaction reports whether a transaction is open.
func (c *Connection) InTransaction() bool { return c.inTx }

// SetExecutionOptions sets the connection's execution options. Isolation
// and ReadOnly apply to the next transaction; switching Autocommit on
// while a transaction is open is an error.
func (c *Connection) SetExecutionOptions(o ExecutionOptions) error {
	if err := c.usable(); err != nil {
		return err
	}
	if o.Autocommit && c.inTx {
		return &ArgumentError{Msg: "execution options: cannot switch to autocommit while a transaction is open; commit or roll back first"}
	}
	c.opts = o
	return nil
}

// SetIsolation sets the isolation level of the next transaction.
func (c *Connection) SetIsolation(l IsolationLevel) error {
	o := c.opts
	o.Isolation = l
	return c.SetExecutionOptions(o)
}

// ExecutionOptions returns the connection's execution options.
func (c *Connection) ExecutionOptions() ExecutionOptions { return c.opts }

func (c *Connection) usable() error {
	if c.closed {
		return ErrConnectionClosed
	}
	if c.broken {
		return ErrConnectionInvalidated
	}
	return nil
}

// Close rolls back an open transaction and returns the connection to the
// pool (discarding it when it was lost). Closing twice does nothing.
func (c *Connection) Close() error {
	if c.closed {
		return nil
	}
	var err error
	if c.inTx && !c.broken {
		err = c.Rollback(context.Background())
	} else {
		_ = c.settle(context.Background())
	}
	c.closed = true
	c.endAll()
	if ls := c.e.ev.checkin.list(); len(ls) > 0 {
		for _, l := range ls {
			l.fn(c.dc)
		}
	}
	c.dc.Release(c.broken)
	return err
}

func (c *Connection) endAll() {
	if c.root != nil {
		c.root.active = false
		c.root = nil
	}
	for _, t := range c.nested {
		t.active = false
	}
	c.nested = c.nested[:0]
	c.inTx = false
}

func (c *Connection) beginRoot(ctx context.Context) error {
	if err := c.dc.Begin(ctx, TxOptions{Isolation: c.opts.Isolation, ReadOnly: c.opts.ReadOnly}); err != nil {
		return c.wrap(ctx, err, "BEGIN", nil)
	}
	c.inTx = true
	c.root = &Transaction{c: c, active: true}
	if ls := c.e.ev.begin.list(); len(ls) > 0 {
		fireConnLevel(ls, ctx, c)
	}
	return nil
}

// Begin begins a transaction explicitly. It is an error when one is open
// already (also one begun by an earlier Execute): use BeginNested for a
// savepoint.
func (c *Connection) Begin(ctx context.Context) (*Transaction, error) {
	if err := c.usable(); err != nil {
		return nil, err
	}
	if c.inTx {
		return nil, &ArgumentError{Msg: "begin: a transaction is already begun on this Connection (perhaps by an earlier Execute); commit or roll it back first, or use BeginNested"}
	}
	if c.opts.Autocommit {
		return nil, &ArgumentError{Msg: "begin: the Connection is in autocommit mode"}
	}
	if err := c.beginRoot(ctx); err != nil {
		return nil, err
	}
	return c.root, nil
}

// BeginNested begins a nested transaction: a SAVEPOINT (SAVE TRANSACTION on
// SQL Server). A transaction is begun first when none is open. Rolling the
// nested transaction back keeps the outer transaction's work.
func (c *Connection) BeginNested(ctx context.Context) (*Transaction, error) {
	if err := c.usable(); err != nil {
		return nil, err
	}
	if c.opts.Autocommit {
		return nil, &ArgumentError{Msg: "begin nested: the Connection is in autocommit mode"}
	}
	if !c.inTx {
		if err := c.beginRoot(ctx); err != nil {
			return nil, err
		}
	}
	c.spN++
	name := "sp_" + strconv.Itoa(c.spN)
	if err := c.rawExec(ctx, c.e.savepoints.SavepointSQL(name)); err != nil {
		return nil, err
	}
	t := &Transaction{c: c, name: name, active: true}
	c.nested = append(c.nested, t)
	return t, nil
}

// Commit commits the open transaction (with its savepoints). Without one
// it does nothing.
func (c *Connection) Commit(ctx context.Context) error {
	if err := c.usable(); err != nil {
		return err
	}
	if !c.inTx {
		return nil
	}
	if err := c.settle(ctx); err != nil {
		return err
	}
	err := c.dc.Commit(ctx)
	c.endAll()
	if err != nil {
		return c.wrap(ctx, err, "COMMIT", nil)
	}
	if ls := c.e.ev.commit.list(); len(ls) > 0 {
		fireConnLevel(ls, ctx, c)
	}
	return nil
}

// Rollback rolls back the open transaction. Without one it does nothing.
func (c *Connection) Rollback(ctx context.Context) error {
	if c.closed {
		return ErrConnectionClosed
	}
	if !c.inTx {
		return nil
	}
	_ = c.settle(ctx) // the rollback undoes its batches anyway
	err := c.dc.Rollback(ctx)
	c.endAll()
	if ls := c.e.ev.rollback.list(); len(ls) > 0 {
		fireConnLevel(ls, ctx, c)
	}
	if err != nil && !c.broken {
		return c.wrap(ctx, err, "ROLLBACK", nil)
	}
	return nil
}

// IsActive reports whether the transaction is still open.
func (t *Transaction) IsActive() bool { return t.active && !t.c.closed }

// IsNested reports whether t is a savepoint.
func (t *Transaction) IsNested() bool { return t.name != "" }

// Commit commits the transaction, or releases the savepoint.
func (t *Transaction) Commit(ctx context.Context) error {
	if !t.IsActive() {
		return ErrTransactionInactive
	}
	if t.name == "" {
		return t.c.Commit(ctx)
	}
	i := t.c.popTo(t)
	if q := t.c.e.savepoints.ReleaseSavepointSQL(t.name); q != "" {
		if err := t.c.rawExec(ctx, q); err != nil {
			return err
		}
	}
	_ = i
	return nil
}

// Rollback rolls the transaction back, or rolls back to the savepoint
// (keeping the outer transaction's work). On an inactive transaction it
// does nothing.
func (t *Transaction) Rollback(ctx context.Context) error {
	if !t.IsActive() {
		return nil
	}
	if t.name == "" {
		return t.c.Rollback(ctx)
	}
	t.c.popTo(t)
	return t.c.rawExec(ctx, t.c.e.savepoints.RollbackToSavepointSQL(t.name))
}

// popTo ends t and the savepoints begun after it.
func (c *Connection) popTo(t *Transaction) int {
	for i := len(c.nested) - 1; i >= 0; i-- {
		c.nested[i].active = false
		if c.nested[i] == t {
			c.nested = c.nested[:i]
			return i
		}
	}
	return -1
}

func (c *Connection) rawExec(ctx context.Context, q string) error {
	if err := c.settle(ctx); err != nil {
		return err
	}
	c.e.echo.Log(ctx, Compiled{SQL: q})
	if _, err := c.dc.Exec(ctx, q, nil); err != nil {
		return c.wrap(ctx, err, q, nil)
	}
	return nil
}

// wrap turns a driver error into a *DBError, marks the connection broken
// on a disconnect and runs the handle-error listeners.
func (c *Connection) wrap(ctx context.Context, err error, q string, args []any) error {
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		// the driver reports the server's cancellation; keep the cause
		// visible to errors.Is(err, context.DeadlineExceeded)
		err = fmt.Errorf("%w (%w)", err, cerr)
	}
	werr := NewDBError(c.e.d, err, q, args, c.e.hide)
	var dbe *DBError
	if errors.As(werr, &dbe) {
		if dbe.Disconnect {
			c.broken = true
		}
		if ls := c.e.ev.handleError.list(); len(ls) > 0 {
			for _, l := range ls {
				if r := l.fn(ctx, c, dbe); r != nil {
					return r
				}
			}
		}
	}
	return werr
}

// Execute compiles and runs one statement. Values of [Param] placeholders
// come from params (one map). A statement that returns rows (SELECT,
// compound SELECT, RETURNING, or text starting with SELECT/WITH/VALUES…)
// yields a Result to read; close it before the next statement.
func (c *Connection) Execute(ctx context.Context, stmt Statement, params ...map[string]any) (*Result, error) {
	if err := c.usable(); err != nil {
		return nil, err
	}
	if len(params) > 1 {
		return nil, &ArgumentError{Msg: "execute: more than one parameter set; use ExecuteMany"}
	}
	compiled, err := c.e.cache.Compile(c.e.d, stmt)
	if err != nil {
		return nil, err
	}
	if hasNamed(compiled.Args) {
		var p map[string]any
		if len(params) == 1 {
			p = params[0]
		}
		if compiled.Args, err = compiled.BindNamed(p); err != nil {
			return nil, err
		}
	}
	return c.run(ctx, compiled, returnsRows(stmt, compiled))
}

func hasNamed(args []any) bool {
	for _, a := range args {
		if _, ok := a.(NamedParam); ok {
			return true
		}
	}
	return false
}

// returnsRows says whether a statement is run as a query.
func returnsRows(stmt Statement, c Compiled) bool {
	if c.Columns != nil {
		return true
	}
	if _, ok := stmt.(*TextExpr); ok {
		return textReturnsRows(c.SQL)
	}
	return false
}

func textReturnsRows(q string) bool {
	q = strings.TrimLeft(q, " \t\r\n(")
	end := 0
	for end < len(q) && (q[end] >= 'a' && q[end] <= 'z' || q[end] >= 'A' && q[end] <= 'Z') {
		end++
	}
	switch strings.ToUpper(q[:end]) {
	case "SELECT", "WITH", "VALUES", "SHOW", "PRAGMA", "EXPLAIN", "DESCRIBE", "TABLE":
		return true
	}
	u := strings.ToUpper(q)
	return strings.Contains(u, " RETURNING ") || strings.Contains(u, "OUTPUT INSERTED") || strings.Contains(u, "OUTPUT DELETED")
}

// run executes a compiled statement with bound arguments.
func (c *Connection) run(ctx context.Context, compiled Compiled, query bool) (*Result, error) {
	if err := c.settle(ctx); err != nil {
		return nil, err
	}
	compiled, err := c.ready(ctx, compiled)
	if err != nil {
		return nil, err
	}
	if query {
		rows, err := c.dc.Query(ctx, compiled.SQL, compiled.Args)
		c.afterExecute(ctx, compiled, err)
		if err != nil {
			return nil, c.wrap(ctx, err, compiled.SQL, compiled.Args)
		}
		c.rowsOpen = true
		pl := compiled.plan
		if pl != nil && (len(compiled.Columns) != len(pl.columns) ||
			len(pl.columns) > 0 && &compiled.Columns[0] != &pl.columns[0]) {
			pl = nil // a listener changed the columns
		}
		c.rowsCtx = ctx
		r := newResult(rows, compiled.Columns, pl, c.e.d, nil).SetStatement(compiled.SQL, compiled.Args, c.e.hide)
		r.conn = c
		return r, nil
	}
	res, err := c.dc.Exec(ctx, compiled.SQL, compiled.Args)
	c.afterExecute(ctx, compiled, err)
	if err != nil {
		return nil, c.wrap(ctx, err, compiled.SQL, compiled.Args)
	}
	return NewExecResult(res), nil
}

// ready readies a statement to run: the transaction begun (unless in
// autocommit), the arguments converted by their types, the
// before-execute listeners fired (they may change the statement) and
// the statement echoed.
func (c *Connection) ready(ctx context.Context, compiled Compiled) (Compiled, error) {
	if !c.inTx && !c.opts.Autocommit {
		if err := c.beginRoot(ctx); err != nil {
			return compiled, err
		}
	}
	args, err := ProcessArgs(c.e.d, compiled.Args, compiled.ArgTypes...)
	if err != nil {
		return compiled, err
	}
	compiled.Args = args
	if ls := c.e.ev.beforeExecute.list(); len(ls) > 0 {
		if compiled, err = c.beforeExecute(ctx, ls, compiled); err != nil {
			return compiled, err
		}
	}
	c.e.echo.Log(ctx, compiled)
	return compiled, nil
}

// beforeExecute runs the before-execute listeners on a copy of compiled
// (kept off the heap of the common path, which has none).
func (c *Connection) beforeExecute(ctx context.Context, ls []listener[func(ctx context.Context, c *Connection, stmt *Compiled) error], compiled Compiled) (Compiled, error) {
	cc := new(Compiled)
	*cc = compiled
	for _, l := range ls {
		if err := l.fn(ctx, c, cc); err != nil {
			return compiled, err
		}
	}
	// a listener may have closed the connection (or the session or
	// transaction owning it)
	if err := c.usable(); err != nil {
		return compiled, err
	}
	return *cc, nil
}

// rowsClosed ends the rows of a query run by run: rerr is the iteration
// error, stmt and args the statement's.
func (c *Connection) rowsClosed(rerr error, stmt string, args []any) {
	ctx := c.rowsCtx
	c.rowsCtx = nil
	c.rowsOpen = false
	if rerr != nil {
		// marks the connection broken on a disconnect; the Result
		// reports the same error, wrapped with the statement
		_ = c.wrap(ctx, rerr, stmt, args)
	}
	if c.engineOwned && !c.closed {
		if rerr == nil && c.inTx {
			_ = c.Commit(context.WithoutCancel(ctx))
		}
		c.Close()
	}
}

func (c *Connection) afterExecute(ctx context.Context, compiled Compiled, err error) {
	if ls := c.e.ev.afterExecute.list(); len(ls) > 0 {
		for _, l := range ls {
			l.fn(ctx, c, compiled, err)
		}
	}
}

// ExecuteMany runs stmt once per parameter set (DB-API executemany) and
// returns the total rows affected. An INSERT built with [Insert] and no
// values takes its columns from the keys of rows[0] and is batched into
// multi-VALUES statements, as [Connection.InsertMany] does.
func (c *Connection) ExecuteMany(ctx context.Context, stmt Statement, rows []map[string]any) (ExecResult, error) {
	if err := c.usable(); err != nil {
		return ExecResult{}, err
	}
	if ins, ok := stmt.(*InsertStmt); ok && isBareInsert(ins) && len(ins.ReturningExprs()) == 0 {
		res, err := c.insertMany(ctx, ins, rows, false)
		if err != nil {
			return ExecResult{}, err
		}
		return ExecResult{RowsAffected: res.RowsAffected()}, nil
	}
	compiled, err := c.e.cache.Compile(c.e.d, stmt)
	if err != nil {
		return ExecResult{}, err
	}
	if compiled.Columns != nil {
		return ExecResult{}, &ArgumentError{Msg: "execute many: the statement returns rows; use InsertMany for INSERT … RETURNING"}
	}
	args := make([][]any, len(rows))
	for i, p := range rows {
		if args[i], err = compiled.BindNamed(p); err != nil {
			return ExecResult{}, fmt.Errorf("execute many: row %d: %w", i, err)
		}
	}
	return c.execMany(ctx, compiled, args)
}

// Prepare compiles stmt through the engine's statement cache, for
// [Connection.ExecuteCompiled] and [Connection.ExecuteManyCompiled]: the
// result's Args hold a [NamedParam] for each Param placeholder and the
// statement's own values elsewhere, in placeholder order. A caller that
// runs one statement shape many times binds positionally from it, without
// building maps or statements.
func (c *Connection) Prepare(stmt Statement) (Compiled, error) {
	return c.e.cache.Compile(c.e.d, stmt)
}

// ExecuteCompiled runs a statement made by [Connection.Prepare] with args
// in place of its Args (one value per placeholder, in order). query says
// whether it returns rows.
func (c *Connection) ExecuteCompiled(ctx context.Context, compiled Compiled, args []any, query bool) (*Result, error) {
	if err := c.usable(); err != nil {
		return nil, err
	}
	if len(args) != len(compiled.Args) {
		return nil, &ArgumentError{Msg: fmt.Sprintf("execute: %d arguments for %d placeholders", len(args), len(compiled.Args))}
	}
	compiled.Args = args
	return c.run(ctx, compiled, query)
}

// ExecuteManyCompiled runs a statement made by [Connection.Prepare] once
// per argument row (executemany), through the driver's batch where it has
// one, and returns the total rows affected.
func (c *Connection) ExecuteManyCompiled(ctx context.Context, compiled Compiled, rows [][]any) (ExecResult, error) {
	if err := c.usable(); err != nil {
		return ExecResult{}, err
	}
	for i, r := range rows {
		if len(r) != len(compiled.Args) {
			return ExecResult{}, &ArgumentError{Msg: fmt.Sprintf("execute many: row %d has %d arguments for %d placeholders", i, len(r), len(compiled.Args))}
		}
	}
	return c.execMany(ctx, compiled, rows)
}

func (c *Connection) execMany(ctx context.Context, compiled Compiled, args [][]any) (ExecResult, error) {
	if err := c.settle(ctx); err != nil {
		return ExecResult{}, err
	}
	if be, ok := c.dc.(BatchExecer); ok && len(args) > 1 && len(c.e.ev.beforeExecute.list()) == 0 {
		return c.execBatch(ctx, be, compiled, args)
	}
	var total ExecResult
	for _, a := range args {
		one := compiled
		one.Args = a
		r, err := c.run(ctx, one, false)
		if err != nil {
			return total, err
		}
		total.RowsAffected += r.RowsAffected()
		total.LastInsertID, total.HasLastInsertID = r.LastInsertID()
	}
	return total, nil
}

// execBatch runs an executemany through the driver's batch: every
// argument row is converted, then all are sent in one round trip. It is
// not used while before-execute listeners are registered (they may rewrite
// each execution differently); after-execute listeners see each
// execution.
func (c *Connection) execBatch(ctx context.Context, be BatchExecer, compiled Compiled, rows [][]any) (ExecResult, error) {
	if !c.inTx && !c.opts.Autocommit {
		if err := c.beginRoot(ctx); err != nil {
			return ExecResult{}, err
		}
	}
	args := make([][]any, len(rows))
	for i, r := range rows {
		one := compiled
		var err error
		if one.Args, err = ProcessArgs(c.e.d, r, one.ArgTypes...); err != nil {
			return ExecResult{}, fmt.Errorf("execute many: row %d: %w", i, err)
		}
		c.e.echo.Log(ctx, one)
		args[i] = one.Args
	}
	res, failed, err := be.ExecBatch(ctx, compiled.SQL, args)
	if ls := c.e.ev.afterExecute.list(); len(ls) > 0 {
		for i := range args {
			var e error
			if err != nil && i == failed {
				e = err
			}
			one := compiled
			one.Args = args[i]
			for _, l := range ls {
				l.fn(ctx, c, one, e)
			}
			if e != nil {
				break
			}
		}
	}
	if err != nil {
		var a []any
		if failed >= 0 && failed < len(args) {
			a = args[failed]
		}
		return res, c.wrap(ctx, err, compiled.SQL, a)
	}
	return res, nil
}

func isBareInsert(ins *InsertStmt) bool {
	cols, rows := ins.Rows()
	return len(cols) == 0 && len(rows) == 0 && ins.FromSelectStmt() == nil && ins.Err() == nil
}

// InsertMany inserts rows into ins's table (SQLAlchemy's
// "insertmanyvalues"): ins must have no values; its RETURNING list and
// upsert clause are kept. The columns are the keys of rows[0], and every
// row must name the same ones. Rows are sent in multi-VALUES INSERTs of as
// many rows as the dialect's bind-parameter limit allows
// ([BindLimiter]; 1000 rows at most).
//
// With RETURNING, the returned rows come back in input order. Databases do
// not promise the order of RETURNING rows, so when the table has an
// autoincrementing integer primary key the engine returns it too (adding
// it to the statement when the caller did not ask for it, and hiding it
// again) and sorts each batch by it: keys are generated in VALUES order
// within one statement on PostgreSQL (a sequence's nextval per row),
// SQLite (rowid), MariaDB and SQL Server (IDENTITY). Without such a key the
// order is the order the database returns, which in practice is VALUES
// order on these databases. This is SQLAlchemy's "sentinel" approach for
// server-generated integer keys.
//
// The values are taken out of the maps and sent as [Connection.InsertRows]
// sends its rows: each statement shape is compiled once per engine. Callers
// holding their rows as slices save the maps by calling InsertRows.
func (c *Connection) InsertMany(ctx context.Context, ins *InsertStmt, rows []map[string]any) (*Result, error) {
	if err := c.usable(); err != nil {
		return nil, err
	}
	if ins == nil || !isBareInsert(ins) {
		if ins != nil && ins.Err() != nil {
			return nil, ins.Err()
		}
		return nil, &ArgumentError{Msg: "insert many: pass an INSERT without values (core.Insert(t), optionally with Returning)"}
	}
	return c.insertMany(ctx, ins, rows, len(ins.ReturningExprs()) > 0)
}

func (c *Connection) insertMany(ctx context.Context, ins *InsertStmt, rows []map[string]any, returning bool) (*Result, error) {
	t := ins.Table()
	if len(rows) == 0 {
		if returning {
			return NewResult(&bufferedRows{}, nil, c.e.d, nil), nil
		}
		return NewExecResult(ExecResult{}), nil
	}
	cols := make([]*Column, 0, len(rows[0]))
	for k := range rows[0] {
		col := t.C(k)
		if col == nil {
			return nil, &ArgumentError{Msg: fmt.Sprintf("insert many into %q: unknown column %q", t.Name(), k)}
		}
		cols = append(cols, col)
	}
	sort.Slice(cols, func(i, j int) bool { return colIndex(t, cols[i]) < colIndex(t, cols[j]) })
	w := len(cols)
	fill := func(start, end int, flat []any) error {
		for i := start; i < end; i++ {
			vals := flat[(i-start)*w : (i-start+1)*w : (i-start+1)*w]
			r := rows[i]
			if len(r) != w {
				return &ArgumentError{Msg: fmt.Sprintf("insert many into %q: row %d names %d columns, row 0 names %d", t.Name(), i, len(r), w)}
			}
			for j, col := range cols {
				v, ok := r[col.Key()]
				if !ok {
					v, ok = r[col.Name()]
				}
				if !ok {
					return &ArgumentError{Msg: fmt.Sprintf("insert many into %q: row %d has no value for %q (row 0 has)", t.Name(), i, col.Key())}
				}
				vals[j] = v
			}
		}
		return nil
	}
	return c.bulkInsert(ctx, ins, t, cols, len(rows), fill, ins.ReturningExprs(), returning)
}

// compileBatch compiles the multi-VALUES INSERT of one insertMany batch:
// n rows of len(cols) values each in flat.
func (c *Connection) compileBatch(ins *InsertStmt, t *Table, cols []*Column, flat []any, n int, returning bool, ret []Expr) (Compiled, error) {
	st := Insert(t).Columns(cols...)
	batch := make([][]any, n)
	w := len(cols)
	for i := range batch {
		batch[i] = flat[i*w : (i+1)*w : (i+1)*w]
	}
	st = st.AddRows(batch)
	if u := ins.UpsertClause(); u != nil {
		st = st.OnConflict(*u)
	}
	if returning {
		items := make([]SelectItem, len(ret))
		for i, e := range ret {
			items[i] = e
		}
		st = st.Returning(items...)
	}
	if st.Err() != nil {
		return Compiled{}, st.Err()
	}
	return c.e.cache.Compile(c.e.d, st)
}

// sentinelColumn returns t's autoincrementing integer primary key column.
func sentinelColumn(t *Table) *Column {
	pk := t.PrimaryKeyColumns()
	if len(pk) != 1 || !pk[0].IsAutoincrement() {
		return nil
	}
	return pk[0]
}

func colIndex(t *Table, col *Column) int {
	for i, c := range t.Columns() {
		if c == col {
			return i
		}
	}
	return -1
}

func sentinelInt64(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case int32:
		return int64(x), true
	case int:
		return int64(x), true
	case int16:
		return int64(x), true
	case uint64:
		return int64(x), true
	case uint32:
		return int64(x), true
	case float64:
		return int64(x), true
	case []byte:
		n, err := strconv.ParseInt(string(x), 10, 64)
		return n, err == nil
	case string:
		n, err := strconv.ParseInt(x, 10, 64)
		return n, err == nil
	}
	return 0, false
}

// bufferedRows is DriverRows over rows already read (insertmanyvalues).
type bufferedRows struct {
	cols []string
	rows [][]any
	// keys, when set, holds the rows instead of rows: one column, an
	// integer key (the RETURNING of a bulk insert that fetches only the
	// generated primary key), kept unboxed
	keys    []int64
	visible int
	i       int
	closed  bool
}

func (b *bufferedRows) Columns() []string { return b.cols }

// len is the number of rows.
func (b *bufferedRows) len() int {
	if b.keys != nil {
		return len(b.keys)
	}
	return len(b.rows)
}

func (b *bufferedRows) Next() bool {
	if b.closed || b.i >= b.len() {
		return false
	}
	b.i++
	return true
}

// DirectOK implements DirectRows: integer keys read into *int64.
func (b *bufferedRows) DirectOK(i int, kind DirectKind) bool {
	return b.keys != nil && i == 0 && kind == DirectInt64
}

// ScanDirect implements DirectRows (see DirectOK).
func (b *bufferedRows) ScanDirect(dest []any) (bool, error) {
	if b.keys == nil || len(dest) != 1 || b.i == 0 || b.i > len(b.keys) {
		return false, nil
	}
	d, ok := dest[0].(*int64)
	if !ok {
		return false, nil
	}
	*d = b.keys[b.i-1]
	return true, nil
}

func (b *bufferedRows) Err() error   { return nil }
func (b *bufferedRows) Close() error { b.closed = true; return nil }

func (b *bufferedRows) Scan(dest ...any) error {
	if b.i == 0 || b.i > b.len() {
		return errors.New("retort: Scan called without a row")
	}
	if b.keys != nil {
		if len(dest) != 1 {
			return fmt.Errorf("retort: Scan: %d destinations for 1 column", len(dest))
		}
		if err := assignValue(dest[0], b.keys[b.i-1]); err != nil {
			return fmt.Errorf("retort: Scan column 0: %w", err)
		}
		return nil
	}
	row := b.rows[b.i-1]
	if b.visible > 0 && b.visible < len(row) {
		row = row[:b.visible]
	}
	if len(dest) != len(row) {
		return fmt.Errorf("retort: Scan: %d destinations for %d columns", len(dest), len(row))
	}
	for i, d := range dest {
		if err := assignValue(d, row[i]); err != nil {
			return fmt.Errorf("retort: Scan column %d: %w", i, err)
		}
	}
	return nil
}

type scanner interface{ Scan(src any) error }

func assignValue(dest, v any) error {
	switch d := dest.(type) {
	case *any:
		*d = v
		return nil
	case scanner:
		return d.Scan(v)
	}
	rv := reflect.ValueOf(dest)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("destination %T is not a non-nil pointer", dest)
	}
	ev := rv.Elem()
	if v == nil {
		ev.SetZero()
		return nil
	}
	sv := reflect.ValueOf(v)
	if sv.Type().AssignableTo(ev.Type()) {
		ev.Set(sv)
		return nil
	}
	if n, ok := sentinelInt64(v); ok {
		switch ev.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			ev.SetInt(n)
			return nil
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			ev.SetUint(uint64(n))
			return nil
		}
	}
	if ev.Kind() == reflect.String {
		switch x := v.(type) {
		case []byte:
			ev.SetString(string(x))
			return nil
		case string:
			ev.SetString(x)
			return nil
		}
	}
	if sv.Type().ConvertibleTo(ev.Type()) && sv.Kind() != reflect.String {
		ev.Set(sv.Convert(ev.Type()))
		return nil
	}
	return fmt.Errorf("cannot assign %T to %s", v, ev.Type())
}

// ---------------------------------------------------------------- DDL

// execDDL runs one DDL element.
func (c *Connection) execDDL(ctx context.Context, e DDLElement) (*Result, error) {
	compiled, err := Compile(c.e.d, e)
	if err != nil {
		return nil, err
	}
	return c.run(ctx, compiled, false)
}

// checkDDL decides whether a DDL element runs under checkfirst, clearing
// an IF [NOT] EXISTS the dialect cannot write and asking the catalog
// instead; elements with no such guard (enum types, ADD/DROP CONSTRAINT)
// always ask the catalog.
func (c *Connection) checkDDL(ctx context.Context, e DDLElement, create bool) (bool, DDLElement, error) {
	guarded := false
	switch x := e.(type) {
	case *CreateTable:
		guarded = x.IfNotExists
	case *CreateIndex:
		guarded = x.IfNotExists
	case *CreateSequence:
		guarded = x.IfNotExists
	case *DropTable:
		guarded = x.IfExists
	case *DropIndex:
		guarded = x.IfExists
	case *DropSequence:
		guarded = x.IfExists
	case *DropEnumType:
		guarded = x.IfExists
	case *SetTableComment, *SetColumnComment:
		return true, e, nil
	}
	if guarded {
		if _, err := Compile(c.e.d, e); err == nil {
			return true, e, nil
		} else if !errors.Is(err, ErrUnsupported) {
			return false, nil, err
		}
		e = clearGuard(e)
	}
	q, ok := c.existsQuery(e)
	if !ok {
		return true, e, nil
	}
	exists, err := c.exists(ctx, q)
	if err != nil {
		return false, nil, err
	}
	return exists != create, e, nil
}

func clearGuard(e DDLElement) DDLElement {
	switch x := e.(type) {
	case *CreateTable:
		n := *x
		n.IfNotExists = false
		return &n
	case *CreateIndex:
		n := *x
		n.IfNotExists = false
		return &n
	case *CreateSequence:
		n := *x
		n.IfNotExists = false
		return &n
	case *DropTable:
		n := *x
		n.IfExists = false
		return &n
	case *DropIndex:
		n := *x
		n.IfExists = false
		return &n
	case *DropSequence:
		n := *x
		n.IfExists = false
		return &n
	case *DropEnumType:
		n := *x
		n.IfExists = false
		return &n
	}
	return e
}

func (c *Connection) existsQuery(e DDLElement) (Statement, bool) {
	if cc, ok := c.e.d.(CatalogChecker); ok {
		return cc.ExistsQuery(e)
	}
	return DefaultExistsQuery(e)
}

// DefaultExistsQuery is the catalog query behind checkfirst for dialects
// that do not implement [CatalogChecker]: information_schema in the
// current schema (PostgreSQL's spelling), and pg_type for native enum
// types (which exist only on PostgreSQL).
func DefaultExistsQuery(e DDLElement) (Statement, bool) {
	schema := func(s string) (string, map[string]any) {
		if s == "" {
			return "CURRENT_SCHEMA", map[string]any{}
		}
		return ":schema", map[string]any{"schema": s}
	}
	switch x := e.(type) {
	case *CreateTable, *DropTable:
		t := tableOf(x)
		s, p := schema(t.Schema())
		p["name"] = t.Name()
		return Raw("SELECT 1 FROM information_schema.tables WHERE table_name = :name AND table_schema = "+s, p), true
	case *CreateSequence, *DropSequence:
		sq := seqOf(x)
		s, p := schema(sq.Schema)
		p["name"] = sq.Name
		return Raw("SELECT 1 FROM information_schema.sequences WHERE sequence_name = :name AND sequence_schema = "+s, p), true
	case *AddConstraint, *DropConstraint:
		con := constraintOf(x)
		if con == nil || con.ConstraintName() == "" || con.constraintTable() == nil {
			return nil, false
		}
		t := con.constraintTable()
		s, p := schema(t.Schema())
		p["name"], p["table"] = con.ConstraintName(), t.Name()
		return Raw("SELECT 1 FROM information_schema.table_constraints WHERE constraint_name = :name AND table_name = :table AND table_schema = "+s, p), true
	case *CreateEnumType, *DropEnumType:
		name := ""
		if ce, ok := x.(*CreateEnumType); ok {
			name = ce.Enum.Name
		} else {
			name = x.(*DropEnumType).Enum.Name
		}
		return Raw("SELECT 1 FROM pg_catalog.pg_type WHERE typname = :name", map[string]any{"name": name}), true
	}
	return nil, false
}

func tableOf(e DDLElement) *Table {
	switch x := e.(type) {
	case *CreateTable:
		return x.Table
	case *DropTable:
		return x.Table
	case *CreateIndex:
		return x.Index.Table()
	case *DropIndex:
		return x.Index.Table()
	}
	return nil
}

func seqOf(e DDLElement) *Sequence {
	switch x := e.(type) {
	case *CreateSequence:
		return x.Sequence
	case *DropSequence:
		return x.Sequence
	}
	return nil
}

func constraintOf(e DDLElement) Constraint {
	switch x := e.(type) {
	case *AddConstraint:
		return x.Constraint
	case *DropConstraint:
		return x.Constraint
	}
	return nil
}

// DDLTarget describes the object a DDL element creates or drops, for
// [CatalogChecker] implementations: kind is "table", "index", "sequence",
// "constraint" or "type".
func DDLTarget(e DDLElement) (kind, schema, name, table string) {
	switch x := e.(type) {
	case *CreateTable, *DropTable:
		t := tableOf(x)
		return "table", t.Schema(), t.Name(), t.Name()
	case *CreateIndex, *DropIndex:
		t := tableOf(x)
		var ix *Index
		if ci, ok := x.(*CreateIndex); ok {
			ix = ci.Index
		} else {
			ix = x.(*DropIndex).Index
		}
		return "index", t.Schema(), ix.Name, t.Name()
	case *CreateSequence, *DropSequence:
		s := seqOf(x)
		return "sequence", s.Schema, s.Name, ""
	case *AddConstraint, *DropConstraint:
		con := constraintOf(x)
		if con == nil || con.constraintTable() == nil {
			return "constraint", "", "", ""
		}
		t := con.constraintTable()
		return "constraint", t.Schema(), con.ConstraintName(), t.Name()
	case *CreateEnumType:
		return "type", x.Schema, x.Enum.Name, ""
	case *DropEnumType:
		return "type", x.Schema, x.Enum.Name, ""
	}
	return "", "", "", ""
}

// exists runs a catalog query and reports whether it returned a row.
func (c *Connection) exists(ctx context.Context, q Statement) (bool, error) {
	if err := c.settle(ctx); err != nil {
		return false, err
	}
	compiled, err := Compile(c.e.d, q)
	if err != nil {
		return false, err
	}
	c.e.echo.Log(ctx, compiled)
	rows, err := c.dc.Query(ctx, compiled.SQL, compiled.Args)
	if err != nil {
		return false, c.wrap(ctx, err, compiled.SQL, compiled.Args)
	}
	found := rows.Next()
	err = rows.Err()
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return false, c.wrap(ctx, err, compiled.SQL, compiled.Args)
	}
	return found, nil
}
