package core

import (
	"database/sql"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"unicode"
)

// Struct scanning: rows into structs by column name.
//
// A result column matches the exported field whose `db:"name"` tag is its
// name, or, without a tag, whose name in snake_case is (UserID → user_id,
// HTTPStatus → http_status). `db:"-"` excludes a field. Embedded structs
// (and pointers to structs, allocated when a column reaches them) are
// flattened, a shallower field winning over a deeper one of the same name,
// as Go's own field promotion does. A pointer, sql.Null[T], a sql.Null*
// type or any sql.Scanner field accepts NULL; a NULL read into any other
// field is an error naming the struct, the field and the column.
//
// Result columns with no field are ignored (a SELECT * into a struct
// describing part of a table works), and struct fields with no column keep
// their zero value: neither is an error. The plan mapping columns to field
// index paths is computed once per (struct type, column list) and cached;
// scanning a row does no reflection lookups beyond those paths.

// structField is one scannable field of a struct type.
type structField struct {
	name   string // Go name, dotted through embedded structs
	index  []int
	depth  int
	ptrHop bool // the path goes through an embedded pointer
}

// structPlan maps each result column to a field (nil index: ignored).
type structPlan struct {
	typ    reflect.Type
	fields []*structField
}

type planKey struct {
	t    reflect.Type
	cols string
}

var (
	structFieldCache sync.Map // reflect.Type -> map[string]*structField
	structPlanCache  sync.Map // planKey -> *structPlan
)

var scannerType = reflect.TypeOf((*sql.Scanner)(nil)).Elem()

// ToSnakeCase is the column name a struct field without a db tag matches.
func ToSnakeCase(s string) string {
	rs := []rune(s)
	var b strings.Builder
	b.Grow(len(s) + 4)
	for i, r := range rs {
		if unicode.IsUpper(r) {
			if i > 0 {
				prev := rs[i-1]
				nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
				if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
					b.WriteByte('_')
				}
			}
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// structFields returns the column-name → field map of a struct type.
func structFields(t reflect.Type) map[string]*structField {
	if m, ok := structFieldCache.Load(t); ok {
		return m.(map[string]*structField)
	}
	m := map[string]*structField{}
	ambiguous := map[string]int{} // depth at which a name is ambiguous
	var walk func(t reflect.Type, index []int, prefix string, depth int, ptr bool, seen map[reflect.Type]bool)
	walk = func(t reflect.Type, index []int, prefix string, depth int, ptr bool, seen map[reflect.Type]bool) {
		if seen[t] {
			return
		}
		seen[t] = true
		defer delete(seen, t)
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag, hasTag := f.Tag.Lookup("db")
			if tag == "-" {
				continue
			}
			if c := strings.IndexByte(tag, ','); c >= 0 {
				tag = tag[:c]
			}
			idx := append(append([]int(nil), index...), i)
			ft := f.Type
			if f.Anonymous && (!hasTag || tag == "") && isFlattenable(ft) {
				isPtr := ft.Kind() == reflect.Pointer
				if isPtr {
					ft = ft.Elem()
				}
				walk(ft, idx, prefix+f.Name+".", depth+1, ptr || isPtr, seen)
				continue
			}
			if !f.IsExported() {
				continue
			}
			name := tag
			if name == "" {
				name = ToSnakeCase(f.Name)
			}
			sf := &structField{name: prefix + f.Name, index: idx, depth: depth, ptrHop: ptr}
			if old, ok := m[name]; ok {
				if old.depth < depth {
					continue
				}
				if old.depth == depth {
					ambiguous[name] = depth
					continue
				}
			}
			if d, ok := ambiguous[name]; ok && d <= depth {
				continue
			}
			m[name] = sf
		}
	}
	walk(t, nil, "", 0, false, map[reflect.Type]bool{})
	for name, d := range ambiguous {
		if f, ok := m[name]; ok && f.depth == d {
			delete(m, name) // two fields at the same depth: neither wins, as in Go
		}
	}
	actual, _ := structFieldCache.LoadOrStore(t, m)
	return actual.(map[string]*structField)
}

func isFlattenable(t reflect.Type) bool {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || t == timeType {
		return false
	}
	if reflect.PointerTo(t).Implements(scannerType) {
		return false
	}
	return true
}

// planFor returns the cached plan for struct type t and the result's
// columns.
func (r *Result) planFor(t reflect.Type) *structPlan {
	p, _ := r.planAndDirect(t)
	return p
}

// planAndDirect returns the plan for struct type t and the result's
// columns, with its candidate direct plan (nil: none), cached per
// result, per cached statement and per column list.
func (r *Result) planAndDirect(t reflect.Type) (*structPlan, *directPlan) {
	if r.planType == t {
		return r.plan, r.cand
	}
	if r.shape != nil {
		if sp := r.shape.plans.Load(); sp != nil && sp.t == t {
			r.setPlan(t, sp.plan, sp.direct)
			return sp.plan, sp.direct
		}
	}
	key := planKey{t: t, cols: strings.Join(r.cols.names, "\x00")}
	var p *structPlan
	if v, ok := structPlanCache.Load(key); ok {
		p = v.(*structPlan)
	} else {
		fields := structFields(t)
		p = &structPlan{typ: t, fields: make([]*structField, len(r.cols.names))}
		for i, c := range r.cols.names {
			p.fields[i] = fields[c] // nil: no field, ignored
		}
		v, _ := structPlanCache.LoadOrStore(key, p)
		p = v.(*structPlan)
	}
	dp := r.newDirectPlan(p)
	if r.shape != nil {
		r.shape.plans.Store(&shapePlan{t: t, plan: p, direct: dp})
	}
	r.setPlan(t, p, dp)
	return p, dp
}

func (r *Result) setPlan(t reflect.Type, p *structPlan, dp *directPlan) {
	if r.planType != nil && r.cand != dp {
		r.directChecked, r.direct = false, nil
	}
	r.planType, r.plan, r.cand = t, p, dp
}

// ScanStruct scans the current row into dest, a pointer to a struct, by
// column name (see the rules at the top of this file).
func (r *Result) ScanStruct(dest any) error {
	if r.rows == nil {
		return ErrResultClosed
	}
	rv := reflect.ValueOf(dest)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return &ArgumentError{Msg: fmt.Sprintf("ScanStruct: destination %T is not a non-nil pointer to a struct", dest)}
	}
	return r.scanStruct(rv.Elem())
}

