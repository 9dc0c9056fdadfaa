package collections_test

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/collections"
)

// item is the member type of the tests: Name keys the map collections,
// Code (a pointer) the ones keyed by a nullable attribute, and Pos, UPos
// and PPos are position attributes for Reorder.
type item struct {
	ID   int
	Name string
	Code *string
	Pos  int
	UPos uint
	PPos *int
}

// Field index paths into item.
var (
	nameIdx = []int{1}
	codeIdx = []int{2}
	posIdx  = []int{3}
	uposIdx = []int{4}
	pposIdx = []int{5}
)

// holder holds one field of every collection kind, so that the tests
// work on addressable struct fields as the unit of work does.
type holder struct {
	Slice   []*item
	Set     map[*item]struct{}
	BoolSet map[*item]bool
	ByName  map[string]*item
	ByCode  map[string]*item
	List    collections.List[item]
}

// field returns the addressable field name of h and its adapter.
func field(t *testing.T, h *holder, name string, key []int) (collections.Adapter, reflect.Value) {
	t.Helper()
	f := reflect.ValueOf(h).Elem().FieldByName(name)
	require.True(t, f.IsValid(), name)
	a, err := collections.For(f.Type(), key)
	require.NoError(t, err)
	return a, f
}

func rv(x *item) reflect.Value { return reflect.ValueOf(x) }

func rvs(xs ...*item) []reflect.Value {
	out := make([]reflect.Value, len(xs))
	for i, x := range xs {
		out[i] = rv(x)
	}
	return out
}

// members returns the adapter's Members as *item, in its order.
func members(a collections.Adapter, f reflect.Value) []*item {
	var out []*item
	for _, m := range a.Members(f, nil) {
		out = append(out, m.Interface().(*item))
	}
	return out
}

func strp(s string) *string { return &s }
func intp(i int) *int       { return &i }

func TestKindString(t *testing.T) {
	assert.Equal(t, "slice", collections.KindSlice.String())
	assert.Equal(t, "set", collections.KindSet.String())
	assert.Equal(t, "map", collections.KindMap.String())
	assert.Equal(t, "Kind(9)", collections.Kind(9).String())
}

func TestFor(t *testing.T) {
	cases := []struct {
		name string
		typ  reflect.Type
		key  []int
		want collections.Kind
	}{
		{"slice", reflect.TypeFor[[]*item](), nil, collections.KindSlice},
		{"slice ignores key", reflect.TypeFor[[]*item](), nameIdx, collections.KindSlice},
		{"struct{} set", reflect.TypeFor[map[*item]struct{}](), nil, collections.KindSet},
		{"bool set", reflect.TypeFor[map[*item]bool](), nil, collections.KindSet},
		{"keyed map", reflect.TypeFor[map[string]*item](), nameIdx, collections.KindMap},
		{"map keyed by a pointer attribute", reflect.TypeFor[map[string]*item](), codeIdx, collections.KindMap},
		{"map keyed by a convertible attribute", reflect.TypeFor[map[int64]*item](), []int{0}, collections.KindMap},
		{"instrumented", reflect.TypeFor[collections.List[item]](), nil, collections.KindSlice},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := collections.For(c.typ, c.key)
			require.NoError(t, err)
			assert.Equal(t, c.want, a.Kind())
		})
	}
}

func TestForErrors(t *testing.T) {
	cases := []struct {
		name string
		typ  reflect.Type
		key  []int
		want string
	}{
		{"slice of values", reflect.TypeFor[[]item](), nil, "is not a collection of pointers to structs"},
		{"slice of pointers to non-structs", reflect.TypeFor[[]*int](), nil, "is not a collection of pointers to structs"},
		{"map of values", reflect.TypeFor[map[string]item](), nameIdx, "is not a collection of pointers to structs"},
		{"set with other values", reflect.TypeFor[map[*item]int](), nil, "is not a collection of pointers to structs"},
		{"not a collection", reflect.TypeFor[int](), nil, "is not a collection of pointers to structs"},
		{"pointer to slice", reflect.TypeFor[*[]*item](), nil, "is not a collection of pointers to structs"},
		{"List pointer", reflect.TypeFor[*collections.List[item]](), nil, "is not a collection of pointers to structs"},
		{"map without key", reflect.TypeFor[map[string]*item](), nil, "needs the attribute it is keyed by"},
		{"map key type mismatch", reflect.TypeFor[map[int]*item](), nameIdx, "is keyed by item.Name of type string"},
		// Go converts an int to a one-character string: not a key
		{"int field for a string key", reflect.TypeFor[map[string]*item](), []int{0}, "is keyed by item.ID of type int"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := collections.For(c.typ, c.key)
			assert.Nil(t, a)
			assert.ErrorContains(t, err, c.want)
		})
	}
}

