package postgresql

import (
	"strings"

	"github.com/retort-orm/retort/core"
)

// DDLColumnSpec implements core.DDLCompiler: SQLAlchemy's generic column
// definition, with SERIAL / BIGSERIAL / SMALLSERIAL for an autoincrement
// integer primary key, computed columns always STORED (PostgreSQL has no
// VIRTUAL generated columns: asking for one is an error), and no NOT NULL
// after an identity clause (identity columns are NOT NULL implicitly).
func (d *Dialect) DDLColumnSpec(c *core.Compiler, col *core.Column) error {
	c.WriteIdent(col.Name())
	c.WriteString(" ")
	if core.IsAutoincrementDDL(col) {
		switch core.ImplType(col.Type()).(type) {
		case core.BigInteger:
			c.WriteString("BIGSERIAL")
		case core.SmallInteger:
			c.WriteString("SMALLSERIAL")
		default:
			c.WriteString("SERIAL")
		}
	} else if err := c.WriteType(col.Type(), false); err != nil {
		return err
	}
	if err := c.WriteColumnDefault(col); err != nil {
		return err
	}
	if comp := col.Computed(); comp != nil {
		stored := true
		p := comp
		if comp.Persisted == nil {
			p = &core.Computed{Expr: comp.Expr, Persisted: &stored}
		}
		if err := c.WriteComputed(p, true, false); err != nil {
			return err
		}
	}
	if id := col.Identity(); id != nil {
		c.WriteString(" ")
		c.WriteIdentity(id, false)
	} else if !col.Nullable() {
		c.WriteString(" NOT NULL")
	}
	return nil
}

// VisitDDL implements core.DDLCompiler: CREATE INDEX takes the
// postgresql_using, postgresql_include and postgresql_concurrently options;
// everything else is the standard form.
func (d *Dialect) VisitDDL(c *core.Compiler, e core.DDLElement) error {
	if ci, ok := e.(*core.CreateIndex); ok && ci.Index != nil {
		o := ci.Index.Options
		l := core.IndexLayout{Where: true}
		if v := o["postgresql_concurrently"]; v != "" && v != "false" {
			l.AfterIndex = "CONCURRENTLY "
		}
		if v := o["postgresql_using"]; v != "" {
			if !ddlIsWord(v) {
				return &core.ArgumentError{Msg: "postgresql_using " + v + " is not an index method name"}
			}
			l.Using = " USING " + v
		}
		l.Include = ddlSplitList(o["postgresql_include"])
		return c.WriteCreateIndex(ci, l)
	}
	return d.BaseDialect.VisitDDL(c, e)
}

func ddlIsWord(s string) bool {
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if !(ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')) {
			return false
		}
	}
	return s != ""
}

func ddlSplitList(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// TransactionalDDL implements core.TransactionalDDLDialect: PostgreSQL runs
// DDL inside transactions, so CreateAll and DropAll are all or nothing.
func (d *Dialect) TransactionalDDL() bool { return true }
