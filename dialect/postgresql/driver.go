package postgresql

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/retort-orm/retort/core"
)

var (
	_ core.Opener       = (*Dialect)(nil)
	_ core.Driver       = (*driver)(nil)
	_ core.DriverConn   = (*conn)(nil)
	_ core.DriverRows   = (*rows)(nil)
	_ core.DirectRows   = (*rows)(nil)
	_ core.DirectAtRows = (*rows)(nil)
)

// unlimitedConns is the pool size used when PoolOptions allow any number of
// connections (a negative Overflow): pgxpool needs a bound, so it gets one
// no server will reach.
const unlimitedConns = math.MaxInt32

// closeTimeout bounds the clean close (Terminate message) of a connection
// discarded as broken, and the rollback of a transaction left open at
// release.
const closeTimeout = 2 * time.Second

// cancelDeadline is how long, after its context is cancelled, a query waits
// for the server to honour the cancel request before the connection is
// closed.
const cancelDeadline = 2 * time.Second

// Open implements [core.Opener]: it parses a postgresql:// or postgres://
// URL (or a libpq key=value string) with pgxpool.ParseConfig and returns a
// pool on pgx, the native driver path of PostgreSQL.
//
// The pool settings map onto pgxpool as follows: at most opts.MaxOpen()
// connections (Size+Overflow, replacing a pool_max_conns in the URL; a zero
// Size or Timeout takes the default of [core.PoolOptions.WithDefaults], a
// zero Overflow means none, a negative one no limit), none opened before
// they are needed, each closed after opts.Recycle (never when zero, unless
// the URL sets pool_max_conn_lifetime), and idle ones checked by pgxpool's
// periodic health check. A checkout that finds every connection in use
// waits at most opts.Timeout and then fails with an operational
// [core.DBError] saying that the pool is exhausted (a *PoolExhaustedError,
// matching [core.ErrPoolExhausted] and context.DeadlineExceeded). As in
// SQLAlchemy the timeout bounds the wait for a busy pool; opening a
// connection is bounded by the URL's connect_timeout and by ctx. With
// opts.PrePing every checkout pings the connection and replaces a dead one;
// without it pgxpool still pings a connection idle for more than a second.
//
// A cancelled context stops a running query with a cancel request, so the
// server stops working and the connection stays usable.
//
// Statements run in pgx's default mode (QueryExecModeCacheStatement: each
// statement is prepared once per connection and then runs with the binary
// protocol).
func (d *Dialect) Open(url string, opts core.PoolOptions) (core.Driver, error) {
	// Not opts.WithDefaults(): it turns Overflow 0 into 10, and Open
	// takes a zero Overflow as "no overflow" so that Size alone can bound
	// the pool.
	if opts.Size <= 0 {
		opts.Size = core.PoolOptions{}.WithDefaults().Size
	}
	if opts.Timeout <= 0 {
		opts.Timeout = core.PoolOptions{}.WithDefaults().Timeout
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgconn's message masks the password.
		return nil, &core.ArgumentError{Msg: err.Error()}
	}
	if n := opts.MaxOpen(); n > 0 && n < unlimitedConns {
		cfg.MaxConns = int32(n)
	} else {
		cfg.MaxConns = unlimitedConns
	}
	cfg.MinConns = 0
	cfg.MinIdleConns = 0
	if opts.Recycle > 0 {
		cfg.MaxConnLifetime = opts.Recycle
	} else if !strings.Contains(url, "pool_max_conn_lifetime") {
		cfg.MaxConnLifetime = 0 // never recycle
	}
	// A cancelled context stops the query on the server (a cancel request,
	// as libpq does) instead of only dropping the socket; the connection
	// survives unless the server does not answer within cancelDeadline.
	cfg.ConnConfig.BuildContextWatcherHandler = func(pc *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: pc, DeadlineDelay: cancelDeadline}
	}
	fresh := &freshSet{m: map[*pgx.Conn]struct{}{}}
	cfg.AfterConnect = func(_ context.Context, c *pgx.Conn) error { fresh.add(c); return nil }
	cfg.BeforeClose = func(c *pgx.Conn) { fresh.take(c) }
	if opts.PrePing {
		cfg.ShouldPing = func(context.Context, pgxpool.ShouldPingParams) bool { return true }
	}
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		return nil, core.NewDBError(d, err, "", nil, false)
	}
	return &driver{d: d, pool: pool, timeout: opts.Timeout, max: cfg.MaxConns, owned: true, fresh: fresh}, nil
}

