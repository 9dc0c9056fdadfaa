package mssql

import (
	"strconv"

	"github.com/retort-orm/retort/core"
)

// Dialect is the SQL Server dialect. It renders SQL as SQLAlchemy's mssql
// dialect does for SQL Server 2016 and later, with @p1, @p2 … placeholders
// (github.com/microsoft/go-mssqldb). The differences from SQLAlchemy, all
// deliberate:
//
//   - TOP takes a bound parameter, TOP (@p1), where SQLAlchemy inlines the
//     number: every value stays bound (see STYLE.md, "Bind everything").
//   - A LIMIT on a UNION/INTERSECT/EXCEPT renders OFFSET 0 ROWS FETCH FIRST
//     … ROWS ONLY (SQLAlchemy silently drops it).
//   - SELECT … FOR UPDATE, NULLS FIRST/LAST, DISTINCT ON, LATERAL, tuple IN,
//     INTERSECT ALL / EXCEPT ALL and FILTER are errors (SQLAlchemy drops
//     some silently and renders others, which the server rejects).
//   - An upsert is a MERGE statement; SQLAlchemy has no upsert for SQL Server.
type Dialect struct {
	core.BaseDialect
}

var _ core.Dialect = (*Dialect)(nil)

// Features is the capability set of SQL Server 2016 and later.
const Features = core.FeatReturningInsert | core.FeatReturningUpdate | core.FeatReturningDelete |
	core.FeatMultiValuesInsert | core.FeatUpsert | core.FeatFullJoin | core.FeatWindowFunctions |
	core.FeatCTE | core.FeatIntersectExcept | core.FeatSavepoints | core.FeatSequences |
	core.FeatIdentity | core.FeatUpdateFrom | core.FeatDeleteUsing | core.FeatComments |
	core.FeatNativeUUID | core.FeatPartialIndex | core.FeatComputedColumns | core.FeatSchemas |
	core.FeatBooleanCompare | core.FeatSetOpParens | core.FeatCheckConstraint | core.FeatDropIfExists

// New returns the SQL Server dialect with every feature of SQL Server 2016+.
func New() *Dialect {
	d := &Dialect{}
	d.DialectName = "mssql"
	d.Feat = Features
	d.QuoteOpen, d.QuoteClose = '[', ']'
	d.Reserved = reservedWords
	d.MaxIdentLength = 128
	return d
}

func init() {
	d := New()
	core.RegisterDialect("mssql", d)
	core.RegisterDialect("sqlserver", d)
}

// literalStyle renders literals: N'…' for non-ASCII text, 0x… for bytes,
// 1/0 for booleans.
var literalStyle = core.LiteralStyle{
	NationalPrefix: true,
	BoolTrue:       "1",
	BoolFalse:      "0",
	BytesPrefix:    "0x",
}

// AppendPlaceholder implements core.Dialect with @p1, @p2 … (go-mssqldb).
func (d *Dialect) AppendPlaceholder(b []byte, n int, _ string) []byte {
	b = append(b, "@p"...)
	return strconv.AppendInt(b, int64(n), 10)
}

// AppendBool implements core.Dialect: SQL Server has no boolean literals.
func (d *Dialect) AppendBool(b []byte, v bool) []byte {
	if v {
		return append(b, '1')
	}
	return append(b, '0')
}

// AppendLiteral implements core.Dialect.
func (d *Dialect) AppendLiteral(b []byte, v any, _ core.Type) ([]byte, error) {
	return core.AppendStandardLiteral(b, v, literalStyle)
}

// VisitSelectPrefix implements core.Dialect: a LIMIT without OFFSET is
// SELECT TOP (@p1). The limit is marked so VisitLimitOffset skips it.
func (d *Dialect) VisitSelectPrefix(c *core.Compiler, s *core.SelectStmt) error {
	limit := s.LimitExpr()
	if limit == nil || s.OffsetExpr() != nil {
		return nil
	}
	c.WriteString("TOP (")
	if err := c.WriteExpr(limit); err != nil {
		return err
	}
	c.WriteString(") ")
	c.Mark(limit)
	return nil
}