func TestSliceAdapter(t *testing.T) {
	var h holder
	a, f := field(t, &h, "Slice", nil)
	x, y, z := &item{Name: "x"}, &item{Name: "y"}, &item{Name: "z"}

	assert.Zero(t, a.Len(f))
	assert.Empty(t, a.Members(f, nil))
	require.NoError(t, a.Append(f, rv(z)))
	require.NoError(t, a.Append(f, rv(x)))
	require.NoError(t, a.Append(f, rv(y)))
	require.NoError(t, a.Append(f, rv(x)), "no duplicate")
	assert.Equal(t, []*item{z, x, y}, h.Slice, "slice order, not sorted")
	assert.Equal(t, []*item{z, x, y}, members(a, f))
	assert.Equal(t, 3, a.Len(f))

	// Members appends to dst and skips nil entries.
	h.Slice = append(h.Slice, nil)
	dst := a.Members(f, rvs(y))
	require.Len(t, dst, 4)
	assert.Same(t, y, dst[0].Interface())
	assert.Same(t, z, dst[1].Interface())
	h.Slice = h.Slice[:3]

	assert.True(t, a.Contains(f, rv(x)))
	assert.False(t, a.Contains(f, rv(&item{Name: "x"})), "identity, not equality")

	backing := h.Slice[:3:3]
	assert.True(t, a.Remove(f, rv(z)))
	assert.False(t, a.Remove(f, rv(z)))
	assert.Equal(t, []*item{x, y}, h.Slice)
	assert.Nil(t, backing[2], "the vacated slot is cleared")
	assert.False(t, a.Contains(f, rv(z)))

	require.NoError(t, a.Replace(f, rvs(y, z)))
	assert.Equal(t, []*item{y, z}, h.Slice)
	require.NoError(t, a.Replace(f, nil))
	assert.NotNil(t, h.Slice)
	assert.Empty(t, h.Slice)
	assert.NoError(t, a.Check(f))
}

func TestSetAdapter(t *testing.T) {
	for _, name := range []string{"Set", "BoolSet"} {
		t.Run(name, func(t *testing.T) {
			var h holder
			a, f := field(t, &h, name, nil)
			xs := []*item{{Name: "a"}, {Name: "b"}, {Name: "c"}, {Name: "d"}}

			assert.Zero(t, a.Len(f))
			assert.False(t, a.Contains(f, rv(xs[0])), "nil map")
			assert.False(t, a.Remove(f, rv(xs[0])), "nil map")
			for _, x := range []*item{xs[2], xs[0], xs[3], xs[1], xs[0]} {
				require.NoError(t, a.Append(f, rv(x)))
			}
			assert.Equal(t, 4, a.Len(f), "no duplicate")
			got := a.Members(f, nil)
			require.Len(t, got, 4)
			for i := 1; i < len(got); i++ {
				assert.Less(t, uintptr(got[i-1].UnsafePointer()), uintptr(got[i].UnsafePointer()), "by address")
			}
			assert.ElementsMatch(t, xs, members(a, f))
			assert.Equal(t, members(a, f), members(a, f), "stable")

			assert.True(t, a.Contains(f, rv(xs[1])))
			assert.True(t, a.Remove(f, rv(xs[1])))
			assert.False(t, a.Remove(f, rv(xs[1])))
			assert.False(t, a.Contains(f, rv(xs[1])))
			assert.Equal(t, 3, a.Len(f))

			require.NoError(t, a.Replace(f, rvs(xs[3])))
			assert.Equal(t, []*item{xs[3]}, members(a, f))
			assert.NoError(t, a.Check(f))
		})
	}
}

// A map[*T]bool entry set to false is not a member.
func TestBoolSetFalse(t *testing.T) {
	x, y := &item{Name: "x"}, &item{Name: "y"}
	h := holder{BoolSet: map[*item]bool{x: true, y: false, nil: true}}
	a, f := field(t, &h, "BoolSet", nil)
	assert.Equal(t, []*item{x}, members(a, f))
	assert.True(t, a.Contains(f, rv(x)))
	assert.False(t, a.Contains(f, rv(y)))
	assert.False(t, a.Remove(f, rv(y)))
	assert.Contains(t, h.BoolSet, y, "Remove of a non-member leaves the entry")
	require.NoError(t, a.Append(f, rv(y)))
	assert.True(t, h.BoolSet[y])
}

