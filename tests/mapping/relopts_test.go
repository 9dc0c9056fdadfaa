package mapping_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/registry"
)

// ---- relationship options: ordering, collection kinds, post_update

// Slide keeps its bullets in order: each Bullet's Position is its index in
// Bullets, counted from 1 (SQLAlchemy's ordering_list with count_from=1).
type Slide struct {
	ID      int       `orm:"pk"`
	Bullets []*Bullet `orm:"rel;back_populates:Slide;cascade:all,delete-orphan;ordering:Position;ordering_from:1"`
	// ordering with an explicit order_by keeps the order_by
	Newest []*Bullet `orm:"rel;viewonly;ordering:Position;order_by:ID desc"`
	// a map keyed by a column attribute, and the two set shapes
	ByText map[string]*Bullet   `orm:"rel;viewonly;collection:map(Text)"`
	Set    map[*Bullet]struct{} `orm:"rel;viewonly"`
	Marked map[*Bullet]bool     `orm:"rel;viewonly;single_parent"`
}

type Bullet struct {
	ID       int    `orm:"pk"`
	SlideID  int    `orm:"fk:slides.id"`
	Position int    `orm:"notnull"`
	Text     string `orm:"type:varchar(80)"`
	Slide    *Slide `orm:"rel;back_populates:Bullets"`
}

// Widget points at its favourite part with a nullable foreign key written
// after both rows exist (post_update breaks the widget/part cycle).
type Widget struct {
	ID         int     `orm:"pk"`
	FavoriteID *int    `orm:"fk:parts.id"`
	Favorite   *Part   `orm:"rel;post_update;foreign_keys:Widget.FavoriteID"`
	Parts      []*Part `orm:"rel;foreign_keys:Part.WidgetID;passive_deletes"`
}

type Part struct {
	ID       int `orm:"pk"`
	WidgetID int `orm:"fk:widgets.id,ondelete:cascade"`
}

func TestRelationshipOrdering(t *testing.T) {
	r := configured(t, registry.New(), &Slide{}, &Bullet{})
	sm, err := registry.MapperFor[Slide](r)
	require.NoError(t, err)
	bm, err := registry.MapperFor[Bullet](r)
	require.NoError(t, err)
	pos, ok := bm.Attribute("Position")
	require.True(t, ok)

	bullets, ok := sm.Relationship("Bullets")
	require.True(t, ok)
	a, from := bullets.Ordering()
	assert.Same(t, pos, a)
	assert.Equal(t, 1, from)
	assert.Equal(t, "Position", bullets.Declaration().Ordering)
	assert.Equal(t, 1, bullets.Declaration().OrderingFrom)
	// no order_by: the collection loads in position order
	require.Len(t, bullets.OrderBy(), 1)
	assert.Same(t, pos, bullets.OrderBy()[0].Attr)
	assert.False(t, bullets.OrderBy()[0].Desc)
	assert.Equal(t, "slice", bullets.CollectionKind())
	assert.Nil(t, bullets.CollectionKey())

	newest, ok := sm.Relationship("Newest")
	require.True(t, ok)
	a, from = newest.Ordering()
	assert.Same(t, pos, a)
	assert.Equal(t, 0, from, "count_from defaults to 0")
	require.Len(t, newest.OrderBy(), 1, "an explicit order_by wins")
	assert.Equal(t, "ID", newest.OrderBy()[0].Attr.Name())
	assert.True(t, newest.OrderBy()[0].Desc)

	back, ok := bm.Relationship("Slide")
	require.True(t, ok)
	a, from = back.Ordering()
	assert.Nil(t, a)
	assert.Equal(t, 0, from)
	assert.Equal(t, "", back.CollectionKind())
}

func TestRelationshipCollectionKinds(t *testing.T) {
	r := configured(t, registry.New(), &Slide{}, &Bullet{})
	sm, err := registry.MapperFor[Slide](r)
	require.NoError(t, err)
	bm, err := registry.MapperFor[Bullet](r)
	require.NoError(t, err)
	text, _ := bm.Attribute("Text")

	byText, _ := sm.Relationship("ByText")
	assert.Equal(t, "map", byText.CollectionKind())
	assert.Same(t, text, byText.CollectionKey())

	set, _ := sm.Relationship("Set")
	assert.Equal(t, "set", set.CollectionKind())
	assert.Nil(t, set.CollectionKey())
	assert.False(t, set.SingleParent())

	marked, _ := sm.Relationship("Marked")
	assert.Equal(t, "set", marked.CollectionKind())
	assert.True(t, marked.SingleParent())
}

func TestRelationshipPostUpdateAndPassiveDeletes(t *testing.T) {
	r := configured(t, registry.New(), &Widget{}, &Part{})
	wm, err := registry.MapperFor[Widget](r)
	require.NoError(t, err)
	fav, _ := wm.Relationship("Favorite")
	assert.Equal(t, registry.ManyToOne, fav.Direction())
	assert.True(t, fav.PostUpdate())
	assert.False(t, fav.PassiveDeletes())
	parts, _ := wm.Relationship("Parts")
	assert.Equal(t, registry.OneToMany, parts.Direction())
	assert.True(t, parts.PassiveDeletes())
	assert.False(t, parts.PostUpdate())

	// the blog's Post.Comments has passive_deletes too
	b := configured(t, registry.New(registry.WithMetaData(newBlogMetaData())), &Author{}, &Post{}, &Tag{}, &Comment{})
	pm, err := registry.MapperFor[Post](b)
	require.NoError(t, err)
	comments, _ := pm.Relationship("Comments")
	assert.True(t, comments.PassiveDeletes())
	assert.Equal(t, "slice", comments.CollectionKind())
}
