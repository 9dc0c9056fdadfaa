package mysql

import (
	"fmt"
	"strings"

	"github.com/go-sql-driver/mysql"

	"github.com/retort-orm/retort/core"
)

var _ core.Opener = (*Dialect)(nil)

// Open implements core.Opener on github.com/go-sql-driver/mysql for
// mysql://user:pass@host:port/db?params and mariadb://… URLs (port 3306
// by default; a unix socket with ?unix_socket=/path). Query parameters are
// the driver's DSN parameters; parseTime=true is always set, so DATETIME
// columns read as time.Time, and clientFoundRows=true unless given, so
// that an UPDATE reports the rows it matched (as on every other backend)
// rather than the rows it changed.
func (d *Dialect) Open(rawURL string, opts core.PoolOptions) (core.Driver, error) {
	dsn, err := DSN(rawURL)
	if err != nil {
		return nil, err
	}
	return core.OpenSQLDriver("mysql", dsn, opts)
}

// DSN turns a mysql:// or mariadb:// URL into a go-sql-driver/mysql DSN.
func DSN(rawURL string) (string, error) {
	u, err := core.ParseURL(rawURL)
	if err != nil {
		return "", err
	}
	if u.Scheme != "mysql" && u.Scheme != "mariadb" && !strings.HasPrefix(u.Scheme, "mysql+") && !strings.HasPrefix(u.Scheme, "mariadb+") {
		return "", &core.ArgumentError{Msg: fmt.Sprintf("mysql: URL scheme %q is not mysql:// or mariadb://", u.Scheme)}
	}
	cfg := mysql.NewConfig()
	cfg.User, cfg.Passwd, cfg.DBName = u.User, u.Password, u.Database
	if sock := u.Query.Get("unix_socket"); sock != "" {
		cfg.Net, cfg.Addr = "unix", sock
		u.Query.Del("unix_socket")
	} else {
		cfg.Net, cfg.Addr = "tcp", u.Addr(3306)
	}
	// Let the driver parse its own parameters (tls, loc, timeouts …).
	base := cfg.FormatDSN()
	u.Query.Set("parseTime", "true")
	if !u.Query.Has("clientFoundRows") {
		// rows matched, not rows changed, as SQLAlchemy's FOUND_ROWS
		// client flag: the ORM compares UPDATE row counts with the
		// objects it updates (an UPDATE setting the same values matches)
		u.Query.Set("clientFoundRows", "true")
	}
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	full := base + sep + u.Query.Encode()
	parsed, err := mysql.ParseDSN(full)
	if err != nil {
		return "", &core.ArgumentError{Msg: fmt.Sprintf("mysql: URL %q: %v", core.RedactURL(rawURL), err)}
	}
	return parsed.FormatDSN(), nil
}

// MaxBindParams implements core.BindLimiter: the protocol's 65535.
func (d *Dialect) MaxBindParams() int { return 65535 }

// ExistsQuery implements core.CatalogChecker from information_schema in the
// current database.
func (d *Dialect) ExistsQuery(e core.DDLElement) (core.Statement, bool) {
	kind, schema, name, table := core.DDLTarget(e)
	p := map[string]any{"name": name}
	sch := "DATABASE()"
	if schema != "" {
		sch, p["schema"] = ":schema", schema
	}
	switch kind {
	case "table":
		return core.Raw("SELECT 1 FROM information_schema.tables WHERE table_name = :name AND table_schema = "+sch, p), true
	case "index":
		p["table"] = table
		return core.Raw("SELECT 1 FROM information_schema.statistics WHERE index_name = :name AND table_name = :table AND table_schema = "+sch, p), true
	case "constraint":
		p["table"] = table
		return core.Raw("SELECT 1 FROM information_schema.table_constraints WHERE constraint_name = :name AND table_name = :table AND constraint_schema = "+sch, p), true
	case "sequence":
		return core.Raw("SELECT 1 FROM information_schema.tables WHERE table_type = 'SEQUENCE' AND table_name = :name AND table_schema = "+sch, p), true
	}
	return nil, false
}
