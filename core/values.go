package core

import (
	"bytes"
	"database/sql/driver"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// ValueConverter is an optional [Dialect] capability: per-dialect value
// processing between Go values and what the dialect's driver sends and
// returns. core applies its generic conversions (below) for whatever the
// converter leaves alone (ok false), so a dialect implements only what
// differs.
//
// t is always the storage type ([ImplType] of the column or parameter type,
// after any [TypeDecorator] has run); it is [NullType] when nothing is known.
//
// The generic conversions, and so the Go values results hold, are:
//
//	Integer, BigInteger, SmallInteger  int64
//	Float, Double                      float64
//	Numeric                            decimal.Decimal (bound as its exact text; never float64)
//	String, Text, Enum                 string ([]byte from the driver becomes a string)
//	Boolean                            bool (0/1 from the driver accepted)
//	Date, DateTime                     time.Time (UTC for DateTime{Timezone: true})
//	Time                               time.Time on 0000-01-01 UTC (bound as "15:04:05.999999")
//	Interval                           time.Duration (bound as the epoch plus the duration, as SQLAlchemy's non-native Interval)
//	LargeBinary                        []byte, always a copy the caller owns
//	JSON                               decoded by encoding/json into any (Row); Scan decodes into the destination
//	UUID                               uuid.UUID (bound as 32 hex digits without dashes, SQLAlchemy's CHAR(32))
type ValueConverter interface {
	// ConvertBind converts a parameter value v of type t into what the
	// driver takes.
	ConvertBind(t Type, v any) (out any, ok bool, err error)
	// ConvertResult converts a value read from the driver for a column of
	// type t into the Go value listed above.
	ConvertResult(t Type, v any) (out any, ok bool, err error)
}

// ScanHolder is an optional [Dialect] capability: the destination a driver
// scans a column of type t into, instead of an *any, and the function that
// reads the scanned value back out. PostgreSQL uses it to receive JSON as
// raw bytes (pgx would otherwise decode it, losing big numbers).
type ScanHolder interface {
	ScanHolder(t Type) (dest any, get func() any, ok bool)
}

// DecimalDigits is an optional [Dialect] capability: the number of
// significant decimal digits a Numeric column keeps exactly (SQLite keeps 15,
// because NUMERIC affinity stores REAL). Dialects without it keep the
// declared precision.
type DecimalDigits interface {
	DecimalDigits() int
}

// ConversionError reports a value that cannot be converted to or from its
// SQL type: an Enum value that is not one of its values, text that is not a
// decimal, a NULL read into a Go value that cannot hold it.
type ConversionError struct {
	// Type is the SQL type's name; Column the result column, when known.
	Type   string
	Column string
	// Value is the offending value (nil for a NULL).
	Value any
	Msg   string
	Err   error
}

func (e *ConversionError) Error() string {
	var b strings.Builder
	b.WriteString("retort: ")
	if e.Column != "" {
		b.WriteString("column ")
		b.WriteString(strconv.Quote(e.Column))
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *ConversionError) Unwrap() error { return e.Err }

// ErrNull is wrapped by the error of a NULL read into a Go value that cannot
// hold it (use a pointer, sql.Null[T] or a sql.Null* type).
var ErrNull = errors.New("NULL into a non-nullable destination")

// Epoch is the zero of an Interval stored as a datetime (1970-01-01 UTC).
var Epoch = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)

// DateTimeLayout is how DateTime is written as text where the database
// stores text (SQLite), as SQLAlchemy does.
const DateTimeLayout = "2006-01-02 15:04:05.000000"

// DateLayout and TimeLayout are the text forms of Date and Time.
const (
	DateLayout = "2006-01-02"
	TimeLayout = "15:04:05.000000"
)

// ProcessArgs converts bound values for the driver: each value goes through
// its type's [TypeDecorator] BindValue, Enum validation and the dialect's
// [ValueConverter], then the generic conversions. types, when given, are the
// parameters' SQL types in the same order (a compiled statement's
// [Compiled.ArgTypes]); without them a value's type is inferred from its Go
// type. The args slice is never modified: a new slice is returned only when a
// value changed, so a statement of plain values converts without allocating.
func ProcessArgs(d Dialect, args []any, types ...Type) ([]any, error) {
	vc, _ := d.(ValueConverter)
	var out []any
	for i, a := range args {
		var t Type
		if i < len(types) {
			t = types[i]
		}
		switch a.(type) {
		case NamedParam, OutParam:
			continue
		}
		var v any
		if isPlainValue(a) && (t == nil || simpleBindType(t)) {
			// bindValue of a plain value of a simple type changes
			// nothing but what the dialect's converter does
			if t == nil || a == nil || vc == nil {
				continue
			}
			cv, ok, err := vc.ConvertBind(t, a)
			if err != nil {
				return nil, &ConversionError{Type: t.TypeName(), Value: a, Msg: "bind value for " + t.TypeName(), Err: err}
			}
			if !ok {
				continue
			}
			v = cv
		} else {
			var err error
			if v, err = bindValue(vc, t, a); err != nil {
				return nil, err
			}
		}
		if out == nil && !sameValue(v, a) {
			out = make([]any, len(args))
			copy(out, args)
		}
		if out != nil {
			out[i] = v
		}
	}
	if out == nil {
		return args, nil
	}
	return out, nil
}

// simpleBindType reports the types whose generic bind conversion leaves a
// plain value ([isPlainValue]) as it is.
func simpleBindType(t Type) bool {
	switch t.(type) {
	case String, Text, Integer, BigInteger, SmallInteger, Float:
		return true
	}
	return false
}

// isPlainValue reports values every driver takes as they are.
func isPlainValue(v any) bool {
	switch v.(type) {
	case nil, int64, int, int32, string, float64, NamedParam:
		return true
	}
	return false
}

// sameValue is a cheap identity test: true only for values known unchanged.
func sameValue(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case int64:
		y, ok := b.(int64)
		return ok && x == y
	case int:
		y, ok := b.(int)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case float64:
		y, ok := b.(float64)
		return ok && (x == y || (x != x && y != y))
	}
	return false
}

