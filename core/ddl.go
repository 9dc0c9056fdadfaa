package core

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// DDLElement is a DDL statement: CREATE / DROP of tables, indexes,
// sequences and types, ALTER TABLE ADD CONSTRAINT, comments. DDL compiles
// with every value rendered inline (DDL takes no bound parameters) and with
// column references unqualified.
type DDLElement interface {
	Statement
	ddlElement()
}

// DDLCompiler is the part of a [Dialect] that renders DDL. [BaseDialect]
// renders the standard (PostgreSQL) forms from the pieces below; a dialect
// overrides only the pieces whose syntax differs, and may override VisitDDL
// for whole elements, falling back to BaseDialect.VisitDDL for the rest.
type DDLCompiler interface {
	// VisitDDL renders one DDL element.
	VisitDDL(c *Compiler, e DDLElement) error
	// DDLColumnSpec writes one column definition of a CREATE TABLE: name,
	// type, default, generated/identity clause, nullability, and the
	// dialect's autoincrement form.
	DDLColumnSpec(c *Compiler, col *Column) error
	// DDLPostCreateTable writes what follows the closing parenthesis of
	// CREATE TABLE (MySQL's ENGINE=… COMMENT=…).
	DDLPostCreateTable(c *Compiler, t *Table) error
	// DDLIfExists writes "IF NOT EXISTS " (create) or "IF EXISTS " (drop)
	// for an object kind ("TABLE", "INDEX", "SEQUENCE", "TYPE"), or returns
	// an UnsupportedCompilationError where the database has no such clause.
	DDLIfExists(c *Compiler, kind string, create bool) error
	// DDLForeignKeyClause writes one optional clause of a FOREIGN KEY:
	// clause is "ON DELETE", "ON UPDATE" (value is the validated, upper
	// case action), "DEFERRABLE" (value "DEFERRABLE" or "NOT DEFERRABLE")
	// or "INITIALLY" (value "DEFERRED" or "IMMEDIATE"). A dialect returns
	// an UnsupportedCompilationError for what its database rejects.
	DDLForeignKeyClause(c *Compiler, fk *ForeignKeyConstraint, clause, value string) error
	// DDLTypeCheck reports whether a column of type t (a [Boolean] or an
	// [Enum] with CreateConstraint set) gets a CHECK constraint on this
	// dialect: only where the type is not native.
	DDLTypeCheck(t Type) bool
	// DDLSkip reports whether [CreateAllDDL] / [DropAllDDL] output leaves
	// out e on this dialect: sequences where there are none, comments
	// already written inside CREATE TABLE, PostgreSQL enum types elsewhere,
	// cycle-breaking ALTERs where foreign keys stay inline. See [DDLFor].
	DDLSkip(e DDLElement) bool
}

// ---------------------------------------------------------------- elements

// CreateTable is CREATE TABLE [IF NOT EXISTS] with columns and the table's
// constraints. Foreign keys marked UseAlter, and those in ExcludeFKs, are
// left out (they are added with [AddConstraint]).
type CreateTable struct {
	Table       *Table
	IfNotExists bool
	// ExcludeFKs are foreign keys emitted later with ALTER TABLE to break
	// a dependency cycle; [CreateAllDDL] fills it from [SortTables].
	ExcludeFKs []*ForeignKeyConstraint
}

// DropTable is DROP TABLE [IF EXISTS].
type DropTable struct {
	Table    *Table
	IfExists bool
}

// CreateIndex is CREATE [UNIQUE] INDEX. Index.Where makes a partial index
// (PostgreSQL, SQLite; a filtered index on SQL Server). Dialect options in
// Index.Options: "postgresql_using", "postgresql_include",
// "postgresql_concurrently", "mysql_length", "mssql_clustered",
// "mssql_include".
type CreateIndex struct {
	Index       *Index
	IfNotExists bool
}

// DropIndex is DROP INDEX.
type DropIndex struct {
	Index    *Index
	IfExists bool
}

// CreateSequence is CREATE SEQUENCE with its options.
type CreateSequence struct {
	Sequence    *Sequence
	IfNotExists bool
}

// DropSequence is DROP SEQUENCE.
type DropSequence struct {
	Sequence *Sequence
	IfExists bool
}

// AddConstraint is ALTER TABLE … ADD CONSTRAINT, used for foreign keys that
// close a dependency cycle and for those marked UseAlter.
type AddConstraint struct {
	Constraint Constraint
	// CycleBreak marks a constraint that [CreateAllDDL] moved out of CREATE
	// TABLE; dialects without ALTER TABLE ADD CONSTRAINT (SQLite) keep it
	// inline and skip this statement (see [DDLFor]).
	CycleBreak bool
}

// DropConstraint is ALTER TABLE … DROP CONSTRAINT (DROP FOREIGN KEY /
// DROP INDEX / DROP CHECK on MySQL). The constraint must have a name.
type DropConstraint struct {
	Constraint Constraint
	// CycleBreak marks a foreign key that [DropAllDDL] drops before the
	// tables of its cycle.
	CycleBreak bool
}

// CreateEnumType is PostgreSQL's CREATE TYPE name AS ENUM ('a', 'b') for a
// native [Enum]. Other dialects reject it; [DDLFor] leaves it out there.
type CreateEnumType struct {
	Enum   Enum
	Schema string
}

// DropEnumType is DROP TYPE for a native PostgreSQL [Enum].
type DropEnumType struct {
	Enum     Enum
	Schema   string
	IfExists bool
}

// SetTableComment sets the table's comment ([Table.Comment]); an empty
// comment removes it. COMMENT ON TABLE on PostgreSQL and Oracle, ALTER
// TABLE … COMMENT on MySQL, sp_addextendedproperty on SQL Server; SQLite
// has no comments.
type SetTableComment struct {
	Table *Table
}

