package core

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// ErrPoolExhausted matches (errors.Is) the error a checkout returns when no
// connection became free within the pool timeout. The error is a *DBError
// of kind Operational that also matches context.DeadlineExceeded.
var ErrPoolExhausted = errors.New("retort: pool exhausted")

type poolExhaustedError struct {
	timeout        time.Duration
	size, overflow int
}

func (e *poolExhaustedError) Error() string {
	ov := fmt.Sprint(e.overflow)
	if e.overflow < 0 {
		ov = "unlimited"
	}
	return fmt.Sprintf("pool exhausted: no connection free after %v (size %d, overflow %s)", e.timeout, e.size, ov)
}

func (e *poolExhaustedError) Unwrap() error { return context.DeadlineExceeded }

func (e *poolExhaustedError) Is(target error) bool { return target == ErrPoolExhausted }

// sqlDriver is the [Driver] on database/sql.
type sqlDriver struct {
	db    *sql.DB
	opts  PoolOptions
	fresh *freshSet // connections opened by our connector and not yet seen; nil when the pool was handed in
}

// NewSQLDriver returns a [Driver] on db, applying the pool options
// (Size+Overflow open at most, Size kept idle, Recycle as the connection
// lifetime). Closing the Driver closes db. [Events.OnConnect] does not fire
// for a pool handed in this way (database/sql does not say when it opens a
// connection); use [OpenSQLDriver] for that.
func NewSQLDriver(db *sql.DB, opts PoolOptions) Driver {
	return configure(db, opts.WithDefaults())
}

func configure(db *sql.DB, opts PoolOptions) *sqlDriver {
	db.SetMaxOpenConns(opts.MaxOpen())
	db.SetMaxIdleConns(opts.Size)
	db.SetConnMaxLifetime(opts.Recycle)
	return &sqlDriver{db: db, opts: opts}
}

// OpenSQLDriver opens a database/sql pool on the named driver and DSN
// through a connector that reports new connections (so
// [Events.OnConnect] fires). Dialect packages call it from their Open.
func OpenSQLDriver(driverName, dsn string, opts PoolOptions) (Driver, error) {
	probe, err := sql.Open(driverName, dsn)
	if err != nil {
		return nil, err
	}
	drv := probe.Driver()
	_ = probe.Close()
	var base driver.Connector
	if dc, ok := drv.(driver.DriverContext); ok {
		base, err = dc.OpenConnector(dsn)
		if err != nil {
			return nil, err
		}
	} else {
		base = dsnConnector{dsn: dsn, drv: drv}
	}
	fs := &freshSet{m: map[driver.Conn]struct{}{}}
	if opts.Timeout <= 0 {
		opts = opts.WithDefaults()
	}
	// opts are used as given (the engine applied the defaults; a dialect
	// may have set Overflow to 0, which WithDefaults would turn into 10).
	d := configure(sql.OpenDB(&freshConnector{Connector: base, fresh: fs}), opts)
	d.fresh = fs
	return d, nil
}

type dsnConnector struct {
	dsn string
	drv driver.Driver
}

func (c dsnConnector) Connect(context.Context) (driver.Conn, error) { return c.drv.Open(c.dsn) }
func (c dsnConnector) Driver() driver.Driver                        { return c.drv }

// freshSet remembers driver connections opened and not yet checked out.
type freshSet struct {
	mu sync.Mutex
	n  atomic.Int32
	m  map[driver.Conn]struct{}
}

type freshConnector struct {
	driver.Connector
	fresh *freshSet
}

func (c *freshConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err == nil {
		c.fresh.mu.Lock()
		c.fresh.m[conn] = struct{}{}
		c.fresh.n.Add(1)
		c.fresh.mu.Unlock()
	}
	return conn, err
}