// BindValue converts one value of SQL type t for dialect d, as
// [ProcessArgs] does.
func BindValue(d Dialect, t Type, v any) (any, error) {
	vc, _ := d.(ValueConverter)
	return bindValue(vc, t, v)
}

func bindValue(vc ValueConverter, t Type, v any) (any, error) {
	// TypeDecorator layers, outermost first.
	for i := 0; i < 16; i++ {
		td, ok := t.(TypeDecorator)
		if !ok {
			break
		}
		var err error
		if v, err = td.BindValue(v); err != nil {
			return nil, &ConversionError{Type: td.TypeName(), Value: v, Msg: "bind value for " + td.TypeName(), Err: err}
		}
		t = td.Impl()
	}
	v = derefValue(v)
	if v == nil {
		return nil, nil
	}
	if isNullType(t) {
		t = inferValueType(v)
	}
	if e, ok := t.(Enum); ok {
		if err := checkEnum(e, v); err != nil {
			return nil, err
		}
	}
	if vc != nil {
		out, ok, err := vc.ConvertBind(t, v)
		if err != nil {
			return nil, &ConversionError{Type: t.TypeName(), Value: v, Msg: "bind value for " + t.TypeName(), Err: err}
		}
		if ok {
			return out, nil
		}
	}
	out, err := genericBind(t, v)
	if err != nil {
		return nil, &ConversionError{Type: t.TypeName(), Value: v, Msg: "bind value for " + t.TypeName(), Err: err}
	}
	return out, nil
}

// derefValue unwraps pointers and driver.Valuer-style null wrappers of the
// types Retort knows, so converters see plain values.
func derefValue(v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case decimal.NullDecimal:
		if !x.Valid {
			return nil
		}
		return x.Decimal
	case uuid.NullUUID:
		if !x.Valid {
			return nil
		}
		return x.UUID
	case *decimal.Decimal:
		if x == nil {
			return nil
		}
		return *x
	case *uuid.UUID:
		if x == nil {
			return nil
		}
		return *x
	case *string:
		if x == nil {
			return nil
		}
		return *x
	case *int64:
		if x == nil {
			return nil
		}
		return *x
	case *time.Time:
		if x == nil {
			return nil
		}
		return *x
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil
		}
		if _, isValuer := v.(driver.Valuer); !isValuer {
			return derefValue(rv.Elem().Interface())
		}
	}
	return v
}