// SetColumnComment sets a column's comment ([Column.Comment]); an empty
// comment removes it.
type SetColumnComment struct {
	Column *Column
}

func (*CreateTable) retortNode()                 {}
func (x *CreateTable) keyInto(k *KeyWriter)      { uncacheable(k, x) }
func (*CreateTable) statement()                  {}
func (*CreateTable) ddlElement()                 {}
func (*DropTable) retortNode()                   {}
func (x *DropTable) keyInto(k *KeyWriter)        { uncacheable(k, x) }
func (*DropTable) statement()                    {}
func (*DropTable) ddlElement()                   {}
func (*CreateIndex) retortNode()                 {}
func (x *CreateIndex) keyInto(k *KeyWriter)      { uncacheable(k, x) }
func (*CreateIndex) statement()                  {}
func (*CreateIndex) ddlElement()                 {}
func (*DropIndex) retortNode()                   {}
func (x *DropIndex) keyInto(k *KeyWriter)        { uncacheable(k, x) }
func (*DropIndex) statement()                    {}
func (*DropIndex) ddlElement()                   {}
func (*CreateSequence) retortNode()              {}
func (x *CreateSequence) keyInto(k *KeyWriter)   { uncacheable(k, x) }
func (*CreateSequence) statement()               {}
func (*CreateSequence) ddlElement()              {}
func (*DropSequence) retortNode()                {}
func (x *DropSequence) keyInto(k *KeyWriter)     { uncacheable(k, x) }
func (*DropSequence) statement()                 {}
func (*DropSequence) ddlElement()                {}
func (*AddConstraint) retortNode()               {}
func (x *AddConstraint) keyInto(k *KeyWriter)    { uncacheable(k, x) }
func (*AddConstraint) statement()                {}
func (*AddConstraint) ddlElement()               {}
func (*DropConstraint) retortNode()              {}
func (x *DropConstraint) keyInto(k *KeyWriter)   { uncacheable(k, x) }
func (*DropConstraint) statement()               {}
func (*DropConstraint) ddlElement()              {}
func (*CreateEnumType) retortNode()              {}
func (x *CreateEnumType) keyInto(k *KeyWriter)   { uncacheable(k, x) }
func (*CreateEnumType) statement()               {}
func (*CreateEnumType) ddlElement()              {}
func (*DropEnumType) retortNode()                {}
func (x *DropEnumType) keyInto(k *KeyWriter)     { uncacheable(k, x) }
func (*DropEnumType) statement()                 {}
func (*DropEnumType) ddlElement()                {}
func (*SetTableComment) retortNode()             {}
func (x *SetTableComment) keyInto(k *KeyWriter)  { uncacheable(k, x) }
func (*SetTableComment) statement()              {}
func (*SetTableComment) ddlElement()             {}
func (*SetColumnComment) retortNode()            {}
func (x *SetColumnComment) keyInto(k *KeyWriter) { uncacheable(k, x) }
func (*SetColumnComment) statement()             {}
func (*SetColumnComment) ddlElement()            {}

func (c *Compiler) ddl(e DDLElement) error {
	old := c.literal
	c.literal = true
	defer func() { c.literal = old }()
	return c.Unqualified(func() error { return c.d.VisitDDL(c, e) })
}

// ---------------------------------------------------------------- base dialect

// VisitDDL implements DDLCompiler with the standard (PostgreSQL) forms.
func (b *BaseDialect) VisitDDL(c *Compiler, e DDLElement) error {
	switch x := e.(type) {
	case *CreateTable:
		return c.WriteCreateTable(x, CreateTableLayout{})
	case *DropTable:
		return c.WriteDropTable(x)
	case *CreateIndex:
		return c.WriteCreateIndex(x, IndexLayout{Where: true})
	case *DropIndex:
		return c.WriteDropIndex(x, false)
	case *CreateSequence:
		return c.WriteCreateSequence(x)
	case *DropSequence:
		return c.WriteDropSequence(x)
	case *AddConstraint:
		return c.WriteAddConstraint(x)
	case *DropConstraint:
		return c.WriteDropConstraint(x, "CONSTRAINT")
	case *CreateEnumType:
		return c.WriteCreateEnumType(x)
	case *DropEnumType:
		return c.WriteDropEnumType(x)
	case *SetTableComment:
		return c.WriteCommentOn(x.Table, nil, "NULL")
	case *SetColumnComment:
		if x.Column == nil || x.Column.table == nil {
			return &ArgumentError{Msg: "SetColumnComment: column is nil or not in a table"}
		}
		return c.WriteCommentOn(x.Column.table, x.Column, "NULL")
	case nil:
		return &ArgumentError{Msg: "DDL element is nil"}
	}
	return c.Unsupported(fmt.Sprintf("DDL element %T", e))
}

// DDLColumnSpec implements DDLCompiler with SQLAlchemy's generic column
// definition: name TYPE [DEFAULT x] [GENERATED ALWAYS AS (…)] [GENERATED
// BY DEFAULT AS IDENTITY (…)] [NOT NULL].
func (b *BaseDialect) DDLColumnSpec(c *Compiler, col *Column) error {
	return c.WriteColumnSpec(col)
}

// DDLPostCreateTable implements DDLCompiler: nothing.
func (b *BaseDialect) DDLPostCreateTable(c *Compiler, t *Table) error { return nil }

// DDLIfExists implements DDLCompiler: IF NOT EXISTS / IF EXISTS.
func (b *BaseDialect) DDLIfExists(c *Compiler, kind string, create bool) error {
	if create {
		c.WriteString("IF NOT EXISTS ")
	} else {
		c.WriteString("IF EXISTS ")
	}
	return nil
}