func TestMapAdapter(t *testing.T) {
	var h holder
	a, f := field(t, &h, "ByName", nameIdx)
	c, b, d := &item{Name: "c"}, &item{Name: "b"}, &item{Name: "d"}

	assert.Zero(t, a.Len(f))
	for _, x := range []*item{c, b, d, b} {
		require.NoError(t, a.Append(f, rv(x)))
	}
	assert.Equal(t, map[string]*item{"b": b, "c": c, "d": d}, h.ByName)
	assert.Equal(t, []*item{b, c, d}, members(a, f), "by key")
	assert.Equal(t, 3, a.Len(f))

	assert.True(t, a.Contains(f, rv(c)))
	assert.False(t, a.Contains(f, rv(&item{Name: "c"})), "identity, not key")

	// Another member with the same key replaces the first.
	c2 := &item{Name: "c"}
	require.NoError(t, a.Append(f, rv(c2)))
	assert.Same(t, c2, h.ByName["c"])
	assert.False(t, a.Contains(f, rv(c)))

	assert.True(t, a.Remove(f, rv(b)))
	assert.False(t, a.Remove(f, rv(b)))
	assert.Equal(t, []*item{c2, d}, members(a, f))

	require.NoError(t, a.Replace(f, rvs(d, b)))
	assert.Equal(t, map[string]*item{"b": b, "d": d}, h.ByName)
	assert.NoError(t, a.Check(f))

	// nil entries are no members
	h.ByName["z"] = nil
	assert.Equal(t, []*item{b, d}, members(a, f))
	assert.NoError(t, a.Check(f))
}

// A member whose key attribute changed after it was added makes the map
// inconsistent: Check names the entry, its member and the attribute.
func TestMapAdapterCheck(t *testing.T) {
	x := &item{Name: "x"}
	h := holder{ByName: map[string]*item{"x": x}}
	a, f := field(t, &h, "ByName", nameIdx)
	require.NoError(t, a.Check(f))
	x.Name = "y"
	err := a.Check(f)
	require.Error(t, err)
	assert.Equal(t, "map entry x holds a item whose Name is y: a keyed map's key must be its member's Name", err.Error())

	// a nil pointer key attribute
	h = holder{ByCode: map[string]*item{"k": {Code: strp("k")}}}
	a, f = field(t, &h, "ByCode", codeIdx)
	require.NoError(t, a.Check(f))
	h.ByCode["k"].Code = nil
	assert.ErrorContains(t, a.Check(f), "map entry k holds a item whose Code is nil")
}

func TestMapAdapterPointerKey(t *testing.T) {
	var h holder
	a, f := field(t, &h, "ByCode", codeIdx)
	x := &item{Code: strp("x")}
	require.NoError(t, a.Append(f, rv(x)))
	assert.Equal(t, map[string]*item{"x": x}, h.ByCode)

	noKey := &item{Name: "nokey"}
	err := a.Append(f, rv(noKey))
	assert.ErrorContains(t, err, "its key attribute Code is nil")
	assert.False(t, a.Contains(f, rv(noKey)))

	err = a.Replace(f, rvs(x, noKey))
	assert.ErrorContains(t, err, "its key attribute Code is nil")
	assert.Equal(t, map[string]*item{"x": x}, h.ByCode, "unchanged after an error")
}

func TestMapAdapterConvertedKey(t *testing.T) {
	var m map[int64]*item
	f := reflect.ValueOf(&m).Elem()
	a, err := collections.For(f.Type(), []int{0})
	require.NoError(t, err)
	x, y := &item{ID: 20}, &item{ID: 3}
	require.NoError(t, a.Append(f, rv(x)))
	require.NoError(t, a.Append(f, rv(y)))
	assert.Equal(t, map[int64]*item{20: x, 3: y}, m)
	assert.Equal(t, []*item{y, x}, members(a, f), "numeric key order")
	assert.NoError(t, a.Check(f))
}

