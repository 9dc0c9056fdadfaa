// Package mysql is the MySQL and MariaDB dialect: the compile rules where
// their SQL differs from the ANSI/PostgreSQL defaults of [core.BaseDialect].
// Import it for its side effect of registering the "mysql" and "mariadb"
// URL schemes:
//
//	import _ "github.com/retort-orm/retort/dialect/mysql"
//
// One [Dialect] value serves both servers. Its feature set is what MariaDB
// 10.11 accepts (the server the live suites run against), and everything
// it renders is also valid on MySQL 8. A program that talks only to MySQL
// 8 may switch on the MySQL-only features on its own value:
//
//	d := mysql.New()
//	d.Feat |= core.FeatForShare | core.FeatForUpdateOf // FOR SHARE, FOR UPDATE OF t
//
// What the dialect renders, and where it differs from SQLAlchemy 2.0:
//
//   - Placeholders are ?, identifiers are quoted with backticks when they
//     are reserved words of MySQL or MariaDB (the union of SQLAlchemy's two
//     lists), contain upper case letters or characters outside [a-z0-9_$].
//   - LIMIT is LIMIT offset, limit (offset first, both bound); an OFFSET
//     without LIMIT is LIMIT offset, 18446744073709551615, as MySQL's manual
//     advises and SQLAlchemy writes.
//   - String concatenation is concat(a, b, …), a chain flattened into one
//     call; ILIKE is lower(a) LIKE lower(b); IS DISTINCT FROM is
//     NOT (a <=> b) and IS NOT DISTINCT FROM is a <=> b.
//   - true and false render as true / false; a bare boolean in WHERE or
//     ON is compared with 1 (flag = 1, NOT flag is flag = 0, true() is
//     true = 1), as SQLAlchemy does.
//   - RETURNING is written for INSERT and single-table DELETE (MariaDB
//     10.5+). UPDATE … RETURNING and a multi-table DELETE … RETURNING are
//     refused with [core.ErrUnsupported] (SQLAlchemy renders them and the
//     server rejects them).
//   - An upsert is INSERT … ON DUPLICATE KEY UPDATE col = value, with
//     [core.Excluded](col) written VALUES(col) (MariaDB's form; MySQL 8
//     accepts it with a deprecation warning). MySQL applies the clause to a
//     conflict on any unique key, so Upsert.Target is ignored. Upsert.Where,
//     Upsert.TargetWhere and Upsert.Constraint have no MySQL meaning and are
//     refused rather than dropped. Upsert.DoNothing, which SQLAlchemy's
//     MySQL insert has no form for, is the known idiom
//     ON DUPLICATE KEY UPDATE pk = pk (no row changes and, unlike INSERT
//     IGNORE, other errors are still raised).
//   - Row locks: FOR UPDATE; a shared lock is LOCK IN SHARE MODE (MariaDB
//     has no FOR SHARE); NOWAIT and SKIP LOCKED are written. FOR UPDATE OF
//     is refused (MariaDB has none; SQLAlchemy silently drops the OF, which
//     locks more rows than asked). PostgreSQL's FOR NO KEY UPDATE and FOR
//     KEY SHARE become FOR UPDATE and LOCK IN SHARE MODE, the nearest
//     stronger locks, as in SQLAlchemy.
//   - Multi-table UPDATE is UPDATE t, o SET t.a=? WHERE … (SET columns
//     qualified) and multi-table DELETE is DELETE FROM t USING t, o WHERE …,
//     as SQLAlchemy writes them.
//   - An INSERT without values is INSERT INTO t () VALUES ().
//   - Functions: random() is rand(), sysdate() is SYSDATE(), now() and
//     char_length() keep their names, CURRENT_TIMESTAMP has no parentheses.
//   - Literal rendering ([core.RenderLiteral]) doubles backslashes, since
//     MySQL reads \ as an escape inside string literals, and writes bytes
//     as X'…'.
//   - Refused with [core.ErrUnsupported], naming the dialect and construct,
//     where SQLAlchemy writes SQL the server rejects: FULL OUTER JOIN,
//     NULLS FIRST / NULLS LAST, DISTINCT ON (SQLAlchemy ignores it),
//     LATERAL, aggregate FILTER (WHERE …).
//   - A SELECT with a WHERE but no FROM is written without FROM DUAL, which
//     SQLAlchemy adds; MariaDB 10.11 and MySQL 8 accept both.
//
// Type names and DDL live in this package's ddl.go and types.go.
package mysql