// DDLForeignKeyClause implements DDLCompiler: every clause as given.
func (b *BaseDialect) DDLForeignKeyClause(c *Compiler, fk *ForeignKeyConstraint, clause, value string) error {
	c.WriteByte(' ')
	if clause != "DEFERRABLE" {
		c.WriteString(clause)
		c.WriteByte(' ')
	}
	c.WriteString(value)
	return nil
}

// DDLTypeCheck implements DDLCompiler for a database with native booleans
// and native enum types: only a non-native Enum gets a CHECK.
func (b *BaseDialect) DDLTypeCheck(t Type) bool {
	if e, ok := ImplType(t).(Enum); ok {
		return !e.Native
	}
	return false
}

// DDLSkip implements DDLCompiler: nothing is skipped.
func (b *BaseDialect) DDLSkip(e DDLElement) bool { return false }

// DDLFor returns elems without those dialect d leaves out of create_all /
// drop_all ([DDLCompiler.DDLSkip]).
func DDLFor(d Dialect, elems []DDLElement) []DDLElement {
	out := make([]DDLElement, 0, len(elems))
	for _, e := range elems {
		if !d.DDLSkip(e) {
			out = append(out, e)
		}
	}
	return out
}

// ---------------------------------------------------------------- helpers for dialects

// WriteDDLExpr writes an expression as DDL needs it: values inline as
// literals, columns without their table.
func (c *Compiler) WriteDDLExpr(e Expr) error {
	old := c.literal
	c.literal = true
	err := c.Unqualified(func() error { return c.expr(e) })
	c.literal = old
	return err
}

// RenderDDLExpr renders an expression as [Compiler.WriteDDLExpr] does and
// returns the text instead of writing it.
func (c *Compiler) RenderDDLExpr(e Expr) (string, error) {
	n := len(c.buf)
	err := c.WriteDDLExpr(e)
	s := string(c.buf[n:])
	c.buf = c.buf[:n]
	return s, err
}

// IsAutoincrementDDL reports whether CREATE TABLE gives col the dialect's
// autoincrement form (SERIAL, AUTO_INCREMENT, IDENTITY …): an
// autoincrementing integer column with no Identity, Sequence or Computed
// definition and no server default.
func IsAutoincrementDDL(col *Column) bool {
	if col == nil || col.identity != nil || col.sequence != nil || col.computed != nil || col.serverDef != nil {
		return false
	}
	if typeAffinity(col.typ) != affInteger {
		return false
	}
	return col.IsAutoincrement()
}

// WriteColumnSpec writes the generic column definition (see
// [BaseDialect.DDLColumnSpec]).
func (c *Compiler) WriteColumnSpec(col *Column) error {
	c.WriteIdent(col.name)
	c.WriteByte(' ')
	if err := c.WriteType(col.typ, false); err != nil {
		return err
	}
	if err := c.WriteColumnDefault(col); err != nil {
		return err
	}
	if col.computed != nil {
		if err := c.WriteComputed(col.computed, true, true); err != nil {
			return err
		}
	}
	if col.identity != nil {
		c.WriteString(" ")
		c.WriteIdentity(col.identity, false)
	}
	if !col.nullable && col.identity == nil {
		c.WriteString(" NOT NULL")
	}
	return nil
}

// WriteColumnDefault writes " DEFAULT expr" for a column with a server
// default, and nothing otherwise.
func (c *Compiler) WriteColumnDefault(col *Column) error {
	if col.serverDef == nil {
		return nil
	}
	c.WriteString(" DEFAULT ")
	return c.WriteDDLExpr(col.serverDef)
}

// WriteComputed writes " GENERATED ALWAYS AS (expr)" with " STORED" or
// " VIRTUAL" when Persisted is set; allowStored / allowVirtual false make
// the matching persistence an UnsupportedCompilationError.
func (c *Compiler) WriteComputed(comp *Computed, allowStored, allowVirtual bool) error {
	if comp.Expr == nil {
		return &ArgumentError{Msg: "computed column has no expression"}
	}
	if comp.Persisted != nil {
		if *comp.Persisted && !allowStored {
			return c.Unsupported("STORED computed columns")
		}
		if !*comp.Persisted && !allowVirtual {
			return c.Unsupported("VIRTUAL computed columns")
		}
	}
	c.WriteString(" GENERATED ALWAYS AS (")
	if err := c.WriteDDLExpr(comp.Expr); err != nil {
		return err
	}
	c.WriteByte(')')
	if comp.Persisted != nil {
		if *comp.Persisted {
			c.WriteString(" STORED")
		} else {
			c.WriteString(" VIRTUAL")
		}
	}
	return nil
}

// WriteIdentity writes "GENERATED {ALWAYS | BY DEFAULT [ON NULL]} AS
// IDENTITY [(options)]"; onNull allows Oracle's ON NULL.
func (c *Compiler) WriteIdentity(id *Identity, onNull bool) {
	if id.Always {
		c.WriteString("GENERATED ALWAYS")
	} else {
		c.WriteString("GENERATED BY DEFAULT")
		if onNull && id.OnNull {
			c.WriteString(" ON NULL")
		}
	}
	c.WriteString(" AS IDENTITY")
	if opts := identityOptions(id.Increment, id.Start, id.MinValue, id.MaxValue, id.Cache, id.Cycle); opts != "" {
		c.WriteString(" (" + opts + ")")
	}
}

func identityOptions(inc, start, min, max, cache *int64, cycle bool) string {
	var parts []string
	add := func(kw string, v *int64) {
		if v != nil {
			parts = append(parts, kw+" "+strconv.FormatInt(*v, 10))
		}
	}
	add("INCREMENT BY", inc)
	add("START WITH", start)
	add("MINVALUE", min)
	add("MAXVALUE", max)
	add("CACHE", cache)
	if cycle {
		parts = append(parts, "CYCLE")
	}
	return strings.Join(parts, " ")
}