// WrapPool returns a [core.Driver] over a pool the caller built and owns.
// Closing the Driver does not close p; pool size, lifetime and pinging are
// p's own settings, and a checkout waits as long as its context allows.
func WrapPool(p *pgxpool.Pool) core.Driver {
	return &driver{d: wrapDialect, pool: p, max: p.Stat().MaxConns()}
}

// wrapDialect classifies the errors of pools handed in with [WrapPool].
var wrapDialect = New()

// driver is a [core.Driver] on a pgxpool.Pool.
type driver struct {
	d       *Dialect
	pool    *pgxpool.Pool
	timeout time.Duration // checkout timeout; 0: only ctx bounds it
	max     int32         // the pool's MaxConns
	owned   bool          // Close closes pool
	fresh   *freshSet     // opened and not yet checked out; nil for WrapPool
	// busy counts checkouts in progress or held. While it stays within
	// max a connection is free or may be opened, so the checkout needs no
	// timer (context.WithTimeout costs four allocations per checkout).
	busy atomic.Int32
}

// connPool recycles the wrappers of checked-out connections so that a
// steady-state checkout allocates nothing of Retort's own.
var connPool = sync.Pool{New: func() any { return new(conn) }}

// Acquire implements [core.Driver]. It waits for a free connection at most
// until ctx is done or the pool's timeout passes, whichever comes first.
// When the timeout passes while every connection is in use, the error is an
// operational [core.DBError] wrapping context.DeadlineExceeded that says the
// pool is exhausted; when ctx ends first, the error wraps ctx.Err().
func (dr *driver) Acquire(ctx context.Context) (core.DriverConn, error) {
	actx := ctx
	if dr.busy.Add(1) > dr.max && dr.timeout > 0 {
		if dl, ok := ctx.Deadline(); !ok || time.Until(dl) > dr.timeout {
			var cancel context.CancelFunc
			actx, cancel = context.WithTimeout(ctx, dr.timeout)
			defer cancel()
		}
	}
	pc, err := dr.pool.Acquire(actx)
	if err != nil {
		dr.busy.Add(-1)
		return nil, dr.acquireError(ctx, actx, err)
	}
	c := connPool.Get().(*conn)
	c.dr, c.pc, c.raw = dr, pc, pc.Conn()
	if dr.fresh != nil && dr.fresh.n.Load() > 0 {
		c.fresh = dr.fresh.take(c.raw)
	}
	return c, nil
}

// freshSet remembers the connections the pool opened that no checkout has
// seen yet, for [conn.Fresh].
type freshSet struct {
	mu sync.Mutex
	m  map[*pgx.Conn]struct{}
	n  atomic.Int32 // len(m), read without the lock
}

func (fs *freshSet) add(c *pgx.Conn) {
	fs.mu.Lock()
	fs.m[c] = struct{}{}
	fs.n.Store(int32(len(fs.m)))
	fs.mu.Unlock()
}

// take reports whether c was fresh, and forgets it.
func (fs *freshSet) take(c *pgx.Conn) bool {
	fs.mu.Lock()
	_, ok := fs.m[c]
	delete(fs.m, c)
	fs.n.Store(int32(len(fs.m)))
	fs.mu.Unlock()
	return ok
}

// acquireError explains a failed checkout.
func (dr *driver) acquireError(ctx, actx context.Context, err error) error {
	if ctx.Err() == nil && actx.Err() != nil && errors.Is(err, context.DeadlineExceeded) {
		st := dr.pool.Stat()
		if st.AcquiredConns() >= st.MaxConns() {
			err = &PoolExhaustedError{MaxConns: int(st.MaxConns()), Timeout: dr.timeout}
		} else {
			err = fmt.Errorf("postgresql: no connection within %s (opening a new connection did not finish): %w",
				dr.timeout, context.DeadlineExceeded)
		}
		return &core.DBError{Kind: core.ErrorOperational, Orig: err}
	}
	return core.NewDBError(dr.d, err, "", nil, false)
}

// PoolExhaustedError is the cause of the operational [core.DBError] that a
// checkout returns when every connection stayed in use for the whole pool
// timeout. It matches [core.ErrPoolExhausted] and context.DeadlineExceeded
// with errors.Is.
type PoolExhaustedError struct {
	MaxConns int           // the pool's size limit
	Timeout  time.Duration // how long the checkout waited
}