import "github.com/retort-orm/retort/core"

// Dialect is the MySQL and MariaDB dialect.
type Dialect struct {
	core.BaseDialect
}

var _ core.Dialect = (*Dialect)(nil)

// Features is the feature set of [New]: what MariaDB 10.11 supports and
// MySQL 8 parses. core.FeatForShare and core.FeatForUpdateOf are MySQL 8
// only and are off.
const Features = core.FeatReturningInsert | core.FeatReturningDelete |
	core.FeatMultiValuesInsert | core.FeatUpsert |
	core.FeatWindowFunctions | core.FeatCTE | core.FeatRecursiveKeyword |
	core.FeatIntersectExcept | core.FeatSetOpAll | core.FeatSetOpParens |
	core.FeatForUpdate | core.FeatNoWait | core.FeatSkipLocked |
	core.FeatSavepoints | core.FeatSequences |
	core.FeatUpdateFrom | core.FeatDeleteUsing | core.FeatTupleIn |
	core.FeatBooleanCompare |
	core.FeatComments | core.FeatNativeEnum | core.FeatComputedColumns |
	core.FeatSchemas | core.FeatCheckConstraint |
	core.FeatDropIfExists | core.FeatCreateIfNotExists

// New returns the MySQL and MariaDB dialect with the [Features] of MariaDB
// 10.11, whose SQL MySQL 8 also accepts.
func New() *Dialect {
	d := &Dialect{}
	d.DialectName = "mysql"
	d.Feat = Features
	d.QuoteOpen, d.QuoteClose = '`', '`'
	d.Reserved = reservedWords
	d.MaxIdentLength = 64
	return d
}

func init() {
	d := New()
	core.RegisterDialect("mysql", d)
	core.RegisterDialect("mariadb", d)
}

// mysqlLiteral is how MySQL writes literals: backslash is an escape
// character in its string literals (unless NO_BACKSLASH_ESCAPES is set;
// doubling is right in both modes only when it is not, which is the
// default), and bytes are hex literals.
var mysqlLiteral = core.LiteralStyle{
	BackslashEscapes: true,
	BoolTrue:         "true",
	BoolFalse:        "false",
	BytesPrefix:      "X'",
	BytesSuffix:      "'",
}

// AppendPlaceholder implements core.Dialect with ?.
func (d *Dialect) AppendPlaceholder(buf []byte, _ int, _ string) []byte {
	return append(buf, '?')
}

// AppendLiteral implements core.Dialect: standard literals with
// backslashes doubled and bytes as X'…'.
func (d *Dialect) AppendLiteral(buf []byte, v any, _ core.Type) ([]byte, error) {
	return core.AppendStandardLiteral(buf, v, mysqlLiteral)
}

// maxRows is the LIMIT MySQL's manual gives for "all rows" when only an
// offset is wanted.
const maxRows = "18446744073709551615"

// VisitLimitOffset implements core.Dialect: LIMIT limit, LIMIT offset,
// limit, or LIMIT offset, 18446744073709551615. Offset comes first.
func (d *Dialect) VisitLimitOffset(c *core.Compiler, limit, offset core.Expr, _ []core.Expr) error {
	c.WriteString(" \n LIMIT ")
	if offset == nil {
		return c.WriteExpr(limit)
	}
	if err := c.WriteExpr(offset); err != nil {
		return err
	}
	c.WriteString(", ")
	if limit == nil {
		c.WriteString(maxRows)
		return nil
	}
	return c.WriteExpr(limit)
}

