// Package sqlite is Retort's SQLite dialect: the compile rules of SQLite
// 3.35 and later, as shipped by modernc.org/sqlite. Importing it registers
// the dialect under the URL scheme "sqlite".
package sqlite

import "github.com/retort-orm/retort/core"

// Dialect is the SQLite dialect. It differs from [core.BaseDialect]'s
// PostgreSQL-style defaults in: ? placeholders; no native booleans (1 and
// 0, and "x = 1" for a bare boolean condition); LIMIT with an OFFSET always
// present; an empty IN written as a subquery that returns no rows; tuple IN
// lists written IN (VALUES …); IS / IS NOT for IS [NOT] DISTINCT FROM;
// CURRENT_TIMESTAMP for now() and length() for char_length(); unqualified
// RETURNING columns; and no row locks (see [Dialect.VisitForUpdate]).
type Dialect struct {
	core.BaseDialect
}

var _ core.Dialect = (*Dialect)(nil)

// Features is the capability set of SQLite 3.39+ (modernc.org/sqlite ships
// a newer release): RETURNING and ON CONFLICT (3.35, 3.24), UPDATE … FROM
// (3.33), row values in IN (3.15, as a VALUES list), window functions and
// FILTER (3.25, 3.30), NULLS FIRST/LAST (3.30), generated columns (3.31),
// FULL OUTER JOIN (3.39). SQLite has no DELETE … USING, DISTINCT ON,
// LATERAL, INTERSECT/EXCEPT ALL, parenthesised members of a compound
// SELECT, sequences, row locks, native booleans or CREATE SCHEMA (a schema
// name refers to an ATTACHed database, and is still rendered).
const Features = core.FeatReturningInsert | core.FeatReturningUpdate | core.FeatReturningDelete |
	core.FeatMultiValuesInsert | core.FeatUpsert | core.FeatFullJoin | core.FeatNullsOrdering |
	core.FeatWindowFunctions | core.FeatCTE | core.FeatRecursiveKeyword | core.FeatIntersectExcept |
	core.FeatSavepoints | core.FeatUpdateFrom | core.FeatTupleIn | core.FeatTupleInValues |
	core.FeatFilterClause | core.FeatPartialIndex | core.FeatComputedColumns |
	core.FeatBooleanCompare | core.FeatCheckConstraint | core.FeatDropIfExists |
	core.FeatCreateIfNotExists

// New returns the SQLite dialect with every feature of SQLite 3.35+ (and
// FULL OUTER JOIN, from 3.39). Switch bits off in the returned value's Feat
// for an older library.
func New() *Dialect {
	d := &Dialect{}
	d.DialectName = "sqlite"
	d.Feat = Features
	d.QuoteOpen, d.QuoteClose = '"', '"'
	d.Reserved = reservedWords
	return d
}

func init() {
	d := New()
	core.RegisterDialect("sqlite", d)
}

// literalStyle renders booleans as 1 / 0 and bytes as X'…'.
var literalStyle = core.LiteralStyle{BoolTrue: "1", BoolFalse: "0", BytesPrefix: "X'", BytesSuffix: "'"}

// AppendPlaceholder implements core.Dialect with ?.
func (d *Dialect) AppendPlaceholder(b []byte, _ int, _ string) []byte { return append(b, '?') }

// AppendBool implements core.Dialect: SQLite has no boolean constants, so
// true and false are 1 and 0.
func (d *Dialect) AppendBool(b []byte, v bool) []byte {
	if v {
		return append(b, '1')
	}
	return append(b, '0')
}

// AppendLiteral implements core.Dialect: standard literals, with booleans
// as 1 / 0 and byte strings as X'…'.
func (d *Dialect) AppendLiteral(b []byte, v any, _ core.Type) ([]byte, error) {
	return core.AppendStandardLiteral(b, v, literalStyle)
}

// VisitLimitOffset implements core.Dialect as SQLAlchemy does: "\n LIMIT x
// OFFSET y" with both always present, LIMIT -1 standing for "no limit" and
// OFFSET 0 for "no offset". The stand-ins are bound like the real values.
func (d *Dialect) VisitLimitOffset(c *core.Compiler, limit, offset core.Expr, _ []core.Expr) error {
	if limit == nil {
		limit = core.Bind(int64(-1), core.Integer{})
	}
	if offset == nil {
		offset = core.Bind(int64(0), core.Integer{})
	}
	c.WriteString("\n LIMIT ")
	if err := c.WriteExpr(limit); err != nil {
		return err
	}
	c.WriteString(" OFFSET ")
	return c.WriteExpr(offset)
}

// VisitForUpdate implements core.Dialect. SQLite locks the whole database
// file rather than rows, so, as SQLAlchemy does, a plain locking clause (any
// [core.LockMode]) renders nothing. The options SQLite cannot honour, OF,
// NOWAIT and SKIP LOCKED, are an [core.UnsupportedCompilationError]
// instead of being dropped in silence (SQLAlchemy drops them).
func (d *Dialect) VisitForUpdate(c *core.Compiler, _ *core.SelectStmt, o *core.ForUpdateOptions) error {
	switch {
	case len(o.Of) > 0:
		return c.Unsupported("FOR UPDATE OF (SQLite locks the whole database)")
	case o.NoWait:
		return c.Unsupported("FOR UPDATE NOWAIT (SQLite locks the whole database)")
	case o.SkipLocked:
		return c.Unsupported("FOR UPDATE SKIP LOCKED (SQLite locks the whole database)")
	}
	return nil
}

