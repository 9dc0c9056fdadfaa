package core

import (
	"strconv"
	"strings"
)

// Type is an SQL data type. The generic types of this package ([Integer],
// [String], [Numeric], [DateTime], …) render on every dialect; a dialect package
// may define its own types (for example PostgreSQL's JSONB), which render only on
// that dialect; a user type built on [TypeDecorator] renders as its
// implementation type and processes values on the way in and out.
//
// A Type is an immutable value. TypeName returns a stable, dialect-neutral
// description used in error messages, String() and cache keys.
type Type interface {
	TypeName() string
}

// TypeDecorator is the extension point for custom types (SQLAlchemy's
// TypeDecorator): the SQL type is Impl(), and values pass through BindValue on
// their way to the driver and through ResultValue on their way back.
type TypeDecorator interface {
	Type
	// Impl is the underlying type the database stores.
	Impl() Type
	// BindValue converts a Go value into the value sent to the driver.
	BindValue(v any) (any, error)
	// ResultValue converts a value read from the driver into the Go value
	// the caller sees.
	ResultValue(v any) (any, error)
}

// ImplType unwraps TypeDecorator layers down to the type the database stores.
func ImplType(t Type) Type {
	for i := 0; i < 16; i++ {
		d, ok := t.(TypeDecorator)
		if !ok {
			return t
		}
		t = d.Impl()
	}
	return t
}

// Integer is a 32-bit (or wider) signed integer: INTEGER.
type Integer struct{}

// BigInteger is a 64-bit signed integer: BIGINT (NUMBER(19) on Oracle).
type BigInteger struct{}

// SmallInteger is a 16-bit signed integer: SMALLINT.
type SmallInteger struct{}

// String is a variable-length character string: VARCHAR(Length). A zero Length
// renders VARCHAR without a length, which MySQL and Oracle reject in DDL.
// National asks for NVARCHAR / NVARCHAR2 where the dialect has it.
type String struct {
	Length    int
	Collation string
	National  bool
}

// Text is an unbounded character string: TEXT (CLOB on Oracle, NVARCHAR(max)
// on SQL Server).
type Text struct{ Collation string }

// Boolean is a true/false value. Dialects without a native boolean store it as
// an integer 0/1 (SMALLINT on Oracle, BIT on SQL Server, BOOLEAN affinity on
// SQLite). CreateConstraint adds a CHECK (x IN (0, 1)) on such dialects, as
// SQLAlchemy's create_constraint=True does.
type Boolean struct {
	CreateConstraint bool
	ConstraintName   string
}

// Float is an approximate floating point number: FLOAT / DOUBLE PRECISION.
// Precision is in binary digits where the dialect accepts it; zero leaves it
// off. Use [Numeric] for exact decimals.
type Float struct{ Precision int }

// Double is a double precision float: DOUBLE PRECISION (DOUBLE on MySQL,
// FLOAT(53) on SQL Server, BINARY_DOUBLE on Oracle).
type Double struct{}

// Numeric is an exact decimal number NUMERIC(Precision, Scale). Go values map
// to shopspring decimal.Decimal, never float64.
type Numeric struct {
	Precision int
	Scale     int
}

// Date is a calendar date.
type Date struct{}

// Time is a time of day. Timezone asks for TIME WITH TIME ZONE where it exists.
type Time struct{ Timezone bool }

// DateTime is a date and time. Timezone asks for TIMESTAMP WITH TIME ZONE
// (DATETIMEOFFSET on SQL Server); dialects without zone support store UTC.
type DateTime struct{ Timezone bool }

// Interval is a time span (Go time.Duration). PostgreSQL and Oracle have a
// native INTERVAL; elsewhere it is stored as a datetime offset from the epoch,
// as SQLAlchemy does.
type Interval struct{}

// LargeBinary is an unbounded byte string: BYTEA / BLOB / VARBINARY(max).
type LargeBinary struct{ Length int }