// CreateTableLayout is what differs between dialects in the shape of a
// CREATE TABLE.
type CreateTableLayout struct {
	// OmitPrimaryKey leaves out the PRIMARY KEY constraint (SQLite writes
	// it inline on an AUTOINCREMENT column).
	OmitPrimaryKey bool
	// InlineAllForeignKeys keeps UseAlter and cycle foreign keys inside
	// CREATE TABLE (SQLite has no ALTER TABLE ADD CONSTRAINT).
	InlineAllForeignKeys bool
}

// WriteCreateTable writes CREATE TABLE in SQLAlchemy's layout: each column
// and constraint on its own line after a tab, separated by ", ", primary
// key first, then table-level constraints in declaration order, then
// column-level ones, then the CHECKs of non-native Boolean / Enum types.
func (c *Compiler) WriteCreateTable(ct *CreateTable, layout CreateTableLayout) error {
	if ct == nil || ct.Table == nil {
		return &ArgumentError{Msg: "CreateTable: table is nil"}
	}
	t := ct.Table
	c.WriteString("CREATE TABLE ")
	if ct.IfNotExists {
		if err := c.d.DDLIfExists(c, "TABLE", true); err != nil {
			return err
		}
	}
	c.WriteTable(t)
	c.WriteString(" (")
	first := true
	sep := func() {
		if first {
			c.WriteString("\n\t")
			first = false
		} else {
			c.WriteString(", \n\t")
		}
	}
	for _, col := range t.columns {
		sep()
		if err := c.d.DDLColumnSpec(c, col); err != nil {
			return columnError(t, col, err)
		}
	}
	for _, con := range createTableConstraints(t, ct.ExcludeFKs, layout) {
		sep()
		if err := c.WriteConstraint(con); err != nil {
			return err
		}
	}
	for _, col := range t.columns {
		if !c.d.DDLTypeCheck(col.typ) {
			continue
		}
		ok, err := c.writeTypeCheck(col, sep)
		if err != nil {
			return columnError(t, col, err)
		}
		_ = ok
	}
	c.WriteString("\n)")
	return c.d.DDLPostCreateTable(c, t)
}

func createTableConstraints(t *Table, exclude []*ForeignKeyConstraint, layout CreateTableLayout) []Constraint {
	var out []Constraint
	skipFK := func(fk *ForeignKeyConstraint) bool {
		if layout.InlineAllForeignKeys {
			return false
		}
		if fk.UseAlter {
			return true
		}
		for _, x := range exclude {
			if x == fk {
				return true
			}
		}
		return false
	}
	if t.pk != nil && len(t.pk.Columns) > 0 && !layout.OmitPrimaryKey {
		out = append(out, t.pk)
	}
	for _, con := range t.declared {
		if fk, ok := con.(*ForeignKeyConstraint); ok && skipFK(fk) {
			continue
		}
		out = append(out, con)
	}
	for _, col := range t.columns {
		for _, u := range t.uniques {
			if u.columnLevel && len(u.Columns) == 1 && u.Columns[0] == col.name {
				out = append(out, u)
			}
		}
		for _, fk := range col.fkeys {
			if !skipFK(fk) {
				out = append(out, fk)
			}
		}
	}
	return out
}

// writeTypeCheck writes the CHECK of a Boolean or Enum column whose type
// asks for one.
func (c *Compiler) writeTypeCheck(col *Column, sep func()) (bool, error) {
	var name string
	var values []any
	switch x := ImplType(col.typ).(type) {
	case Boolean:
		if !x.CreateConstraint {
			return false, nil
		}
		name, values = x.ConstraintName, []any{0, 1}
	case Enum:
		if !x.CreateConstraint {
			return false, nil
		}
		name = x.Name
		for _, v := range x.Values {
			values = append(values, v)
		}
	default:
		return false, nil
	}
	sep()
	if n := ConstraintNameFor(&CheckConstraint{Name: name, table: col.table}); n != "" {
		c.WriteString("CONSTRAINT ")
		c.WriteIdent(n)
		c.WriteByte(' ')
	}
	c.WriteString("CHECK (")
	c.WriteIdent(col.name)
	c.WriteString(" IN (")
	for i, v := range values {
		if i > 0 {
			c.WriteString(", ")
		}
		if err := c.WriteLiteral(v, nil); err != nil {
			return true, err
		}
	}
	c.WriteString("))")
	return true, nil
}

// columnError names the table and column in an error from a column's DDL,
// keeping its kind.
func columnError(t *Table, col *Column, err error) error {
	where := fmt.Sprintf("(in table %q, column %q)", t.Key(), col.name)
	var ue *UnsupportedCompilationError
	var ae *ArgumentError
	var ce *CompileError
	switch {
	case errors.As(err, &ue):
		return &UnsupportedCompilationError{Dialect: ue.Dialect, Construct: ue.Construct + " " + where}
	case errors.As(err, &ae):
		return &ArgumentError{Msg: where + ": " + ae.Msg}
	case errors.As(err, &ce):
		return &CompileError{Msg: where + ": " + ce.Msg}
	}
	return fmt.Errorf("%s: %w", where, err)
}