func checkEnum(e Enum, v any) error {
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case fmt.Stringer:
		s = x.String()
	default:
		rv := reflect.ValueOf(v)
		if rv.Kind() != reflect.String {
			return &ConversionError{Type: e.TypeName(), Value: v, Msg: fmt.Sprintf("enum %q: value %v of Go type %T is not a string", e.Name, v, v)}
		}
		s = rv.String()
	}
	for _, ok := range e.Values {
		if ok == s {
			return nil
		}
	}
	return &ConversionError{Type: e.TypeName(), Value: v, Msg: fmt.Sprintf("enum %q: invalid value %q (allowed: %s)", e.Name, s, strings.Join(e.Values, ", "))}
}

// genericBind is the conversion every dialect gets unless its
// ValueConverter handled the value.
func genericBind(t Type, v any) (any, error) {
	switch t := t.(type) {
	case Numeric:
		switch x := v.(type) {
		case decimal.Decimal:
			return x.String(), nil
		case float64, float32:
			return nil, fmt.Errorf("Numeric takes decimal.Decimal, an integer or a string, not %T (float64 is inexact)", v)
		}
	case UUID:
		switch x := v.(type) {
		case uuid.UUID:
			return hex.EncodeToString(x[:]), nil
		case [16]byte:
			return hex.EncodeToString(x[:]), nil
		case string:
			u, err := uuid.Parse(x)
			if err != nil {
				return nil, err
			}
			return hex.EncodeToString(u[:]), nil
		}
	case JSON:
		switch x := v.(type) {
		case json.RawMessage:
			return string(x), nil
		}
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		return string(b), nil
	case Interval:
		if d, ok := v.(time.Duration); ok {
			return Epoch.Add(d), nil
		}
	case Date:
		if tm, ok := v.(time.Time); ok {
			y, m, dd := tm.Date()
			return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC), nil
		}
	case Time:
		if tm, ok := v.(time.Time); ok {
			if t.Timezone {
				return tm.Format("15:04:05.000000-07:00"), nil
			}
			return tm.Format(TimeLayout), nil
		}
	case DateTime:
		if tm, ok := v.(time.Time); ok && t.Timezone {
			return tm.UTC(), nil
		}
	case Enum:
		return enumString(v), nil
	case String, Text:
		if _, ok := v.(string); !ok {
			if rv := reflect.ValueOf(v); rv.Kind() == reflect.String {
				return rv.String(), nil
			}
		}
	}
	return normalizeKind(v), nil
}

func enumString(v any) any {
	switch x := v.(type) {
	case string:
		return x
	case fmt.Stringer:
		return x.String()
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.String {
		return rv.String()
	}
	return v
}

// normalizeKind turns named basic types (type Status int) into the basic
// value the driver takes; other values pass unchanged.
func normalizeKind(v any) any {
	switch v.(type) {
	case int64, int, int32, int16, int8, uint8, uint16, uint32, string, bool, float64, float32, []byte, time.Time, time.Duration:
		return v
	case driver.Valuer:
		return v
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return rv.Uint()
	case reflect.String:
		return rv.String()
	case reflect.Bool:
		return rv.Bool()
	case reflect.Float32, reflect.Float64:
		return rv.Float()
	case reflect.Slice:
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			return rv.Bytes()
		}
	}
	return v
}

// ---------------------------------------------------------------- results

// resultValue converts a driver value for a column of type t (outer type,
// decorators included) into the Go value rows hold. JSON stays raw
// (json.RawMessage) here; rows decode it, Scan decodes into the
// destination.
func resultValue(vc ValueConverter, t Type, v any) (any, error) {
	if v == nil {
		if td, ok := t.(TypeDecorator); ok {
			return decoratorResult(vc, td, nil)
		}
		return nil, nil
	}
	if td, ok := t.(TypeDecorator); ok {
		return decoratorResult(vc, td, v)
	}
	return storageResult(vc, t, v)
}