func (e *PoolExhaustedError) Error() string {
	return fmt.Sprintf("postgresql: connection pool exhausted: all %d connections stayed in use for the %s pool timeout",
		e.MaxConns, e.Timeout)
}

// Unwrap returns context.DeadlineExceeded.
func (e *PoolExhaustedError) Unwrap() error { return context.DeadlineExceeded }

// Is makes the error match [core.ErrPoolExhausted].
func (e *PoolExhaustedError) Is(target error) bool { return target == core.ErrPoolExhausted }

// Stats implements [core.Driver] from pgxpool's statistics. WaitCount and
// WaitDuration count the checkouts that had to wait for a connection.
func (dr *driver) Stats() core.PoolStats {
	st := dr.pool.Stat()
	return core.PoolStats{
		MaxOpen:      int(st.MaxConns()),
		Open:         int(st.TotalConns()),
		InUse:        int(st.AcquiredConns()),
		Idle:         int(st.IdleConns()),
		WaitCount:    st.EmptyAcquireCount(),
		WaitDuration: st.EmptyAcquireWaitTime(),
	}
}

// Close implements [core.Driver]. It closes a pool made by Open, waiting
// for checked-out connections to be released; a pool handed to [WrapPool]
// stays open.
func (dr *driver) Close() error {
	if dr.owned {
		dr.pool.Close()
	}
	return nil
}

// conn is a [core.DriverConn] on a checked-out pgxpool.Conn. It holds the
// open transaction, if any, and the one result set that may be open.
type conn struct {
	dr  *driver
	pc  *pgxpool.Conn
	raw *pgx.Conn
	tx  pgx.Tx
	// pending: Begin was called and its BEGIN not sent yet; it goes with
	// the transaction's first statement, in one round trip (see Begin)
	pending bool
	txOpts  pgx.TxOptions
	// beginErr is why the transaction's BEGIN failed (sent with the first
	// statement, or on its own by PgxConn): the transaction is not open,
	// and its later statements and Commit report this
	beginErr error
	rows     rows // the result set of the last query
	fresh    bool
	cols     []string // column names of the last query, reused while equal
}

// Fresh reports whether the pool opened the connection for this checkout
// (the engine fires its connect events then). Always false on a pool
// handed to [WrapPool].
func (c *conn) Fresh() bool { return c.fresh }

// PgxConn returns the pgx connection, for what only pgx offers (COPY,
// batches, LISTEN). It belongs to the checkout: do not keep it after
// Release, and do not begin or end transactions on it directly. A
// transaction begun and not yet sent (see Begin) is sent first, so that
// what runs on the pgx connection runs in it; if sending it fails, the
// next statement or Commit reports why.
func (c *conn) PgxConn() *pgx.Conn {
	if c.pending {
		ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
		c.sendBegin(ctx)
		cancel()
	}
	return c.raw
}

// sendBegin sends a pending BEGIN on its own.
func (c *conn) sendBegin(ctx context.Context) {
	c.pending = false
	tx, err := c.raw.BeginTx(ctx, c.txOpts)
	if err != nil {
		c.beginErr = withCtxErr(ctx, err)
		return
	}
	c.tx = tx
}

// txErr is the error of a transaction whose BEGIN failed (nil when there
// is none).
func (c *conn) txErr() error {
	if c.beginErr != nil {
		return fmt.Errorf("postgresql: the transaction did not begin: %w", c.beginErr)
	}
	return nil
}

// sendWithBegin sends the pending BEGIN and sql in one batch, reads the
// BEGIN's result and returns the batch at sql's result. On error the
// batch is closed and the transaction, if the BEGIN failed, is marked
// failed.
func (c *conn) sendWithBegin(ctx context.Context, sql string, args []any) (pgx.BatchResults, error) {
	c.pending = false
	b := &pgx.Batch{}
	b.BeginTx(c.txOpts)
	b.Queue(sql, args...)
	br := c.raw.SendBatch(ctx, b)
	c.tx = br.Tx()
	if _, err := br.Exec(); err != nil {
		_ = br.Close()
		c.tx, c.beginErr = nil, withCtxErr(ctx, err)
		return nil, c.beginErr
	}
	return br, nil
}