// WriteConstraint writes a constraint definition as it appears in CREATE
// TABLE and ALTER TABLE ADD: [CONSTRAINT name] PRIMARY KEY (…) | FOREIGN
// KEY(…) REFERENCES t (…) … | UNIQUE (…) | CHECK (…).
func (c *Compiler) WriteConstraint(con Constraint) error {
	if name := ConstraintNameFor(con); name != "" {
		c.WriteString("CONSTRAINT ")
		c.WriteIdent(name)
		c.WriteByte(' ')
	}
	switch x := con.(type) {
	case *PrimaryKeyConstraint:
		c.WriteString("PRIMARY KEY ")
		c.writeIdentList(x.Columns)
	case *UniqueConstraint:
		c.WriteString("UNIQUE ")
		c.writeIdentList(x.Columns)
	case *CheckConstraint:
		c.WriteString("CHECK (")
		if err := c.WriteDDLExpr(x.Expr); err != nil {
			return err
		}
		c.WriteByte(')')
	case *ForeignKeyConstraint:
		return c.writeForeignKey(x)
	default:
		return &ArgumentError{Msg: fmt.Sprintf("unknown constraint %T", con)}
	}
	return nil
}

func (c *Compiler) writeIdentList(names []string) {
	c.WriteByte('(')
	for i, n := range names {
		if i > 0 {
			c.WriteString(", ")
		}
		c.WriteIdent(n)
	}
	c.WriteByte(')')
}

var fkActions = map[string]bool{"CASCADE": true, "SET NULL": true, "RESTRICT": true, "NO ACTION": true, "SET DEFAULT": true}

func (c *Compiler) writeForeignKey(fk *ForeignKeyConstraint) error {
	tname := ""
	if fk.table != nil {
		tname = fk.table.Key()
	}
	c.WriteString("FOREIGN KEY")
	c.writeIdentList(fk.Columns)
	c.WriteString(" REFERENCES ")
	if ref, err := fk.Referred(); err == nil {
		c.WriteTable(ref)
	} else {
		if fk.RefTable == "" {
			return &ArgumentError{Msg: fmt.Sprintf("table %q: foreign key %v has no referenced table", tname, fk.Columns)}
		}
		parts := strings.Split(fk.RefTable, ".")
		for i, p := range parts {
			if i > 0 {
				c.WriteByte('.')
			}
			c.WriteIdent(p)
		}
	}
	c.WriteByte(' ')
	c.writeIdentList(fk.RefColumns)
	for _, cl := range []struct{ clause, action string }{{"ON DELETE", fk.OnDelete}, {"ON UPDATE", fk.OnUpdate}} {
		if cl.action == "" {
			continue
		}
		a := strings.ToUpper(strings.Join(strings.Fields(cl.action), " "))
		if !fkActions[a] {
			return &ArgumentError{Msg: fmt.Sprintf("table %q: foreign key %v: %s %q is not one of CASCADE, SET NULL, RESTRICT, NO ACTION, SET DEFAULT", tname, fk.Columns, cl.clause, cl.action)}
		}
		if err := c.d.DDLForeignKeyClause(c, fk, cl.clause, a); err != nil {
			return fkError(fk, err)
		}
	}
	if fk.Deferrable != nil {
		v := "DEFERRABLE"
		if !*fk.Deferrable {
			v = "NOT DEFERRABLE"
		}
		if err := c.d.DDLForeignKeyClause(c, fk, "DEFERRABLE", v); err != nil {
			return fkError(fk, err)
		}
	}
	if fk.Initially != "" {
		v := strings.ToUpper(strings.TrimSpace(fk.Initially))
		if v != "DEFERRED" && v != "IMMEDIATE" {
			return &ArgumentError{Msg: fmt.Sprintf("table %q: foreign key %v: INITIALLY %q is not DEFERRED or IMMEDIATE", tname, fk.Columns, fk.Initially)}
		}
		if err := c.d.DDLForeignKeyClause(c, fk, "INITIALLY", v); err != nil {
			return fkError(fk, err)
		}
	}
	return nil
}

func fkError(fk *ForeignKeyConstraint, err error) error {
	var ue *UnsupportedCompilationError
	if errors.As(err, &ue) && fk.table != nil {
		return &UnsupportedCompilationError{Dialect: ue.Dialect, Construct: fmt.Sprintf("%s (in table %q, foreign key %v)", ue.Construct, fk.table.Key(), fk.Columns)}
	}
	return err
}

// WriteDropTable writes DROP TABLE [IF EXISTS] t.
func (c *Compiler) WriteDropTable(dt *DropTable) error {
	if dt == nil || dt.Table == nil {
		return &ArgumentError{Msg: "DropTable: table is nil"}
	}
	c.WriteString("DROP TABLE ")
	if dt.IfExists {
		if err := c.d.DDLIfExists(c, "TABLE", false); err != nil {
			return err
		}
	}
	c.WriteTable(dt.Table)
	return nil
}

// IndexLayout is what differs between dialects in CREATE INDEX.
type IndexLayout struct {
	// BeforeIndex goes between CREATE [UNIQUE] and INDEX ("CLUSTERED ").
	BeforeIndex string
	// AfterIndex goes right after INDEX ("CONCURRENTLY ").
	AfterIndex string
	// SchemaOnName qualifies the index name with the table's schema (Oracle).
	SchemaOnName bool
	// Using is written after the table name (" USING gin").
	Using string
	// ParenExprs wraps each expression element in parentheses (MySQL).
	ParenExprs bool
	// Lengths gives a prefix length per column name (MySQL).
	Lengths map[string]string
	// Include lists INCLUDE (…) columns.
	Include []string
	// Where allows a partial index; false makes Index.Where an error.
	Where bool
}

// IndexName returns an index's name (its own or the naming convention's),
// or an error naming the table when it has none.
func IndexName(ix *Index) (string, error) {
	if ix == nil {
		return "", &ArgumentError{Msg: "index is nil"}
	}
	n := ConstraintNameFor(ix)
	if n == "" {
		tn := ""
		if ix.table != nil {
			tn = ix.table.Key()
		}
		return "", &ArgumentError{Msg: fmt.Sprintf("table %q: an index on expressions needs a name", tn)}
	}
	return n, nil
}