// scanStruct fills sv, an addressable struct value, from the current row.
func (r *Result) scanStruct(sv reflect.Value) error {
	return r.scanStructPlan(sv, r.planFor(sv.Type()))
}

// scanStructPlan is scanStruct with the plan of sv's type.
func (r *Result) scanStructPlan(sv reflect.Value, p *structPlan) error {
	for i, f := range p.fields {
		if f == nil {
			continue
		}
		v, err := r.value(i)
		if err != nil {
			return err
		}
		var fv reflect.Value
		if f.ptrHop {
			fv = fieldAlloc(sv, f.index)
		} else {
			fv = sv.FieldByIndex(f.index)
		}
		if err := assign(fv.Addr().Interface(), v, r.isJSON[i]); err != nil {
			return &ConversionError{
				Type: r.types[i].TypeName(), Column: r.cols.names[i], Value: v,
				Msg: fmt.Sprintf("scan into %s.%s (%s)", p.typ, f.name, fv.Type()),
				Err: err,
			}
		}
	}
	return nil
}

// fieldAlloc is FieldByIndex allocating nil embedded pointers on the way.
func fieldAlloc(v reflect.Value, index []int) reflect.Value {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v
}

// structTarget checks that T is a struct or a pointer to a struct.
func structTarget[T any](fn string) (isPtr bool, err error) {
	t := reflect.TypeFor[T]()
	if t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct && t.Elem() != timeType {
		return true, nil
	}
	if t.Kind() == reflect.Struct && t != timeType {
		return false, nil
	}
	return false, &ArgumentError{Msg: fmt.Sprintf("%s: %s is not a struct or a pointer to a struct (use Scalars for single values)", fn, t)}
}

// ScanAll scans every remaining row into a T (a struct, or a pointer to a
// struct) by column name, and closes the result.
func ScanAll[T any](r *Result) ([]T, error) {
	if r.rows == nil {
		return nil, ErrResultClosed
	}
	isPtr, err := structTarget[T]("ScanAll")
	if err != nil {
		r.Close()
		return nil, err
	}
	var out []T
	var zero T
	for r.advance() {
		out = append(out, zero)
		p := &out[len(out)-1]
		sv := reflect.ValueOf(p).Elem()
		if isPtr {
			sv.Set(reflect.New(sv.Type().Elem()))
			sv = sv.Elem()
		}
		ok, err := r.readStruct(sv)
		if err != nil {
			return nil, r.fail(err)
		}
		if !ok {
			out = out[:len(out)-1]
			break
		}
	}
	return out, r.err
}

// ScanOne scans the only row into a T (a struct, or a pointer to a
// struct): ErrNoResultFound when there is no row, ErrMultipleResultsFound
// when there are more. It closes the result.
func ScanOne[T any](r *Result) (T, error) {
	var x T
	if r.rows == nil {
		return x, ErrResultClosed
	}
	isPtr, err := structTarget[T]("ScanOne")
	if err != nil {
		r.Close()
		return x, err
	}
	defer r.Close()
	if !r.advance() {
		if r.err != nil {
			return x, r.err
		}
		return x, ErrNoResultFound
	}
	sv := reflect.ValueOf(&x).Elem()
	if isPtr {
		sv.Set(reflect.New(sv.Type().Elem()))
		sv = sv.Elem()
	}
	ok, err := r.readStruct(sv)
	if !ok {
		var zero T
		return zero, r.err
	}
	if err != nil {
		var zero T
		return zero, err
	}
	if r.Next() {
		var zero T
		return zero, ErrMultipleResultsFound
	}
	return x, r.err
}