// VisitLimitOffset implements core.Dialect: OFFSET n ROWS [FETCH FIRST m
// ROWS ONLY], which SQL Server allows only after ORDER BY. A LIMIT already
// written as TOP renders nothing here; a LIMIT without OFFSET on a compound
// SELECT (where TOP has no place) is OFFSET 0 ROWS FETCH FIRST m ROWS ONLY.
func (d *Dialect) VisitLimitOffset(c *core.Compiler, limit, offset core.Expr, orderBy []core.Expr) error {
	if offset == nil && (limit == nil || c.Marked(limit)) {
		return nil
	}
	if len(orderBy) == 0 {
		return &core.CompileError{Msg: "mssql requires ORDER BY when using OFFSET (or a LIMIT on a compound SELECT): SQL Server's OFFSET … ROWS / FETCH FIRST … ROWS ONLY is part of ORDER BY"}
	}
	c.WriteString("\n OFFSET ")
	if offset == nil {
		c.WriteString("0")
	} else if err := c.WriteExpr(offset); err != nil {
		return err
	}
	c.WriteString(" ROWS")
	if limit != nil {
		c.WriteString("\n FETCH FIRST ")
		if err := c.WriteExpr(limit); err != nil {
			return err
		}
		c.WriteString(" ROWS ONLY")
	}
	return nil
}

// VisitForUpdate implements core.Dialect: SQL Server has no FOR UPDATE
// outside cursors; rows are locked with table hints.
func (d *Dialect) VisitForUpdate(c *core.Compiler, _ *core.SelectStmt, _ *core.ForUpdateOptions) error {
	return c.Unsupported("SELECT … FOR UPDATE (SQL Server locks rows with table hints such as WITH (UPDLOCK, ROWLOCK) or WITH (UPDLOCK, READPAST); write them in a Raw statement)")
}

// VisitFunc implements core.Dialect: now() is CURRENT_TIMESTAMP,
// char_length() and length() are LEN(), current_date is GETDATE(), as in
// SQLAlchemy; random() is RAND(CHECKSUM(NEWID())) (SQLAlchemy leaves
// random(), which T-SQL does not have).
func (d *Dialect) VisitFunc(c *core.Compiler, f *core.FuncExpr) (bool, error) {
	switch f.Name() {
	case "now":
		if len(f.Args()) == 0 {
			c.WriteString("CURRENT_TIMESTAMP")
			return true, nil
		}
	case "char_length", "length":
		return true, c.WriteFuncCall("LEN", f)
	case "random":
		// T-SQL has no random(); RAND() alone is one value per query, so a
		// per-row float in [0, 1) is RAND(CHECKSUM(NEWID())).
		if len(f.Args()) == 0 {
			c.WriteString("RAND(CHECKSUM(NEWID()))")
			return true, nil
		}
	case "current_date":
		if len(f.Args()) == 0 {
			c.WriteString("GETDATE()")
			return true, nil
		}
	}
	return d.BaseDialect.VisitFunc(c, f)
}

// VisitBinary implements core.Dialect: + concatenates; IS [NOT] DISTINCT
// FROM is [NOT] EXISTS (SELECT a INTERSECT SELECT b); ILIKE is the base
// lower() LIKE lower().
func (d *Dialect) VisitBinary(c *core.Compiler, op core.Operator, left, right core.Expr) (bool, error) {
	switch op {
	case core.OpIs, core.OpIsNot:
		// IS takes only NULL here: x IS true becomes x = 1 (and so on)
		if v, ok := core.BoolConstant(right); ok {
			return true, c.WriteIsBoolean(left, op == core.OpIsNot, v)
		}
		return false, nil
	case core.OpConcat:
		if err := c.WriteOperand(left, core.OpConcat); err != nil {
			return true, err
		}
		c.WriteString(" + ")
		return true, c.WriteOperand(right, core.OpConcat)
	case core.OpIsDistinctFrom, core.OpIsNotDistinctFrom:
		if op == core.OpIsDistinctFrom {
			c.WriteString("NOT ")
		}
		c.WriteString("EXISTS (SELECT ")
		if err := c.WriteExpr(left); err != nil {
			return true, err
		}
		c.WriteString(" INTERSECT SELECT ")
		if err := c.WriteExpr(right); err != nil {
			return true, err
		}
		c.WriteString(")")
		return true, nil
	}
	return d.BaseDialect.VisitBinary(c, op, left, right)
}

