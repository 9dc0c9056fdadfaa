package core

import (
	"fmt"
	"reflect"
	"unsafe"
)

// DirectKind is the Go type a [DirectRows] column is read into.
type DirectKind uint8

// The kinds of [DirectRows].
const (
	DirectNone    DirectKind = iota // not read directly
	DirectInt64                     // *int64
	DirectString                    // *string
	DirectBool                      // *bool
	DirectFloat64                   // *float64
)

// DirectRows is implemented by [DriverRows] that can read integer and
// string columns straight into struct fields, skipping the boxing into any
// and the conversion of the generic path. It is an optimisation only: the
// value written must be the one the generic path would store.
type DirectRows interface {
	// DirectOK reports whether column i, whose SQL type calls for kind,
	// holds a database type that ScanDirect reads into kind with the
	// value the generic path would give.
	DirectOK(i int, kind DirectKind) bool
	// ScanDirect reads the current row: dest holds one *int64, *string,
	// *bool, *float64 or nil (skip) per column. It returns false, nil without writing when
	// a value is NULL, the row then still readable with Scan.
	ScanDirect(dest []any) (bool, error)
}

// DirectField is a column read straight into a struct field: the field
// is Off bytes into the struct and of Kind's Go type (DirectNone: the
// column is skipped).
type DirectField struct {
	Off  uintptr
	Kind DirectKind
}

// DirectAtRows is implemented by [DirectRows] that can also read a row
// into the fields of one struct given by offsets, with no destination
// pointer per column: what a row loader of structs does on every row.
type DirectAtRows interface {
	DirectRows
	// ScanDirectAt is ScanDirect of the current row into the fields of
	// the struct at base: false, nil without writing when a value is NULL.
	ScanDirectAt(base unsafe.Pointer, fields []DirectField) (bool, error)
}

// NextScanAt moves to the next row and reads it into the fields of the
// struct at base, one field per column (as NextScan does with pointers to
// them): straight from the driver when it can (DirectAtRows) and the
// columns' types allow, otherwise (or for a row with a NULL) through Scan.
// fields must be the same on every call for one Result. It returns false
// at the end of the rows or when reading failed (see Err); err is a
// conversion error of the row.
func (r *Result) NextScanAt(base unsafe.Pointer, fields []DirectField) (bool, error) {
	if more, err := r.nextRow(len(fields), "NextScanAt", "fields"); !more {
		return false, err
	}
	if !r.atSet {
		r.atSet, r.atOK = true, r.directAtOK(fields)
	}
	if r.atOK {
		done, err := r.rows.(DirectAtRows).ScanDirectAt(base, fields)
		if err != nil {
			r.finish(r.driverErr(err))
			return false, nil
		}
		if done {
			return true, nil
		}
		// a NULL: the row is read the generic way
	}
	if r.atDests == nil {
		r.atDests = make([]any, len(fields))
	}
	for i, f := range fields {
		r.atDests[i] = f.Kind.ptrAt(base, f.Off)
	}
	if !r.scanRow() {
		return false, nil
	}
	return true, r.Scan(r.atDests...)
}

// ptrAt is a pointer of k's Go type to the field off bytes into the
// struct at base (nil for DirectNone).
func (k DirectKind) ptrAt(base unsafe.Pointer, off uintptr) any {
	switch k {
	case DirectInt64:
		return (*int64)(unsafe.Add(base, off))
	case DirectString:
		return (*string)(unsafe.Add(base, off))
	case DirectBool:
		return (*bool)(unsafe.Add(base, off))
	case DirectFloat64:
		return (*float64)(unsafe.Add(base, off))
	}
	return nil
}

// goType is k's Go type (nil for DirectNone).
func (k DirectKind) goType() reflect.Type {
	switch k {
	case DirectInt64:
		return int64Type
	case DirectString:
		return stringType
	case DirectBool:
		return boolType
	case DirectFloat64:
		return float64Type
	}
	return nil
}

