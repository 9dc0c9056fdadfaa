package oracle

import (
	"strconv"

	"github.com/retort-orm/retort/core"
)

// Dialect is the Oracle dialect. It renders SQL as SQLAlchemy's oracle
// dialect does for Oracle Database 12c and later (19c is the reference),
// with :1, :2 … placeholders (github.com/sijms/go-ora/v2). The differences
// from SQLAlchemy, all deliberate:
//
//   - OFFSET and FETCH FIRST take bound parameters; SQLAlchemy inlines the
//     numbers. Every value stays bound (see STYLE.md, "Bind everything").
//   - RETURNING … INTO targets are output placeholders whose arguments are
//     [core.OutParam] values (SQLAlchemy names them :ret_0, :ret_1 …).
//   - random() is DBMS_RANDOM.VALUE (SQLAlchemy renders random(), which
//     Oracle does not have).
//   - FOR SHARE, FOR UPDATE together with OFFSET/FETCH, multi-row VALUES,
//     INTERSECT ALL / EXCEPT ALL, UPDATE … FROM and DELETE … USING are
//     errors (SQLAlchemy ignores some and renders others).
//   - An upsert is a MERGE statement; SQLAlchemy has no upsert for Oracle.
type Dialect struct {
	core.BaseDialect
}

var _ core.Dialect = (*Dialect)(nil)

// Features is the capability set of Oracle Database 12c and later.
const Features = core.FeatReturningInsert | core.FeatReturningUpdate | core.FeatReturningDelete |
	core.FeatUpsert | core.FeatFullJoin | core.FeatLateral | core.FeatNullsOrdering |
	core.FeatWindowFunctions | core.FeatCTE | core.FeatIntersectExcept | core.FeatForUpdate |
	core.FeatNoWait | core.FeatSkipLocked | core.FeatForUpdateOf | core.FeatSavepoints |
	core.FeatSequences | core.FeatIdentity | core.FeatTupleIn | core.FeatComments |
	core.FeatComputedColumns | core.FeatSchemas | core.FeatNoAliasAS | core.FeatBooleanCompare |
	core.FeatSetOpParens | core.FeatCheckConstraint | core.FeatFromDual

// New returns the Oracle dialect with every feature of Oracle 12c+.
func New() *Dialect {
	d := &Dialect{}
	d.DialectName = "oracle"
	d.Feat = Features
	d.QuoteOpen, d.QuoteClose = '"', '"'
	d.Reserved = reservedWords
	d.MaxIdentLength = 128
	return d
}

func init() {
	d := New()
	core.RegisterDialect("oracle", d)
}

// literalStyle renders literals: HEXTORAW('…') for bytes, 1/0 for
// booleans, TIMESTAMP '…' for times.
var literalStyle = core.LiteralStyle{
	BoolTrue:        "1",
	BoolFalse:       "0",
	BytesPrefix:     "HEXTORAW('",
	BytesSuffix:     "')",
	TimestampPrefix: "TIMESTAMP ",
}

// AppendIdent implements core.Dialect. Lower-case names are
// case-insensitive and unquoted (Oracle stores them upper case); names with
// upper case letters, reserved words and names starting with a digit, $ or
// _ are quoted, as in SQLAlchemy.
func (d *Dialect) AppendIdent(b []byte, name string) []byte {
	if name != "" && name[0] == '_' && !d.NeedsQuote(name) {
		return append(append(append(b, '"'), name...), '"')
	}
	return d.BaseDialect.AppendIdent(b, name)
}

// AppendPlaceholder implements core.Dialect with :1, :2 … (go-ora).
func (d *Dialect) AppendPlaceholder(b []byte, n int, _ string) []byte {
	b = append(b, ':')
	return strconv.AppendInt(b, int64(n), 10)
}

// AppendBool implements core.Dialect: Oracle (before 23ai) has no boolean
// literals in SQL.
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

// VisitLimitOffset implements core.Dialect: the 12c row-limiting clause,
// "\n OFFSET n ROWS\n FETCH FIRST m ROWS ONLY", with bound values.
func (d *Dialect) VisitLimitOffset(c *core.Compiler, limit, offset core.Expr, _ []core.Expr) error {
	if offset != nil {
		c.WriteString("\n OFFSET ")
		if err := c.WriteExpr(offset); err != nil {
			return err
		}
		c.WriteString(" ROWS")
	}
	if limit != nil {
		c.WriteString("\n FETCH FIRST ")
		if err := c.WriteExpr(limit); err != nil {
			return err
		}
		c.WriteString(" ROWS ONLY")
	}
	return nil
}

