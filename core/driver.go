package core

import (
	"context"
	"time"
)

// Driver is the small interface through which core reaches a database: a
// pool of connections. There are two implementations: one on database/sql
// (SQLite, MySQL/MariaDB, SQL Server, Oracle) in this package, and one on
// pgx directly (PostgreSQL) in dialect/postgresql. A dialect that can open
// connections implements [Opener]; users never call a Driver themselves.
//
// Contract: Acquire waits at most until ctx is done (the engine applies the
// pool timeout to ctx) and returns an error wrapping ctx.Err() when it gives
// up. Every acquired DriverConn is released exactly once.
type Driver interface {
	// Acquire checks a connection out of the pool.
	Acquire(ctx context.Context) (DriverConn, error)
	// Stats reports the pool's counts.
	Stats() PoolStats
	// Close closes the pool; connections checked out are closed on release.
	Close() error
}

// DriverConn is one checked-out connection. It is used by one goroutine at
// a time.
type DriverConn interface {
	// Exec runs a statement that returns no rows.
	Exec(ctx context.Context, sql string, args []any) (ExecResult, error)
	// Query runs a statement that returns rows. The rows must be closed
	// before the connection is used again.
	Query(ctx context.Context, sql string, args []any) (DriverRows, error)
	// Begin starts a transaction with the driver's own call (so drivers
	// that track transaction state stay right); Commit and Rollback end it.
	Begin(ctx context.Context, opts TxOptions) error
	Commit(ctx context.Context) error
	Rollback(ctx context.Context) error
	// Ping checks that the connection is alive (pre-ping).
	Ping(ctx context.Context) error
	// Release returns the connection to the pool; with broken set (a
	// disconnect was seen) the pool discards it instead.
	Release(broken bool)
}

// BatchExecer is implemented by a DriverConn that can send many executions
// of one statement in a single round trip (pgx's batch, a pipeline of
// extended-protocol messages). [Connection.ExecuteMany] uses it. The
// executions run in order, in the connection's transaction if one is open;
// the first failing one stops the batch and its error is returned with its
// index. RowsAffected is the total.
type BatchExecer interface {
	ExecBatch(ctx context.Context, sql string, args [][]any) (res ExecResult, failed int, err error)
}

// Pipeliner is implemented by a DriverConn that can send a statement
// before the results of the statements sent earlier have been read
// (PostgreSQL's pipeline mode). A bulk insert of several full batches
// uses it inside a transaction: while the server runs one batch, the
// client encodes and sends the next, so the client's work hides behind
// the server's.
type Pipeliner interface {
	// Pipeline starts a pipeline of executions of sql in the transaction
	// open on the connection. ok is false, with no error and nothing
	// sent, when the connection cannot pipeline sql (the caller then runs
	// the statements one by one). The connection serves nothing else
	// until the pipeline is closed.
	Pipeline(ctx context.Context, sql string) (p DriverPipeline, ok bool, err error)
}

// DriverPipeline is a started pipeline (see [Pipeliner]). Results come
// back in the order the executions were sent, each read with Rows (a
// statement that returns rows) or Exec (one that does not).
type DriverPipeline interface {
	// Send encodes args and sends one execution. args may be reused once
	// Send returns.
	Send(args []any) error
	// Rows returns the rows of the oldest execution sent and not read yet.
	// They must be closed before the next Send, Rows or Exec. An execution
	// that failed returns its error; the transaction is then failed and
	// the later executions are not run.
	Rows() (DriverRows, error)
	// Exec reads the oldest execution sent and not read yet as a
	// statement without rows, as Rows does.
	Exec() (ExecResult, error)
	// Close ends the pipeline, discarding what was not read, and returns
	// the connection to its normal use. An error means the connection is
	// no longer usable.
	Close() error
}

// ExecResult is what a statement without rows reports.
type ExecResult struct {
	RowsAffected int64
	// LastInsertID is the driver's last insert id (MySQL AUTO_INCREMENT,
	// SQLite rowid) when HasLastInsertID is set.
	LastInsertID    int64
	HasLastInsertID bool
}

// DriverRows iterates the rows of a query. Scan destinations are pointers;
// a driver converts what it can (database/sql's rules, pgx's scan plans),
// and core's result processing does the rest.
type DriverRows interface {
	Columns() []string
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close() error
}

// IsolationLevel is a transaction isolation level.
type IsolationLevel uint8

// Isolation levels.
const (
	IsolationDefault IsolationLevel = iota
	ReadUncommitted
	ReadCommitted
	RepeatableRead
	Serializable
	Snapshot // SQL Server
)

// String returns the SQL spelling of the level.
func (l IsolationLevel) String() string {
	switch l {
	case ReadUncommitted:
		return "READ UNCOMMITTED"
	case ReadCommitted:
		return "READ COMMITTED"
	case RepeatableRead:
		return "REPEATABLE READ"
	case Serializable:
		return "SERIALIZABLE"
	case Snapshot:
		return "SNAPSHOT"
	}
	return "DEFAULT"
}

// TxOptions configures a transaction.
type TxOptions struct {
	Isolation IsolationLevel
	ReadOnly  bool
}

// PoolStats are a pool's counts.
type PoolStats struct {
	MaxOpen      int
	Open         int
	InUse        int
	Idle         int
	WaitCount    int64
	WaitDuration time.Duration
}

// PoolOptions are SQLAlchemy's pool settings. Zero values take the
// defaults: Size 5, Overflow 10, Timeout 30s, no recycle, no pre-ping.
type PoolOptions struct {
	// Size is the number of connections kept open when idle.
	Size int
	// Overflow is how many more may be opened under load (Size+Overflow
	// is the maximum). Zero takes the default (10); use [NoOverflow] for
	// none and [UnlimitedOverflow] for no limit (SQLAlchemy's
	// max_overflow=-1).
	Overflow int
	// Timeout is how long a checkout waits for a free connection before
	// failing with an error saying the pool is exhausted.
	Timeout time.Duration
	// Recycle closes connections older than this (0: never).
	Recycle time.Duration
	// PrePing tests each connection on checkout and replaces a dead one.
	PrePing bool
}

// Overflow settings that zero cannot express.
const (
	// UnlimitedOverflow lets the pool open connections without limit.
	UnlimitedOverflow = -1
	// NoOverflow caps the pool at Size connections.
	NoOverflow = -2
)

// WithDefaults fills zero fields with the defaults.
func (o PoolOptions) WithDefaults() PoolOptions {
	if o.Size <= 0 {
		o.Size = 5
	}
	if o.Overflow == 0 {
		o.Overflow = 10
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	return o
}

// MaxOpen is the most connections the pool opens: Size+Overflow, Size
// with NoOverflow, 0 (no limit) with UnlimitedOverflow.
func (o PoolOptions) MaxOpen() int {
	switch {
	case o.Overflow == NoOverflow:
		return o.Size
	case o.Overflow < 0:
		return 0
	}
	return o.Size + o.Overflow
}

// Opener is implemented by dialects that can open a connection pool from a
// URL (the dialect packages import their drivers; core never does).
type Opener interface {
	// Open parses url (its scheme already matched the dialect) and
	// returns a pool.
	Open(url string, opts PoolOptions) (Driver, error)
}

// ErrorTranslator is implemented by dialects that classify their driver's
// errors (by SQLSTATE, error number or code, never by message text) into
// Retort's hierarchy.
type ErrorTranslator interface {
	// TranslateError returns the kind of a driver error, ErrorUnknown when
	// it cannot tell, and whether the error means the connection is gone.
	TranslateError(err error) (kind ErrorKind, disconnect bool)
}