// WriteCreateIndex writes CREATE [UNIQUE] INDEX name ON table (elements).
func (c *Compiler) WriteCreateIndex(ci *CreateIndex, layout IndexLayout) error {
	if ci == nil || ci.Index == nil || ci.Index.table == nil {
		return &ArgumentError{Msg: "CreateIndex: index is nil or not attached to a table"}
	}
	ix := ci.Index
	t := ix.table
	name, err := IndexName(ix)
	if err != nil {
		return err
	}
	c.WriteString("CREATE ")
	if ix.Unique {
		c.WriteString("UNIQUE ")
	}
	c.WriteString(layout.BeforeIndex)
	c.WriteString("INDEX ")
	c.WriteString(layout.AfterIndex)
	if ci.IfNotExists {
		if err := c.d.DDLIfExists(c, "INDEX", true); err != nil {
			return err
		}
	}
	if layout.SchemaOnName && t.schema != "" {
		c.WriteIdent(t.schema)
		c.WriteByte('.')
	}
	c.WriteIdent(name)
	c.WriteString(" ON ")
	c.WriteTable(t)
	c.WriteString(layout.Using)
	c.WriteString(" (")
	n := 0
	for _, col := range ix.Columns {
		if n > 0 {
			c.WriteString(", ")
		}
		n++
		c.WriteIdent(col)
		if l := layout.Lengths[col]; l != "" {
			c.WriteString("(" + l + ")")
		}
	}
	for _, e := range ix.Exprs {
		if n > 0 {
			c.WriteString(", ")
		}
		n++
		paren := layout.ParenExprs
		switch x := e.(type) {
		case *Column:
			paren = false
		case *UnaryExpr:
			if x.op == opAsc || x.op == opDesc {
				paren = false
			}
		}
		if paren {
			c.WriteByte('(')
		}
		if err := c.WriteDDLExpr(e); err != nil {
			return err
		}
		if paren {
			c.WriteByte(')')
		}
	}
	c.WriteByte(')')
	if len(layout.Include) > 0 {
		c.WriteString(" INCLUDE ")
		c.writeIdentList(layout.Include)
	}
	if ix.Where != nil {
		if !layout.Where {
			return &UnsupportedCompilationError{Dialect: c.d.Name(), Construct: fmt.Sprintf("partial index (Index.Where) (in table %q, index %q)", t.Key(), name)}
		}
		c.WriteString(" WHERE ")
		if err := c.WriteDDLExpr(ix.Where); err != nil {
			return err
		}
	}
	return nil
}

// WriteDropIndex writes DROP INDEX [IF EXISTS] name, schema-qualified, or
// with onTable DROP INDEX name ON table (MySQL, SQL Server).
func (c *Compiler) WriteDropIndex(di *DropIndex, onTable bool) error {
	if di == nil || di.Index == nil || di.Index.table == nil {
		return &ArgumentError{Msg: "DropIndex: index is nil or not attached to a table"}
	}
	name, err := IndexName(di.Index)
	if err != nil {
		return err
	}
	t := di.Index.table
	c.WriteString("DROP INDEX ")
	if di.IfExists {
		if err := c.d.DDLIfExists(c, "INDEX", false); err != nil {
			return err
		}
	}
	if !onTable && t.schema != "" {
		c.WriteIdent(t.schema)
		c.WriteByte('.')
	}
	c.WriteIdent(name)
	if onTable {
		c.WriteString(" ON ")
		c.WriteTable(t)
	}
	return nil
}

// WriteSequenceName writes a sequence's (schema-qualified) name.
func (c *Compiler) WriteSequenceName(s *Sequence) {
	if s.Schema != "" {
		c.WriteIdent(s.Schema)
		c.WriteByte('.')
	}
	c.WriteIdent(s.Name)
}

// WriteCreateSequence writes CREATE SEQUENCE [IF NOT EXISTS] name [INCREMENT
// BY n] [START WITH n] [MINVALUE n] [MAXVALUE n] [CACHE n] [CYCLE].
func (c *Compiler) WriteCreateSequence(cs *CreateSequence) error {
	if cs == nil || cs.Sequence == nil || cs.Sequence.Name == "" {
		return &ArgumentError{Msg: "CreateSequence: sequence is nil or has no name"}
	}
	s := cs.Sequence
	c.WriteString("CREATE SEQUENCE ")
	if cs.IfNotExists {
		if err := c.d.DDLIfExists(c, "SEQUENCE", true); err != nil {
			return err
		}
	}
	c.WriteSequenceName(s)
	if opts := identityOptions(s.Increment, s.Start, s.MinValue, s.MaxValue, s.Cache, s.Cycle); opts != "" {
		c.WriteString(" " + opts)
	}
	return nil
}

// WriteDropSequence writes DROP SEQUENCE [IF EXISTS] name.
func (c *Compiler) WriteDropSequence(ds *DropSequence) error {
	if ds == nil || ds.Sequence == nil || ds.Sequence.Name == "" {
		return &ArgumentError{Msg: "DropSequence: sequence is nil or has no name"}
	}
	c.WriteString("DROP SEQUENCE ")
	if ds.IfExists {
		if err := c.d.DDLIfExists(c, "SEQUENCE", false); err != nil {
			return err
		}
	}
	c.WriteSequenceName(ds.Sequence)
	return nil
}

// ConstraintTable returns the table a constraint belongs to (nil before
// the table is made).
func ConstraintTable(con Constraint) *Table {
	if con == nil {
		return nil
	}
	return con.constraintTable()
}