// VisitForUpdate implements core.Dialect: FOR UPDATE or LOCK IN SHARE MODE
// (FOR SHARE with core.FeatForShare), OF tables only with
// core.FeatForUpdateOf, then NOWAIT / SKIP LOCKED.
func (d *Dialect) VisitForUpdate(c *core.Compiler, _ *core.SelectStmt, o *core.ForUpdateOptions) error {
	f := c.Features()
	if !f.Has(core.FeatForUpdate) {
		return c.Unsupported("SELECT … FOR UPDATE")
	}
	share := o.Mode == core.LockShare || o.Mode == core.LockKeyShare
	switch {
	case share && f.Has(core.FeatForShare):
		c.WriteString(" FOR SHARE")
	case share:
		c.WriteString(" LOCK IN SHARE MODE")
	default: // LockUpdate, LockNoKeyUpdate
		c.WriteString(" FOR UPDATE")
	}
	if len(o.Of) > 0 {
		if !f.Has(core.FeatForUpdateOf) {
			return c.Unsupported("FOR UPDATE OF (MariaDB locks every table of the SELECT)")
		}
		c.WriteString(" OF ")
		if err := c.WriteLockTargets(o.Of, false); err != nil {
			return err
		}
	}
	if o.NoWait {
		if !f.Has(core.FeatNoWait) {
			return c.Unsupported("NOWAIT")
		}
		c.WriteString(" NOWAIT")
	}
	if o.SkipLocked {
		if !f.Has(core.FeatSkipLocked) {
			return c.Unsupported("SKIP LOCKED")
		}
		c.WriteString(" SKIP LOCKED")
	}
	return nil
}

// VisitFunc implements core.Dialect: random() is rand(), sysdate() is
// SYSDATE(); the rest as in core.BaseDialect.
func (d *Dialect) VisitFunc(c *core.Compiler, f *core.FuncExpr) (bool, error) {
	switch f.Name() {
	case "random":
		return true, c.WriteFuncCall("rand", f)
	case "sysdate":
		if len(f.Args()) == 0 {
			c.WriteString("SYSDATE()")
			return true, nil
		}
	}
	return d.BaseDialect.VisitFunc(c, f)
}

// VisitBinary implements core.Dialect: concat(a, b, …) for a chain of
// concatenations, NOT (a <=> b) for IS DISTINCT FROM, a <=> b for IS NOT
// DISTINCT FROM; ILIKE as lower() LIKE lower() (core.BaseDialect).
func (d *Dialect) VisitBinary(c *core.Compiler, op core.Operator, left, right core.Expr) (bool, error) {
	switch op {
	case core.OpConcat:
		c.WriteString("concat(")
		var parts []core.Expr
		parts = concatParts(parts, left)
		parts = concatParts(parts, right)
		if err := c.WriteExprs(parts, ", "); err != nil {
			return true, err
		}
		c.WriteString(")")
		return true, nil
	case core.OpIsDistinctFrom, core.OpIsNotDistinctFrom:
		if op == core.OpIsDistinctFrom {
			c.WriteString("NOT (")
		}
		if err := c.WriteOperand(left, op); err != nil {
			return true, err
		}
		c.WriteString(" <=> ")
		if err := c.WriteOperand(right, op); err != nil {
			return true, err
		}
		if op == core.OpIsDistinctFrom {
			c.WriteString(")")
		}
		return true, nil
	}
	return d.BaseDialect.VisitBinary(c, op, left, right)
}

// concatParts appends the operands of e, flattening nested
// concatenations, as SQLAlchemy writes a + b + c as concat(a, b, c).
func concatParts(parts []core.Expr, e core.Expr) []core.Expr {
	if b, ok := e.(*core.BinaryExpr); ok && b.Operator() == core.OpConcat {
		l, r := b.Operands()
		parts = concatParts(parts, l)
		return concatParts(parts, r)
	}
	return append(parts, e)
}

// VisitEmptyInsert implements core.Dialect: INSERT INTO t () VALUES ().
func (d *Dialect) VisitEmptyInsert(c *core.Compiler, _ *core.InsertStmt) error {
	c.WriteString(" () VALUES ()")
	return nil
}