// JSON is a JSON document. Go values are marshalled with encoding/json.
type JSON struct{}

// Enum is a string restricted to Values. Native asks for a named enum type on
// PostgreSQL (CREATE TYPE Name AS ENUM) and MySQL's inline ENUM; elsewhere it is
// VARCHAR of the longest value, with a CHECK constraint when CreateConstraint
// is set.
type Enum struct {
	Name             string
	Values           []string
	Native           bool
	CreateConstraint bool
	Length           int
}

// UUID is a universally unique identifier (github.com/google/uuid): native UUID
// on PostgreSQL, UNIQUEIDENTIFIER on SQL Server, CHAR(32) elsewhere, as
// SQLAlchemy's generic Uuid.
type UUID struct{}

// Array is a PostgreSQL array of Item. Dimensions zero means one.
type Array struct {
	Item       Type
	Dimensions int
}

// NullType is the type of an expression whose type is unknown, such as a bare
// bound parameter with no column to take a type from.
type NullType struct{}

// TypeName implementations.
func (Integer) TypeName() string      { return "Integer" }
func (BigInteger) TypeName() string   { return "BigInteger" }
func (SmallInteger) TypeName() string { return "SmallInteger" }
func (t String) TypeName() string {
	if t.Length > 0 {
		return "String(" + itoa(t.Length) + ")"
	}
	return "String"
}
func (Text) TypeName() string    { return "Text" }
func (Boolean) TypeName() string { return "Boolean" }
func (t Float) TypeName() string {
	if t.Precision > 0 {
		return "Float(" + itoa(t.Precision) + ")"
	}
	return "Float"
}
func (Double) TypeName() string { return "Double" }
func (t Numeric) TypeName() string {
	if t.Precision > 0 {
		return "Numeric(" + itoa(t.Precision) + ", " + itoa(t.Scale) + ")"
	}
	return "Numeric"
}
func (Date) TypeName() string { return "Date" }
func (t Time) TypeName() string {
	if t.Timezone {
		return "Time(timezone)"
	}
	return "Time"
}
func (t DateTime) TypeName() string {
	if t.Timezone {
		return "DateTime(timezone)"
	}
	return "DateTime"
}
func (Interval) TypeName() string    { return "Interval" }
func (LargeBinary) TypeName() string { return "LargeBinary" }
func (JSON) TypeName() string        { return "JSON" }
func (t Enum) TypeName() string {
	return "Enum(" + t.Name + ": " + strings.Join(t.Values, ", ") + ")"
}
func (UUID) TypeName() string { return "UUID" }
func (t Array) TypeName() string {
	if t.Item == nil {
		return "Array(?)"
	}
	return "Array(" + t.Item.TypeName() + ")"
}
func (NullType) TypeName() string { return "NullType" }

// EnumLength is the VARCHAR length a non-native Enum is stored in.
func (t Enum) EnumLength() int {
	if t.Length > 0 {
		return t.Length
	}
	n := 0
	for _, v := range t.Values {
		if len(v) > n {
			n = len(v)
		}
	}
	return n
}

// typeAffinity classifies a type for operator rules (string concatenation,
// numeric arithmetic, boolean comparisons).
type affinity uint8

const (
	affOther affinity = iota
	affInteger
	affNumeric
	affString
	affBoolean
	affDateTime
	affJSON
	affArray
)

func typeAffinity(t Type) affinity {
	switch ImplType(t).(type) {
	case Integer, BigInteger, SmallInteger:
		return affInteger
	case Float, Double, Numeric:
		return affNumeric
	case String, Text, Enum:
		return affString
	case Boolean:
		return affBoolean
	case Date, Time, DateTime, Interval:
		return affDateTime
	case JSON:
		return affJSON
	case Array:
		return affArray
	}
	return affOther
}

func isNullType(t Type) bool {
	if t == nil {
		return true
	}
	_, ok := t.(NullType)
	return ok
}

func itoa(n int) string { return strconv.Itoa(n) }
