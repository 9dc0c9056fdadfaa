package core

import (
	"encoding/hex"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// BaseDialect holds the defaults of every [Dialect] hook: ANSI SQL as
// PostgreSQL writes it. Dialect packages embed it, set its fields, and
// override the hooks whose syntax differs.
type BaseDialect struct {
	// DialectName is returned by Name.
	DialectName string
	// Feat is the feature set returned by Features.
	Feat Features
	// QuoteOpen and QuoteClose quote identifiers ('"', '`', '[' ']').
	QuoteOpen, QuoteClose byte
	// Reserved holds the reserved words (lower case) that must be quoted.
	Reserved map[string]bool
	// MaxIdentLength is the longest identifier the database accepts (0: no limit).
	MaxIdentLength int
}

// Name implements Dialect.
func (b *BaseDialect) Name() string { return b.DialectName }

// Features implements Dialect.
func (b *BaseDialect) Features() Features { return b.Feat }

// NeedsQuote reports whether name must be quoted: a reserved word, upper
// case letters (names are case-insensitive when lower case, as in
// SQLAlchemy), a leading digit or '$', or any character outside [a-z0-9_$].
func (b *BaseDialect) NeedsQuote(name string) bool {
	if name == "" {
		return true
	}
	for i := 0; i < len(name); i++ {
		ch := name[i]
		switch {
		case ch >= 'a' && ch <= 'z', ch == '_':
		case (ch >= '0' && ch <= '9') || ch == '$':
			if i == 0 {
				return true
			}
		default:
			return true
		}
	}
	return b.Reserved[name]
}

// AppendIdent implements Dialect: quotes when NeedsQuote says so, doubling
// the closing quote character inside the name.
func (b *BaseDialect) AppendIdent(buf []byte, name string) []byte {
	if !b.NeedsQuote(name) {
		return append(buf, name...)
	}
	open, closeq := b.QuoteOpen, b.QuoteClose
	if open == 0 {
		open, closeq = '"', '"'
	}
	buf = append(buf, open)
	for i := 0; i < len(name); i++ {
		if name[i] == closeq {
			buf = append(buf, closeq)
		}
		if name[i] == 0 {
			continue // NUL cannot appear in an identifier; drop it
		}
		buf = append(buf, name[i])
	}
	return append(buf, closeq)
}

// AppendPlaceholder implements Dialect with $1, $2 … .
func (b *BaseDialect) AppendPlaceholder(buf []byte, n int, _ string) []byte {
	buf = append(buf, '$')
	return strconv.AppendInt(buf, int64(n), 10)
}

// AppendBool implements Dialect with true / false.
func (b *BaseDialect) AppendBool(buf []byte, v bool) []byte {
	if v {
		return append(buf, "true"...)
	}
	return append(buf, "false"...)
}

// AppendLiteral implements Dialect: standard SQL literals, with strings in
// single quotes (quotes doubled) and no backslash escapes.
func (b *BaseDialect) AppendLiteral(buf []byte, v any, t Type) ([]byte, error) {
	return AppendStandardLiteral(buf, v, LiteralStyle{BoolTrue: "true", BoolFalse: "false", BytesPrefix: "'\\x", BytesSuffix: "'"})
}

// LiteralStyle is what differs between dialects when rendering literals.
type LiteralStyle struct {
	// BackslashEscapes: backslash is an escape character inside string
	// literals (MySQL), so it is doubled.
	BackslashEscapes bool
	// NationalPrefix puts N before non-ASCII strings (SQL Server).
	NationalPrefix bool
	BoolTrue       string
	BoolFalse      string
	// BytesPrefix/BytesSuffix wrap the hex digits of a []byte (X'…').
	BytesPrefix, BytesSuffix string
	// TimestampPrefix goes before a quoted time value (e.g. "TIMESTAMP ").
	TimestampPrefix string
}

// AppendStandardLiteral renders v as an SQL literal. Strings must be valid
// UTF-8 without NUL bytes (no database stores NUL in text; refusing it
// avoids truncation tricks). Unsupported Go types are an error naming the type.
func AppendStandardLiteral(buf []byte, v any, st LiteralStyle) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(buf, "NULL"...), nil
	case string:
		return appendQuoted(buf, x, st)
	case []byte:
		if x == nil {
			return append(buf, "NULL"...), nil
		}
		buf = append(buf, st.BytesPrefix...)
		buf = hex.AppendEncode(buf, x)
		return append(buf, st.BytesSuffix...), nil
	case bool:
		if x {
			return append(buf, st.BoolTrue...), nil
		}
		return append(buf, st.BoolFalse...), nil
	case int:
		return strconv.AppendInt(buf, int64(x), 10), nil
	case int8:
		return strconv.AppendInt(buf, int64(x), 10), nil
	case int16:
		return strconv.AppendInt(buf, int64(x), 10), nil
	case int32:
		return strconv.AppendInt(buf, int64(x), 10), nil
	case int64:
		return strconv.AppendInt(buf, x, 10), nil
	case uint:
		return strconv.AppendUint(buf, uint64(x), 10), nil
	case uint8:
		return strconv.AppendUint(buf, uint64(x), 10), nil
	case uint16:
		return strconv.AppendUint(buf, uint64(x), 10), nil
	case uint32:
		return strconv.AppendUint(buf, uint64(x), 10), nil
	case uint64:
		return strconv.AppendUint(buf, x, 10), nil
	case float32:
		return appendFloat(buf, float64(x), 32)
	case float64:
		return appendFloat(buf, x, 64)
	case time.Time:
		buf = append(buf, st.TimestampPrefix...)
		return appendQuoted(buf, x.Format("2006-01-02 15:04:05.999999"), st)
	case fmt.Stringer:
		// decimal.Decimal, uuid.UUID and similar value types render as their
		// string form, quoted unless it is a plain number.
		s := x.String()
		if isNumeric(s) && isNumericType(v) {
			return append(buf, s...), nil
		}
		return appendQuoted(buf, s, st)
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer:
		if rv.IsNil() {
			return append(buf, "NULL"...), nil
		}
		return AppendStandardLiteral(buf, rv.Elem().Interface(), st)
	case reflect.String:
		return appendQuoted(buf, rv.String(), st)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.AppendInt(buf, rv.Int(), 10), nil
	case reflect.Bool:
		return AppendStandardLiteral(buf, rv.Bool(), st)
	}
	return buf, &CompileError{Msg: fmt.Sprintf("can't render a value of type %T as an SQL literal", v)}
}

