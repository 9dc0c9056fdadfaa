package sqlite

import "github.com/retort-orm/retort/core"

// Dialect is the SQLite dialect.
type Dialect struct {
	core.BaseDialect
}

var _ core.Dialect = (*Dialect)(nil)

// New returns the SQLite dialect with every feature of SQLite 3.35+.
func New() *Dialect {
	d := &Dialect{}
	d.DialectName = "sqlite"
	d.QuoteOpen, d.QuoteClose = '"', '"'
	return d
}

func init() {
	d := New()
	core.RegisterDialect("sqlite", d)
}