// VisitUpsert implements core.Dialect: INSERT … ON DUPLICATE KEY UPDATE
// col = value, … [RETURNING …]. See the package documentation for how
// each field of core.Upsert is treated.
func (d *Dialect) VisitUpsert(c *core.Compiler, ins *core.InsertStmt) error {
	u := ins.UpsertClause()
	switch {
	case u.Constraint != "":
		return c.Unsupported("upsert on a named constraint (ON DUPLICATE KEY UPDATE applies to any unique key; leave Upsert.Constraint empty)")
	case u.Where != nil:
		return c.Unsupported("upsert with a WHERE condition (ON DUPLICATE KEY UPDATE has none; put the condition in the Set values, e.g. with a CASE)")
	case u.TargetWhere != nil:
		return c.Unsupported("upsert with a TargetWhere (MySQL has no partial unique indexes)")
	}
	if err := c.WriteInsertHead(ins); err != nil {
		return err
	}
	c.WriteString(" ON DUPLICATE KEY UPDATE ")
	if u.DoNothing {
		col, err := doNothingColumn(ins.Table(), u)
		if err != nil {
			return err
		}
		c.WriteIdent(col.Name())
		c.WriteString(" = ")
		c.WriteIdent(col.Name())
	} else {
		cols, vals := core.UpsertAssignments(u)
		if err := c.WriteAssignments(cols, vals, true, false); err != nil {
			return err
		}
	}
	return c.WriteInsertReturningEnd(ins)
}

// doNothingColumn is the column the DoNothing idiom assigns to itself: the
// first primary key column, else the first Target column.
func doNothingColumn(t *core.Table, u *core.Upsert) (*core.Column, error) {
	if pk := t.PrimaryKeyColumns(); len(pk) > 0 {
		return pk[0], nil
	}
	if len(u.Target) > 0 {
		return u.Target[0], nil
	}
	return nil, &core.ArgumentError{Msg: "upsert DoNothing on MySQL needs a primary key or a Target column for ON DUPLICATE KEY UPDATE col = col (table " + t.Name() + ")"}
}

// VisitExcluded implements core.Dialect: VALUES(col).
func (d *Dialect) VisitExcluded(c *core.Compiler, col *core.Column) error {
	c.WriteString("VALUES(")
	c.WriteIdent(col.Name())
	c.WriteString(")")
	return nil
}

// VisitUpdateFrom implements core.Dialect: UPDATE t, o SET t.a=? WHERE ….
func (d *Dialect) VisitUpdateFrom(c *core.Compiler, u *core.UpdateStmt, extra []core.FromClause) error {
	if len(u.ReturningExprs()) > 0 {
		return c.Unsupported("UPDATE … RETURNING")
	}
	c.WriteString("UPDATE ")
	c.WriteTable(u.Table())
	c.WriteString(", ")
	if err := c.WriteFroms(extra); err != nil {
		return err
	}
	c.WriteString(" SET ")
	if err := c.WriteUpdateSet(u, true); err != nil {
		return err
	}
	return c.WriteWhere(u.WhereClause())
}

// VisitDeleteUsing implements core.Dialect: DELETE FROM t USING t, o
// WHERE …. MariaDB has no RETURNING for a multi-table DELETE.
func (d *Dialect) VisitDeleteUsing(c *core.Compiler, del *core.DeleteStmt, extra []core.FromClause) error {
	if len(del.ReturningExprs()) > 0 {
		return c.Unsupported("DELETE … RETURNING with other tables in the WHERE clause (multi-table DELETE)")
	}
	c.WriteString("DELETE FROM ")
	c.WriteTable(del.Table())
	c.WriteString(" USING ")
	c.WriteTable(del.Table())
	c.WriteString(", ")
	if err := c.WriteFroms(extra); err != nil {
		return err
	}
	return c.WriteWhere(del.WhereClause())
}

// VisitNextValue implements core.Dialect: nextval(seq) (MariaDB 10.3+; MySQL
// has no sequences).
func (d *Dialect) VisitNextValue(c *core.Compiler, s *core.Sequence) error {
	c.WriteString("nextval(")
	if s.Schema != "" {
		c.WriteIdent(s.Schema)
		c.WriteString(".")
	}
	c.WriteIdent(s.Name)
	c.WriteString(")")
	return nil
}

// JoinKeyword implements core.Dialect: INNER JOIN rather than JOIN, as
// SQLAlchemy writes it for MySQL.
func (d *Dialect) JoinKeyword(kind core.JoinKind) string {
	if kind == core.InnerJoin {
		return "INNER JOIN"
	}
	return d.BaseDialect.JoinKeyword(kind)
}
