package core

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Features is the set of capabilities a dialect has, as bits. Statement code
// asks for a capability, never for a dialect's name; a dialect for a
// near-compatible server can switch bits off.
type Features uint64

// Feature bits.
const (
	FeatReturningInsert Features = 1 << iota
	FeatReturningUpdate
	FeatReturningDelete
	FeatMultiValuesInsert
	FeatUpsert
	FeatDistinctOn
	FeatFullJoin
	FeatLateral
	FeatNullsOrdering
	FeatWindowFunctions
	FeatCTE
	FeatRecursiveKeyword // WITH RECURSIVE (others write plain WITH)
	FeatIntersectExcept
	FeatSetOpAll // INTERSECT ALL / EXCEPT ALL
	FeatForUpdate
	FeatForShare
	FeatNoWait
	FeatSkipLocked
	FeatForUpdateOf
	FeatSavepoints
	FeatSequences
	FeatIdentity
	FeatNativeBoolean
	FeatUpdateFrom
	FeatDeleteUsing
	FeatTupleIn
	FeatFilterClause
	FeatComments
	FeatArrays
	FeatNativeEnum
	FeatNativeUUID
	FeatPartialIndex
	FeatComputedColumns
	FeatSchemas
	FeatNoAliasAS       // FROM t alias (Oracle) instead of FROM t AS alias
	FeatNamedParams     // :name placeholders (the debug dialect)
	FeatBooleanCompare  // render bare booleans as x = 1 in WHERE
	FeatSetOpParens     // parenthesise SELECTs inside UNION (not SQLite)
	FeatCheckConstraint // CHECK constraints are enforced/accepted
	FeatDropIfExists
	FeatCreateIfNotExists
	FeatFromDual      // SELECT without FROM needs FROM DUAL (Oracle)
	FeatTupleInValues // tuple IN lists are written IN (VALUES (…), (…)) (SQLite)
)

// Has reports whether all bits of f are set.
func (fs Features) Has(f Features) bool { return fs&f == f }

// Dialect is what a database dialect implements. Defaults for every hook
// live in [BaseDialect], which a dialect embeds; a dialect overrides only what
// differs. The compiler calls hooks through the Dialect value, so an
// override is always reached.
//
// Hooks that write SQL receive the [Compiler], whose Write… methods render
// sub-expressions, identifiers and bound values the same way for everyone.
type Dialect interface {
	// Name is the dialect's name ("postgresql", "sqlite", "mysql", "mssql",
	// "oracle", or "default").
	Name() string
	// Features is the dialect's capability set.
	Features() Features
	// AppendIdent appends a quoted-as-needed identifier.
	AppendIdent(b []byte, name string) []byte
	// AppendPlaceholder appends the placeholder of the position-th (1-based)
	// bound parameter; name is a readable name for named styles.
	AppendPlaceholder(b []byte, position int, name string) []byte
	// AppendBool appends a boolean constant.
	AppendBool(b []byte, v bool) []byte
	// AppendLiteral appends v as an SQL literal of type t, escaped.
	AppendLiteral(b []byte, v any, t Type) ([]byte, error)

	// VisitSelectPrefix writes what comes right after SELECT [DISTINCT]
	// (SQL Server's TOP n).
	VisitSelectPrefix(c *Compiler, s *SelectStmt) error
	// VisitLimitOffset writes the LIMIT/OFFSET (or FETCH) clause at the end
	// of a SELECT or compound SELECT.
	VisitLimitOffset(c *Compiler, limit, offset Expr, orderBy []Expr) error
	// VisitForUpdate writes the row-locking clause.
	VisitForUpdate(c *Compiler, s *SelectStmt, o *ForUpdateOptions) error
	// VisitFunc may render a function in the dialect's own way; it returns
	// false to let the compiler render name(args).
	VisitFunc(c *Compiler, f *FuncExpr) (bool, error)
	// VisitBinary may render an operator in the dialect's own way (ILIKE,
	// concatenation, IS DISTINCT FROM, modulo …); false lets the compiler
	// render the standard form.
	VisitBinary(c *Compiler, op Operator, left, right Expr) (bool, error)
	// VisitEmptyIn writes an IN / NOT IN with no values.
	VisitEmptyIn(c *Compiler, left Expr, negate bool) error
	// VisitReturning writes the RETURNING clause (or OUTPUT, or RETURNING
	// INTO) of a DML statement at the given place.
	VisitReturning(c *Compiler, stmt Statement, cols []Expr, at ReturningPlace) error
	// VisitUpsert writes a whole INSERT with an upsert clause.
	VisitUpsert(c *Compiler, ins *InsertStmt) error
	// VisitExcluded writes the reference to a proposed upsert value.
	VisitExcluded(c *Compiler, col *Column) error
	// VisitEmptyInsert writes the VALUES part of an INSERT with no columns.
	VisitEmptyInsert(c *Compiler, ins *InsertStmt) error
	// VisitUpdateFrom writes an UPDATE whose WHERE refers to other tables.
	VisitUpdateFrom(c *Compiler, u *UpdateStmt, extra []FromClause) error
	// VisitDeleteUsing writes a DELETE whose WHERE refers to other tables.
	VisitDeleteUsing(c *Compiler, d *DeleteStmt, extra []FromClause) error
	// VisitNextValue writes a sequence's next value.
	VisitNextValue(c *Compiler, s *Sequence) error
	// CompoundKeyword returns the keyword for UNION, UNION ALL, INTERSECT,
	// EXCEPT … (Oracle says MINUS).
	CompoundKeyword(kw string) string
	// JoinKeyword returns the keyword of a join kind: JOIN, LEFT OUTER
	// JOIN, FULL OUTER JOIN, CROSS JOIN (MySQL says INNER JOIN).
	JoinKeyword(kind JoinKind) string
	// TypeSQL returns a type's name in DDL (forCast false) or in CAST (true).
	TypeSQL(c *Compiler, t Type, forCast bool) (string, error)
	// DDL renders DDL elements; see [DDLCompiler].
	DDLCompiler
}