func decoratorResult(vc ValueConverter, td TypeDecorator, v any) (any, error) {
	inner, err := resultValue(vc, td.Impl(), v)
	if err != nil {
		return nil, err
	}
	if raw, ok := inner.(json.RawMessage); ok {
		var x any
		if err := json.Unmarshal(raw, &x); err != nil {
			return nil, err
		}
		inner = x
	}
	out, err := td.ResultValue(inner)
	if err != nil {
		return nil, &ConversionError{Type: td.TypeName(), Value: inner, Msg: "result value for " + td.TypeName(), Err: err}
	}
	return out, nil
}

func storageResult(vc ValueConverter, t Type, v any) (any, error) {
	if t == nil {
		t = NullType{}
	}
	if vc != nil {
		out, ok, err := vc.ConvertResult(t, v)
		if err != nil {
			return nil, &ConversionError{Type: t.TypeName(), Value: v, Msg: "result value for " + t.TypeName(), Err: err}
		}
		if ok {
			return out, nil
		}
	}
	out, err := genericResult(t, v)
	if err != nil {
		return nil, &ConversionError{Type: t.TypeName(), Value: v, Msg: "result value for " + t.TypeName(), Err: err}
	}
	return out, nil
}

// GenericResult is core's own conversion of a driver value for storage
// type t, for a [ValueConverter] that wants to pre-process a value and hand
// the rest back.
func GenericResult(t Type, v any) (any, error) { return genericResult(t, v) }

func genericResult(t Type, v any) (any, error) {
	switch t := t.(type) {
	case Integer, BigInteger, SmallInteger:
		return toInt64(v)
	case Float, Double:
		if _, ok := v.(float64); ok {
			return v, nil
		}
		return toFloat64(v)
	case Numeric:
		return toDecimal(v)
	case String, Text, Enum:
		switch x := v.(type) {
		case string:
			return v, nil
		case []byte:
			return string(x), nil
		}
		return v, nil
	case Boolean:
		if _, ok := v.(bool); ok {
			return v, nil
		}
		return toBool(v)
	case DateTime:
		tm, err := toTime(v, t.Timezone)
		if err != nil {
			return nil, err
		}
		if t.Timezone {
			tm = tm.UTC()
		}
		return tm, nil
	case Date:
		tm, err := toTime(v, false)
		if err != nil {
			return nil, err
		}
		y, m, d := tm.Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
	case Time:
		return toTimeOfDay(v)
	case Interval:
		return toDuration(v)
	case LargeBinary:
		switch x := v.(type) {
		case []byte:
			if x == nil {
				return []byte{}, nil // a zero-length BLOB, not NULL
			}
			return bytes.Clone(x), nil
		case string:
			return []byte(x), nil
		}
		return v, nil
	case JSON:
		switch x := v.(type) {
		case []byte:
			return json.RawMessage(bytes.Clone(x)), nil
		case string:
			return json.RawMessage(x), nil
		case json.RawMessage:
			return x, nil
		}
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		return json.RawMessage(b), nil
	case UUID:
		return toUUID(v)
	}
	// no type known: copy bytes, widen integers and floats as database/sql does
	switch x := v.(type) {
	case []byte:
		return bytes.Clone(x), nil
	case int32:
		return int64(x), nil
	case int16:
		return int64(x), nil
	case int8:
		return int64(x), nil
	case float32:
		return float64(x), nil
	}
	return v, nil
}