func TestInstrumentedAdapter(t *testing.T) {
	var h holder
	a, f := field(t, &h, "List", nil)
	x, y, z := &item{Name: "x"}, &item{Name: "y"}, &item{Name: "z"}

	assert.Zero(t, a.Len(f))
	require.NoError(t, a.Append(f, rv(y)))
	require.NoError(t, a.Append(f, rv(x)))
	require.NoError(t, a.Append(f, rv(x)))
	assert.Equal(t, []*item{y, x}, h.List.All())
	assert.Equal(t, []*item{y, x}, members(a, f))
	assert.Equal(t, 2, a.Len(f))
	assert.True(t, a.Contains(f, rv(x)))
	assert.False(t, a.Contains(f, rv(z)))

	assert.True(t, a.Remove(f, rv(y)))
	assert.False(t, a.Remove(f, rv(y)))
	assert.Equal(t, []*item{x}, h.List.All())

	// Replace keeps the loaded state.
	h.List.Bind(nil, false)
	require.NoError(t, a.Replace(f, rvs(z, y)))
	assert.Equal(t, []*item{z, y}, h.List.All())
	assert.False(t, h.List.Loaded())
	assert.NoError(t, a.Check(f))
}

// The adapter does not go through the Owner: the unit of work uses it to
// apply changes it has already reported.
func TestInstrumentedAdapterQuiet(t *testing.T) {
	var h holder
	o := &fakeOwner{veto: errVeto}
	h.List.Bind(o, true)
	a, f := field(t, &h, "List", nil)
	x := &item{Name: "x"}
	require.NoError(t, a.Append(f, rv(x)))
	assert.True(t, a.Remove(f, rv(x)))
	assert.Empty(t, o.calls)
}

func TestReorder(t *testing.T) {
	xs := []*item{{Name: "a", Pos: 0}, {Name: "b", Pos: 5}, {Name: "c", Pos: 2}, {Name: "d", Pos: 7}}
	changed := collections.Reorder(rvs(xs...), posIdx, 0, nil)
	assert.Equal(t, []*item{xs[1], xs[3]}, itemsOf(changed))
	for i, x := range xs {
		assert.Equal(t, i, x.Pos)
	}
	assert.Empty(t, collections.Reorder(rvs(xs...), posIdx, 0, nil), "in order: nothing changes")

	// count_from
	changed = collections.Reorder(rvs(xs...), posIdx, 1, nil)
	assert.Len(t, changed, 4)
	assert.Equal(t, []int{1, 2, 3, 4}, []int{xs[0].Pos, xs[1].Pos, xs[2].Pos, xs[3].Pos})

	// appends to changed
	xs[0], xs[1] = xs[1], xs[0]
	pre := &item{Name: "pre"}
	changed = collections.Reorder(rvs(xs...), posIdx, 1, rvs(pre))
	assert.Equal(t, []*item{pre, xs[0], xs[1]}, itemsOf(changed))
}

func TestReorderUint(t *testing.T) {
	xs := []*item{{UPos: 1}, {UPos: 9}, {UPos: 3}}
	changed := collections.Reorder(rvs(xs...), uposIdx, 1, nil)
	assert.Equal(t, []*item{xs[1]}, itemsOf(changed))
	assert.Equal(t, []uint{1, 2, 3}, []uint{xs[0].UPos, xs[1].UPos, xs[2].UPos})
}

func TestReorderPointer(t *testing.T) {
	keep := intp(0)
	xs := []*item{{PPos: keep}, {PPos: nil}, {PPos: intp(7)}, {PPos: intp(3)}}
	old := xs[2].PPos
	changed := collections.Reorder(rvs(xs...), pposIdx, 0, nil)
	assert.Equal(t, []*item{xs[1], xs[2]}, itemsOf(changed))
	for i, x := range xs {
		require.NotNil(t, x.PPos)
		assert.Equal(t, i, *x.PPos)
	}
	assert.Same(t, keep, xs[0].PPos, "an unchanged position keeps its pointer")
	assert.Equal(t, 7, *old, "a new pointer: the old value is not written through")
}

func TestReorderUintPointer(t *testing.T) {
	type upos struct{ P *uint }
	xs := []*upos{{}, {}}
	vs := []reflect.Value{reflect.ValueOf(xs[0]), reflect.ValueOf(xs[1])}
	changed := collections.Reorder(vs, []int{0}, 1, nil)
	assert.Len(t, changed, 2)
	assert.Equal(t, uint(1), *xs[0].P)
	assert.Equal(t, uint(2), *xs[1].P)
}

func itemsOf(vs []reflect.Value) []*item {
	out := make([]*item, len(vs))
	for i, v := range vs {
		out[i] = v.Interface().(*item)
	}
	return out
}
