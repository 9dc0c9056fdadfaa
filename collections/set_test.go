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

func TestSet(t *testing.T) {
	a, b := &item{Name: "a"}, &item{Name: "b"}
	var s collections.Set[item]
	assert.True(t, s.Loaded())
	require.NoError(t, s.Add(a, b, a))
	assert.Equal(t, 2, s.Len())
	assert.True(t, s.Contains(b))
	assert.ElementsMatch(t, []*item{a, b}, s.All())
	require.NoError(t, s.Remove(a))
	assert.False(t, s.Contains(a))
	assert.Error(t, s.Add(nil))
	require.NoError(t, s.Clear(context.Background()))
	assert.Zero(t, s.Len())
	n := collections.NewSet(a, nil, b)
	assert.Equal(t, 2, n.Len())
	assert.Equal(t, reflect.TypeFor[item](), n.CollectionOf())
	assert.Equal(t, "set", n.CollectionKind())
}

func TestSetOwner(t *testing.T) {
	a, b := &item{Name: "a"}, &item{Name: "b"}
	var s collections.Set[item]
	o := &recOwner{}
	s.Bind(o, false)
	assert.False(t, s.Loaded())
	_, err := s.Items(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 1, o.loads)
	require.NoError(t, s.Add(a))
	assert.Equal(t, []any{a}, o.appended)
	o.veto = errors.New("no")
	assert.ErrorIs(t, s.Add(b), o.veto)
	assert.False(t, s.Contains(b), "a vetoed add is not made")
	assert.ErrorIs(t, s.Remove(a), o.veto)
	assert.True(t, s.Contains(a))
	o.veto = nil
	require.NoError(t, s.Remove(a))
	assert.Equal(t, []any{a}, o.removed)
	// the quiet side
	assert.True(t, s.AddQuiet(b))
	assert.False(t, s.AddQuiet(b))
	assert.Equal(t, []any{b}, s.Content(nil))
	assert.True(t, s.RemoveQuiet(b))
	s.SetContent([]any{a, b}, true)
	assert.Equal(t, 2, s.Len())
	assert.Len(t, o.appended, 1, "quiet changes fire nothing")
	var u collections.Set[item]
	assert.ErrorIs(t, func() error { u.Bind(nil, false); return u.Load(context.Background()) }(), collections.ErrNotBound)
	ad, err := collections.For(reflect.TypeFor[collections.Set[item]](), nil)
	require.NoError(t, err)
	assert.Equal(t, collections.KindSet, ad.Kind())
}

func TestListReplace(t *testing.T) {
	a, b, c := &item{Name: "a"}, &item{Name: "b"}, &item{Name: "c"}
	l := collections.NewList(a, b)
	o := &recOwner{}
	l.Bind(o, true)
	require.NoError(t, l.Replace(context.Background(), []*item{c, a}))
	assert.Equal(t, []*item{c, a}, l.All())
	assert.Equal(t, []any{b}, o.removed)
	assert.Equal(t, []any{c}, o.appended)
	assert.Error(t, l.Replace(context.Background(), []*item{nil}))
}

// recOwner records appended and removed members; veto, when set, refuses
// every change.
type recOwner struct {
	loads             int
	appended, removed []any
	veto              error
}

func (o *recOwner) LoadCollection(ctx context.Context) error { o.loads++; return nil }

func (o *recOwner) Appending(m any) error {
	if o.veto != nil {
		return o.veto
	}
	o.appended = append(o.appended, m)
	return nil
}

func (o *recOwner) Removing(m any) error {
	if o.veto != nil {
		return o.veto
	}
	o.removed = append(o.removed, m)
	return nil
}