// VisitForUpdate implements core.Dialect: FOR UPDATE [OF t.col, …]
// [NOWAIT | SKIP LOCKED]. OF names columns (a table stands for its first
// primary key column). Oracle has no shared row locks, and it refuses FOR
// UPDATE together with the row-limiting clause (OFFSET / FETCH FIRST).
func (d *Dialect) VisitForUpdate(c *core.Compiler, s *core.SelectStmt, o *core.ForUpdateOptions) error {
	switch o.Mode {
	case core.LockShare:
		return c.Unsupported("FOR SHARE (Oracle locks rows only with FOR UPDATE)")
	case core.LockKeyShare:
		return c.Unsupported("FOR KEY SHARE (Oracle locks rows only with FOR UPDATE)")
	}
	if s.LimitExpr() != nil || s.OffsetExpr() != nil {
		return c.Unsupported("FOR UPDATE together with LIMIT/OFFSET (Oracle's FETCH FIRST / OFFSET cannot be combined with FOR UPDATE; lock in a subquery, e.g. WHERE id IN (SELECT … FETCH FIRST …))")
	}
	if o.NoWait && o.SkipLocked {
		return &core.CompileError{Msg: "oracle: FOR UPDATE takes NOWAIT or SKIP LOCKED, not both"}
	}
	// FOR NO KEY UPDATE is a weaker FOR UPDATE: Oracle's FOR UPDATE is safe.
	c.WriteString(" FOR UPDATE")
	if len(o.Of) > 0 {
		c.WriteString(" OF ")
		if err := c.WriteLockTargets(o.Of, true); err != nil {
			return err
		}
	}
	if o.NoWait {
		c.WriteString(" NOWAIT")
	}
	if o.SkipLocked {
		c.WriteString(" SKIP LOCKED")
	}
	return nil
}

// VisitFunc implements core.Dialect: now() is CURRENT_TIMESTAMP,
// char_length() is LENGTH(), random() is DBMS_RANDOM.VALUE.
func (d *Dialect) VisitFunc(c *core.Compiler, f *core.FuncExpr) (bool, error) {
	switch f.Name() {
	case "now":
		if len(f.Args()) == 0 {
			c.WriteString("CURRENT_TIMESTAMP")
			return true, nil
		}
	case "char_length":
		return true, c.WriteFuncCall("LENGTH", f)
	case "random":
		if len(f.Args()) == 0 {
			c.WriteString("DBMS_RANDOM.VALUE")
			return true, nil
		}
	}
	return d.BaseDialect.VisitFunc(c, f)
}

// VisitBinary implements core.Dialect: a % b is mod(a, b); IS [NOT]
// DISTINCT FROM is DECODE(a, b, 0, 1) = 1 (= 0); || concatenates and ILIKE
// is lower() LIKE lower(), as in the base.
func (d *Dialect) VisitBinary(c *core.Compiler, op core.Operator, left, right core.Expr) (bool, error) {
	switch op {
	case core.OpIs, core.OpIsNot:
		// IS takes only NULL here: x IS true becomes x = 1 (and so on)
		if v, ok := core.BoolConstant(right); ok {
			return true, c.WriteIsBoolean(left, op == core.OpIsNot, v)
		}
		return false, nil
	case core.OpMod:
		c.WriteString("mod(")
		if err := c.WriteExpr(left); err != nil {
			return true, err
		}
		c.WriteString(", ")
		if err := c.WriteExpr(right); err != nil {
			return true, err
		}
		c.WriteString(")")
		return true, nil
	case core.OpIsDistinctFrom, core.OpIsNotDistinctFrom:
		c.WriteString("DECODE(")
		if err := c.WriteExpr(left); err != nil {
			return true, err
		}
		c.WriteString(", ")
		if err := c.WriteExpr(right); err != nil {
			return true, err
		}
		if op == core.OpIsDistinctFrom {
			c.WriteString(", 0, 1) = 1")
		} else {
			c.WriteString(", 0, 1) = 0")
		}
		return true, nil
	}
	return d.BaseDialect.VisitBinary(c, op, left, right)
}

// CompoundKeyword implements core.Dialect: EXCEPT is MINUS.
func (d *Dialect) CompoundKeyword(kw string) string {
	if kw == "EXCEPT" {
		return "MINUS"
	}
	return kw
}

// VisitReturning implements core.Dialect: RETURNING expr, … INTO :n, … at
// the end of the statement. Each INTO target is an output placeholder whose
// argument is a [core.OutParam] carrying the expression's type; the engine
// binds those as output parameters and reads the returned row from them.
// Oracle returns no labels here, so labels are dropped. INSERT … SELECT
// cannot return values on Oracle.
func (d *Dialect) VisitReturning(c *core.Compiler, stmt core.Statement, cols []core.Expr, at core.ReturningPlace) error {
	if at != core.ReturnAtEnd {
		return nil
	}
	if ins, ok := stmt.(*core.InsertStmt); ok && ins.FromSelectStmt() != nil {
		return c.Unsupported("INSERT … SELECT … RETURNING (Oracle returns values only from INSERT … VALUES)")
	}
	c.WriteString(" RETURNING ")
	for i, e := range cols {
		if i > 0 {
			c.WriteString(", ")
		}
		if l, ok := e.(*core.Label); ok {
			e = l.Element()
		}
		if err := c.WriteExpr(e); err != nil {
			return err
		}
	}
	c.WriteString(" INTO ")
	for i, e := range cols {
		if i > 0 {
			c.WriteString(", ")
		}
		if err := c.WriteOutParam(e.Type(), "ret_"+strconv.Itoa(i)); err != nil {
			return err
		}
	}
	return nil
}