func toInt64(v any) (any, error) {
	switch x := v.(type) {
	case int64:
		return v, nil
	case int32:
		return int64(x), nil
	case int16:
		return int64(x), nil
	case int8:
		return int64(x), nil
	case int:
		return int64(x), nil
	case uint64:
		if x > math.MaxInt64 {
			return nil, fmt.Errorf("%d overflows int64", x)
		}
		return int64(x), nil
	case uint32:
		return int64(x), nil
	case float64:
		if x != math.Trunc(x) || x < math.MinInt64 || x >= math.MaxInt64 {
			return nil, fmt.Errorf("%v is not an int64", x)
		}
		return int64(x), nil
	case bool:
		if x {
			return int64(1), nil
		}
		return int64(0), nil
	case []byte:
		return strconv.ParseInt(string(x), 10, 64)
	case string:
		return strconv.ParseInt(x, 10, 64)
	case decimal.Decimal:
		if !x.IsInteger() {
			return nil, fmt.Errorf("%s is not an integer", x)
		}
		return x.IntPart(), nil
	}
	return nil, fmt.Errorf("cannot read %T as an integer", v)
}

func toFloat64(v any) (any, error) {
	switch x := v.(type) {
	case float64:
		return v, nil
	case float32:
		return float64(x), nil
	case int64:
		return float64(x), nil
	case []byte:
		return strconv.ParseFloat(string(x), 64)
	case string:
		return strconv.ParseFloat(x, 64)
	case decimal.Decimal:
		f, _ := x.Float64()
		return f, nil
	}
	return nil, fmt.Errorf("cannot read %T as a float", v)
}

func toDecimal(v any) (any, error) {
	switch x := v.(type) {
	case decimal.Decimal:
		return x, nil
	case []byte:
		return decimal.NewFromString(string(x))
	case string:
		return decimal.NewFromString(x)
	case int64:
		return decimal.NewFromInt(x), nil
	case int32:
		return decimal.NewFromInt(int64(x)), nil
	case float64:
		// SQLite's NUMERIC affinity stores REAL: take the shortest text
		// that reads back as the same float.
		return decimal.NewFromString(strconv.FormatFloat(x, 'g', -1, 64))
	}
	return nil, fmt.Errorf("cannot read %T as a decimal", v)
}

func toBool(v any) (any, error) {
	switch x := v.(type) {
	case bool:
		return x, nil
	case int64:
		return x != 0, nil
	case int32:
		return x != 0, nil
	case int16:
		return x != 0, nil
	case int8:
		return x != 0, nil
	case float64:
		return x != 0, nil
	case []byte:
		return strconv.ParseBool(string(x))
	case string:
		return strconv.ParseBool(x)
	}
	return nil, fmt.Errorf("cannot read %T as a boolean", v)
}

var timeLayouts = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02",
}

// ParseDateTime reads the text forms of a date and time databases return
// (with or without a zone, 'T' or space, fractions of any length). A time
// without a zone is UTC.
func ParseDateTime(s string) (time.Time, error) {
	for _, l := range timeLayouts {
		if tm, err := time.Parse(l, s); err == nil {
			return tm, nil
		}
	}
	return time.Time{}, fmt.Errorf("cannot parse %q as a date and time", s)
}

func toTime(v any, tz bool) (time.Time, error) {
	switch x := v.(type) {
	case time.Time:
		return x, nil
	case string:
		return ParseDateTime(x)
	case []byte:
		return ParseDateTime(string(x))
	}
	return time.Time{}, fmt.Errorf("cannot read %T as a time", v)
}

// ParseTimeOfDay reads "15:04:05[.ffffff][zone]" into a time.Time on
// 0000-01-01.
func ParseTimeOfDay(s string) (time.Time, error) {
	for _, l := range []string{"15:04:05.999999999-07:00", "15:04:05.999999999Z07:00", "15:04:05.999999999", "15:04"} {
		if tm, err := time.Parse(l, s); err == nil {
			return tm, nil
		}
	}
	// a full date and time: keep the clock
	if tm, err := ParseDateTime(s); err == nil {
		return TimeOfDay(tm), nil
	}
	return time.Time{}, fmt.Errorf("cannot parse %q as a time of day", s)
}

// TimeOfDay is tm's clock on 0000-01-01, in tm's location.
func TimeOfDay(tm time.Time) time.Time {
	return time.Date(0, 1, 1, tm.Hour(), tm.Minute(), tm.Second(), tm.Nanosecond(), tm.Location())
}

