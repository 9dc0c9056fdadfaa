package mapping_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/declarative"
	"github.com/retort-orm/retort/registry"
)

func lowerEmail(a *Address, v any) (any, error) {
	s, _ := v.(string)
	if !strings.Contains(s, "@") {
		return nil, fmt.Errorf("%q is not an email address", s)
	}
	return strings.ToLower(s), nil
}

func TestValidators(t *testing.T) {
	reg := registry.New()
	require.NoError(t, reg.Register(&User{}, &Address{}))
	require.NoError(t, registry.Validate(reg, "EmailAddress", lowerEmail))
	require.NoError(t, registry.Validate(reg, "EmailAddress", func(a *Address, v any) (any, error) {
		return strings.TrimSpace(v.(string)), nil
	}))
	require.NoError(t, registry.ValidateField(reg, func(u *User) *string { return &u.Name }, func(u *User, v string) (string, error) {
		if v == "" {
			return "", errors.New("name is required")
		}
		return v, nil
	}))
	var calls []string
	require.NoError(t, registry.Validate(reg, "Addresses", func(u *User, v any) (any, error) {
		calls = append(calls, fmt.Sprint(len(v.([]*Address))))
		return v, nil
	}))
	require.NoError(t, reg.Configure())
	addrs := mustMapper[Address](t, reg)
	users := mustMapper[User](t, reg)

	got, err := addrs.Validate(&Address{}, "EmailAddress", "Bob@Example.COM ")
	require.NoError(t, err)
	assert.Equal(t, "bob@example.com", got) // both validators, in declaration order

	_, err = addrs.Validate(&Address{}, "EmailAddress", "nope")
	var ve *registry.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "Address", ve.Struct)
	assert.Equal(t, "EmailAddress", ve.Field)
	assert.Contains(t, err.Error(), "validating Address.EmailAddress")

	_, err = users.Validate(&User{}, "Name", "")
	assert.ErrorContains(t, err, "name is required")
	got, err = users.Validate(&User{}, "Name", "sandy")
	require.NoError(t, err)
	assert.Equal(t, "sandy", got)
	_, err = users.Validate(&User{}, "Name", 5)
	assert.ErrorContains(t, err, "validator wants a string, got int")

	_, err = users.Validate(&User{}, "Addresses", []*Address{{}, {}})
	require.NoError(t, err)
	assert.Equal(t, []string{"2"}, calls)

	// no validator: the value passes through
	got, err = users.Validate(&User{}, "Fullname", "x")
	require.NoError(t, err)
	assert.Equal(t, "x", got)
	assert.True(t, addrs.HasValidator("EmailAddress"))
	assert.False(t, addrs.HasValidator("UserID"))
	assert.Len(t, addrs.Validators("EmailAddress"), 2)
	assert.Equal(t, []string{"Addresses", "Name"}, users.ValidatedAttributes())

	// misuse
	_, err = users.Validate(User{}, "Name", "x")
	var ae *core.ArgumentError
	assert.ErrorAs(t, err, &ae)
	_, err = users.Validate((*User)(nil), "Name", "x")
	assert.ErrorAs(t, err, &ae)
	_, err = users.Validate(&User{}, "Nmae", "x")
	assert.ErrorContains(t, err, `User.Nmae`)
	assert.ErrorIs(t, registry.Validate(reg, "Name", func(*User, any) (any, error) { return nil, nil }), registry.ErrConfigured)
}

func TestValidatorConfigureErrors(t *testing.T) {
	reg := registry.New()
	require.NoError(t, reg.Register(&User{}, &Address{}))
	require.NoError(t, registry.Validate(reg, "Emial", func(*User, any) (any, error) { return nil, nil }))
	err := reg.Configure()
	var me *declarative.MappingError
	require.ErrorAs(t, err, &me)
	assert.Equal(t, "User", me.Struct)
	assert.Equal(t, "Emial", me.Field)

	reg = registry.New()
	require.NoError(t, reg.Register(&User{}, &Address{}))
	assert.Error(t, registry.Validate[User](reg, "Name", nil))
	assert.ErrorContains(t, reg.Configure(), "nil validator")

	reg = registry.New()
	require.NoError(t, reg.Register(&User{}, &Address{}))
	require.NoError(t, registry.ValidateField(reg, func(u *User) *[]*Address { return &u.Addresses }, func(u *User, v []*Address) ([]*Address, error) { return v, nil }))
	assert.ErrorContains(t, reg.Configure(), "User.Addresses")
}