// directAtOK reports whether the driver reads r's rows into fields as
// the generic path would.
func (r *Result) directAtOK(fields []DirectField) bool {
	dr, ok := r.rows.(DirectAtRows)
	if !ok || r.getters != nil {
		return false
	}
	for i, f := range fields {
		if f.Kind == DirectNone {
			continue
		}
		if directKindOf(r.types[i], f.Kind.goType()) != f.Kind || r.isJSON[i] || !dr.DirectOK(i, f.Kind) {
			return false
		}
	}
	return true
}

// directPlan is how a struct plan reads a row straight from the driver.
type directPlan struct {
	cols []directCol
}

type directCol struct {
	kind DirectKind
	off  uintptr
}

var (
	int64Type   = reflect.TypeFor[int64]()
	stringType  = reflect.TypeFor[string]()
	boolType    = reflect.TypeFor[bool]()
	float64Type = reflect.TypeFor[float64]()
)

// directKindOf is the kind a column of type t read into a field of type ft
// takes, or DirectNone.
func directKindOf(t Type, ft reflect.Type) DirectKind {
	switch t.(type) {
	case Integer, BigInteger, SmallInteger:
		if ft == int64Type {
			return DirectInt64
		}
	case String, Text:
		if ft == stringType {
			return DirectString
		}
	case Boolean:
		if ft == boolType {
			return DirectBool
		}
	case Float, Double:
		if ft == float64Type {
			return DirectFloat64
		}
	}
	return DirectNone
}

// newDirectPlan returns the direct plan of p for r's columns, or nil when
// some mapped column cannot be read directly.
func (r *Result) newDirectPlan(p *structPlan) *directPlan {
	if r.getters != nil || len(p.fields) == 0 {
		return nil
	}
	dp := &directPlan{cols: make([]directCol, len(p.fields))}
	found := false
	for i, f := range p.fields {
		if f == nil {
			continue
		}
		if f.ptrHop || r.isJSON[i] {
			return nil
		}
		var off uintptr
		t := p.typ
		var ft reflect.Type
		for _, x := range f.index {
			if t.Kind() != reflect.Struct {
				return nil
			}
			sf := t.Field(x)
			off += sf.Offset
			ft = sf.Type
			t = sf.Type
		}
		k := directKindOf(r.types[i], ft)
		if k == DirectNone {
			return nil
		}
		dp.cols[i] = directCol{kind: k, off: off}
		found = true
	}
	if !found {
		return nil
	}
	return dp
}

// directFor returns the direct plan usable with r's rows, or nil.
func (r *Result) directFor(dp *directPlan) *directPlan {
	if dp == nil || r.directChecked {
		if r.directChecked {
			return r.direct
		}
		return nil
	}
	r.directChecked = true
	dr, ok := r.rows.(DirectRows)
	if !ok {
		return nil
	}
	for i, c := range dp.cols {
		if c.kind != DirectNone && !dr.DirectOK(i, c.kind) {
			return nil
		}
	}
	r.direct = dp
	if n := len(dp.cols); n <= inlineCols {
		r.dests = r.dstBuf[:n:n]
	} else {
		r.dests = make([]any, n)
	}
	return dp
}

// readStruct reads the row advance moved to into sv: straight from the
// driver when the plan allows, otherwise (or for a row with a NULL) as
// Next and scanStruct do. ok false: the result closed with an error
// (r.err); err: a conversion error.
func (r *Result) readStruct(sv reflect.Value) (ok bool, err error) {
	p, cand := r.planAndDirect(sv.Type())
	if dp := r.directFor(cand); dp != nil {
		base := sv.Addr().UnsafePointer()
		for i, c := range dp.cols {
			switch c.kind {
			case DirectInt64:
				r.dests[i] = (*int64)(unsafe.Add(base, c.off))
			case DirectString:
				r.dests[i] = (*string)(unsafe.Add(base, c.off))
			case DirectBool:
				r.dests[i] = (*bool)(unsafe.Add(base, c.off))
			case DirectFloat64:
				r.dests[i] = (*float64)(unsafe.Add(base, c.off))
			default:
				r.dests[i] = nil
			}
		}
		done, err := r.rows.(DirectRows).ScanDirect(r.dests)
		if err != nil {
			r.finish(r.driverErr(err))
			return false, nil
		}
		if done {
			return true, nil
		}
	}
	if !r.scanRow() {
		return false, nil
	}
	return true, r.scanStructPlan(sv, p)
}

