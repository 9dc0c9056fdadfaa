package oracle

import "github.com/retort-orm/retort/core"

// Dialect is the Oracle dialect.
type Dialect struct {
	core.BaseDialect
}

var _ core.Dialect = (*Dialect)(nil)

// New returns the Oracle dialect with every feature of Oracle 12c+.
func New() *Dialect {
	d := &Dialect{}
	d.DialectName = "oracle"
	d.QuoteOpen, d.QuoteClose = '"', '"'
	return d
}

func init() {
	d := New()
	core.RegisterDialect("oracle", d)
}