// Exec implements [core.DriverConn]. Errors are pgx's own; the engine
// wraps them with [core.NewDBError], which classifies them through
// [Dialect.TranslateError].
func (c *conn) Exec(ctx context.Context, sql string, args []any) (core.ExecResult, error) {
	var err error
	var tag pgconn.CommandTag
	switch {
	case c.pending:
		var br pgx.BatchResults
		if br, err = c.sendWithBegin(ctx, sql, args); err != nil {
			return core.ExecResult{}, err
		}
		tag, err = br.Exec()
		if cerr := br.Close(); err == nil {
			err = cerr
		}
	case c.beginErr != nil:
		return core.ExecResult{}, c.txErr()
	case c.tx != nil:
		tag, err = c.tx.Exec(ctx, sql, args...)
	default:
		tag, err = c.raw.Exec(ctx, sql, args...)
	}
	if err != nil {
		return core.ExecResult{}, withCtxErr(ctx, err)
	}
	return core.ExecResult{RowsAffected: tag.RowsAffected()}, nil
}

// Query implements [core.DriverConn]. The rows value belongs to the
// connection and is reused by its next query: close it first.
func (c *conn) Query(ctx context.Context, sql string, args []any) (core.DriverRows, error) {
	var r pgx.Rows
	var br pgx.BatchResults
	var err error
	switch {
	case c.pending:
		if br, err = c.sendWithBegin(ctx, sql, args); err != nil {
			return nil, err
		}
		if r, err = br.Query(); err != nil {
			_ = br.Close()
		}
	case c.beginErr != nil:
		return nil, c.txErr()
	case c.tx != nil:
		r, err = c.tx.Query(ctx, sql, args...)
	default:
		r, err = c.raw.Query(ctx, sql, args...)
	}
	if err != nil {
		return nil, withCtxErr(ctx, err)
	}
	c.rows = rows{r: r, br: br, ctx: ctx, c: c}
	return &c.rows, nil
}

// Begin implements [core.DriverConn]. The BEGIN is not sent at once: it
// goes with the transaction's first statement, in one pgx batch
// (Batch.BeginTx), which saves a round trip per transaction, as pgjdbc
// and Npgsql do. A transaction that runs no statement sends nothing at
// all. Until Commit or Rollback, statements run through the pgx.Tx.
// (The server takes a transaction's snapshot at its first statement, not
// at BEGIN, so isolation is the same; now() is the first statement's
// time.)
func (c *conn) Begin(ctx context.Context, opts core.TxOptions) error {
	if c.tx != nil || c.pending || c.beginErr != nil {
		return errors.New("postgresql: a transaction is already open on this connection")
	}
	var o pgx.TxOptions
	switch opts.Isolation {
	case core.ReadUncommitted:
		o.IsoLevel = pgx.ReadUncommitted
	case core.ReadCommitted:
		o.IsoLevel = pgx.ReadCommitted
	case core.RepeatableRead:
		o.IsoLevel = pgx.RepeatableRead
	case core.Serializable:
		o.IsoLevel = pgx.Serializable
	case core.IsolationDefault:
	default:
		return &core.DBError{Kind: core.ErrorNotSupported,
			Orig: fmt.Errorf("postgresql: isolation level %s is not supported", opts.Isolation)}
	}
	if opts.ReadOnly {
		o.AccessMode = pgx.ReadOnly
	}
	c.txOpts, c.pending = o, true
	return nil
}

// Commit implements [core.DriverConn]. Committing a transaction that failed
// rolls it back and returns pgx.ErrTxCommitRollback. A transaction that
// sent no statement has nothing to commit; one whose BEGIN failed returns
// that error.
func (c *conn) Commit(ctx context.Context) error {
	switch {
	case c.pending:
		c.pending = false
		return nil
	case c.beginErr != nil:
		err := c.txErr()
		c.beginErr = nil
		return err
	case c.tx == nil:
		return errors.New("postgresql: commit without an open transaction")
	}
	tx := c.tx
	c.tx = nil
	return tx.Commit(ctx)
}

// Rollback implements [core.DriverConn]. A transaction that sent no
// statement, or whose BEGIN failed, has nothing to roll back.
func (c *conn) Rollback(ctx context.Context) error {
	switch {
	case c.pending:
		c.pending = false
		return nil
	case c.beginErr != nil:
		c.beginErr = nil
		return nil
	case c.tx == nil:
		return errors.New("postgresql: rollback without an open transaction")
	}
	tx := c.tx
	c.tx = nil
	return tx.Rollback(ctx)
}

// Ping implements [core.DriverConn].
func (c *conn) Ping(ctx context.Context) error { return c.raw.Ping(ctx) }