func toTimeOfDay(v any) (any, error) {
	switch x := v.(type) {
	case time.Time:
		return TimeOfDay(x), nil
	case string:
		return ParseTimeOfDay(x)
	case []byte:
		return ParseTimeOfDay(string(x))
	case time.Duration:
		return time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC).Add(x), nil
	case int64: // microseconds since midnight
		return time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(x) * time.Microsecond), nil
	}
	return nil, fmt.Errorf("cannot read %T as a time of day", v)
}

func toDuration(v any) (any, error) {
	switch x := v.(type) {
	case time.Duration:
		return x, nil
	case time.Time:
		return x.Sub(Epoch), nil
	case string, []byte:
		s, _ := x.(string)
		if b, ok := x.([]byte); ok {
			s = string(b)
		}
		tm, err := ParseDateTime(s)
		if err != nil {
			return nil, err
		}
		return tm.Sub(Epoch), nil
	case int64: // microseconds
		return time.Duration(x) * time.Microsecond, nil
	}
	return nil, fmt.Errorf("cannot read %T as an interval", v)
}

func toUUID(v any) (any, error) {
	switch x := v.(type) {
	case uuid.UUID:
		return x, nil
	case [16]byte:
		return uuid.UUID(x), nil
	case string:
		return uuid.Parse(x)
	case []byte:
		if len(x) == 16 {
			return uuid.FromBytes(x)
		}
		return uuid.ParseBytes(x)
	}
	return nil, fmt.Errorf("cannot read %T as a UUID", v)
}

// ---------------------------------------------------------------- assignment

// assign stores a converted result value into dest, a pointer. json marks a
// JSON column, whose text is decoded into the destination with
// encoding/json, except that *json.RawMessage and *[]byte receive the raw
// text and an sql.Scanner receives it as []byte.
func assign(dest any, v any, isJSON bool) error {
	if n, ok := dest.(*NullOK); ok {
		n.Null = v == nil
		if v == nil {
			if rv := reflect.ValueOf(n.Dest); rv.Kind() == reflect.Pointer && !rv.IsNil() {
				rv.Elem().SetZero()
			}
			return nil
		}
		return assign(n.Dest, v, isJSON)
	}
	if isJSON {
		if raw, ok := v.(json.RawMessage); ok {
			return assignJSON(dest, raw)
		}
	}
	switch d := dest.(type) {
	case *any:
		*d = v
		return nil
	case *int64:
		if x, ok := v.(int64); ok {
			*d = x
			return nil
		}
	case *string:
		if x, ok := v.(string); ok {
			*d = x
			return nil
		}
	case *int:
		if x, ok := v.(int64); ok {
			*d = int(x)
			return nil
		}
	case *int32:
		if x, ok := v.(int64); ok {
			if x < math.MinInt32 || x > math.MaxInt32 {
				return fmt.Errorf("value %d overflows int32", x)
			}
			*d = int32(x)
			return nil
		}
	case *bool:
		if x, ok := v.(bool); ok {
			*d = x
			return nil
		}
	case *float64:
		if x, ok := v.(float64); ok {
			*d = x
			return nil
		}
	case *time.Time:
		if x, ok := v.(time.Time); ok {
			*d = x
			return nil
		}
	case *[]byte:
		switch x := v.(type) {
		case []byte:
			*d = x
			return nil
		case nil:
			*d = nil
			return nil
		case string:
			*d = []byte(x)
			return nil
		}
	case *decimal.Decimal:
		if x, ok := v.(decimal.Decimal); ok {
			*d = x
			return nil
		}
	case *uuid.UUID:
		if x, ok := v.(uuid.UUID); ok {
			*d = x
			return nil
		}
	case *time.Duration:
		if x, ok := v.(time.Duration); ok {
			*d = x
			return nil
		}
	}
	if v == nil {
		return assignNull(dest)
	}
	if sc, ok := dest.(interface{ Scan(any) error }); ok {
		return sc.Scan(driverValue(v))
	}
	return assignReflect(dest, v)
}