func constraintTable(con Constraint) (*Table, error) {
	if con == nil {
		return nil, &ArgumentError{Msg: "constraint is nil"}
	}
	t := con.constraintTable()
	if t == nil {
		return nil, &ArgumentError{Msg: fmt.Sprintf("%T is not attached to a table", con)}
	}
	return t, nil
}

// WriteAddConstraint writes ALTER TABLE t ADD constraint.
func (c *Compiler) WriteAddConstraint(ac *AddConstraint) error {
	if ac == nil {
		return &ArgumentError{Msg: "AddConstraint is nil"}
	}
	t, err := constraintTable(ac.Constraint)
	if err != nil {
		return err
	}
	c.WriteString("ALTER TABLE ")
	c.WriteTable(t)
	c.WriteString(" ADD ")
	return c.WriteConstraint(ac.Constraint)
}

// WriteDropConstraint writes ALTER TABLE t DROP <kind> name, kind being
// "CONSTRAINT" (or MySQL's "FOREIGN KEY", "INDEX", "CHECK").
func (c *Compiler) WriteDropConstraint(dc *DropConstraint, kind string) error {
	if dc == nil {
		return &ArgumentError{Msg: "DropConstraint is nil"}
	}
	t, err := constraintTable(dc.Constraint)
	if err != nil {
		return err
	}
	name := ConstraintNameFor(dc.Constraint)
	if name == "" {
		return &ArgumentError{Msg: fmt.Sprintf("table %q: can't drop an unnamed %T; give it a name (or a naming convention)", t.Key(), dc.Constraint)}
	}
	c.WriteString("ALTER TABLE ")
	c.WriteTable(t)
	c.WriteString(" DROP " + kind + " ")
	c.WriteIdent(name)
	return nil
}

func (c *Compiler) writeEnumTypeName(e Enum, schema string) error {
	if e.Name == "" {
		return &ArgumentError{Msg: fmt.Sprintf("enum type %s has no name", e.TypeName())}
	}
	if schema != "" {
		c.WriteIdent(schema)
		c.WriteByte('.')
	}
	c.WriteIdent(e.Name)
	return nil
}

// WriteCreateEnumType writes CREATE TYPE name AS ENUM ('a', 'b').
func (c *Compiler) WriteCreateEnumType(ce *CreateEnumType) error {
	if ce == nil {
		return &ArgumentError{Msg: "CreateEnumType is nil"}
	}
	c.WriteString("CREATE TYPE ")
	if err := c.writeEnumTypeName(ce.Enum, ce.Schema); err != nil {
		return err
	}
	c.WriteString(" AS ENUM (")
	for i, v := range ce.Enum.Values {
		if i > 0 {
			c.WriteString(", ")
		}
		if err := c.WriteLiteral(v, String{}); err != nil {
			return err
		}
	}
	c.WriteByte(')')
	return nil
}

// WriteDropEnumType writes DROP TYPE [IF EXISTS] name.
func (c *Compiler) WriteDropEnumType(de *DropEnumType) error {
	if de == nil {
		return &ArgumentError{Msg: "DropEnumType is nil"}
	}
	c.WriteString("DROP TYPE ")
	if de.IfExists {
		if err := c.d.DDLIfExists(c, "TYPE", false); err != nil {
			return err
		}
	}
	return c.writeEnumTypeName(de.Enum, de.Schema)
}

// WriteCommentOn writes COMMENT ON TABLE t IS '…' (col nil) or COMMENT ON
// COLUMN t.col IS '…'; an empty comment is written as empty (NULL on
// PostgreSQL, an empty string on Oracle).
func (c *Compiler) WriteCommentOn(t *Table, col *Column, empty string) error {
	if t == nil {
		return &ArgumentError{Msg: "comment: table is nil"}
	}
	comment := t.comment
	if col != nil {
		comment = col.comment
		c.WriteString("COMMENT ON COLUMN ")
		c.WriteTable(t)
		c.WriteByte('.')
		c.WriteIdent(col.name)
	} else {
		c.WriteString("COMMENT ON TABLE ")
		c.WriteTable(t)
	}
	c.WriteString(" IS ")
	if comment == "" {
		c.WriteString(empty)
		return nil
	}
	return c.WriteLiteral(comment, String{})
}

// ---------------------------------------------------------------- ordering