// Release implements [core.DriverConn]. A broken connection is closed so
// that the pool discards it and opens a new one when needed. Open rows are
// closed, and a transaction still open is rolled back (SQLAlchemy's reset on
// return); if that fails the connection is discarded too. Calling Release
// again does nothing.
func (c *conn) Release(broken bool) {
	if c.pc == nil {
		return
	}
	if c.rows.r != nil {
		_ = c.rows.Close() // idempotent
	}
	if !broken && c.tx != nil {
		ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
		broken = c.tx.Rollback(ctx) != nil
		cancel()
	}
	if broken && !c.raw.IsClosed() {
		ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
		_ = c.raw.Close(ctx)
		cancel()
	}
	// pgxpool destroys a closed connection, or one still in a transaction.
	c.pc.Release()
	c.dr.busy.Add(-1)
	cols := c.cols
	*c = conn{}
	// the column names outlive the checkout (results keep them) but are
	// never modified: the next checkout may hand them out again
	c.cols = cols
	connPool.Put(c)
}

// rows is a [core.DriverRows] on pgx.Rows. It lives inside its conn, so a
// query allocates no wrapper.
type rows struct {
	r pgx.Rows
	// br is the batch the rows came in (with a transaction's BEGIN),
	// closed with them
	br   pgx.BatchResults
	ctx  context.Context
	c    *conn
	cols []string
}

// Columns implements [core.DriverRows] from the rows' field descriptions.
// The slice may be kept by the caller and must not be modified: it is
// shared with the connection's later queries of the same columns.
func (r *rows) Columns() []string {
	if r.cols == nil {
		fds := r.r.FieldDescriptions()
		if prev := r.c.cols; prev != nil && sameFieldNames(prev, fds) {
			r.cols = prev
			return prev
		}
		cols := make([]string, len(fds))
		for i := range fds {
			cols[i] = fds[i].Name
		}
		r.cols = cols
		r.c.cols = cols
	}
	return r.cols
}

func sameFieldNames(names []string, fds []pgconn.FieldDescription) bool {
	if len(names) != len(fds) {
		return false
	}
	for i := range fds {
		if names[i] != fds[i].Name {
			return false
		}
	}
	return true
}

// DirectOK implements [core.DirectRows]: integer columns of the
// PostgreSQL integer types and string columns of the character types,
// which pgx decodes into an *any as int64 (int32, int16) and string.
func (r *rows) DirectOK(i int, kind core.DirectKind) bool {
	fds := r.r.FieldDescriptions()
	if i >= len(fds) {
		return false
	}
	switch kind {
	case core.DirectInt64:
		switch fds[i].DataTypeOID {
		case pgtype.Int8OID, pgtype.Int4OID, pgtype.Int2OID:
			return true
		}
	case core.DirectString:
		switch fds[i].DataTypeOID {
		case pgtype.TextOID, pgtype.VarcharOID, pgtype.BPCharOID, pgtype.NameOID:
			return true
		}
	case core.DirectBool:
		return fds[i].DataTypeOID == pgtype.BoolOID
	case core.DirectFloat64:
		return fds[i].DataTypeOID == pgtype.Float8OID
	}
	return false
}

// ScanDirect implements [core.DirectRows] by decoding the row's raw
// values (pgx's RawValues) itself: binary integers, booleans and float8,
// and text as it arrives, with no scan plan and no holder per column. A
// NULL leaves dest alone and reports false, with the row still readable
// by Scan; a value in a form it does not read (a text-format integer, say)
// goes through pgx's own scan.
func (r *rows) ScanDirect(dest []any) (bool, error) {
	raw := r.r.RawValues()
	if len(raw) != len(dest) {
		return false, fmt.Errorf("postgresql: %d destinations for %d columns", len(dest), len(raw))
	}
	fds := r.r.FieldDescriptions()
	for i, d := range dest {
		if d != nil && raw[i] == nil {
			return false, nil
		}
	}
	for i, d := range dest {
		var err error
		switch p := d.(type) {
		case nil:
		case *int64:
			err = decodeInt64(p, raw[i], &fds[i])
		case *string:
			*p = string(raw[i])
		case *bool:
			err = decodeBool(p, raw[i], &fds[i])
		case *float64:
			err = decodeFloat64(p, raw[i], &fds[i])
		default:
			err = fmt.Errorf("postgresql: ScanDirect into %T", d)
		}
		if err != nil {
			return false, err
		}
	}
	return true, nil
}