func isNumericType(v any) bool {
	t := reflect.TypeOf(v)
	return strings.Contains(strings.ToLower(t.Name()), "decimal")
}

func isNumeric(s string) bool {
	if s == "" {
		return false
	}
	dot := false
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch >= '0' && ch <= '9':
		case ch == '-' && i == 0:
		case ch == '.' && !dot:
			dot = true
		default:
			return false
		}
	}
	return true
}

func appendFloat(buf []byte, f float64, bits int) ([]byte, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return buf, &CompileError{Msg: fmt.Sprintf("can't render %v as an SQL literal", f)}
	}
	return strconv.AppendFloat(buf, f, 'g', -1, bits), nil
}

func appendQuoted(buf []byte, s string, st LiteralStyle) ([]byte, error) {
	if !utf8.ValidString(s) {
		return buf, &CompileError{Msg: "string literal is not valid UTF-8"}
	}
	if strings.IndexByte(s, 0) >= 0 {
		return buf, &CompileError{Msg: "string literal contains a NUL byte"}
	}
	if st.NationalPrefix {
		for i := 0; i < len(s); i++ {
			if s[i] >= 0x80 {
				buf = append(buf, 'N')
				break
			}
		}
	}
	buf = append(buf, '\'')
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch == '\'':
			buf = append(buf, '\'', '\'')
		case ch == '\\' && st.BackslashEscapes:
			buf = append(buf, '\\', '\\')
		default:
			buf = append(buf, ch)
		}
	}
	return append(buf, '\''), nil
}

// VisitSelectPrefix implements Dialect: nothing.
func (b *BaseDialect) VisitSelectPrefix(c *Compiler, s *SelectStmt) error { return nil }