func assignJSON(dest any, raw json.RawMessage) error {
	switch d := dest.(type) {
	case *json.RawMessage:
		*d = raw
		return nil
	case *[]byte:
		*d = []byte(raw)
		return nil
	}
	if sc, ok := dest.(interface{ Scan(any) error }); ok {
		return sc.Scan([]byte(raw))
	}
	return json.Unmarshal(raw, dest)
}

func assignNull(dest any) error {
	if sc, ok := dest.(interface{ Scan(any) error }); ok {
		return sc.Scan(nil)
	}
	rv := reflect.ValueOf(dest)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("destination %T is not a non-nil pointer", dest)
	}
	e := rv.Elem()
	switch e.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Map:
		e.SetZero()
		return nil
	}
	return fmt.Errorf("%w of type %s (use a pointer or sql.Null[T])", ErrNull, e.Type())
}

// driverValue turns a converted value into a database/sql driver.Value for
// sql.Scanner destinations.
func driverValue(v any) any {
	switch x := v.(type) {
	case decimal.Decimal:
		return x.String()
	case uuid.UUID:
		return x.String()
	case time.Duration:
		return int64(x)
	case json.RawMessage:
		return []byte(x)
	}
	return v
}

func assignReflect(dest any, v any) error {
	rv := reflect.ValueOf(dest)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("destination %T is not a non-nil pointer", dest)
	}
	e := rv.Elem()
	if e.Kind() == reflect.Pointer {
		nv := reflect.New(e.Type().Elem())
		if err := assign(nv.Interface(), v, false); err != nil {
			return err
		}
		e.Set(nv)
		return nil
	}
	sv := reflect.ValueOf(v)
	if sv.Type().AssignableTo(e.Type()) {
		e.Set(sv)
		return nil
	}
	switch e.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		var n int64
		switch x := v.(type) {
		case int64:
			n = x
		case time.Duration:
			n = int64(x)
		case bool:
			if x {
				n = 1
			}
		default:
			return cannotAssign(dest, v)
		}
		if e.OverflowInt(n) {
			return fmt.Errorf("value %d overflows %s", n, e.Type())
		}
		e.SetInt(n)
		return nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		x, ok := v.(int64)
		if !ok || x < 0 || e.OverflowUint(uint64(x)) {
			return cannotAssign(dest, v)
		}
		e.SetUint(uint64(x))
		return nil
	case reflect.Float32, reflect.Float64:
		switch x := v.(type) {
		case float64:
			e.SetFloat(x)
		case int64:
			e.SetFloat(float64(x))
		case decimal.Decimal:
			f, _ := x.Float64()
			e.SetFloat(f)
		default:
			return cannotAssign(dest, v)
		}
		return nil
	case reflect.String:
		switch x := v.(type) {
		case string:
			e.SetString(x)
		case []byte:
			e.SetString(string(x))
		case decimal.Decimal:
			e.SetString(x.String())
		case uuid.UUID:
			e.SetString(x.String())
		case int64:
			e.SetString(strconv.FormatInt(x, 10))
		default:
			return cannotAssign(dest, v)
		}
		return nil
	case reflect.Bool:
		if x, ok := v.(bool); ok {
			e.SetBool(x)
			return nil
		}
	case reflect.Slice:
		if e.Type().Elem().Kind() == reflect.Uint8 {
			switch x := v.(type) {
			case []byte:
				e.SetBytes(x)
				return nil
			case string:
				e.SetBytes([]byte(x))
				return nil
			}
		}
	}
	if sv.Type().ConvertibleTo(e.Type()) && sv.Kind() == e.Kind() {
		e.Set(sv.Convert(e.Type()))
		return nil
	}
	return cannotAssign(dest, v)
}

func cannotAssign(dest, v any) error {
	return fmt.Errorf("cannot store %T into %T", v, dest)
}

// NullOK is a scan destination that takes a NULL into a destination that
// does not accept one (an int64 field, say): the NULL leaves Dest at its
// zero value and sets Null. The ORM reads the columns of an outer-joined
// entity through it, where a row without a match has NULL in every
// column.
type NullOK struct {
	Dest any
	Null bool
}
