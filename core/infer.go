package core

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"reflect"
	"time"
)

var (
	timeType     = reflect.TypeOf(time.Time{})
	durationType = reflect.TypeOf(time.Duration(0))
	bytesType    = reflect.TypeOf([]byte(nil))
	rawJSONType  = reflect.TypeOf(json.RawMessage(nil))
)

// TypeOf infers the SQL type for a Go type, and whether the Go type can
// hold NULL (pointers, sql.Null*, and types the driver treats as nullable).
//
//	int, int32 … → Integer (int64, int, uint32 → BigInteger; int16/int8 → SmallInteger)
//	string → String; bool → Boolean; float32/float64 → Double
//	time.Time → DateTime; time.Duration → Interval; []byte → LargeBinary
//	a type named Decimal (shopspring, apd) → Numeric
//	a [16]byte type named UUID (google/uuid) → UUID
//	json.RawMessage, maps, and structs that are not the types above → JSON
//	*T and sql.Null[T] / sql.NullString … → T's type, nullable
//
// It returns an error naming the Go type when there is no inference (use
// an explicit type override there).
func TypeOf(t reflect.Type) (typ Type, nullable bool, err error) {
	if t == nil {
		return nil, false, &ArgumentError{Msg: "no Go type to infer an SQL type from"}
	}
	if t.Kind() == reflect.Pointer {
		inner, _, err := TypeOf(t.Elem())
		return inner, true, err
	}
	switch t {
	case timeType:
		return DateTime{}, false, nil
	case durationType:
		return Interval{}, false, nil
	case bytesType:
		return LargeBinary{}, false, nil
	case rawJSONType:
		return JSON{}, false, nil
	}
	if nt, ok := nullInner(t); ok {
		inner, _, err := TypeOf(nt)
		return inner, true, err
	}
	name := t.Name()
	switch {
	case name == "Decimal" || name == "NullDecimal":
		return Numeric{}, name == "NullDecimal", nil
	case (name == "UUID" || name == "NullUUID") && (t.Kind() == reflect.Array || t.Kind() == reflect.Struct):
		return UUID{}, name == "NullUUID", nil
	}
	switch t.Kind() {
	case reflect.Int64, reflect.Int, reflect.Uint32, reflect.Uint, reflect.Uint64:
		return BigInteger{}, false, nil
	case reflect.Int32, reflect.Uint16:
		return Integer{}, false, nil
	case reflect.Int16, reflect.Int8, reflect.Uint8:
		return SmallInteger{}, false, nil
	case reflect.String:
		return String{}, false, nil
	case reflect.Bool:
		return Boolean{}, false, nil
	case reflect.Float32, reflect.Float64:
		return Double{}, false, nil
	case reflect.Map, reflect.Struct:
		return JSON{}, t.Kind() == reflect.Map, nil
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return LargeBinary{}, true, nil
		}
		return JSON{}, true, nil
	}
	return nil, false, &ArgumentError{Msg: fmt.Sprintf("no SQL type is known for Go type %s; give the type explicitly", t)}
}

// nullInner returns T for sql.Null[T] and the typed sql.Null* structs.
func nullInner(t reflect.Type) (reflect.Type, bool) {
	if t.Kind() != reflect.Struct || t.PkgPath() != "database/sql" {
		return nil, false
	}
	if t.NumField() == 2 && t.Field(1).Name == "Valid" {
		return t.Field(0).Type, true
	}
	return nil, false
}

var _ = sql.NullString{}

// inferValueType is the type of a bound Go value without a column to take
// one from.
func inferValueType(v any) Type {
	if v == nil {
		return NullType{}
	}
	switch v.(type) {
	case int, int64:
		return BigInteger{}
	case int32:
		return Integer{}
	case string:
		return String{}
	case bool:
		return Boolean{}
	case float64, float32:
		return Double{}
	case time.Time:
		return DateTime{}
	case []byte:
		return LargeBinary{}
	}
	t, _, err := TypeOf(reflect.TypeOf(v))
	if err != nil {
		return NullType{}
	}
	return t
}
