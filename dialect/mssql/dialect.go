package mssql

import "github.com/retort-orm/retort/core"

// Dialect is the SQL Server dialect.
type Dialect struct {
	core.BaseDialect
}

var _ core.Dialect = (*Dialect)(nil)

// New returns the SQL Server dialect with every feature of SQL Server 2016+.
func New() *Dialect {
	d := &Dialect{}
	d.DialectName = "mssql"
	d.QuoteOpen, d.QuoteClose = '"', '"'
	return d
}

func init() {
	d := New()
	core.RegisterDialect("mssql", d)
	core.RegisterDialect("sqlserver", d)
}