// VisitEmptyInsert implements core.Dialect: Oracle has no DEFAULT VALUES;
// INSERT INTO t (pk) VALUES (DEFAULT) fills every column with its default.
func (d *Dialect) VisitEmptyInsert(c *core.Compiler, ins *core.InsertStmt) error {
	t := ins.Table()
	cols := t.PrimaryKeyColumns()
	if len(cols) == 0 {
		cols = t.Columns()
	}
	if len(cols) == 0 {
		return &core.CompileError{Msg: "insert into " + strconv.Quote(t.Name()) + ": the table has no columns"}
	}
	c.WriteString(" (")
	c.WriteIdent(cols[0].Name())
	c.WriteString(") VALUES (DEFAULT)")
	return nil
}

// VisitNextValue implements core.Dialect: seq.nextval.
func (d *Dialect) VisitNextValue(c *core.Compiler, s *core.Sequence) error {
	if s.Schema != "" {
		c.WriteIdent(s.Schema)
		c.WriteString(".")
	}
	c.WriteIdent(s.Name)
	c.WriteString(".nextval")
	return nil
}

// VisitUpsert implements core.Dialect with a MERGE statement (SQLAlchemy has
// no upsert for Oracle):
//
//	MERGE INTO t USING (SELECT :1 AS id, :2 AS name FROM DUAL) excluded
//	ON (t.id = excluded.id)
//	WHEN MATCHED THEN UPDATE SET name = excluded.name [WHERE where]
//	WHEN NOT MATCHED THEN INSERT (id, name) VALUES (excluded.id, excluded.name)
//
// It matches on Upsert.Target, defaulting to the primary key; DoNothing
// leaves out WHEN MATCHED. One row only; Oracle's MERGE cannot update the
// columns it matches on (ORA-38104), nor return values before 23ai.
func (d *Dialect) VisitUpsert(c *core.Compiler, ins *core.InsertStmt) error {
	u := ins.UpsertClause()
	switch {
	case ins.FromSelectStmt() != nil:
		return c.Unsupported("upsert of INSERT … SELECT")
	case u.Constraint != "":
		return c.Unsupported("upsert on a named constraint (MERGE matches on columns: set Upsert.Target)")
	case u.TargetWhere != nil:
		return c.Unsupported("upsert with a partial-index predicate (Upsert.TargetWhere)")
	case len(ins.ReturningExprs()) > 0:
		return c.Unsupported("upsert (MERGE) with RETURNING")
	}
	t := ins.Table()
	cols, rows := c.InsertColumns(ins)
	if len(cols) == 0 || len(rows) == 0 {
		return &core.CompileError{Msg: "oracle: an upsert (MERGE) needs at least one column value"}
	}
	if len(rows) > 1 {
		return c.Unsupported("multi-row VALUES in an upsert (MERGE)")
	}
	target, err := mergeTarget(t, u, cols)
	if err != nil {
		return err
	}
	for _, a := range u.Set {
		for _, tc := range target {
			if a.Col == tc {
				return &core.CompileError{Msg: "upsert into " + strconv.Quote(t.Name()) + ": Oracle's MERGE cannot update column " + strconv.Quote(tc.Name()) + ", which it matches on"}
			}
		}
	}
	c.WriteString("MERGE INTO ")
	c.WriteTable(t)
	c.WriteString(" USING (SELECT ")
	for i, col := range cols {
		if i > 0 {
			c.WriteString(", ")
		}
		if err := c.WriteExpr(rows[0][i]); err != nil {
			return err
		}
		c.WriteString(" AS ")
		c.WriteIdent(col.Name())
	}
	c.WriteString(" FROM DUAL) excluded ON (")
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
	c.WriteString(")")
	if !u.DoNothing {
		c.WriteString(" WHEN MATCHED THEN UPDATE SET ")
		setCols, setVals := core.UpsertAssignments(u)
		if err := c.WriteAssignments(setCols, setVals, true, false); err != nil {
			return err
		}
		if u.Where != nil {
			c.WriteString(" WHERE ")
			if err := c.WriteCondition(u.Where); err != nil {
				return err
			}
		}
	}
	c.WriteString(" WHEN NOT MATCHED THEN INSERT (")
	for i, col := range cols {
		if i > 0 {
			c.WriteString(", ")
		}
		c.WriteIdent(col.Name())
	}
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