// VisitLimitOffset implements Dialect: " \n LIMIT x OFFSET y" (PostgreSQL).
func (b *BaseDialect) VisitLimitOffset(c *Compiler, limit, offset Expr, _ []Expr) error {
	if limit != nil {
		c.WriteString(" \n LIMIT ")
		if err := c.WriteExpr(limit); err != nil {
			return err
		}
	}
	if offset != nil {
		if limit == nil {
			c.WriteString("\n LIMIT ALL")
		}
		c.WriteString(" OFFSET ")
		return c.WriteExpr(offset)
	}
	return nil
}

// VisitForUpdate implements Dialect: FOR UPDATE / FOR SHARE [OF …]
// [NOWAIT | SKIP LOCKED], checked against the feature set.
func (b *BaseDialect) VisitForUpdate(c *Compiler, s *SelectStmt, o *ForUpdateOptions) error {
	f := c.Features()
	if !f.Has(FeatForUpdate) {
		return c.Unsupported("SELECT … FOR UPDATE")
	}
	switch o.Mode {
	case LockShare:
		if !f.Has(FeatForShare) {
			return c.Unsupported("FOR SHARE")
		}
		c.WriteString(" FOR SHARE")
	case LockNoKeyUpdate:
		if !f.Has(FeatForShare) {
			return c.Unsupported("FOR NO KEY UPDATE")
		}
		c.WriteString(" FOR NO KEY UPDATE")
	case LockKeyShare:
		if !f.Has(FeatForShare) {
			return c.Unsupported("FOR KEY SHARE")
		}
		c.WriteString(" FOR KEY SHARE")
	default:
		c.WriteString(" FOR UPDATE")
	}
	if len(o.Of) > 0 {
		if !f.Has(FeatForUpdateOf) {
			return c.Unsupported("FOR UPDATE OF")
		}
		c.WriteString(" OF ")
		if err := c.WriteLockTargets(o.Of, false); err != nil {
			return err
		}
	}
	if o.NoWait {
		if !f.Has(FeatNoWait) {
			return c.Unsupported("NOWAIT")
		}
		c.WriteString(" NOWAIT")
	}
	if o.SkipLocked {
		if !f.Has(FeatSkipLocked) {
			return c.Unsupported("SKIP LOCKED")
		}
		c.WriteString(" SKIP LOCKED")
	}
	return nil
}

// WriteLockTargets writes the OF list of a locking clause: tables by name
// (PostgreSQL) or, with columns true, each target as a column (Oracle).
func (c *Compiler) WriteLockTargets(of []Node, columns bool) error {
	for i, n := range of {
		if i > 0 {
			c.WriteString(", ")
		}
		switch x := n.(type) {
		case *Table:
			if columns {
				pk := x.PrimaryKeyColumns()
				if len(pk) == 0 && len(x.columns) > 0 {
					pk = x.columns[:1]
				}
				if len(pk) == 0 {
					return &CompileError{Msg: "FOR UPDATE OF a table without columns"}
				}
				if err := c.WriteColumn(pk[0], true); err != nil {
					return err
				}
			} else {
				c.WriteTable(x)
			}
		case *Alias:
			if columns {
				if len(x.columns) == 0 {
					return &CompileError{Msg: "FOR UPDATE OF an alias without columns"}
				}
				if err := c.WriteColumn(x.columns[0], true); err != nil {
					return err
				}
			} else {
				c.WriteIdent(c.aliasName(x))
			}
		case *Column:
			if columns {
				if err := c.WriteColumn(x, true); err != nil {
					return err
				}
			} else if err := c.writeFromName(x.from); err != nil {
				return err
			}
		default:
			return &ArgumentError{Msg: fmt.Sprintf("FOR UPDATE OF: %T is not a table, alias or column", n)}
		}
	}
	return nil
}

// VisitFunc implements Dialect: the generic functions as PostgreSQL names
// them; CURRENT_TIMESTAMP and friends without parentheses.
func (b *BaseDialect) VisitFunc(c *Compiler, f *FuncExpr) (bool, error) {
	switch f.name {
	case "current_timestamp", "current_date", "current_time", "localtime", "localtimestamp", "current_user", "session_user", "user":
		if len(f.args) == 0 {
			c.WriteString(strings.ToUpper(f.name))
			return true, nil
		}
	}
	return false, nil
}

