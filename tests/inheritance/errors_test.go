package inheritance_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/declarative"
	"github.com/retort-orm/retort/registry"
)

// Bad mappings, reported by Register or Configure.

type BEmployee struct {
	ID   int64  `orm:"pk"`
	Name string `orm:"type:varchar(50)"`
	Type string `orm:"type:varchar(50);polymorphic_on"`
}

func (BEmployee) TableName() string { return "employee" }
func (BEmployee) MapperArgs() declarative.MapperArgs {
	return declarative.MapperArgs{PolymorphicIdentity: "employee"}
}

type BManager struct {
	BEmployee `orm:"inherits;polymorphic_identity:manager"`
	ID        int64 `orm:"pk;fk:employee.id"`
}

func (BManager) TableName() string { return "manager" }

// BEngineer reuses the identity "manager" (reference G2: SQLAlchemy only
// warns and the later mapper wins).
type BEngineer struct {
	BEmployee `orm:"inherits;polymorphic_identity:manager"`
	ID        int64 `orm:"pk;fk:employee.id"`
}

func (BEngineer) TableName() string { return "engineer" }

// BNoFK: a joined subtype whose key does not refer to the base's table.
type BNoFK struct {
	BEmployee `orm:"inherits;polymorphic_identity:nofk"`
	ID        int64 `orm:"pk"`
}

func (BNoFK) TableName() string { return "nofk" }

// BNotFirst embeds its base after another field.
type BNotFirst struct {
	Extra     string `orm:"type:varchar(10)"`
	BEmployee `orm:"inherits;polymorphic_identity:notfirst"`
	ID        int64 `orm:"pk;fk:employee.id"`
}

func (BNotFirst) TableName() string { return "notfirst" }

// BNoIdent is a subtype of a polymorphic hierarchy without an identity.
type BNoIdent struct {
	BEmployee `orm:"inherits"`
	ID        int64 `orm:"pk;fk:employee.id"`
}

func (BNoIdent) TableName() string { return "noident" }

func TestBadMappings(t *testing.T) {
	cases := []struct {
		name   string
		models []any
		struc  string
		has    []string
	}{
		{"duplicate polymorphic_identity", []any{&BEmployee{}, &BManager{}, &BEngineer{}}, "BEngineer", []string{`"manager"`, "BManager", "BEngineer"}},
		{"joined key without a foreign key to the base", []any{&BEmployee{}, &BNoFK{}}, "BNoFK", []string{"BNoFK", "foreign key", "employee"}},
		{"base not the first field", []any{&BEmployee{}, &BNotFirst{}}, "BNotFirst", []string{"BNotFirst", "BEmployee", "first"}},
		{"subtype without polymorphic_identity", []any{&BEmployee{}, &BNoIdent{}}, "BNoIdent", []string{"BNoIdent", "polymorphic_identity"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := registry.New()
			err := r.Register(tc.models...)
			if err == nil {
				err = r.Configure()
			} else {
				cerr := r.Configure()
				require.Error(t, cerr)
				assert.ErrorIs(t, cerr, err)
			}
			require.Error(t, err)
			var ae *core.ArgumentError
			assert.True(t, errors.As(err, &ae), "errors.As *core.ArgumentError: %T %v", err, err)
			var me *declarative.MappingError
			if assert.True(t, errors.As(err, &me), "errors.As *declarative.MappingError: %T %v", err, err) {
				assert.Equal(t, tc.struc, me.Struct, err.Error())
			}
			for _, s := range tc.has {
				assert.Contains(t, err.Error(), s)
			}
			t.Log(err)
		})
	}
}
