package mapping_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/declarative"
	"github.com/retort-orm/retort/registry"
)

// A base with a composite, a column_property, a synonym and a
// relationship: its joined and single-table subtypes have them too,
// reached through the embedded base.

type IShape struct {
	ID      int     `orm:"pk"`
	Kind    string  `orm:"type:varchar(10);polymorphic_on"`
	Origin  Point   `orm:"composite;columns:ox,oy"`
	Label   string  `orm:"type:varchar(20)"`
	Area    int     `orm:"column_property"`
	OwnerID *int    `orm:"fk:i_owners.id"`
	Owner   *IOwner `orm:"rel;back_populates:Shapes"`
}

func (IShape) TableName() string { return "i_shapes" }
func (IShape) MapperArgs() declarative.MapperArgs {
	return declarative.MapperArgs{PolymorphicIdentity: "shape", Synonyms: map[string]string{"Name": "Label"}}
}
func (IShape) ColumnProperties(self *core.Table, md *core.MetaData) map[string]core.Expr {
	return map[string]core.Expr{"Area": self.C("ox").Mul(self.C("oy"))}
}

type IOwner struct {
	ID     int       `orm:"pk"`
	Shapes []*IShape `orm:"rel;back_populates:Owner"`
}

func (IOwner) TableName() string { return "i_owners" }

type ICircle struct {
	IShape `orm:"inherits;polymorphic_identity:circle"`
	ID     int `orm:"pk;fk:i_shapes.id"`
	Radius int
}

func (ICircle) TableName() string { return "i_circles" }

type ISquare struct {
	IShape `orm:"inherits;kind:single;polymorphic_identity:square"`
	Side   *int
}

func TestInheritedExtras(t *testing.T) {
	r := configured(t, registry.New(), &IOwner{}, &IShape{}, &ICircle{}, &ISquare{})
	for _, sub := range []any{&ICircle{}, &ISquare{}} {
		m, err := r.Mapper(sub)
		require.NoError(t, err)
		c, ok := m.Composite("Origin")
		require.True(t, ok, "%s inherits the composite", m.Name())
		assert.Equal(t, []int{0, 2}, c.Index(), "through the embedded base")
		require.Len(t, c.Attributes(), 2)
		assert.Equal(t, "ox", c.Attributes()[0].Column().Name())
		p, ok := m.Property("Area")
		require.True(t, ok, "%s inherits the column_property", m.Name())
		assert.Equal(t, []int{0, 4}, p.Index())
		a, ok := m.Attribute("Name")
		require.True(t, ok, "%s inherits the synonym", m.Name())
		assert.Equal(t, "label", a.Column().Name())
		rel, ok := m.Relationship("Owner")
		require.True(t, ok, "%s inherits the relationship", m.Name())
		assert.Equal(t, []int{0, 6}, rel.Index())
		base, _ := r.Mapper(&IShape{})
		bo, _ := base.Relationship("Owner")
		assert.Same(t, bo, rel.Origin())
		assert.Same(t, bo.BackPopulates(), rel.BackPopulates(), "pairs as the base's does")
	}
}

// Inheritance mistakes the registry reports (the helper suite in
// tests/inheritance checks the hierarchy ones on live databases).

type EIBase struct {
	ID   int    `orm:"pk"`
	Type string `orm:"polymorphic_on"`
}

func (EIBase) MapperArgs() declarative.MapperArgs {
	return declarative.MapperArgs{PolymorphicIdentity: "base"}
}

type EIAbstractWithIdentity struct {
	EIBase `orm:"inherits;kind:single;polymorphic_abstract;polymorphic_identity:mid"`
}

type EIBadLoad struct {
	EIBase `orm:"inherits;polymorphic_load:eager;polymorphic_identity:x"`
	ID     int `orm:"pk;fk:ei_bases.id"`
}

type EIWithPolyBase struct {
	ID   int    `orm:"pk"`
	Type string `orm:"polymorphic_on"`
}

func (EIWithPolyBase) MapperArgs() declarative.MapperArgs {
	return declarative.MapperArgs{PolymorphicIdentity: "b", WithPolymorphic: []string{"Nobody"}}
}

type EIConcreteBase struct {
	ID   int `orm:"pk"`
	Type string
}

func (EIConcreteBase) MapperArgs() declarative.MapperArgs {
	return declarative.MapperArgs{PolymorphicIdentity: "base"}
}

type EIConcreteSub struct {
	EIConcreteBase `orm:"inherits;kind:concrete;polymorphic_identity:sub"`
	Extra          int
}

type EINoIdentity struct {
	EIBase `orm:"inherits;kind:single"`
}

func TestInheritanceMappingErrors(t *testing.T) {
	cases := []struct {
		name   string
		models []any
		struc  string
		has    []string
	}{
		{"abstract type with an identity", []any{&EIBase{}, &EIAbstractWithIdentity{}}, "EIAbstractWithIdentity", []string{`polymorphic_abstract type has polymorphic_identity "mid"`}},
		{"unknown polymorphic_load", []any{&EIBase{}, &EIBadLoad{}}, "EIBadLoad", []string{`unknown polymorphic_load "eager"`, "polymorphic_load:selectin"}},
		{"WithPolymorphic naming no type", []any{&EIWithPolyBase{}}, "EIWithPolyBase", []string{`WithPolymorphic names "Nobody"`}},
		{"a table column named as the union's discriminator", []any{&EIConcreteBase{}, &EIConcreteSub{}}, "EIConcreteBase", []string{`has a column "type", the name of the polymorphic union's discriminator`}},
		{"subtype without an identity", []any{&EIBase{}, &EINoIdentity{}}, "EINoIdentity", []string{"has no polymorphic_identity", "polymorphic_abstract"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := registry.New()
			err := r.Register(tc.models...)
			if err == nil {
				err = r.Configure()
			}
			require.Error(t, err)
			var me *declarative.MappingError
			require.ErrorAs(t, err, &me)
			assert.Equal(t, tc.struc, me.Struct, err.Error())
			assert.NotEmpty(t, me.Hint, err.Error())
			for _, s := range tc.has {
				assert.Contains(t, err.Error(), s)
			}
		})
	}
}
