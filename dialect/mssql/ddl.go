package mssql

import (
	"strconv"
	"strings"

	"github.com/retort-orm/retort/core"
)

// DDLColumnSpec implements core.DDLCompiler as SQLAlchemy's mssql dialect
// does: name {TYPE | AS (expr) [PERSISTED]} {NOT NULL | NULL} [IDENTITY
// [(start,increment)] | DEFAULT x]. A computed column has no type and no
// NULL. Primary key, sequence and identity columns are NOT NULL.
func (d *Dialect) DDLColumnSpec(c *core.Compiler, col *core.Column) error {
	c.WriteIdent(col.Name())
	comp := col.Computed()
	if comp != nil {
		if comp.Expr == nil {
			return &core.ArgumentError{Msg: "computed column has no expression"}
		}
		c.WriteString(" AS (")
		if err := c.WriteDDLExpr(comp.Expr); err != nil {
			return err
		}
		c.WriteString(")")
		if comp.Persisted != nil && *comp.Persisted {
			c.WriteString(" PERSISTED")
		}
	} else {
		c.WriteString(" ")
		if err := c.WriteType(col.Type(), false); err != nil {
			return err
		}
	}
	id := col.Identity()
	switch {
	case !col.Nullable() || col.IsPrimaryKey() || col.Sequence() != nil || id != nil:
		c.WriteString(" NOT NULL")
	case comp == nil:
		c.WriteString(" NULL")
	}
	switch {
	case id != nil:
		c.WriteString(" IDENTITY")
		if id.Start != nil || id.Increment != nil {
			start, inc := int64(1), int64(1)
			if id.Start != nil {
				start = *id.Start
			}
			if id.Increment != nil {
				inc = *id.Increment
			}
			c.WriteString("(" + strconv.FormatInt(start, 10) + "," + strconv.FormatInt(inc, 10) + ")")
		}
	case core.IsAutoincrementDDL(col):
		c.WriteString(" IDENTITY")
	default:
		if err := c.WriteColumnDefault(col); err != nil {
			return err
		}
	}
	return nil
}

// DDLIfExists implements core.DDLCompiler: SQL Server 2016 has DROP … IF
// EXISTS but no CREATE … IF NOT EXISTS (SQLAlchemy renders it anyway, which
// the server rejects); the engine checks the catalog instead.
func (d *Dialect) DDLIfExists(c *core.Compiler, kind string, create bool) error {
	if create {
		return c.Unsupported("CREATE " + kind + " IF NOT EXISTS")
	}
	c.WriteString("IF EXISTS ")
	return nil
}

// DDLForeignKeyClause implements core.DDLCompiler: SQL Server has no
// RESTRICT action and no deferrable constraints.
func (d *Dialect) DDLForeignKeyClause(c *core.Compiler, fk *core.ForeignKeyConstraint, clause, value string) error {
	switch {
	case clause == "DEFERRABLE" || clause == "INITIALLY":
		return c.Unsupported("foreign key " + value + " (" + clause + ")")
	case value == "RESTRICT":
		return c.Unsupported("foreign key " + clause + " RESTRICT (use NO ACTION)")
	}
	return d.BaseDialect.DDLForeignKeyClause(c, fk, clause, value)
}

// DDLTypeCheck implements core.DDLCompiler: BIT needs no CHECK; an Enum is
// a VARCHAR and gets one when CreateConstraint asks.
func (d *Dialect) DDLTypeCheck(t core.Type) bool {
	_, ok := core.ImplType(t).(core.Enum)
	return ok
}

// DDLSkip implements core.DDLCompiler: there are no enum types.
func (d *Dialect) DDLSkip(e core.DDLElement) bool {
	switch e.(type) {
	case *core.CreateEnumType, *core.DropEnumType:
		return true
	}
	return false
}

// VisitDDL implements core.DDLCompiler: CREATE [CLUSTERED|NONCLUSTERED]
// INDEX with INCLUDE and a filtered-index WHERE; DROP INDEX … ON t;
// comments through sp_addextendedproperty / sp_dropextendedproperty (the
// schema defaults to dbo); no enum types.
func (d *Dialect) VisitDDL(c *core.Compiler, e core.DDLElement) error {
	switch x := e.(type) {
	case *core.CreateIndex:
		l := core.IndexLayout{Where: true}
		if x.Index != nil {
			switch v := x.Index.Options["mssql_clustered"]; v {
			case "":
			case "false", "0":
				l.BeforeIndex = "NONCLUSTERED "
			default:
				l.BeforeIndex = "CLUSTERED "
			}
			for _, p := range strings.Split(x.Index.Options["mssql_include"], ",") {
				if p = strings.TrimSpace(p); p != "" {
					l.Include = append(l.Include, p)
				}
			}
		}
		return c.WriteCreateIndex(x, l)
	case *core.DropIndex:
		return c.WriteDropIndex(x, true)
	case *core.SetTableComment:
		if x.Table == nil {
			return &core.ArgumentError{Msg: "SetTableComment: table is nil"}
		}
		return d.extendedProperty(c, x.Table, nil, x.Table.Comment())
	case *core.SetColumnComment:
		if x.Column == nil || x.Column.Table() == nil {
			return &core.ArgumentError{Msg: "SetColumnComment: column is nil or not in a table"}
		}
		return d.extendedProperty(c, x.Column.Table(), x.Column, x.Column.Comment())
	case *core.CreateEnumType, *core.DropEnumType:
		return c.Unsupported("enum types (CREATE TYPE … AS ENUM)")
	}
	return d.BaseDialect.VisitDDL(c, e)
}

func (d *Dialect) extendedProperty(c *core.Compiler, t *core.Table, col *core.Column, comment string) error {
	if comment == "" {
		c.WriteString("execute sp_dropextendedproperty 'MS_Description', ")
	} else {
		c.WriteString("execute sp_addextendedproperty 'MS_Description', ")
		lit, err := d.AppendLiteral(nil, comment, core.String{})
		if err != nil {
			return err
		}
		if lit[0] != 'N' {
			c.WriteString("N")
		}
		c.WriteString(string(lit))
		c.WriteString(", ")
	}
	schema := t.Schema()
	if schema == "" {
		schema = "dbo"
	}
	c.WriteString("'schema', ")
	c.WriteIdent(schema)
	c.WriteString(", 'table', ")
	c.WriteIdent(t.Name())
	if col != nil {
		c.WriteString(", 'column', ")
		c.WriteIdent(col.Name())
	}
	return nil
}
