package orm

import (
	"reflect"
	"unsafe"
)

// structCopier copies a struct of one type from one address to another
// the way an assignment does, without reflection: a list of moves worked
// out once from the type. Runs of fields without pointers are copied as
// bytes; every pointer-holding field is copied by a typed store of a type
// of the same layout (a pointer, a string, a slice header, an interface),
// so the garbage collector's write barrier sees each pointer written.
//
// A session copies every loaded object into its snapshot; through
// reflect.Value.Set that cost about 80 instructions per object besides
// making the two Values, against a handful here.
type structCopier []copyOp

type copyOp struct {
	off  uintptr
	n    uintptr // for copyBytes
	kind copyKind
}

type copyKind uint8

const (
	copyBytes copyKind = iota
	copyWord           // 8 bytes without pointers
	copyPtr            // one pointer word: pointer, map, chan, func, unsafe.Pointer
	copyString
	copySlice
	copyIface
)

// maxExpandedArray is the longest array of pointer-holding elements that
// is copied element by element; a type with a longer one gets no copier.
const maxExpandedArray = 8

// newStructCopier returns t's copier, or nil when t holds something it
// does not copy (its users then fall back to reflect.Value.Set).
func newStructCopier(t reflect.Type) structCopier {
	var ops structCopier
	if !appendCopyOps(&ops, t, 0) {
		return nil
	}
	// merge adjacent byte runs (and the padding between them)
	var out structCopier
	for _, op := range ops {
		if op.kind == copyBytes && len(out) > 0 && out[len(out)-1].kind == copyBytes {
			last := &out[len(out)-1]
			last.n = op.off + op.n - last.off
			continue
		}
		out = append(out, op)
	}
	for i := range out {
		if out[i].kind == copyBytes && out[i].n == 8 && out[i].off%8 == 0 {
			out[i].kind = copyWord
		}
	}
	return out
}

func appendCopyOps(ops *structCopier, t reflect.Type, off uintptr) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		if t.Size() > 0 {
			*ops = append(*ops, copyOp{off: off, n: t.Size(), kind: copyBytes})
		}
	case reflect.Pointer, reflect.Map, reflect.Chan, reflect.Func, reflect.UnsafePointer:
		*ops = append(*ops, copyOp{off: off, kind: copyPtr})
	case reflect.String:
		*ops = append(*ops, copyOp{off: off, kind: copyString})
	case reflect.Slice:
		*ops = append(*ops, copyOp{off: off, kind: copySlice})
	case reflect.Interface:
		*ops = append(*ops, copyOp{off: off, kind: copyIface})
	case reflect.Struct:
		for i := range t.NumField() {
			f := t.Field(i)
			if !appendCopyOps(ops, f.Type, off+f.Offset) {
				return false
			}
		}
	case reflect.Array:
		if t.Len() == 0 {
			return true
		}
		var elem structCopier
		if !appendCopyOps(&elem, t.Elem(), 0) {
			return false
		}
		if allBytes(elem) {
			*ops = append(*ops, copyOp{off: off, n: t.Size(), kind: copyBytes})
			return true
		}
		if t.Len() > maxExpandedArray {
			return false
		}
		for k := range t.Len() {
			for _, op := range elem {
				op.off += off + uintptr(k)*t.Elem().Size()
				*ops = append(*ops, op)
			}
		}
	default:
		return false
	}
	return true
}

func allBytes(ops structCopier) bool {
	for _, op := range ops {
		if op.kind != copyBytes {
			return false
		}
	}
	return true
}

// copy copies the struct at src to dst (both of the copier's type).
func (c structCopier) copy(dst, src unsafe.Pointer) {
	for _, op := range c {
		d, s := unsafe.Add(dst, op.off), unsafe.Add(src, op.off)
		switch op.kind {
		case copyWord:
			*(*uint64)(d) = *(*uint64)(s)
		case copyBytes:
			copy(unsafe.Slice((*byte)(d), op.n), unsafe.Slice((*byte)(s), op.n))
		case copyPtr:
			*(*unsafe.Pointer)(d) = *(*unsafe.Pointer)(s)
		case copyString:
			*(*string)(d) = *(*string)(s)
		case copySlice:
			*(*[]byte)(d) = *(*[]byte)(s)
		case copyIface:
			*(*any)(d) = *(*any)(s)
		}
	}
}