// VisitBinary implements Dialect: the standard forms, except ILIKE, which
// is lower(x) LIKE lower(y) unless the dialect renders it natively.
func (b *BaseDialect) VisitBinary(c *Compiler, op Operator, left, right Expr) (bool, error) {
	switch op {
	case OpILike, OpNotILike:
		c.WriteString("lower(")
		if err := c.WriteExpr(left); err != nil {
			return true, err
		}
		if op == OpILike {
			c.WriteString(") LIKE lower(")
		} else {
			c.WriteString(") NOT LIKE lower(")
		}
		if err := c.WriteExpr(right); err != nil {
			return true, err
		}
		c.WriteString(")")
		return true, nil
	}
	return false, nil
}

// VisitEmptyIn implements Dialect: x IN (NULL) AND (1 != 1), as SQLAlchemy
// renders an empty IN (always false, even for NULL x); NOT IN becomes
// x NOT IN (NULL) OR (1 = 1).
func (b *BaseDialect) VisitEmptyIn(c *Compiler, left Expr, negate bool) error {
	c.WriteString("(")
	if err := c.WriteOperand(left, opIn); err != nil {
		return err
	}
	nulls := "NULL"
	if l, ok := left.(*ClauseList); ok && l.op == opComma {
		nulls = "(" + strings.TrimSuffix(strings.Repeat("NULL, ", len(l.items)), ", ") + ")"
	}
	if negate {
		c.WriteString(" NOT IN (" + nulls + ") OR (1 = 1))")
	} else {
		c.WriteString(" IN (" + nulls + ") AND (1 != 1))")
	}
	return nil
}

// VisitReturning implements Dialect: RETURNING at the end of the statement.
func (b *BaseDialect) VisitReturning(c *Compiler, stmt Statement, cols []Expr, at ReturningPlace) error {
	if at != ReturnAtEnd {
		return nil
	}
	c.WriteString(" RETURNING ")
	return c.WriteReturningColumns(cols, true)
}

// WriteReturningColumns writes a RETURNING list, qualified or not.
func (c *Compiler) WriteReturningColumns(cols []Expr, qualified bool) error {
	write := func() error {
		_, labels := selectLabels(cols, false)
		for i, e := range cols {
			if i > 0 {
				c.WriteString(", ")
			}
			if l, ok := e.(*Label); ok {
				e = l.expr
			}
			if err := c.WriteExpr(e); err != nil {
				return err
			}
			if labels[i] != "" {
				c.WriteString(" AS ")
				c.WriteIdent(labels[i])
			}
		}
		return nil
	}
	if qualified {
		return write()
	}
	return c.Unqualified(write)
}

// VisitUpsert implements Dialect: INSERT … ON CONFLICT ….
func (b *BaseDialect) VisitUpsert(c *Compiler, ins *InsertStmt) error {
	if err := c.WriteInsertHead(ins); err != nil {
		return err
	}
	if err := c.WriteOnConflict(ins.upsert); err != nil {
		return err
	}
	return c.WriteInsertReturningEnd(ins)
}

// VisitExcluded implements Dialect: excluded.col.
func (b *BaseDialect) VisitExcluded(c *Compiler, col *Column) error {
	c.WriteString("excluded.")
	c.WriteIdent(col.name)
	return nil
}

// VisitEmptyInsert implements Dialect: DEFAULT VALUES.
func (b *BaseDialect) VisitEmptyInsert(c *Compiler, ins *InsertStmt) error {
	c.WriteString(" DEFAULT VALUES")
	return nil
}

// VisitUpdateFrom implements Dialect: UPDATE t SET … FROM o WHERE ….
func (b *BaseDialect) VisitUpdateFrom(c *Compiler, u *UpdateStmt, extra []FromClause) error {
	if !c.Features().Has(FeatUpdateFrom) {
		return c.Unsupported("UPDATE … FROM (a WHERE clause naming other tables)")
	}
	return c.WriteUpdate(u, extra)
}

// VisitDeleteUsing implements Dialect: DELETE FROM t USING o WHERE ….
func (b *BaseDialect) VisitDeleteUsing(c *Compiler, d *DeleteStmt, extra []FromClause) error {
	if !c.Features().Has(FeatDeleteUsing) {
		return c.Unsupported("DELETE … USING (a WHERE clause naming other tables)")
	}
	return c.WriteDelete(d, extra)
}