// ScanDirectAt implements [core.DirectAtRows]: ScanDirect into the fields
// of the struct at base.
func (r *rows) ScanDirectAt(base unsafe.Pointer, fields []core.DirectField) (bool, error) {
	raw := r.r.RawValues()
	if len(raw) != len(fields) {
		return false, fmt.Errorf("postgresql: %d fields for %d columns", len(fields), len(raw))
	}
	for i, f := range fields {
		if f.Kind != core.DirectNone && raw[i] == nil {
			return false, nil
		}
	}
	fds := r.r.FieldDescriptions()
	for i, f := range fields {
		p := unsafe.Add(base, f.Off)
		var err error
		switch f.Kind {
		case core.DirectNone:
		case core.DirectInt64:
			err = decodeInt64((*int64)(p), raw[i], &fds[i])
		case core.DirectString:
			*(*string)(p) = string(raw[i])
		case core.DirectBool:
			err = decodeBool((*bool)(p), raw[i], &fds[i])
		case core.DirectFloat64:
			err = decodeFloat64((*float64)(p), raw[i], &fds[i])
		default:
			err = fmt.Errorf("postgresql: ScanDirectAt of kind %d", f.Kind)
		}
		if err != nil {
			return false, err
		}
	}
	return true, nil
}

// decodeInt64 reads an integer column's value b (binary, or text).
func decodeInt64(p *int64, b []byte, fd *pgconn.FieldDescription) error {
	if fd.Format != pgx.BinaryFormatCode {
		n, err := strconv.ParseInt(string(b), 10, 64)
		if err != nil {
			return err
		}
		*p = n
		return nil
	}
	switch len(b) {
	case 8:
		*p = int64(binary.BigEndian.Uint64(b))
	case 4:
		*p = int64(int32(binary.BigEndian.Uint32(b)))
	case 2:
		*p = int64(int16(binary.BigEndian.Uint16(b)))
	default:
		return fmt.Errorf("postgresql: an integer of %d bytes", len(b))
	}
	return nil
}

// decodeBool reads a boolean column's value b (binary, or text).
func decodeBool(p *bool, b []byte, fd *pgconn.FieldDescription) error {
	if fd.Format != pgx.BinaryFormatCode {
		*p = len(b) > 0 && (b[0] == 't' || b[0] == 'T' || b[0] == '1')
		return nil
	}
	if len(b) != 1 {
		return fmt.Errorf("postgresql: a boolean of %d bytes", len(b))
	}
	*p = b[0] != 0
	return nil
}

// decodeFloat64 reads a float8 column's value b (binary, or text).
func decodeFloat64(p *float64, b []byte, fd *pgconn.FieldDescription) error {
	if fd.Format != pgx.BinaryFormatCode {
		f, err := strconv.ParseFloat(string(b), 64)
		if err != nil {
			return err
		}
		*p = f
		return nil
	}
	if len(b) != 8 {
		return fmt.Errorf("postgresql: a float8 of %d bytes", len(b))
	}
	*p = math.Float64frombits(binary.BigEndian.Uint64(b))
	return nil
}

// Next implements [core.DriverRows].
func (r *rows) Next() bool { return r.r.Next() }

// Scan implements [core.DriverRows] with pgx's scan plans.
func (r *rows) Scan(dest ...any) error { return r.r.Scan(dest...) }

// Err implements [core.DriverRows].
func (r *rows) Err() error { return withCtxErr(r.ctx, r.r.Err()) }

// Close implements [core.DriverRows]; it returns the rows' error, if any.
func (r *rows) Close() error {
	if r.r == nil {
		return nil
	}
	r.r.Close()
	err := r.r.Err()
	if r.br != nil {
		if cerr := r.br.Close(); err == nil {
			err = cerr
		}
		r.br = nil
	}
	return withCtxErr(r.ctx, err)
}

// withCtxErr makes err match ctx's error when ctx ended: a query stopped
// by a cancel request fails with the server's 57014 (query_canceled),
// which does not wrap context.Canceled by itself.
func withCtxErr(ctx context.Context, err error) error {
	if err == nil || ctx == nil {
		return err
	}
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return &ctxError{err: err, ctx: cerr}
	}
	return err
}

// ctxError is a driver error of a statement whose context ended.
type ctxError struct{ err, ctx error }

func (e *ctxError) Error() string   { return e.err.Error() + " (" + e.ctx.Error() + ")" }
func (e *ctxError) Unwrap() []error { return []error{e.err, e.ctx} }