// VisitFunc implements core.Dialect: now() is CURRENT_TIMESTAMP,
// localtimestamp is DATETIME(CURRENT_TIMESTAMP, 'localtime') and
// char_length(x) is length(x), as SQLAlchemy renders them; the rest as
// [core.BaseDialect] does.
func (d *Dialect) VisitFunc(c *core.Compiler, f *core.FuncExpr) (bool, error) {
	switch f.Name() {
	case "now":
		if len(f.Args()) == 0 {
			c.WriteString("CURRENT_TIMESTAMP")
			return true, nil
		}
	case "localtimestamp":
		if len(f.Args()) == 0 {
			c.WriteString("DATETIME(CURRENT_TIMESTAMP, 'localtime')")
			return true, nil
		}
	case "char_length":
		return true, c.WriteFuncCall("length", f)
	}
	return d.BaseDialect.VisitFunc(c, f)
}

// VisitBinary implements core.Dialect: IS DISTINCT FROM is IS NOT and IS
// NOT DISTINCT FROM is IS (SQLite's IS compares NULLs as equal); ILIKE is
// lower(x) LIKE lower(y), from [core.BaseDialect].
//
// Division stays the plain "/" operator (integer division on integer
// operands, as in Go) where SQLAlchemy 2.0 writes "x / (y + 0.0)" for true
// division: Retort types x.Div(y) after x, and a REAL result would not scan
// into an integer.
func (d *Dialect) VisitBinary(c *core.Compiler, op core.Operator, left, right core.Expr) (bool, error) {
	var kw string
	switch op {
	case core.OpIsDistinctFrom:
		kw = " IS NOT "
	case core.OpIsNotDistinctFrom:
		kw = " IS "
	default:
		return d.BaseDialect.VisitBinary(c, op, left, right)
	}
	if err := c.WriteOperand(left, op); err != nil {
		return true, err
	}
	c.WriteString(kw)
	return true, c.WriteOperand(right, op)
}

// VisitEmptyIn implements core.Dialect as SQLAlchemy does for SQLite: the
// list becomes a subquery that returns no rows, with one column per tuple
// item: x IN (SELECT 1 FROM (SELECT 1) WHERE 1!=1), and NOT IN in
// parentheses.
func (d *Dialect) VisitEmptyIn(c *core.Compiler, left core.Expr, negate bool) error {
	ones := "1"
	if t, ok := left.(*core.ClauseList); ok {
		for i := 1; i < len(t.TupleItems()); i++ {
			ones += ", 1"
		}
	}
	if negate {
		c.WriteString("(")
	}
	if err := c.WriteOperand(left, core.OpIn); err != nil {
		return err
	}
	if negate {
		c.WriteString(" NOT IN (SELECT " + ones + " FROM (SELECT " + ones + ") WHERE 1!=1))")
	} else {
		c.WriteString(" IN (SELECT " + ones + " FROM (SELECT " + ones + ") WHERE 1!=1)")
	}
	return nil
}

// VisitReturning implements core.Dialect: RETURNING at the end, with
// unqualified columns (SQLite rejects table-qualified names there).
func (d *Dialect) VisitReturning(c *core.Compiler, _ core.Statement, cols []core.Expr, at core.ReturningPlace) error {
	if at != core.ReturnAtEnd {
		return nil
	}
	c.WriteString(" RETURNING ")
	return c.WriteReturningColumns(cols, false)
}

// VisitUpsert implements core.Dialect: INSERT … ON CONFLICT, as
// [core.BaseDialect] writes it, except that SQLite has no ON CONFLICT ON
// CONSTRAINT name.
func (d *Dialect) VisitUpsert(c *core.Compiler, ins *core.InsertStmt) error {
	if u := ins.UpsertClause(); u != nil && u.Constraint != "" {
		return c.Unsupported("ON CONFLICT ON CONSTRAINT (name the Target columns instead)")
	}
	return d.BaseDialect.VisitUpsert(c, ins)
}

// reservedWords are the words quoted when used as identifiers: the set of
// SQLAlchemy 2.0's sqlite dialect (SQLiteIdentifierPreparer.reserved_words
// in sqlalchemy/dialects/sqlite/base.py).
var reservedWords = map[string]bool{
	"add": true, "after": true, "all": true, "alter": true, "analyze": true, "and": true,
	"as": true, "asc": true, "attach": true, "autoincrement": true, "before": true, "begin": true,
	"between": true, "by": true, "cascade": true, "case": true, "cast": true, "check": true,
	"collate": true, "column": true, "commit": true, "conflict": true, "constraint": true,
	"create": true, "cross": true, "current_date": true, "current_time": true,
	"current_timestamp": true, "database": true, "default": true, "deferrable": true,
	"deferred": true, "delete": true, "desc": true, "detach": true, "distinct": true, "drop": true,
	"each": true, "else": true, "end": true, "escape": true, "except": true, "exclusive": true,
	"exists": true, "explain": true, "fail": true, "false": true, "for": true, "foreign": true,
	"from": true, "full": true, "glob": true, "group": true, "having": true, "if": true,
	"ignore": true, "immediate": true, "in": true, "index": true, "indexed": true,
	"initially": true, "inner": true, "insert": true, "instead": true, "intersect": true,
	"into": true, "is": true, "isnull": true, "join": true, "key": true, "left": true,
	"like": true, "limit": true, "match": true, "natural": true, "not": true, "notnull": true,
	"null": true, "of": true, "offset": true, "on": true, "or": true, "order": true, "outer": true,
	"plan": true, "pragma": true, "primary": true, "query": true, "raise": true,
	"references": true, "reindex": true, "rename": true, "replace": true, "restrict": true,
	"right": true, "rollback": true, "row": true, "select": true, "set": true, "table": true,
	"temp": true, "temporary": true, "then": true, "to": true, "transaction": true,
	"trigger": true, "true": true, "union": true, "unique": true, "update": true, "using": true,
	"vacuum": true, "values": true, "view": true, "virtual": true, "when": true, "where": true,
}
