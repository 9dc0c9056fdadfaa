package sqlite

import (
	"regexp"

	"github.com/retort-orm/retort/core"
)

// The table option "sqlite_autoincrement" ("true") asks for
// INTEGER PRIMARY KEY AUTOINCREMENT on the table's integer primary key.
const optAutoincrement = "sqlite_autoincrement"

func tableAutoincrement(t *core.Table) bool {
	v := t.Option(optAutoincrement)
	return v != "" && v != "false" && v != "0"
}

// inlinePK reports whether col carries the table's primary key inline as
// PRIMARY KEY AUTOINCREMENT.
func inlinePK(col *core.Column) bool {
	t := col.Table()
	if t == nil || !col.IsPrimaryKey() || !tableAutoincrement(t) || len(t.PrimaryKeyColumns()) != 1 {
		return false
	}
	switch core.ImplType(col.Type()).(type) {
	case core.Integer, core.BigInteger, core.SmallInteger:
	default:
		return false
	}
	for _, fk := range t.ForeignKeys() {
		for _, n := range fk.Columns {
			if n == col.Name() {
				return false
			}
		}
	}
	return true
}

var (
	ddlQuotedStart = regexp.MustCompile(`^\s*['"(]`)
	ddlNonWord     = regexp.MustCompile(`\W`)
)

// DDLColumnSpec implements core.DDLCompiler as SQLAlchemy's SQLite dialect
// does: name TYPE [DEFAULT x] [NOT NULL] [PRIMARY KEY AUTOINCREMENT]
// [GENERATED ALWAYS AS (…)]. An expression default is parenthesised. Identity
// is ignored (the rowid does the job).
//
// One deliberate difference from SQLAlchemy: an autoincrement integer
// primary key is always declared INTEGER, whatever its integer width, so
// that it is SQLite's rowid alias and really autoincrements (SQLAlchemy
// writes BIGINT for a BigInteger key, which is not a rowid alias and then
// fails inserts without an id; SQLite's INTEGER is 64-bit anyway).
func (d *Dialect) DDLColumnSpec(c *core.Compiler, col *core.Column) error {
	c.WriteIdent(col.Name())
	c.WriteString(" ")
	// an Identity or a Sequence on the key is ignored (SQLite has
	// neither): the rowid makes its values
	rowid := (core.IsAutoincrementDDL(col) || ((col.Identity() != nil || col.Sequence() != nil) && col.IsPrimaryKey() && col.IsAutoincrement())) &&
		col.Table() != nil && len(col.Table().PrimaryKeyColumns()) == 1
	if rowid {
		c.WriteString("INTEGER")
	} else if err := c.WriteType(col.Type(), false); err != nil {
		return err
	}
	if def := col.ServerDefault(); def != nil {
		s, err := c.RenderDDLExpr(def)
		if err != nil {
			return err
		}
		if !ddlQuotedStart.MatchString(s) && ddlNonWord.MatchString(s) {
			s = "(" + s + ")"
		}
		c.WriteString(" DEFAULT " + s)
	}
	if !col.Nullable() || col.Identity() != nil {
		c.WriteString(" NOT NULL")
	}
	if col.IsPrimaryKey() && col.Table() != nil {
		if col.IsAutoincrement() && len(col.Table().PrimaryKeyColumns()) != 1 && col.Identity() == nil {
			// only an explicit Autoincrement(true) is autoincrement in a composite key
			return &core.CompileError{Msg: "SQLite does not support autoincrement for composite primary keys"}
		}
		if inlinePK(col) {
			c.WriteString(" PRIMARY KEY AUTOINCREMENT")
		}
	}
	if comp := col.Computed(); comp != nil {
		if err := c.WriteComputed(comp, true, true); err != nil {
			return err
		}
	}
	return nil
}

// DDLTypeCheck implements core.DDLCompiler: SQLite has neither booleans nor
// enums, so both get their CHECK when CreateConstraint asks.
func (d *Dialect) DDLTypeCheck(t core.Type) bool {
	switch core.ImplType(t).(type) {
	case core.Boolean, core.Enum:
		return true
	}
	return false
}

// DDLSkip implements core.DDLCompiler: SQLite has no sequences, comments,
// enum types or ALTER TABLE ADD CONSTRAINT (cycle foreign keys stay inline).
func (d *Dialect) DDLSkip(e core.DDLElement) bool {
	switch x := e.(type) {
	case *core.CreateSequence, *core.DropSequence, *core.SetTableComment, *core.SetColumnComment,
		*core.CreateEnumType, *core.DropEnumType:
		return true
	case *core.AddConstraint:
		return x.CycleBreak
	case *core.DropConstraint:
		return x.CycleBreak
	}
	return false
}

// VisitDDL implements core.DDLCompiler: CREATE TABLE keeps every foreign key
// inline and moves the primary key inline for sqlite_autoincrement;
// sequences, enum types, comments and ALTER TABLE … CONSTRAINT are errors.
func (d *Dialect) VisitDDL(c *core.Compiler, e core.DDLElement) error {
	switch x := e.(type) {
	case *core.CreateTable:
		l := core.CreateTableLayout{InlineAllForeignKeys: true}
		if x.Table != nil {
			for _, col := range x.Table.Columns() {
				if inlinePK(col) {
					l.OmitPrimaryKey = true
				}
			}
		}
		return c.WriteCreateTable(x, l)
	case *core.CreateSequence, *core.DropSequence:
		return c.Unsupported("sequences")
	case *core.CreateEnumType, *core.DropEnumType:
		return c.Unsupported("enum types (CREATE TYPE … AS ENUM)")
	case *core.SetTableComment, *core.SetColumnComment:
		return c.Unsupported("comments")
	case *core.AddConstraint:
		return c.Unsupported("ALTER TABLE … ADD CONSTRAINT")
	case *core.DropConstraint:
		return c.Unsupported("ALTER TABLE … DROP CONSTRAINT")
	}
	return d.BaseDialect.VisitDDL(c, e)
}