type Document struct {
	ID    int            `orm:"pk"`
	Data  map[string]any `orm:"mutable"`
	Tags  []string       `orm:"type:json;mutable"`
	Plain map[string]any
}

func TestJSONMutable(t *testing.T) {
	reg := configured(t, registry.New(), &Document{})
	m := mustMapper[Document](t, reg)
	var names []string
	for _, a := range m.MutableAttributes() {
		names = append(names, a.Name())
		assert.True(t, a.Mutable())
	}
	assert.Equal(t, []string{"Data", "Tags"}, names)
	plain, _ := m.Attribute("Plain")
	assert.False(t, plain.Mutable())

	type NotJSON struct {
		ID   int    `orm:"pk"`
		Name string `orm:"mutable"`
	}
	_, err := declarative.Read(reflect.TypeFor[NotJSON]())
	var me *declarative.MappingError
	require.ErrorAs(t, err, &me)
	assert.Equal(t, "Name", me.Field)
	assert.Contains(t, err.Error(), "mutable on a")
	type Flagged struct {
		ID   int            `orm:"pk"`
		Data map[string]any `orm:"mutable:yes"`
	}
	_, err = declarative.Read(reflect.TypeFor[Flagged]())
	assert.Error(t, err)
}

func TestJSONChanged(t *testing.T) {
	doc := map[string]any{
		"name": "a",
		"tags": []any{"x", map[string]any{"deep": []any{1.0, 2.0}}},
		"meta": map[string]any{"n": 1.0, "list": []any{}},
	}
	snap := registry.JSONSnapshot(doc)
	assert.False(t, registry.JSONChanged(snap, doc))

	cases := []struct {
		name   string
		mutate func(d map[string]any)
	}{
		{"top-level key", func(d map[string]any) { d["name"] = "b" }},
		{"added key", func(d map[string]any) { d["new"] = true }},
		{"deleted key", func(d map[string]any) { delete(d, "name") }},
		{"nested map in slice", func(d map[string]any) {
			d["tags"].([]any)[1].(map[string]any)["deep"].([]any)[0] = 9.0
		}},
		{"slice element", func(d map[string]any) { d["tags"].([]any)[0] = "y" }},
		{"appended to nested slice", func(d map[string]any) {
			m := d["meta"].(map[string]any)
			m["list"] = append(m["list"].([]any), "z")
		}},
		{"empty to null", func(d map[string]any) { d["meta"].(map[string]any)["list"] = []any(nil) }},
		{"number", func(d map[string]any) { d["meta"].(map[string]any)["n"] = 2.0 }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cur := registry.JSONSnapshot(doc).(map[string]any)
			before := registry.JSONSnapshot(cur)
			tc.mutate(cur)
			assert.True(t, registry.JSONChanged(before, cur))
			// the mutation never reached the snapshot or the original
			assert.False(t, registry.JSONChanged(snap, doc))
			assert.False(t, registry.JSONChanged(snap, before))
		})
	}
	// typed values and structs
	type Pref struct {
		Theme string
		Keys  []int
		Sub   *Pref
	}
	p := Pref{Theme: "dark", Keys: []int{1, 2}, Sub: &Pref{Keys: []int{3}}}
	ps := registry.JSONSnapshotOf(p)
	p.Sub.Keys[0] = 4
	assert.True(t, registry.JSONChanged(ps, p))
	assert.Equal(t, 3, ps.Sub.Keys[0])
	tags := []string{"a"}
	ts := registry.JSONSnapshotOf(tags)
	tags[0] = "b"
	assert.True(t, registry.JSONChanged(ts, tags))
	assert.False(t, registry.JSONChanged(nil, nil))
	assert.True(t, registry.JSONChanged(map[string]any(nil), map[string]any{}))
	// cycles are preserved, not followed forever
	cyc := map[string]any{}
	cyc["self"] = cyc
	cs := registry.JSONSnapshot(cyc).(map[string]any)
	assert.NotNil(t, cs["self"])
}
