package oracle

import (
	"fmt"
	"strings"

	go_ora "github.com/sijms/go-ora/v2"

	"github.com/retort-orm/retort/core"
)

var _ core.Opener = (*Dialect)(nil)

// Open implements core.Opener on github.com/sijms/go-ora/v2 for
// oracle://user:pass@host:port/service?options (port 1521 by default).
// Query parameters are go-ora's URL options (SSL, TRACE FILE, …).
func (d *Dialect) Open(rawURL string, opts core.PoolOptions) (core.Driver, error) {
	dsn, err := DSN(rawURL)
	if err != nil {
		return nil, err
	}
	return core.OpenSQLDriver("oracle", dsn, opts)
}

// DSN turns an oracle:// URL into go-ora's connection URL (built with
// go_ora.BuildUrl, which encodes the credentials).
func DSN(rawURL string) (string, error) {
	u, err := core.ParseURL(rawURL)
	if err != nil {
		return "", err
	}
	if u.Scheme != "oracle" && !strings.HasPrefix(u.Scheme, "oracle+") {
		return "", &core.ArgumentError{Msg: fmt.Sprintf("oracle: URL scheme %q is not oracle://", u.Scheme)}
	}
	if u.Database == "" {
		return "", &core.ArgumentError{Msg: fmt.Sprintf("oracle: URL %q names no service (oracle://user:pass@host:port/service)", core.RedactURL(rawURL))}
	}
	port := u.Port
	if port == 0 {
		port = 1521
	}
	host := u.Host
	if host == "" {
		host = "localhost"
	}
	var options map[string]string
	if len(u.Query) > 0 {
		options = make(map[string]string, len(u.Query))
		for k, v := range u.Query {
			options[k] = v[len(v)-1]
		}
	}
	return go_ora.BuildUrl(host, port, u.Database, u.User, u.Password, options), nil
}

// SavepointSQL implements core.SavepointDialect.
func (d *Dialect) SavepointSQL(name string) string { return "SAVEPOINT " + name }

// ReleaseSavepointSQL implements core.SavepointDialect: Oracle has no
// RELEASE SAVEPOINT.
func (d *Dialect) ReleaseSavepointSQL(string) string { return "" }

// RollbackToSavepointSQL implements core.SavepointDialect.
func (d *Dialect) RollbackToSavepointSQL(name string) string { return "ROLLBACK TO SAVEPOINT " + name }

// MaxBindParams implements core.BindLimiter: Oracle takes 65535 binds.
func (d *Dialect) MaxBindParams() int { return 65535 }

// ExistsQuery implements core.CatalogChecker from the USER_/ALL_ views;
// unquoted names are stored in upper case, so both spellings match.
func (d *Dialect) ExistsQuery(e core.DDLElement) (core.Statement, bool) {
	kind, schema, name, table := core.DDLTarget(e)
	p := map[string]any{"name": name}
	owner := ""
	if schema != "" {
		owner, p["owner"] = " AND owner IN (:owner, UPPER(:owner))", schema
	}
	switch kind {
	case "table":
		return core.Raw("SELECT 1 FROM all_tables WHERE table_name IN (:name, UPPER(:name))"+ownerOr(owner), p), true
	case "index":
		return core.Raw("SELECT 1 FROM all_indexes WHERE index_name IN (:name, UPPER(:name))"+ownerOr(owner), p), true
	case "sequence":
		return core.Raw("SELECT 1 FROM all_sequences WHERE sequence_name IN (:name, UPPER(:name))"+strings.ReplaceAll(ownerOr(owner), "owner", "sequence_owner"), p), true
	case "constraint":
		p["table"] = table
		return core.Raw("SELECT 1 FROM all_constraints WHERE constraint_name IN (:name, UPPER(:name)) AND table_name IN (:table, UPPER(:table))"+ownerOr(owner), p), true
	}
	return nil, false
}

func ownerOr(owner string) string {
	if owner == "" {
		return " AND owner = SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA')"
	}
	return owner
}
