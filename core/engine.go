package core

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
)

// Engine is the starting point of Retort's Core, SQLAlchemy's Engine: a
// dialect, a connection pool ([Driver]), a compiled-statement cache, echo
// logging and event listeners. It is safe for concurrent use; make one per
// database and share it.
type Engine struct {
	d     Dialect
	drv   Driver
	cache *StatementCache
	echo  Echo
	hide  bool
	ev    Events

	savepoints SavepointDialect
	maxParams  int
	txDDL      bool
	bulk       bulkShapes // compiled insertmanyvalues shapes
}

type engineConfig struct {
	pool      PoolOptions
	logger    *slog.Logger
	hide      bool
	cacheSize int
}

// EngineOption configures an [Engine].
type EngineOption func(*engineConfig)

// WithPool sets the pool options ([PoolOptions]; zero fields take the
// defaults). It applies to pools the engine opens ([CreateEngine],
// [NewEngineFromDB]).
func WithPool(o PoolOptions) EngineOption { return func(c *engineConfig) { c.pool = o } }

// WithEcho logs every statement to l at debug level (SQLAlchemy's echo).
func WithEcho(l *slog.Logger) EngineOption { return func(c *engineConfig) { c.logger = l } }

// WithHideParameters keeps statement parameters out of logs and error
// messages (SQLAlchemy's hide_parameters).
func WithHideParameters() EngineOption { return func(c *engineConfig) { c.hide = true } }

// WithStatementCacheSize sets how many compiled statements the engine keeps
// (default 500).
func WithStatementCacheSize(n int) EngineOption { return func(c *engineConfig) { c.cacheSize = n } }

// SavepointDialect is implemented by dialects whose savepoint statements
// differ from SAVEPOINT name / RELEASE SAVEPOINT name / ROLLBACK TO
// SAVEPOINT name (SQL Server's SAVE TRANSACTION). An empty release
// statement means the database has none.
type SavepointDialect interface {
	SavepointSQL(name string) string
	ReleaseSavepointSQL(name string) string
	RollbackToSavepointSQL(name string) string
}

type standardSavepoints struct{}

func (standardSavepoints) SavepointSQL(n string) string        { return "SAVEPOINT " + n }
func (standardSavepoints) ReleaseSavepointSQL(n string) string { return "RELEASE SAVEPOINT " + n }
func (standardSavepoints) RollbackToSavepointSQL(n string) string {
	return "ROLLBACK TO SAVEPOINT " + n
}

// BindLimiter is implemented by dialects that say how many bound
// parameters one statement may carry (insertmanyvalues sizes its batches
// by it). The default is 32767 (PostgreSQL).
type BindLimiter interface {
	MaxBindParams() int
}

// TransactionalDDLDialect is implemented by dialects whose DDL runs inside
// a transaction (PostgreSQL, SQLite): [Engine.CreateAll] and
// [Engine.DropAll] then run all their statements in one transaction.
// Elsewhere each statement commits by itself.
type TransactionalDDLDialect interface {
	TransactionalDDL() bool
}

// CatalogChecker is implemented by dialects that answer checkfirst for
// [Engine.CreateAll] / [Engine.DropAll] from their own catalog. ExistsQuery
// returns a statement that yields a row when the object e creates or
// drops exists, and false when it cannot tell (the element then runs).
type CatalogChecker interface {
	ExistsQuery(e DDLElement) (Statement, bool)
}