// take reports whether dc was fresh, and forgets it.
func (fs *freshSet) take(dc any) bool {
	conn, ok := dc.(driver.Conn)
	if !ok {
		return false
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if _, ok := fs.m[conn]; ok {
		delete(fs.m, conn)
		fs.n.Add(-1)
		return true
	}
	return false
}

// Acquire implements Driver: it waits at most the pool timeout, then
// fails with [ErrPoolExhausted]. With PrePing it pings the connection and
// replaces a dead one once.
func (d *sqlDriver) Acquire(ctx context.Context) (DriverConn, error) {
	for attempt := 0; ; attempt++ {
		c, err := d.conn(ctx)
		if err != nil {
			return nil, err
		}
		if d.opts.PrePing {
			if perr := c.PingContext(ctx); perr != nil {
				discard(c)
				if attempt == 0 && ctx.Err() == nil {
					continue
				}
				return nil, perr
			}
		}
		sc := &sqlConn{d: d, conn: c}
		if d.fresh != nil && d.fresh.n.Load() > 0 {
			_ = c.Raw(func(dc any) error { sc.fresh = d.fresh.take(dc); return nil })
		}
		return sc, nil
	}
}

func (d *sqlDriver) conn(ctx context.Context) (*sql.Conn, error) {
	wctx, cancel := context.WithTimeout(ctx, d.opts.Timeout)
	defer cancel()
	c, err := d.db.Conn(wctx)
	if err == nil {
		return c, nil
	}
	if ctx.Err() == nil && errors.Is(wctx.Err(), context.DeadlineExceeded) {
		st := d.db.Stats()
		if d.opts.MaxOpen() > 0 && st.InUse >= d.opts.MaxOpen() {
			return nil, &DBError{Kind: ErrorOperational, Orig: &poolExhaustedError{timeout: d.opts.Timeout, size: d.opts.Size, overflow: d.opts.Overflow}}
		}
	}
	return nil, err
}

// discard closes c and removes it from the pool.
func discard(c *sql.Conn) {
	_ = c.Raw(func(any) error { return driver.ErrBadConn })
	_ = c.Close()
}

// Stats implements Driver from sql.DB.Stats.
func (d *sqlDriver) Stats() PoolStats {
	s := d.db.Stats()
	return PoolStats{MaxOpen: s.MaxOpenConnections, Open: s.OpenConnections, InUse: s.InUse, Idle: s.Idle, WaitCount: s.WaitCount, WaitDuration: s.WaitDuration}
}

// Close implements Driver.
func (d *sqlDriver) Close() error { return d.db.Close() }

// DB returns the *sql.DB under the driver.
func (d *sqlDriver) DB() *sql.DB { return d.db }

// sqlConn is a checked-out database/sql connection; statements go through
// its transaction when one is open.
type sqlConn struct {
	d     *sqlDriver
	conn  *sql.Conn
	tx    *sql.Tx
	fresh bool
}

// Fresh reports whether the connection was opened for this checkout.
func (c *sqlConn) Fresh() bool { return c.fresh }

func (c *sqlConn) Exec(ctx context.Context, q string, args []any) (ExecResult, error) {
	var res sql.Result
	var err error
	if c.tx != nil {
		res, err = c.tx.ExecContext(ctx, q, args...)
	} else {
		res, err = c.conn.ExecContext(ctx, q, args...)
	}
	if err != nil {
		return ExecResult{}, err
	}
	var out ExecResult
	if n, err := res.RowsAffected(); err == nil {
		out.RowsAffected = n
	}
	if id, err := res.LastInsertId(); err == nil {
		out.LastInsertID, out.HasLastInsertID = id, true
	}
	return out, nil
}

func (c *sqlConn) Query(ctx context.Context, q string, args []any) (DriverRows, error) {
	var rows *sql.Rows
	var err error
	if c.tx != nil {
		rows, err = c.tx.QueryContext(ctx, q, args...)
	} else {
		rows, err = c.conn.QueryContext(ctx, q, args...)
	}
	if err != nil {
		return nil, err
	}
	return sqlRows{rows}, nil
}

var sqlIsolation = [...]sql.IsolationLevel{
	IsolationDefault: sql.LevelDefault, ReadUncommitted: sql.LevelReadUncommitted,
	ReadCommitted: sql.LevelReadCommitted, RepeatableRead: sql.LevelRepeatableRead,
	Serializable: sql.LevelSerializable, Snapshot: sql.LevelSnapshot,
}

func (c *sqlConn) Begin(ctx context.Context, opts TxOptions) error {
	if c.tx != nil {
		return errors.New("retort: a transaction is already open on this connection")
	}
	var o *sql.TxOptions
	if opts.Isolation != IsolationDefault || opts.ReadOnly {
		o = &sql.TxOptions{ReadOnly: opts.ReadOnly}
		if int(opts.Isolation) < len(sqlIsolation) {
			o.Isolation = sqlIsolation[opts.Isolation]
		}
	}
	tx, err := c.conn.BeginTx(ctx, o)
	if err != nil {
		return err
	}
	c.tx = tx
	return nil
}

func (c *sqlConn) Commit(context.Context) error {
	if c.tx == nil {
		return nil
	}
	tx := c.tx
	c.tx = nil
	return tx.Commit()
}

func (c *sqlConn) Rollback(context.Context) error {
	if c.tx == nil {
		return nil
	}
	tx := c.tx
	c.tx = nil
	err := tx.Rollback()
	if errors.Is(err, sql.ErrTxDone) {
		return nil
	}
	return err
}

func (c *sqlConn) Ping(ctx context.Context) error { return c.conn.PingContext(ctx) }

func (c *sqlConn) Release(broken bool) {
	if c.conn == nil {
		return
	}
	if c.tx != nil {
		_ = c.tx.Rollback()
		c.tx = nil
	}
	if broken {
		discard(c.conn)
	} else {
		_ = c.conn.Close()
	}
	c.conn = nil
}

// sqlRows adapts *sql.Rows to DriverRows.
type sqlRows struct{ *sql.Rows }

func (r sqlRows) Columns() []string {
	cols, _ := r.Rows.Columns()
	return cols
}
