package mssql

import (
	"fmt"
	"net/url"
	"strings"

	_ "github.com/microsoft/go-mssqldb" // registers the "sqlserver" database/sql driver

	"github.com/retort-orm/retort/core"
)

var _ core.Opener = (*Dialect)(nil)

// Open implements core.Opener on github.com/microsoft/go-mssqldb for
// mssql://user:pass@host:port/database?params and sqlserver://… URLs
// (port 1433 by default; a named instance as host/instance is written
// ?instance=name). Other query parameters are go-mssqldb's (encrypt,
// TrustServerCertificate, app name …).
func (d *Dialect) Open(rawURL string, opts core.PoolOptions) (core.Driver, error) {
	dsn, err := DSN(rawURL)
	if err != nil {
		return nil, err
	}
	return core.OpenSQLDriver("sqlserver", dsn, opts)
}

// DSN turns a mssql:// or sqlserver:// URL into go-mssqldb's URL form:
// sqlserver://user:pass@host:port?database=db&….
func DSN(rawURL string) (string, error) {
	u, err := core.ParseURL(rawURL)
	if err != nil {
		return "", err
	}
	if u.Scheme != "mssql" && u.Scheme != "sqlserver" && !strings.HasPrefix(u.Scheme, "mssql+") {
		return "", &core.ArgumentError{Msg: fmt.Sprintf("mssql: URL scheme %q is not mssql:// or sqlserver://", u.Scheme)}
	}
	out := url.URL{Scheme: "sqlserver", Host: u.Addr(1433)}
	if inst := u.Query.Get("instance"); inst != "" {
		out.Host = u.Host
		if out.Host == "" {
			out.Host = "localhost"
		}
		out.Path = "/" + inst
		u.Query.Del("instance")
	}
	if u.User != "" {
		if u.HasPassword {
			out.User = url.UserPassword(u.User, u.Password)
		} else {
			out.User = url.User(u.User)
		}
	}
	q := u.Query
	if u.Database != "" {
		q.Set("database", u.Database)
	}
	out.RawQuery = q.Encode()
	return out.String(), nil
}

// SavepointSQL implements core.SavepointDialect: SAVE TRANSACTION.
func (d *Dialect) SavepointSQL(name string) string { return "SAVE TRANSACTION " + name }

// ReleaseSavepointSQL implements core.SavepointDialect: SQL Server has no
// release.
func (d *Dialect) ReleaseSavepointSQL(string) string { return "" }

// RollbackToSavepointSQL implements core.SavepointDialect.
func (d *Dialect) RollbackToSavepointSQL(name string) string { return "ROLLBACK TRANSACTION " + name }

// MaxBindParams implements core.BindLimiter: SQL Server takes 2100
// parameters per request; a margin is left for the driver's own.
func (d *Dialect) MaxBindParams() int { return 2000 }

// ExistsQuery implements core.CatalogChecker from the catalog views, in the
// default schema unless the object names one.
func (d *Dialect) ExistsQuery(e core.DDLElement) (core.Statement, bool) {
	kind, schema, name, table := core.DDLTarget(e)
	p := map[string]any{"name": name}
	sch := "SCHEMA_NAME()"
	if schema != "" {
		sch, p["schema"] = ":schema", schema
	}
	switch kind {
	case "table":
		return core.Raw("SELECT 1 FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = :name AND TABLE_SCHEMA = "+sch, p), true
	case "index":
		p["table"] = table
		return core.Raw("SELECT 1 FROM sys.indexes i JOIN sys.tables t ON t.object_id = i.object_id WHERE i.name = :name AND t.name = :table AND SCHEMA_NAME(t.schema_id) = "+sch, p), true
	case "constraint":
		p["table"] = table
		return core.Raw("SELECT 1 FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS WHERE CONSTRAINT_NAME = :name AND TABLE_NAME = :table AND TABLE_SCHEMA = "+sch, p), true
	case "sequence":
		return core.Raw("SELECT 1 FROM sys.sequences WHERE name = :name AND SCHEMA_NAME(schema_id) = "+sch, p), true
	}
	return nil, false
}