// CreateEngine opens an engine from a database URL
// ("postgresql://user:pass@host/db", "sqlite:///app.db", "sqlite://" for an
// in-memory database, "mysql://…", "mssql://…", "oracle://…"). The
// scheme selects the dialect, whose package must be imported; the dialect
// opens the pool. A "+driver" suffix on the scheme is accepted when only
// the base scheme is registered.
func CreateEngine(url string, opts ...EngineOption) (*Engine, error) {
	scheme := URLScheme(url)
	if scheme == "" {
		return nil, &ArgumentError{Msg: fmt.Sprintf("create engine: %q is not a database URL (want scheme://…)", RedactURL(url))}
	}
	d, err := LookupDialect(scheme)
	if err != nil {
		if base, _, ok := cutByte(scheme, '+'); ok {
			if d2, err2 := LookupDialect(base); err2 == nil {
				d, err = d2, nil
			}
		}
		if err != nil {
			return nil, err
		}
	}
	op, ok := d.(Opener)
	if !ok {
		return nil, &ArgumentError{Msg: fmt.Sprintf("create engine: dialect %s cannot open connections from a URL (it does not implement core.Opener); open the pool yourself and use core.NewEngine or core.NewEngineFromDB", d.Name())}
	}
	cfg := config(opts)
	drv, err := op.Open(url, cfg.pool.WithDefaults())
	if err != nil {
		return nil, err
	}
	return newEngine(d, drv, cfg), nil
}

