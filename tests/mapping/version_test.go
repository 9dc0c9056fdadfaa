package mapping_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/declarative"
	"github.com/retort-orm/retort/registry"
)

// The version tag option (S7): a version counter column, or a generated
// version with version_func:<name>.

type VCounter struct {
	ID      int `orm:"pk"`
	Name    string
	Version int64 `orm:"version"`
}

type VGenerated struct {
	ID  int    `orm:"pk"`
	Rev string `orm:"version_func:rev;type:varchar(32)"`
}

type VBase struct {
	ID      int    `orm:"pk"`
	Kind    string `orm:"polymorphic_on"`
	Version int    `orm:"version"`
}

func (VBase) MapperArgs() declarative.MapperArgs {
	return declarative.MapperArgs{PolymorphicIdentity: "base"}
}

type VSub struct {
	VBase `orm:"inherits;kind:single;polymorphic_identity:sub"`
	Extra *string
}

func TestVersionOption(t *testing.T) {
	r := configured(t, registry.New(registry.WithFunc("rev", func() any { return "r-new" })),
		&VCounter{}, &VGenerated{}, &VBase{}, &VSub{}, &User{}, &Address{})

	m, err := registry.MapperFor[VCounter](r)
	require.NoError(t, err)
	require.NotNil(t, m.Version())
	assert.Equal(t, "Version", m.Version().Path())
	assert.Equal(t, "version", m.Version().Column().Name())
	assert.Nil(t, m.VersionGenerator(), "an integer counter has no generator")
	assert.True(t, m.Version().Declaration().Version)
	assert.Empty(t, m.Version().Declaration().VersionFunc)
	assert.False(t, m.Version().Column().Nullable())

	g, err := registry.MapperFor[VGenerated](r)
	require.NoError(t, err)
	require.NotNil(t, g.Version())
	assert.Equal(t, "Rev", g.Version().Path())
	require.NotNil(t, g.VersionGenerator(), "version_func resolves through registry.WithFunc")
	assert.Equal(t, "r-new", g.VersionGenerator()())
	assert.Equal(t, "rev", g.Version().Declaration().VersionFunc)

	// a subtype shares its base's version column
	sub, err := registry.MapperFor[VSub](r)
	require.NoError(t, err)
	require.NotNil(t, sub.Version())
	assert.Same(t, sub.Version().Column(), m2(t, r).Version().Column())

	// a mapper without one
	u, err := registry.MapperFor[User](r)
	require.NoError(t, err)
	assert.Nil(t, u.Version())
	assert.Nil(t, u.VersionGenerator())
}

func m2(t *testing.T, r *registry.Registry) *registry.Mapper {
	m, err := registry.MapperFor[VBase](r)
	require.NoError(t, err)
	return m
}

func TestVersionOptionIsKnown(t *testing.T) {
	known := declarative.KnownOptions()
	assert.Contains(t, known, "version")
	assert.Contains(t, known, "version_func")
}

type EVersionString struct {
	ID      int    `orm:"pk"`
	Version string `orm:"version"`
}
type EVersionBoth struct {
	ID      int `orm:"pk"`
	Version int `orm:"version;version_func:rev"`
}
type EVersionTwo struct {
	ID   int `orm:"pk"`
	V1   int `orm:"version"`
	V2   int `orm:"version"`
	Name string
}
type EVersionPK struct {
	ID int `orm:"pk;version"`
}
type EVersionUnknownFunc struct {
	ID  int    `orm:"pk"`
	Rev string `orm:"version_func:mint_rev"`
}
type EVersionNullable struct {
	ID      int  `orm:"pk"`
	Version *int `orm:"version"`
}
type EVersionWithValue struct {
	ID      int `orm:"pk"`
	Version int `orm:"version:yes"`
}
type EVersionFuncEmpty struct {
	ID  int    `orm:"pk"`
	Rev string `orm:"version_func"`
}
type EVersionOnRel struct {
	ID     int   `orm:"pk"`
	UserID int   `orm:"fk:user_account.id"`
	User   *User `orm:"rel;version"`
}
type EVersionSubBase struct {
	ID      int    `orm:"pk"`
	Kind    string `orm:"polymorphic_on"`
	Version int    `orm:"version"`
}

func (EVersionSubBase) MapperArgs() declarative.MapperArgs {
	return declarative.MapperArgs{PolymorphicIdentity: "base"}
}

type EVersionSecondInSub struct {
	EVersionSubBase `orm:"inherits;kind:single;polymorphic_identity:sub"`
	Rev             int `orm:"version"`
}

func TestVersionOptionErrors(t *testing.T) {
	withRev := []registry.Option{registry.WithFunc("rev", func() any { return "r" })}
	cases := []errCase{
		{name: "version on a non-integer without version_func", models: []any{EVersionString{}}, struc: "EVersionString", field: "Version", has: []string{"a version counter must be an integer column, not string", "version_func:<name>"}},
		{name: "version and version_func both", models: []any{EVersionBoth{}}, opts: withRev, struc: "EVersionBoth", field: "Version", has: []string{"version and version_func are both given", "keep one"}},
		{name: "two version columns", models: []any{EVersionTwo{}}, struc: "EVersionTwo", field: "V2", has: []string{"a second version column (V1 already is one)", "one version column"}},
		{name: "a second version column in a subtype", models: []any{EVersionSubBase{}, EVersionSecondInSub{}}, struc: "EVersionSecondInSub", field: "Rev", has: []string{"a second version column"}},
		{name: "version on the primary key", models: []any{EVersionPK{}}, struc: "EVersionPK", field: "ID", has: []string{"a primary key column cannot be the version counter", "separate column"}},
		{name: "unknown version_func", models: []any{EVersionUnknownFunc{}}, opts: withRev, struc: "EVersionUnknownFunc", field: "Rev", has: []string{`function "mint_rev" is not known`, "registry.WithFunc", "known: now, rev"}},
		{name: "nullable version", models: []any{EVersionNullable{}}, struc: "EVersionNullable", field: "Version", has: []string{"cannot be nullable", "non-pointer"}},
		{name: "version with a value", models: []any{EVersionWithValue{}}, struc: "EVersionWithValue", field: "Version", has: []string{`"version" takes no value`}},
		{name: "version_func without a name", models: []any{EVersionFuncEmpty{}}, struc: "EVersionFuncEmpty", field: "Rev", has: []string{`"version_func" needs a value`}},
		{name: "version on a relationship", models: []any{User{}, Address{}, EVersionOnRel{}}, struc: "EVersionOnRel", field: "User", has: []string{"column option"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := registry.New(tc.opts...)
			err := r.Register(tc.models...)
			if err == nil {
				err = r.Configure()
			}
			require.Error(t, err)
			var ae *core.ArgumentError
			assert.True(t, errors.As(err, &ae), "errors.As *core.ArgumentError: %v", err)
			var me *declarative.MappingError
			require.True(t, errors.As(err, &me), "errors.As *declarative.MappingError: %T %v", err, err)
			assert.Equal(t, tc.struc, me.Struct, err.Error())
			assert.Equal(t, tc.field, me.Field, err.Error())
			assert.NotEmpty(t, me.Hint, "every mistake says what to write instead: %v", err)
			require.NotEmpty(t, me.Tag, "the error carries the tag: %v", err)
			msg := err.Error()
			assert.Contains(t, msg, "`orm:\""+me.Tag+"\"`", "the message quotes the tag")
			for _, s := range tc.has {
				assert.Contains(t, msg, s)
			}
			t.Log(msg)
		})
	}
}
