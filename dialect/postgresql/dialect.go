package postgresql

import "github.com/retort-orm/retort/core"

// Dialect is the PostgreSQL dialect.
type Dialect struct {
	core.BaseDialect
}

var _ core.Dialect = (*Dialect)(nil)

// New returns the PostgreSQL dialect with every feature of PostgreSQL 12+.
func New() *Dialect {
	d := &Dialect{}
	d.DialectName = "postgresql"
	d.QuoteOpen, d.QuoteClose = '"', '"'
	return d
}

func init() {
	d := New()
	core.RegisterDialect("postgresql", d)
	core.RegisterDialect("postgres", d)
}
