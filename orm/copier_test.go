package orm

import (
	"errors"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"
	"unsafe"
)

type copierInner struct {
	A int8
	P *int
	B int16
}

type copierIface interface{ M() int }

type copierImpl struct{ v int }

func (c *copierImpl) M() int { return c.v }

type copierAll struct {
	ID     int64
	Flag   bool
	Small  uint8
	F      float32
	C      complex128
	Name   string
	Ptr    *string
	Bytes  []byte
	Kids   []*copierInner
	M      map[string]int
	Ch     chan int
	Fn     func() int
	U      unsafe.Pointer
	Any    any
	Err    error
	Iface  copierIface
	T      time.Time
	Inner  copierInner
	InnerP *copierInner
	Arr    [3]int32
	PArr   [2]*int
	SArr   [2]copierInner
	Empty  struct{}
	Zero   [0]*int
	copierInner
	Tail uint16
}

func fillCopierAll() *copierAll {
	n1, n2, n3 := 1, 2, 3
	s := strings.Repeat("x", 40) // a heap string
	ch := make(chan int, 1)
	k := 7
	return &copierAll{
		ID: 42, Flag: true, Small: 9, F: 1.5, C: complex(1, 2),
		Name:   strings.Repeat("name", 10),
		Ptr:    &s,
		Bytes:  []byte("bytes"),
		Kids:   []*copierInner{{A: 1, P: &n1}, {B: 2}},
		M:      map[string]int{"a": 1},
		Ch:     ch,
		Fn:     func() int { return k },
		U:      unsafe.Pointer(&n3),
		Any:    []int{1, 2},
		Err:    errors.New("boom"),
		Iface:  &copierImpl{v: 5},
		T:      time.Date(2026, 11, 28, 1, 2, 3, 4, time.FixedZone("X", 3600)),
		Inner:  copierInner{A: 3, P: &n2, B: 4},
		InnerP: &copierInner{A: 5},
		Arr:    [3]int32{1, 2, 3},
		PArr:   [2]*int{&n1, &n3},
		SArr:   [2]copierInner{{A: 1, P: &n2}, {B: 6}},

		copierInner: copierInner{A: 8, P: &n3, B: 9},
		Tail:        11,
	}
}

// TestStructCopier copies a struct of every kind of field and checks the
// copy field by field against the original, after garbage collections
// that would free anything the copy failed to keep.
func TestStructCopier(t *testing.T) {
	c := newStructCopier(reflect.TypeFor[copierAll]())
	if c == nil {
		t.Fatal("no copier for copierAll")
	}
	src := fillCopierAll()
	dst := new(copierAll)
	c.copy(unsafe.Pointer(dst), unsafe.Pointer(src))
	runtime.GC()
	runtime.GC()
	want := fillCopierAll()
	// the pointers must be the same ones, not equal ones
	if dst.Ptr != src.Ptr || &dst.Bytes[0] != &src.Bytes[0] || dst.Kids[0] != src.Kids[0] ||
		dst.InnerP != src.InnerP || dst.PArr[1] != src.PArr[1] || dst.U != src.U || dst.Ch != src.Ch ||
		dst.Inner.P != src.Inner.P || dst.SArr[0].P != src.SArr[0].P || dst.P != src.P {
		t.Fatal("a pointer was not copied as it was")
	}
	if dst.Fn() != 7 || dst.Iface.M() != 5 || dst.Err.Error() != "boom" || !dst.T.Equal(want.T) || dst.T.Location() != src.T.Location() {
		t.Fatal("a func, interface or time.Time was not copied")
	}
	// every other field compares equal (funcs aside, which DeepEqual
	// does not compare)
	dst.Fn, src.Fn = nil, nil
	if !reflect.DeepEqual(dst, src) {
		t.Fatalf("copy differs:\n got %+v\nwant %+v", dst, src)
	}
	if *dst.Ptr != strings.Repeat("x", 40) || dst.Name != want.Name || string(dst.Bytes) != "bytes" || *dst.Kids[0].P != 1 {
		t.Fatal("the values reached through the copy changed")
	}
}

// TestStructCopierMergesBytes checks the moves a plain model gets: byte
// runs merged across padding, one typed store per pointer-holding field.
func TestStructCopierMergesBytes(t *testing.T) {
	type model struct {
		ID       int64
		ParentID int64
		Flag     bool
		N        int32
		Name     string
		Parent   *copierInner
	}
	c := newStructCopier(reflect.TypeFor[model]())
	want := structCopier{
		{off: 0, n: 24, kind: copyBytes}, // ID, ParentID, Flag, padding, N
		{off: 24, kind: copyString},
		{off: 40, kind: copyPtr},
	}
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("moves %+v, want %+v", c, want)
	}
	type word struct {
		A int64
		S []int
	}
	if c := newStructCopier(reflect.TypeFor[word]()); !reflect.DeepEqual(c, structCopier{{off: 0, n: 8, kind: copyWord}, {off: 8, kind: copySlice}}) {
		t.Fatalf("moves %+v", c)
	}
}

// TestStructCopierDeclines checks that a long array of pointers gets no
// copier, so that its users fall back to reflection.
func TestStructCopierDeclines(t *testing.T) {
	type long struct {
		A [maxExpandedArray + 1]*int
	}
	if c := newStructCopier(reflect.TypeFor[long]()); c != nil {
		t.Fatalf("a copier for a long pointer array: %+v", c)
	}
	type longPlain struct {
		A [1000]int64
	}
	if c := newStructCopier(reflect.TypeFor[longPlain]()); len(c) != 1 || c[0].n != 8000 {
		t.Fatalf("a long plain array: %+v", c)
	}
}