// ReturningPlace says where in a DML statement a returning clause goes.
type ReturningPlace uint8

// Returning places.
const (
	// ReturnAfterTarget: after the INSERT column list, after UPDATE's SET
	// list, after DELETE FROM t (SQL Server's OUTPUT).
	ReturnAfterTarget ReturningPlace = iota + 1
	// ReturnAtEnd: at the end of the statement (RETURNING).
	ReturnAtEnd
)

// Operator names the operators a dialect may render its own way.
type Operator = opcode

// Operators a dialect's VisitBinary may see.
const (
	OpIs                = opIs
	OpIsNot             = opIsNot
	OpConcat            = opConcat
	OpILike             = opILike
	OpNotILike          = opNotILike
	OpIsDistinctFrom    = opIsDistinctFrom
	OpIsNotDistinctFrom = opIsNotDistinctFrom
	OpMod               = opMod
	OpLike              = opLike
	OpNotLike           = opNotLike
	OpDiv               = opDiv
	// OpIn is IN's precedence, for WriteOperand in a VisitEmptyIn hook.
	OpIn = opIn
)

// ---------------------------------------------------------------- registry

var (
	dialectsMu sync.RWMutex
	dialects   = map[string]Dialect{}
)

// RegisterDialect makes a dialect available under a URL scheme. Dialect
// packages call it from init(). Registering nil or the same scheme twice
// panics, as sql.Register does.
func RegisterDialect(scheme string, d Dialect) {
	dialectsMu.Lock()
	defer dialectsMu.Unlock()
	if d == nil {
		panic("core: RegisterDialect dialect is nil")
	}
	if _, dup := dialects[scheme]; dup {
		panic("core: RegisterDialect called twice for scheme " + scheme)
	}
	dialects[scheme] = d
}

// LookupDialect returns the dialect registered for a URL scheme.
func LookupDialect(scheme string) (Dialect, error) {
	dialectsMu.RLock()
	defer dialectsMu.RUnlock()
	if d, ok := dialects[scheme]; ok {
		return d, nil
	}
	names := make([]string, 0, len(dialects))
	for k := range dialects {
		names = append(names, k)
	}
	sort.Strings(names)
	return nil, &ArgumentError{Msg: fmt.Sprintf("no dialect registered for %q (registered: %s); import the dialect package, e.g. _ \"github.com/retort-orm/retort/dialect/postgresql\"", scheme, strings.Join(names, ", "))}
}