// SortTables orders tables so that every table comes after the tables its
// foreign keys refer to (the order for CREATE; reverse it for DROP), as
// SQLAlchemy's sort_tables_and_constraints does. Ties keep the input order.
// Foreign keys marked UseAlter, and those between tables of a dependency
// cycle (all foreign keys of each table with a cycle edge that point to
// another table of the cycle), are left out of the ordering and returned in
// cycles: they must be added with ALTER TABLE after the tables exist.
// Self-references are no cycle. A foreign key to a table outside the list
// is ignored; one to an unknown table is an error naming it.
func SortTables(tables []*Table) (ordered []*Table, cycles []*ForeignKeyConstraint, err error) {
	idx := make(map[*Table]int, len(tables))
	for i, t := range tables {
		if t == nil {
			return nil, nil, &ArgumentError{Msg: "SortTables: nil table"}
		}
		idx[t] = i
	}
	type edge struct {
		fk  *ForeignKeyConstraint
		ref int
	}
	deps := make([][]edge, len(tables))
	var errs []error
	for i, t := range tables {
		for _, fk := range t.fks {
			ref, rerr := fk.Referred()
			if rerr != nil {
				errs = append(errs, rerr)
				continue
			}
			j, ok := idx[ref]
			if !ok || j == i {
				continue
			}
			if fk.UseAlter {
				cycles = append(cycles, fk)
				continue
			}
			deps[i] = append(deps[i], edge{fk, j})
		}
	}
	if len(errs) > 0 {
		return nil, nil, errors.Join(errs...)
	}
	// strongly connected components (Tarjan) to find the cycles
	comp := make([]int, len(tables))
	for i := range comp {
		comp[i] = -1
	}
	index := make([]int, len(tables))
	low := make([]int, len(tables))
	on := make([]bool, len(tables))
	for i := range index {
		index[i] = -1
	}
	var stack []int
	counter, ncomp := 0, 0
	var strong func(v int)
	strong = func(v int) {
		index[v], low[v] = counter, counter
		counter++
		stack = append(stack, v)
		on[v] = true
		for _, e := range deps[v] {
			w := e.ref
			if index[w] < 0 {
				strong(w)
				low[v] = min(low[v], low[w])
			} else if on[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] == index[v] {
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				on[w] = false
				comp[w] = ncomp
				if w == v {
					break
				}
			}
			ncomp++
		}
	}
	for i := range tables {
		if index[i] < 0 {
			strong(i)
		}
	}
	size := make([]int, ncomp)
	for _, k := range comp {
		size[k]++
	}
	for i := range tables {
		kept := deps[i][:0:0]
		for _, e := range deps[i] {
			if comp[i] == comp[e.ref] && size[comp[i]] > 1 {
				cycles = append(cycles, e.fk)
				continue
			}
			kept = append(kept, e)
		}
		deps[i] = kept
	}
	// stable topological order: repeatedly emit the first table whose
	// dependencies are all emitted
	done := make([]bool, len(tables))
	ordered = make([]*Table, 0, len(tables))
	for len(ordered) < len(tables) {
		progressed := false
		for i, t := range tables {
			if done[i] {
				continue
			}
			ready := true
			for _, e := range deps[i] {
				if !done[e.ref] {
					ready = false
					break
				}
			}
			if ready {
				done[i] = true
				ordered = append(ordered, t)
				progressed = true
				break
			}
		}
		if !progressed {
			return nil, nil, &CompileError{Msg: "internal: SortTables found no table to emit"}
		}
	}
	return ordered, cycles, nil
}

// enumTypes returns the native enum types the tables use, first use first.
func enumTypes(tables []*Table) []*CreateEnumType {
	var out []*CreateEnumType
	seen := map[string]bool{}
	for _, t := range tables {
		for _, col := range t.columns {
			e, ok := ImplType(col.typ).(Enum)
			if !ok || !e.Native || e.Name == "" {
				continue
			}
			key := t.schema + "." + e.Name
			if seen[key] {
				continue
			}
			seen[key] = true
			out = append(out, &CreateEnumType{Enum: e, Schema: t.schema})
		}
	}
	return out
}

// CreateAllDDL returns the statements that create md's schema, in order:
// native enum types, sequences, tables in foreign key order (each followed
// by its indexes and comments), then ALTER TABLE ADD CONSTRAINT for the
// foreign keys that close a cycle or are marked UseAlter. With checkfirst
// every CREATE TABLE / INDEX / SEQUENCE gets IF NOT EXISTS; CREATE TYPE,
// comments and ADD CONSTRAINT have no such guard, and SQL Server rejects
// IF NOT EXISTS, so an engine doing checkfirst should check the live
// catalog and clear the flag. Pass the result through [DDLFor] to drop
// what a dialect does not use. A foreign key to a table missing from md
// makes the tables come out in declaration order, unsorted.
func CreateAllDDL(md *MetaData, checkfirst bool) []DDLElement {
	tables := md.Tables()
	ordered, cycles, err := SortTables(tables)
	if err != nil {
		ordered, cycles = tables, nil
	}
	var out []DDLElement
	for _, et := range enumTypes(ordered) {
		out = append(out, et)
	}
	for _, s := range md.Sequences() {
		out = append(out, &CreateSequence{Sequence: s, IfNotExists: checkfirst})
	}
	byTable := map[*Table][]*ForeignKeyConstraint{}
	for _, fk := range cycles {
		byTable[fk.table] = append(byTable[fk.table], fk)
	}
	for _, t := range ordered {
		out = append(out, &CreateTable{Table: t, IfNotExists: checkfirst, ExcludeFKs: byTable[t]})
		for _, ix := range t.indexes {
			out = append(out, &CreateIndex{Index: ix, IfNotExists: checkfirst})
		}
		if t.comment != "" {
			out = append(out, &SetTableComment{Table: t})
		}
		for _, col := range t.columns {
			if col.comment != "" {
				out = append(out, &SetColumnComment{Column: col})
			}
		}
	}
	for _, fk := range cycles {
		out = append(out, &AddConstraint{Constraint: fk, CycleBreak: true})
	}
	return out
}

// DropAllDDL returns the statements that drop md's schema, in order: the
// named foreign keys of cycles (ALTER TABLE DROP CONSTRAINT), tables in
// reverse foreign key order, then sequences and native enum types. With
// checkfirst every DROP TABLE / SEQUENCE / TYPE gets IF EXISTS.
func DropAllDDL(md *MetaData, checkfirst bool) []DDLElement {
	tables := md.Tables()
	ordered, cycles, err := SortTables(tables)
	if err != nil {
		ordered, cycles = tables, nil
	}
	var out []DDLElement
	for _, fk := range cycles {
		out = append(out, &DropConstraint{Constraint: fk, CycleBreak: true})
	}
	for i := len(ordered) - 1; i >= 0; i-- {
		out = append(out, &DropTable{Table: ordered[i], IfExists: checkfirst})
	}
	for _, s := range md.Sequences() {
		out = append(out, &DropSequence{Sequence: s, IfExists: checkfirst})
	}
	for _, et := range enumTypes(ordered) {
		out = append(out, &DropEnumType{Enum: et.Enum, Schema: et.Schema, IfExists: checkfirst})
	}
	return out
}