// NextScan moves to the next row and scans it into dest, as Next and then
// Scan do, but reads columns straight from the driver when every non-nil
// destination is an *int64 or *string of an integer or string column and
// the driver can (DirectRows): the path typed row loaders take. It
// returns false at the end of the rows or when reading failed (see Err);
// err is a conversion error of the row.
func (r *Result) NextScan(dest ...any) (bool, error) {
	return r.nextScan(dest, false)
}

// NextScanFixed is NextScan for a caller whose destinations have the same
// types on every call (a row reader's typed field pointers): whether they
// allow the direct path is decided on the first row, not checked again
// on each.
func (r *Result) NextScanFixed(dest ...any) (bool, error) {
	return r.nextScan(dest, true)
}

// nextRow moves to the next row for a read of n destinations, which
// must be one per column (caller and what name them in the error).
func (r *Result) nextRow(n int, caller, what string) (bool, error) {
	if r.rows == nil {
		return false, nil
	}
	if n != len(r.types) {
		return false, &ArgumentError{Msg: fmt.Sprintf("%s: %d %s for %d columns", caller, n, what, len(r.types))}
	}
	return r.advance(), nil
}

func (r *Result) nextScan(dest []any, fixed bool) (bool, error) {
	if more, err := r.nextRow(len(dest), "NextScan", "destinations"); !more {
		return false, err
	}
	var ok bool
	if fixed {
		if !r.nsFixedSet {
			r.nsFixed, r.nsFixedSet = r.directScanOK(dest), true
		}
		ok = r.nsFixed
	} else {
		ok = r.directScanOK(dest)
	}
	if ok {
		done, err := r.rows.(DirectRows).ScanDirect(dest)
		if err != nil {
			r.finish(r.driverErr(err))
			return false, nil
		}
		if done {
			return true, nil
		}
		// a NULL: the row is read the generic way
	}
	if !r.scanRow() {
		return false, nil
	}
	return true, r.Scan(dest...)
}

// directScanOK reports whether dest's types allow a direct scan of r's
// rows (checked for the driver and the column types once per result,
// for the destination types each row).
func (r *Result) directScanOK(dest []any) bool {
	if !r.nsChecked {
		r.nsChecked = true
		dr, ok := r.rows.(DirectRows)
		r.nsOK = ok && r.getters == nil
		for i := range dest {
			if !r.nsOK {
				break
			}
			var k DirectKind
			switch dest[i].(type) {
			case nil:
				r.nsKinds = append(r.nsKinds, DirectNone)
				continue
			case *int64:
				k = directKindOf(r.types[i], int64Type)
			case *string:
				k = directKindOf(r.types[i], stringType)
			case *bool:
				k = directKindOf(r.types[i], boolType)
			case *float64:
				k = directKindOf(r.types[i], float64Type)
			}
			if k == DirectNone || r.isJSON[i] || !dr.DirectOK(i, k) {
				r.nsOK = false
			}
			r.nsKinds = append(r.nsKinds, k)
		}
	}
	if !r.nsOK {
		return false
	}
	for i, d := range dest {
		switch d.(type) {
		case *int64:
			if r.nsKinds[i] != DirectInt64 {
				return false
			}
		case *string:
			if r.nsKinds[i] != DirectString {
				return false
			}
		case *bool:
			if r.nsKinds[i] != DirectBool {
				return false
			}
		case *float64:
			if r.nsKinds[i] != DirectFloat64 {
				return false
			}
		case nil:
		default:
			return false
		}
	}
	return true
}
