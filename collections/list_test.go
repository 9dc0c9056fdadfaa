package collections_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/collections"
)

var errVeto = errors.New("vetoed")

// fakeOwner records the calls a List makes to its owner. veto, when set,
// is returned for members named vetoName (every member if vetoName is
// empty); load, when set, is what LoadCollection puts in list.
type fakeOwner struct {
	calls    []string
	veto     error
	vetoName string
	list     *collections.List[item]
	load     []*item
	loadErr  error
}

var _ collections.Owner = (*fakeOwner)(nil)

func (o *fakeOwner) vetoes(m any) error {
	if o.veto != nil && (o.vetoName == "" || m.(*item).Name == o.vetoName) {
		return o.veto
	}
	return nil
}

func (o *fakeOwner) LoadCollection(ctx context.Context) error {
	o.calls = append(o.calls, "load")
	if o.loadErr != nil {
		return o.loadErr
	}
	ms := o.list.Content(nil)
	all := make([]any, 0, len(o.load)+len(ms))
	for _, x := range o.load {
		all = append(all, x)
	}
	o.list.SetContent(append(all, ms...), true)
	return nil
}

func (o *fakeOwner) Appending(m any) error {
	o.calls = append(o.calls, "append "+m.(*item).Name)
	return o.vetoes(m)
}

func (o *fakeOwner) Removing(m any) error {
	o.calls = append(o.calls, "remove "+m.(*item).Name)
	return o.vetoes(m)
}

func names(xs []*item) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = x.Name
	}
	return out
}

func TestListZero(t *testing.T) {
	ctx := context.Background()
	var l collections.List[item]
	assert.True(t, l.Loaded())
	assert.True(t, l.IsLoaded())
	assert.Zero(t, l.Len())
	assert.Empty(t, l.All())
	require.NoError(t, l.Load(ctx), "a loaded List needs no owner")
	got, err := l.Items(ctx)
	require.NoError(t, err)
	assert.Empty(t, got)
	assert.Equal(t, reflect.TypeFor[item](), l.CollectionOf())
	assert.True(t, collections.IsInstrumented(reflect.TypeFor[collections.List[item]]()))
	assert.False(t, collections.IsInstrumented(reflect.TypeFor[[]*item]()))
}

func TestNewList(t *testing.T) {
	a, b := &item{Name: "a"}, &item{Name: "b"}
	in := []*item{a, b}
	l := collections.NewList(in...)
	in[0] = nil
	assert.Equal(t, []*item{a, b}, l.All(), "NewList copies its arguments")
	assert.True(t, l.Loaded())
	assert.Same(t, b, l.At(1))

	all := l.All()
	all[0] = nil
	assert.Same(t, a, l.At(0), "All returns a copy")
}

func TestListWithoutOwner(t *testing.T) {
	ctx := context.Background()
	a, b, c, d := &item{Name: "a"}, &item{Name: "b"}, &item{Name: "c"}, &item{Name: "d"}
	var l collections.List[item]

	require.NoError(t, l.Append(a, b, a))
	assert.Equal(t, []string{"a", "b"}, names(l.All()), "no duplicate")
	require.NoError(t, l.Insert(0, c))
	assert.Equal(t, []string{"c", "a", "b"}, names(l.All()))
	require.NoError(t, l.Insert(99, d), "clamped to the end")
	assert.Equal(t, []string{"c", "a", "b", "d"}, names(l.All()))
	require.NoError(t, l.Insert(-1, b), "clamped to the start; a move")
	assert.Equal(t, []string{"b", "c", "a", "d"}, names(l.All()))
	require.NoError(t, l.Insert(2, b), "a move to a later position")
	assert.Equal(t, []string{"c", "a", "b", "d"}, names(l.All()))
	assert.True(t, l.Contains(a))
	assert.False(t, l.Contains(&item{Name: "a"}))
	assert.Equal(t, 4, l.Len())

	require.NoError(t, l.Remove(a))
	require.NoError(t, l.Remove(a), "removing a non-member is no error")
	assert.Equal(t, []string{"c", "b", "d"}, names(l.All()))

	require.NoError(t, l.Clear(ctx))
	assert.Zero(t, l.Len())
	assert.True(t, l.Loaded())
}

func TestListNil(t *testing.T) {
	a := &item{Name: "a"}
	var l collections.List[item]
	err := l.Append(a, nil, &item{Name: "b"})
	assert.EqualError(t, err, "retort: collections: nil collections_test.item appended")
	assert.Equal(t, []string{"a"}, names(l.All()), "the items before the nil are added")
	assert.EqualError(t, l.Insert(0, nil), "retort: collections: nil collections_test.item inserted")
	assert.Equal(t, 1, l.Len())
}

func TestListOwnerEvents(t *testing.T) {
	ctx := context.Background()
	a, b, c := &item{Name: "a"}, &item{Name: "b"}, &item{Name: "c"}
	var l collections.List[item]
	o := &fakeOwner{list: &l}
	l.Bind(o, true)

	require.NoError(t, l.Append(a, b, a))
	require.NoError(t, l.Insert(0, c))
	require.NoError(t, l.Insert(2, c), "a move fires nothing")
	require.NoError(t, l.Remove(b))
	require.NoError(t, l.Remove(b), "a non-member fires nothing")
	assert.Equal(t, []string{"append a", "append b", "append c", "remove b"}, o.calls)
	assert.Equal(t, []string{"a", "c"}, names(l.All()))

	o.calls = nil
	require.NoError(t, l.Clear(ctx))
	assert.Equal(t, []string{"remove c", "remove a"}, o.calls, "from the end, no load when loaded")
	assert.Zero(t, l.Len())
}