func cutByte(s string, b byte) (string, string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == b {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

func config(opts []EngineOption) engineConfig {
	var cfg engineConfig
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	return cfg
}

// NewEngine returns an engine on an existing pool (a Driver from
// [NewSQLDriver] or the PostgreSQL dialect's pgxpool wrapper).
func NewEngine(d Dialect, drv Driver, opts ...EngineOption) *Engine {
	return newEngine(d, drv, config(opts))
}

// NewEngineFromDB returns an engine on an existing *sql.DB, applying the
// pool options of [WithPool] to it. Closing the engine closes db.
func NewEngineFromDB(d Dialect, db *sql.DB, opts ...EngineOption) *Engine {
	cfg := config(opts)
	return newEngine(d, NewSQLDriver(db, cfg.pool), cfg)
}

func newEngine(d Dialect, drv Driver, cfg engineConfig) *Engine {
	e := &Engine{d: d, drv: drv, cache: NewStatementCache(cfg.cacheSize), hide: cfg.hide}
	e.echo = Echo{Logger: cfg.logger, HideParameters: cfg.hide}
	e.savepoints = standardSavepoints{}
	if sp, ok := d.(SavepointDialect); ok {
		e.savepoints = sp
	}
	e.maxParams = 32767
	if bl, ok := d.(BindLimiter); ok && bl.MaxBindParams() > 0 {
		e.maxParams = bl.MaxBindParams()
	}
	if td, ok := d.(TransactionalDDLDialect); ok {
		e.txDDL = td.TransactionalDDL()
	}
	return e
}

// Dialect returns the engine's dialect.
func (e *Engine) Dialect() Dialect { return e.d }

// Driver returns the engine's pool.
func (e *Engine) Driver() Driver { return e.drv }

// Stats returns the pool's counts.
func (e *Engine) Stats() PoolStats { return e.drv.Stats() }

// StatementCache returns the engine's compiled-statement cache.
func (e *Engine) StatementCache() *StatementCache { return e.cache }

// Events returns the engine's listener lists.
func (e *Engine) Events() *Events { return &e.ev }

// Close closes the pool. Connections still checked out are closed when
// released.
func (e *Engine) Close() error { return e.drv.Close() }

// Connect checks a connection out of the pool. Close it when done. A
// checkout that finds no free connection within the pool timeout fails
// with [ErrPoolExhausted].
func (e *Engine) Connect(ctx context.Context) (*Connection, error) {
	dc, err := e.drv.Acquire(ctx)
	if err != nil {
		if ctx.Err() != nil && !errors.Is(err, ctx.Err()) {
			err = fmt.Errorf("%w: %w", ctx.Err(), err)
		}
		return nil, NewDBError(e.d, err, "", nil, e.hide)
	}
	c := &Connection{e: e, dc: dc}
	if ls := e.ev.connect.list(); len(ls) > 0 {
		if f, ok := dc.(interface{ Fresh() bool }); ok && f.Fresh() {
			if err := firePool(ls, ctx, dc); err != nil {
				dc.Release(true)
				return nil, err
			}
		}
	}
	if ls := e.ev.checkout.list(); len(ls) > 0 {
		if err := firePool(ls, ctx, dc); err != nil {
			dc.Release(true)
			return nil, err
		}
	}
	return c, nil
}

// Begin checks out a connection and begins a transaction on it
// (SQLAlchemy's engine.begin() without the context manager). Commit or
// roll back, then Close; Close rolls back what was not committed.
func (e *Engine) Begin(ctx context.Context) (*Connection, error) {
	c, err := e.Connect(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := c.Begin(ctx); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// Transaction runs fn in a transaction ("begin once"): it commits when fn
// returns nil, and rolls back when fn returns an error or panics (the panic
// goes on after the rollback). The connection is released either way.
func (e *Engine) Transaction(ctx context.Context, fn func(c *Connection) error) (err error) {
	c, err := e.Begin(ctx)
	if err != nil {
		return err
	}
	committed := false
	defer func() {
		if !committed {
			_ = c.Rollback(context.WithoutCancel(ctx))
		}
		c.Close()
	}()
	if err := fn(c); err != nil {
		return err
	}
	if err := c.Commit(ctx); err != nil {
		return err
	}
	committed = true
	return nil
}

// Execute runs one statement on a connection of its own and commits it
// (autocommit). Rows of a query are read from the returned Result; the
// connection goes back to the pool when the Result is closed.
func (e *Engine) Execute(ctx context.Context, stmt Statement, params ...map[string]any) (*Result, error) {
	c, err := e.Connect(ctx)
	if err != nil {
		return nil, err
	}
	c.engineOwned = true
	// one statement needs no BEGIN/COMMIT round trips: it runs in the
	// database's own autocommit, atomic by itself
	if err := c.SetExecutionOptions(ExecutionOptions{Autocommit: true}); err != nil {
		c.Close()
		return nil, err
	}
	res, err := c.Execute(ctx, stmt, params...)
	if err != nil {
		c.Close()
		return nil, err
	}
	if !c.rowsOpen {
		c.Close()
	}
	return res, nil
}

// CreateAll creates md's tables, sequences, enum types and indexes in
// foreign key order (SQLAlchemy's metadata.create_all). With checkfirst,
// objects that exist are left alone: IF NOT EXISTS where the dialect has
// it, otherwise a catalog query per object. The statements run in one
// transaction where DDL is transactional ([TransactionalDDLDialect]),
// one by one elsewhere.
func (e *Engine) CreateAll(ctx context.Context, md *MetaData, checkfirst bool) error {
	return e.runDDL(ctx, md, DDLFor(e.d, CreateAllDDL(md, checkfirst)), checkfirst, true)
}

// DropAll drops md's schema in reverse foreign key order (SQLAlchemy's
// metadata.drop_all); with checkfirst, objects that do not exist are
// skipped.
func (e *Engine) DropAll(ctx context.Context, md *MetaData, checkfirst bool) error {
	return e.runDDL(ctx, md, DDLFor(e.d, DropAllDDL(md, checkfirst)), checkfirst, false)
}

func (e *Engine) runDDL(ctx context.Context, md *MetaData, elems []DDLElement, checkfirst, create bool) (err error) {
	c, err := e.Connect(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	if e.txDDL {
		if _, err := c.Begin(ctx); err != nil {
			return err
		}
	} else {
		c.opts.Autocommit = true
	}
	before, after := e.ev.beforeDrop.list(), e.ev.afterDrop.list()
	if create {
		before, after = e.ev.beforeCreate.list(), e.ev.afterCreate.list()
	}
	if err := fireMD(before, ctx, c, md); err != nil {
		return err
	}
	for _, el := range elems {
		if checkfirst {
			run, el2, err := c.checkDDL(ctx, el, create)
			if err != nil {
				return err
			}
			if !run {
				continue
			}
			el = el2
		}
		if _, err := c.execDDL(ctx, el); err != nil {
			return err
		}
	}
	if err := fireMD(after, ctx, c, md); err != nil {
		return err
	}
	return c.Commit(ctx)
}