// VisitNextValue implements Dialect: nextval('seq').
func (b *BaseDialect) VisitNextValue(c *Compiler, s *Sequence) error {
	c.WriteString("nextval('")
	var name string
	if s.Schema != "" {
		name = string(c.Dialect().AppendIdent(nil, s.Schema)) + "." + string(c.Dialect().AppendIdent(nil, s.Name))
	} else {
		name = string(c.Dialect().AppendIdent(nil, s.Name))
	}
	c.WriteString(strings.ReplaceAll(name, "'", "''"))
	c.WriteString("')")
	return nil
}

// CompoundKeyword implements Dialect: the keyword as given.
func (b *BaseDialect) CompoundKeyword(kw string) string { return kw }

// JoinKeyword implements Dialect: JOIN, LEFT OUTER JOIN, FULL OUTER JOIN,
// CROSS JOIN.
func (b *BaseDialect) JoinKeyword(kind JoinKind) string {
	switch kind {
	case LeftJoin:
		return "LEFT OUTER JOIN"
	case FullJoin:
		return "FULL OUTER JOIN"
	case CrossJoin:
		return "CROSS JOIN"
	}
	return "JOIN"
}

// TypeSQL implements Dialect with PostgreSQL's type names.
func (b *BaseDialect) TypeSQL(c *Compiler, t Type, forCast bool) (string, error) {
	return GenericTypeSQL(c, t)
}

// GenericTypeSQL renders the generic types with ANSI / PostgreSQL names. A
// dialect calls it for the types it does not rename.
func GenericTypeSQL(c *Compiler, t Type) (string, error) {
	switch x := t.(type) {
	case TypeDecorator:
		return c.Dialect().TypeSQL(c, x.Impl(), false)
	case Integer:
		return "INTEGER", nil
	case BigInteger:
		return "BIGINT", nil
	case SmallInteger:
		return "SMALLINT", nil
	case String:
		s := "VARCHAR"
		if x.Length > 0 {
			s += "(" + itoa(x.Length) + ")"
		}
		if x.Collation != "" {
			s += " COLLATE " + string(c.Dialect().AppendIdent(nil, x.Collation))
		}
		return s, nil
	case Text:
		if x.Collation != "" {
			return "TEXT COLLATE " + string(c.Dialect().AppendIdent(nil, x.Collation)), nil
		}
		return "TEXT", nil
	case Boolean:
		return "BOOLEAN", nil
	case Float:
		if x.Precision > 0 {
			return "FLOAT(" + itoa(x.Precision) + ")", nil
		}
		return "FLOAT", nil
	case Double:
		return "DOUBLE PRECISION", nil
	case Numeric:
		if x.Precision > 0 {
			return "NUMERIC(" + itoa(x.Precision) + ", " + itoa(x.Scale) + ")", nil
		}
		return "NUMERIC", nil
	case Date:
		return "DATE", nil
	case Time:
		if x.Timezone {
			return "TIME WITH TIME ZONE", nil
		}
		return "TIME WITHOUT TIME ZONE", nil
	case DateTime:
		if x.Timezone {
			return "TIMESTAMP WITH TIME ZONE", nil
		}
		return "TIMESTAMP WITHOUT TIME ZONE", nil
	case Interval:
		return "INTERVAL", nil
	case LargeBinary:
		return "BYTEA", nil
	case JSON:
		return "JSON", nil
	case UUID:
		return "UUID", nil
	case Enum:
		return "VARCHAR(" + itoa(x.EnumLength()) + ")", nil
	case Array:
		if x.Item == nil {
			return "", &ArgumentError{Msg: "ARRAY type has no item type"}
		}
		inner, err := c.Dialect().TypeSQL(c, x.Item, false)
		if err != nil {
			return "", err
		}
		dims := x.Dimensions
		if dims <= 0 {
			dims = 1
		}
		return inner + strings.Repeat("[]", dims), nil
	case NullType:
		return "", &CompileError{Msg: "expression has no type (NullType) to render"}
	}
	return "", &UnsupportedCompilationError{Dialect: c.Dialect().Name(), Construct: "type " + t.TypeName()}
}