func TestListOwnerVeto(t *testing.T) {
	ctx := context.Background()
	a, b, c := &item{Name: "a"}, &item{Name: "b"}, &item{Name: "c"}
	var l collections.List[item]
	o := &fakeOwner{list: &l, veto: errVeto, vetoName: "b"}
	l.Bind(o, true)

	err := l.Append(a, b, c)
	assert.ErrorIs(t, err, errVeto)
	assert.Equal(t, []string{"a"}, names(l.All()), "stops at the vetoed item")
	assert.ErrorIs(t, l.Insert(0, b), errVeto)
	assert.Equal(t, []string{"a"}, names(l.All()))

	o.vetoName = ""
	require.ErrorIs(t, l.Remove(a), errVeto)
	assert.True(t, l.Contains(a), "a vetoed remove keeps the member")
	require.ErrorIs(t, l.Clear(ctx), errVeto)
	assert.Equal(t, 1, l.Len())
	assert.Equal(t, []string{"append a", "append b", "append b", "remove a", "remove a"}, o.calls)
}

func TestListLoad(t *testing.T) {
	ctx := context.Background()
	a, b, n := &item{Name: "a"}, &item{Name: "b"}, &item{Name: "new"}
	var l collections.List[item]
	o := &fakeOwner{list: &l, load: []*item{a, b}}
	l.Bind(o, false)
	assert.False(t, l.Loaded())
	assert.False(t, l.IsLoaded())

	// Appending to an unloaded List does not load it.
	require.NoError(t, l.Append(n))
	assert.Equal(t, []string{"append new"}, o.calls)
	assert.Equal(t, []string{"new"}, names(l.All()))

	got, err := l.Items(ctx)
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b", "new"}, names(got))
	assert.True(t, l.Loaded())
	require.NoError(t, l.Load(ctx))
	assert.Equal(t, []string{"append new", "load"}, o.calls, "loads once")
}

func TestListLoadError(t *testing.T) {
	ctx := context.Background()
	boom := errors.New("boom")
	var l collections.List[item]
	o := &fakeOwner{list: &l, loadErr: boom}
	l.Bind(o, false)
	_, err := l.Items(ctx)
	assert.ErrorIs(t, err, boom)
	assert.ErrorIs(t, l.Clear(ctx), boom)
	assert.False(t, l.Loaded())
}

func TestListNotBound(t *testing.T) {
	ctx := context.Background()
	x := &item{Name: "x"}
	var l collections.List[item]
	l.SetContent([]any{x}, false)
	assert.False(t, l.Loaded())

	assert.ErrorIs(t, l.Load(ctx), collections.ErrNotBound)
	got, err := l.Items(ctx)
	assert.ErrorIs(t, err, collections.ErrNotBound)
	assert.Nil(t, got)

	// Clear removes what is held when there is no session to load from.
	require.NoError(t, l.Clear(ctx))
	assert.Zero(t, l.Len())

	// Bind(nil, …) detaches.
	o := &fakeOwner{list: &l}
	l.Bind(o, false)
	l.Bind(nil, false)
	assert.ErrorIs(t, l.Load(ctx), collections.ErrNotBound)
	require.NoError(t, l.Append(x))
	assert.Empty(t, o.calls)
}

func TestListInstrumented(t *testing.T) {
	a, b, c := &item{Name: "a"}, &item{Name: "b"}, &item{Name: "c"}
	var l collections.List[item]
	var in collections.Instrumented = &l
	o := &fakeOwner{list: &l}
	in.Bind(o, true)

	in.SetContent([]any{a, b}, true)
	assert.Equal(t, []any{a, b}, in.Content(nil))
	assert.Equal(t, []any{c, a, b}, in.Content([]any{c}), "Content appends to dst")
	assert.True(t, in.IsLoaded())

	assert.True(t, in.AddQuiet(c))
	assert.False(t, in.AddQuiet(c))
	assert.True(t, in.RemoveQuiet(a))
	assert.False(t, in.RemoveQuiet(a))
	assert.Equal(t, []string{"b", "c"}, names(l.All()))
	assert.Empty(t, o.calls, "the quiet methods fire nothing")

	in.SetContent(nil, false)
	assert.Zero(t, l.Len())
	assert.False(t, l.Loaded())
	in.SetContent([]any{c}, true)
	assert.True(t, l.Loaded())
	assert.Equal(t, []*item{c}, l.All())
}

// SetContent must not write through to a slice the List handed out.
func TestListSetContentAliasing(t *testing.T) {
	a, b, c := &item{Name: "a"}, &item{Name: "b"}, &item{Name: "c"}
	l := collections.NewList(a, b)
	before := l.All()
	l.SetContent([]any{c}, true)
	assert.Equal(t, []string{"a", "b"}, names(before))
	assert.Equal(t, []string{"c"}, names(l.All()))
}
