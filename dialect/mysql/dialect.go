package mysql

import "github.com/retort-orm/retort/core"

// Dialect is the MySQL and MariaDB dialect.
type Dialect struct {
	core.BaseDialect
}

var _ core.Dialect = (*Dialect)(nil)

// New returns the MySQL and MariaDB dialect with every feature of MySQL 8 and MariaDB 10.5+.
func New() *Dialect {
	d := &Dialect{}
	d.DialectName = "mysql"
	d.QuoteOpen, d.QuoteClose = '"', '"'
	return d
}

func init() {
	d := New()
	core.RegisterDialect("mysql", d)
	core.RegisterDialect("mariadb", d)
}