// VisitReturning implements core.Dialect: OUTPUT inserted.x (INSERT,
// UPDATE) or OUTPUT deleted.x (DELETE) after the INSERT column list, after
// UPDATE's SET list, after DELETE FROM t.
func (d *Dialect) VisitReturning(c *core.Compiler, stmt core.Statement, cols []core.Expr, at core.ReturningPlace) error {
	if at != core.ReturnAfterTarget {
		return nil
	}
	return writeOutput(c, stmt, cols)
}

func writeOutput(c *core.Compiler, stmt core.Statement, cols []core.Expr) error {
	var t *core.Table
	pseudo := "inserted"
	switch s := stmt.(type) {
	case *core.InsertStmt:
		t = s.Table()
	case *core.UpdateStmt:
		t = s.Table()
	case *core.DeleteStmt:
		t, pseudo = s.Table(), "deleted"
	default:
		return &core.CompileError{Msg: "mssql: OUTPUT clause on an unexpected statement"}
	}
	c.WriteString(" OUTPUT ")
	return c.QualifyAs(t, pseudo, func() error { return c.WriteReturningColumns(cols, true) })
}

// VisitUpdateFrom implements core.Dialect: UPDATE t SET … [OUTPUT …]
// FROM t, o WHERE … (the target is repeated in FROM, as SQLAlchemy does).
func (d *Dialect) VisitUpdateFrom(c *core.Compiler, u *core.UpdateStmt, extra []core.FromClause) error {
	froms := make([]core.FromClause, 0, len(extra)+1)
	froms = append(froms, u.Table())
	return c.WriteUpdate(u, append(froms, extra...))
}

// VisitDeleteUsing implements core.Dialect: DELETE FROM t [OUTPUT …] FROM
// t, o WHERE ….
func (d *Dialect) VisitDeleteUsing(c *core.Compiler, del *core.DeleteStmt, extra []core.FromClause) error {
	c.WriteString("DELETE FROM ")
	c.WriteTable(del.Table())
	if ret := del.ReturningExprs(); len(ret) > 0 {
		if err := writeOutput(c, del, ret); err != nil {
			return err
		}
	}
	froms := make([]core.FromClause, 0, len(extra)+1)
	froms = append(froms, del.Table())
	c.WriteString(" FROM ")
	if err := c.WriteFroms(append(froms, extra...)); err != nil {
		return err
	}
	return c.WriteWhere(del.WhereClause())
}

// VisitNextValue implements core.Dialect: NEXT VALUE FOR seq.
func (d *Dialect) VisitNextValue(c *core.Compiler, s *core.Sequence) error {
	c.WriteString("NEXT VALUE FOR ")
	if s.Schema != "" {
		c.WriteIdent(s.Schema)
		c.WriteString(".")
	}
	c.WriteIdent(s.Name)
	return nil
}

