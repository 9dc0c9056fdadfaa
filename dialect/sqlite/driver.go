package sqlite

import (
	"fmt"
	"net/url"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"github.com/retort-orm/retort/core"
)

var _ core.Opener = (*Dialect)(nil)

// DefaultBusyTimeoutMS is the busy_timeout set on every connection: how long
// a writer waits for a lock before SQLITE_BUSY.
const DefaultBusyTimeoutMS = 5000

// Open implements core.Opener on modernc.org/sqlite. URL forms, as
// SQLAlchemy's:
//
//	sqlite://                 an in-memory database
//	sqlite:///:memory:        an in-memory database
//	sqlite:///relative/app.db a file relative to the working directory
//	sqlite:////abs/path/app.db an absolute path
//
// Query parameters are passed to the driver (for example
// ?_pragma=journal_mode(WAL)). Every connection gets foreign_keys=ON and a
// busy_timeout of [DefaultBusyTimeoutMS].
//
// An in-memory database lives in one connection, so its pool is capped at
// one connection (Size 1, Overflow 0, never recycled): every checkout
// sees the same database, and a second concurrent checkout waits (up to
// the pool timeout) for the first to be released. The shared-cache
// alternative (file::memory:?cache=shared) was rejected: it turns
// concurrent writers into SQLITE_LOCKED errors instead of waits.
func (d *Dialect) Open(rawURL string, opts core.PoolOptions) (core.Driver, error) {
	dsn, memory, err := DSN(rawURL)
	if err != nil {
		return nil, err
	}
	if memory {
		opts.Size, opts.Overflow, opts.Recycle = 1, 0, 0
	}
	return core.OpenSQLDriver("sqlite", dsn, opts)
}

// DSN turns a sqlite:// URL into a modernc.org/sqlite DSN, and reports
// whether the database is in memory.
func DSN(rawURL string) (dsn string, memory bool, err error) {
	rest, ok := strings.CutPrefix(rawURL, "sqlite://")
	if !ok {
		return "", false, &core.ArgumentError{Msg: fmt.Sprintf("sqlite: URL %q does not start with sqlite://", rawURL)}
	}
	path, query, _ := strings.Cut(rest, "?")
	q, err := url.ParseQuery(query)
	if err != nil {
		return "", false, &core.ArgumentError{Msg: fmt.Sprintf("sqlite: URL %q: bad query: %v", rawURL, err)}
	}
	switch {
	case path == "" || path == "/:memory:":
		memory = true
		path = ":memory:"
	case strings.HasPrefix(path, "/"):
		path = path[1:]
	default:
		return "", false, &core.ArgumentError{Msg: fmt.Sprintf("sqlite: URL %q: want sqlite:///relative.db, sqlite:////absolute.db or sqlite:// (in memory)", rawURL)}
	}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", DefaultBusyTimeoutMS))
	return "file:" + path + "?" + q.Encode(), memory, nil
}

// TransactionalDDL implements core.TransactionalDDLDialect: SQLite's DDL
// is transactional.
func (d *Dialect) TransactionalDDL() bool { return true }

// MaxBindParams implements core.BindLimiter: SQLITE_MAX_VARIABLE_NUMBER
// is 32766 since SQLite 3.32 (modernc ships a newer release).
func (d *Dialect) MaxBindParams() int { return 32766 }

// ExistsQuery implements core.CatalogChecker from sqlite_master.
func (d *Dialect) ExistsQuery(e core.DDLElement) (core.Statement, bool) {
	kind, _, name, _ := core.DDLTarget(e)
	switch kind {
	case "table", "index":
		return core.Raw("SELECT 1 FROM sqlite_master WHERE type = :type AND name = :name", map[string]any{"type": kind, "name": name}), true
	}
	return nil, false
}
