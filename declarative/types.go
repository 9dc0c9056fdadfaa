package declarative

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/retort-orm/retort/core"
)

// TypeNames lists the names the `type:` option accepts.
var TypeNames = []string{
	"integer", "int", "bigint", "smallint", "varchar", "string", "nvarchar", "text",
	"boolean", "bool", "float", "double", "numeric", "decimal", "date", "time", "timetz",
	"timestamp", "datetime", "timestamptz", "interval", "blob", "bytes", "json", "uuid", "enum",
}

// ParseType parses the value of a `type:` option into a core.Type:
//
//	integer | int, bigint, smallint
//	varchar | varchar(n) | string | string(n) | nvarchar(n)
//	text, boolean | bool, float | float(p), double
//	numeric | numeric(p) | numeric(p,s) | decimal(p,s)
//	date, time, timetz, timestamp | datetime, timestamptz, interval
//	blob | bytes | blob(n), json, uuid, enum(a,b,c)
//
// Names are case-insensitive. The error says what was expected.
func ParseType(s string) (core.Type, error) {
	src := s
	s = strings.TrimSpace(s)
	name, args, hasArgs := s, []string(nil), false
	if i := strings.IndexByte(s, '('); i >= 0 {
		if !strings.HasSuffix(s, ")") {
			return nil, fmt.Errorf("type %q: missing ')'", src)
		}
		name = strings.TrimSpace(s[:i])
		inner := strings.TrimSpace(s[i+1 : len(s)-1])
		hasArgs = true
		if inner != "" {
			args = splitList(inner)
		}
	}
	name = strings.ToLower(name)
	ints := func(maxN int) ([]int, error) {
		if len(args) > maxN {
			return nil, fmt.Errorf("type %q: %s takes at most %d arguments", src, name, maxN)
		}
		out := make([]int, len(args))
		for i, a := range args {
			n, err := strconv.Atoi(a)
			if err != nil || n < 0 {
				return nil, fmt.Errorf("type %q: argument %q of %s is not a non-negative integer", src, a, name)
			}
			out[i] = n
		}
		return out, nil
	}
	noArgs := func(t core.Type) (core.Type, error) {
		if hasArgs {
			return nil, fmt.Errorf("type %q: %s takes no arguments", src, name)
		}
		return t, nil
	}
	switch name {
	case "integer", "int":
		return noArgs(core.Integer{})
	case "bigint":
		return noArgs(core.BigInteger{})
	case "smallint":
		return noArgs(core.SmallInteger{})
	case "varchar", "string", "nvarchar":
		n, err := ints(1)
		if err != nil {
			return nil, err
		}
		t := core.String{National: name == "nvarchar"}
		if len(n) == 1 {
			t.Length = n[0]
		}
		return t, nil
	case "text":
		return noArgs(core.Text{})
	case "boolean", "bool":
		return noArgs(core.Boolean{})
	case "float":
		n, err := ints(1)
		if err != nil {
			return nil, err
		}
		t := core.Float{}
		if len(n) == 1 {
			t.Precision = n[0]
		}
		return t, nil
	case "double":
		return noArgs(core.Double{})
	case "numeric", "decimal":
		n, err := ints(2)
		if err != nil {
			return nil, err
		}
		t := core.Numeric{}
		if len(n) > 0 {
			t.Precision = n[0]
		}
		if len(n) > 1 {
			t.Scale = n[1]
			if t.Scale > t.Precision {
				return nil, fmt.Errorf("type %q: scale %d is larger than precision %d", src, t.Scale, t.Precision)
			}
		}
		return t, nil
	case "date":
		return noArgs(core.Date{})
	case "time":
		return noArgs(core.Time{})
	case "timetz":
		return noArgs(core.Time{Timezone: true})
	case "timestamp", "datetime":
		return noArgs(core.DateTime{})
	case "timestamptz":
		return noArgs(core.DateTime{Timezone: true})
	case "interval":
		return noArgs(core.Interval{})
	case "blob", "bytes":
		n, err := ints(1)
		if err != nil {
			return nil, err
		}
		t := core.LargeBinary{}
		if len(n) == 1 {
			t.Length = n[0]
		}
		return t, nil
	case "json":
		return noArgs(core.JSON{})
	case "uuid":
		return noArgs(core.UUID{})
	case "enum":
		if len(args) == 0 {
			return nil, fmt.Errorf("type %q: enum needs its values, e.g. enum(draft,published)", src)
		}
		seen := map[string]bool{}
		for _, a := range args {
			if a == "" {
				return nil, fmt.Errorf("type %q: enum has an empty value", src)
			}
			if seen[a] {
				return nil, fmt.Errorf("type %q: enum value %q is repeated", src, a)
			}
			seen[a] = true
		}
		return core.Enum{Values: args, CreateConstraint: true}, nil
	case "":
		return nil, fmt.Errorf("type %q: no type name", src)
	}
	msg := fmt.Sprintf("unknown type %q", name)
	if c := Closest(name, TypeNames); c != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", c)
	}
	return nil, fmt.Errorf("%s; known types: %s", msg, strings.Join(TypeNames, ", "))
}