// VisitUpsert implements core.Dialect with a MERGE statement (SQLAlchemy has
// no upsert for SQL Server):
//
//	MERGE INTO t WITH (HOLDLOCK) USING (VALUES (@p1, @p2)) AS excluded (id, name)
//	ON t.id = excluded.id
//	WHEN MATCHED [AND where] THEN UPDATE SET name = excluded.name
//	WHEN NOT MATCHED THEN INSERT (id, name) VALUES (excluded.id, excluded.name)
//	[OUTPUT inserted.id];
//
// It matches on Upsert.Target, defaulting to the primary key; DoNothing
// leaves out WHEN MATCHED. WITH (HOLDLOCK) makes the match and the insert
// atomic: without it two sessions can both find no row and both insert,
// which an upsert must never do. Several rows become several VALUES rows.
func (d *Dialect) VisitUpsert(c *core.Compiler, ins *core.InsertStmt) error {
	u := ins.UpsertClause()
	if ins.FromSelectStmt() != nil {
		return c.Unsupported("upsert of INSERT … SELECT (MERGE takes VALUES rows here)")
	}
	if u.Constraint != "" {
		return c.Unsupported("upsert on a named constraint (MERGE matches on columns: set Upsert.Target)")
	}
	if u.TargetWhere != nil {
		return c.Unsupported("upsert with a partial-index predicate (Upsert.TargetWhere)")
	}
	t := ins.Table()
	cols, rows := c.InsertColumns(ins)
	if len(cols) == 0 || len(rows) == 0 {
		return &core.CompileError{Msg: "mssql: an upsert (MERGE) needs at least one column value"}
	}
	target, err := mergeTarget(t, u, cols)
	if err != nil {
		return err
	}
	c.WriteString("MERGE INTO ")
	c.WriteTable(t)
	c.WriteString(" WITH (HOLDLOCK) USING (VALUES ")
	for i, row := range rows {
		if i > 0 {
			c.WriteString(", ")
		}
		c.WriteString("(")
		if err := c.WriteExprs(row, ", "); err != nil {
			return err
		}
		c.WriteString(")")
	}
	c.WriteString(") AS excluded (")
	writeNames(c, cols)
	c.WriteString(") ON ")
	for i, col := range target {
		if i > 0 {
			c.WriteString(" AND ")
		}
		if err := c.WriteColumn(col, true); err != nil {
			return err
		}
		c.WriteString(" = ")
		if err := d.VisitExcluded(c, col); err != nil {
			return err
		}
	}
	if !u.DoNothing {
		c.WriteString(" WHEN MATCHED")
		if u.Where != nil {
			c.WriteString(" AND ")
			if err := c.WriteCondition(u.Where); err != nil {
				return err
			}
		}
		c.WriteString(" THEN UPDATE SET ")
		setCols, setVals := core.UpsertAssignments(u)
		if err := c.WriteAssignments(setCols, setVals, true, false); err != nil {
			return err
		}
	}
	c.WriteString(" WHEN NOT MATCHED THEN INSERT (")
	writeNames(c, cols)
	c.WriteString(") VALUES (")
	for i, col := range cols {
		if i > 0 {
			c.WriteString(", ")
		}
		if err := d.VisitExcluded(c, col); err != nil {
			return err
		}
	}
	c.WriteString(")")
	if ret := ins.ReturningExprs(); len(ret) > 0 {
		if err := writeOutput(c, ins, ret); err != nil {
			return err
		}
	}
	c.WriteString(";")
	return nil
}

// mergeTarget returns the columns a MERGE matches on: the upsert's Target
// or the primary key, each of which must be among the inserted columns.
func mergeTarget(t *core.Table, u *core.Upsert, cols []*core.Column) ([]*core.Column, error) {
	target := u.Target
	if len(target) == 0 {
		target = t.PrimaryKeyColumns()
	}
	if len(target) == 0 {
		return nil, &core.CompileError{Msg: "upsert into " + strconv.Quote(t.Name()) + ": MERGE needs Upsert.Target columns (the table has no primary key)"}
	}
	for _, tc := range target {
		found := false
		for _, col := range cols {
			if col == tc {
				found = true
				break
			}
		}
		if !found {
			return nil, &core.CompileError{Msg: "upsert into " + strconv.Quote(t.Name()) + ": MERGE matches on column " + strconv.Quote(tc.Name()) + ", which the INSERT gives no value"}
		}
	}
	return target, nil
}

func writeNames(c *core.Compiler, cols []*core.Column) {
	for i, col := range cols {
		if i > 0 {
			c.WriteString(", ")
		}
		c.WriteIdent(col.Name())
	}
}
