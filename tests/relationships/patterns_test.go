package relationships_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/collections"
	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/orm"
)

// ---- 1. several foreign key paths to the same table

type relpOrder struct {
	ID                int64     `orm:"pk"`
	Number            string    `orm:"type:varchar(20)"`
	BillingAddressID  *int64    `orm:"fk:relp_addresses.id,name:relp_fk_order_billing"`
	ShippingAddressID *int64    `orm:"fk:relp_addresses.id,name:relp_fk_order_shipping"`
	BillingAddress    *relpAddr `orm:"rel;foreign_keys:relpOrder.BillingAddressID"`
	ShippingAddress   *relpAddr `orm:"rel;foreign_keys:relpOrder.ShippingAddressID"`
}

func (relpOrder) TableName() string { return "relp_orders" }

type relpAddr struct {
	ID     int64  `orm:"pk"`
	Street string `orm:"type:varchar(30)"`
}

func (relpAddr) TableName() string { return "relp_addresses" }

// TestMultipleForeignKeyPaths: SQLAlchemy's "Handling Multiple Join Paths"
// (Customer.billing_address / shipping_address with foreign_keys).
func TestMultipleForeignKeyPaths(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, nil, &relpOrder{}, &relpAddr{})
		orders, addrs := table(t, reg, &relpOrder{}), table(t, reg, &relpAddr{})
		s := orm.NewSession(reg, e, orm.WithExpireOnCommit(false))
		defer s.Close()

		// an address that exists before the order
		other := &relpAddr{Street: "other"}
		require.NoError(t, s.Add(other))
		require.NoError(t, s.Commit(bg))
		rec.Reset()

		// a new order with two new addresses: the addresses first (one
		// INSERT), then the order with both foreign keys
		bill, ship := &relpAddr{Street: "bill"}, &relpAddr{Street: "ship"}
		o := &relpOrder{Number: "o1", BillingAddress: bill, ShippingAddress: ship}
		require.NoError(t, s.Add(o))
		require.NoError(t, s.Flush(bg))
		got := rec.Take()
		assert.Equal(t, cat(inserts(e, "relp_addresses", 2), []string{"INSERT relp_orders"}), ops(got), "%q", got)
		require.NotNil(t, o.BillingAddressID)
		require.NotNil(t, o.ShippingAddressID)
		assert.Equal(t, bill.ID, *o.BillingAddressID)
		assert.Equal(t, ship.ID, *o.ShippingAddressID)
		require.NoError(t, s.Commit(bg))
		assert.Equal(t, [][]any{{o.ID, bill.ID, ship.ID}}, rows(t, e, orders, []string{"id"}, "id", "billing_address_id", "shipping_address_id"))
		rec.Reset()

		// point the shipping address at the existing address: one UPDATE
		// of shipping_address_id only
		o.ShippingAddress = other
		require.NoError(t, s.Flush(bg))
		got = rec.Take()
		assert.Equal(t, []string{"UPDATE relp_orders"}, ops(got), "%q", got)
		if len(got) == 1 {
			assert.Contains(t, got[0], "shipping_address_id")
			assert.NotContains(t, got[0], "billing_address_id")
		}
		require.NotNil(t, o.ShippingAddressID)
		assert.Equal(t, other.ID, *o.ShippingAddressID)
		require.NoError(t, s.Commit(bg))
		assert.Equal(t, [][]any{{o.ID, bill.ID, other.ID}}, rows(t, e, orders, []string{"id"}, "id", "billing_address_id", "shipping_address_id"))
		rec.Reset()

		// clear the billing address: billing_address_id = NULL; the
		// address row stays (no delete-orphan)
		o.BillingAddress = nil
		require.NoError(t, s.Flush(bg))
		got = rec.Take()
		assert.Equal(t, []string{"UPDATE relp_orders"}, ops(got), "%q", got)
		if len(got) == 1 {
			assert.Contains(t, got[0], "billing_address_id")
			assert.NotContains(t, got[0], "shipping_address_id")
		}
		assert.Nil(t, o.BillingAddressID)
		require.NoError(t, s.Flush(bg))
		assert.Empty(t, rec.Take(), "nothing left to write")
		require.NoError(t, s.Commit(bg))
		assert.Equal(t, [][]any{{o.ID, nil, other.ID}}, rows(t, e, orders, []string{"id"}, "id", "billing_address_id", "shipping_address_id"))
		assert.EqualValues(t, 3, count(t, e, addrs))

		// loaded back: each relationship follows its own foreign key
		s2 := orm.NewSession(reg, e)
		defer s2.Close()
		o2, err := orm.Get[relpOrder](bg, s2, o.ID)
		require.NoError(t, err)
		require.NoError(t, s2.LoadRelationship(bg, o2, "ShippingAddress"))
		require.NoError(t, s2.LoadRelationship(bg, o2, "BillingAddress"))
		require.NotNil(t, o2.ShippingAddress)
		assert.Equal(t, "other", o2.ShippingAddress.Street)
		assert.Nil(t, o2.BillingAddress)
		assert.True(t, s2.IsLoaded(o2, "BillingAddress"))
	})
}

// ---- 2. custom join conditions

type relpJUser struct {
	ID        int64           `orm:"pk"`
	Name      string          `orm:"type:varchar(20)"`
	Kind      string          `orm:"type:varchar(20)"`
	Addresses []*relpJAddress `orm:"rel;primaryjoin:relpJAddress.UserID == relpJUser.ID;back_populates:User;order_by:ID"`
	// the addresses of the user whose kind is the user's own kind
	SameKind []*relpJAddress `orm:"rel;viewonly;primaryjoin:relpJAddress.UserID == relpJUser.ID and relpJAddress.Kind == relpJUser.Kind;foreign_keys:relpJAddress.UserID,relpJAddress.Kind;order_by:ID"`
}

func (relpJUser) TableName() string { return "relp_j_users" }

type relpJAddress struct {
	ID     int64      `orm:"pk"`
	UserID *int64     `orm:"fk:relp_j_users.id"`
	Kind   string     `orm:"type:varchar(20)"`
	Email  string     `orm:"type:varchar(20)"`
	User   *relpJUser `orm:"rel;primaryjoin:relpJAddress.UserID == relpJUser.ID;back_populates:Addresses"`
}

func (relpJAddress) TableName() string { return "relp_j_addresses" }

// TestCustomJoinCondition: relationships with primaryjoin ("Specifying
// Alternate Join Conditions"); a viewonly relationship with a two-term
// join loads but is never written.
func TestCustomJoinCondition(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, nil, &relpJUser{}, &relpJAddress{})
		addrs := table(t, reg, &relpJAddress{})
		s := orm.NewSession(reg, e, orm.WithExpireOnCommit(false))
		defer s.Close()

		// the primaryjoin relationship writes like a plain one-to-many
		a1 := &relpJAddress{Kind: "home", Email: "a1"}
		a2 := &relpJAddress{Kind: "work", Email: "a2"}
		u := &relpJUser{Name: "u", Kind: "home", Addresses: []*relpJAddress{a1, a2}}
		require.NoError(t, s.Add(u))
		require.NoError(t, s.Flush(bg))
		got := rec.Take()
		assert.Equal(t, cat([]string{"INSERT relp_j_users"}, inserts(e, "relp_j_addresses", 2)), ops(got), "%q", got)
		require.NotNil(t, a1.UserID)
		assert.Equal(t, u.ID, *a1.UserID)
		assert.Same(t, u, a2.User, "back_populates through the custom join")
		require.NoError(t, s.Commit(bg))
		rec.Reset()

		// the viewonly relationship loads with its join
		s2 := orm.NewSession(reg, e)
		defer s2.Close()
		u2, err := orm.Get[relpJUser](bg, s2, u.ID)
		require.NoError(t, err)
		rec.Reset()
		require.NoError(t, s2.LoadRelationship(bg, u2, "SameKind"))
		got = rec.Take()
		assert.Equal(t, []string{"SELECT relp_j_addresses"}, ops(got), "%q", got)
		require.Len(t, u2.SameKind, 1)
		assert.Equal(t, "a1", u2.SameKind[0].Email)

		// changing the viewonly collection writes nothing and is no error:
		// removing a member, adding an existing row and adding a new object
		// (not cascaded: viewonly has no save-update cascade)
		require.NoError(t, s2.LoadRelationship(bg, u2, "Addresses"))
		require.Len(t, u2.Addresses, 2)
		rec.Reset()
		stray := &relpJAddress{Kind: "x", Email: "new"}
		u2.SameKind = []*relpJAddress{u2.Addresses[1], stray}
		require.NoError(t, s2.Flush(bg))
		assert.Empty(t, rec.Take(), "a viewonly relationship is never written")
		assert.False(t, s2.Contains(stray), "no save-update cascade along a viewonly relationship")
		require.NoError(t, s2.Commit(bg))
		assert.Equal(t, [][]any{{a1.ID, u.ID, "a1"}, {a2.ID, u.ID, "a2"}},
			rows(t, e, addrs, []string{"id"}, "id", "user_id", "email"))
	})
}

// ---- 3. remote_side (adjacency list, many-to-one side)

type relpNode struct {
	ID       int64       `orm:"pk"`
	ParentID *int64      `orm:"fk:relp_nodes.id"`
	Name     string      `orm:"type:varchar(20)"`
	Children []*relpNode `orm:"rel;back_populates:Parent;order_by:ID"`
	Parent   *relpNode   `orm:"rel;remote_side:ID;back_populates:Children"`
}

func (relpNode) TableName() string { return "relp_nodes" }

// TestRemoteSideManyToOne: setting the many-to-one side of a
// self-referential relationship.
func TestRemoteSideManyToOne(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, nil, &relpNode{})
		nodes := table(t, reg, &relpNode{})
		s := orm.NewSession(reg, e, orm.WithExpireOnCommit(false))
		defer s.Close()
		n1, n2 := &relpNode{Name: "n1"}, &relpNode{Name: "n2"}
		require.NoError(t, s.AddAll(n1, n2))
		require.NoError(t, s.Commit(bg))
		rec.Reset()

		// n2's parent becomes n1: UPDATE parent_id
		n2.Parent = n1
		require.NoError(t, s.Flush(bg))
		got := rec.Take()
		assert.Equal(t, []string{"UPDATE relp_nodes"}, ops(got), "%q", got)
		if len(got) == 1 {
			assert.Contains(t, got[0], "parent_id")
			assert.NotContains(t, got[0], "name")
		}
		require.NotNil(t, n2.ParentID)
		assert.Equal(t, n1.ID, *n2.ParentID)
		assert.Equal(t, []*relpNode{n2}, n1.Children, "back_populates")
		require.NoError(t, s.Commit(bg))
		rec.Reset()

		// a new node whose parent is a new node: the parent is inserted
		// first, then the child with its key
		p, c := &relpNode{Name: "p"}, &relpNode{Name: "c"}
		c.Parent = p
		require.NoError(t, s.Add(c))
		assert.Equal(t, orm.Pending, s.StateOf(p), "save-update cascade along Parent")
		require.NoError(t, s.Flush(bg))
		got = rec.Take()
		assert.Equal(t, []string{"INSERT relp_nodes", "INSERT relp_nodes"}, ops(got), "%q", got)
		require.NotNil(t, c.ParentID)
		assert.Equal(t, p.ID, *c.ParentID)
		assert.Less(t, p.ID, c.ID, "parent first")
		assert.Equal(t, []*relpNode{c}, p.Children)
		require.NoError(t, s.Commit(bg))
		assert.Equal(t, [][]any{{"n1", nil}, {"n2", n1.ID}, {"p", nil}, {"c", p.ID}},
			rows(t, e, nodes, []string{"id"}, "name", "parent_id"))
	})
}

// ---- 4. one-to-one

type relpHolder struct {
	ID    int64       `orm:"pk"`
	Name  string      `orm:"type:varchar(20)"`
	Child *relpSingle `orm:"rel;uselist:false;back_populates:Holder"`
}

func (relpHolder) TableName() string { return "relp_holders" }

type relpSingle struct {
	ID       int64       `orm:"pk"`
	HolderID *int64      `orm:"fk:relp_holders.id"`
	Name     string      `orm:"type:varchar(20)"`
	Holder   *relpHolder `orm:"rel;back_populates:Child"`
}

func (relpSingle) TableName() string { return "relp_singles" }

type relpOwner struct {
	ID    int64      `orm:"pk"`
	Name  string     `orm:"type:varchar(20)"`
	Child *relpOwned `orm:"rel;uselist:false;back_populates:Owner;cascade:all,delete-orphan"`
}

func (relpOwner) TableName() string { return "relp_owners" }

type relpOwned struct {
	ID      int64      `orm:"pk"`
	OwnerID int64      `orm:"fk:relp_owners.id"`
	Name    string     `orm:"type:varchar(20)"`
	Owner   *relpOwner `orm:"rel;back_populates:Child"`
}

func (relpOwned) TableName() string { return "relp_owneds" }

// TestOneToOne: a one-to-many relationship held in a pointer field
// (uselist=False). Replacing the child inserts the new one with the
// foreign key and nulls the old one's (default cascade) or deletes it
// (delete-orphan). In SQLAlchemy the UPDATE of the old child comes
// before the INSERT of the new one (save_obj: updates, then inserts).
func TestOneToOne(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, nil, &relpHolder{}, &relpSingle{}, &relpOwner{}, &relpOwned{})
		singles, owneds := table(t, reg, &relpSingle{}), table(t, reg, &relpOwned{})
		s := orm.NewSession(reg, e, orm.WithExpireOnCommit(false))
		defer s.Close()

		old := &relpSingle{Name: "old"}
		h := &relpHolder{Name: "h", Child: old}
		require.NoError(t, s.Add(h))
		require.NoError(t, s.Flush(bg))
		got := rec.Take()
		assert.Equal(t, []string{"INSERT relp_holders", "INSERT relp_singles"}, ops(got), "%q", got)
		require.NotNil(t, old.HolderID)
		assert.Equal(t, h.ID, *old.HolderID)
		assert.Same(t, h, old.Holder)
		require.NoError(t, s.Commit(bg))
		rec.Reset()

		// replace the child: the old one's foreign key becomes NULL
		nw := &relpSingle{Name: "new"}
		h.Child = nw
		require.NoError(t, s.Flush(bg))
		got = rec.Take()
		assert.Equal(t, []string{"UPDATE relp_singles", "INSERT relp_singles"}, ops(got), "%q", got)
		if len(got) == 2 {
			assert.Contains(t, got[0], "holder_id")
		}
		assert.Nil(t, old.HolderID)
		assert.Nil(t, old.Holder, "back_populates: the old child lost its holder")
		require.NotNil(t, nw.HolderID)
		assert.Equal(t, h.ID, *nw.HolderID)
		assert.Same(t, h, nw.Holder)
		require.NoError(t, s.Commit(bg))
		assert.Equal(t, [][]any{{"old", nil}, {"new", h.ID}}, rows(t, e, singles, []string{"id"}, "name", "holder_id"))
		rec.Reset()

		// under delete-orphan the replaced child is deleted, after the
		// INSERT (SaveUpdateAll before DeleteAll)
		o1 := &relpOwned{Name: "o1"}
		ow := &relpOwner{Name: "ow", Child: o1}
		require.NoError(t, s.Add(ow))
		require.NoError(t, s.Commit(bg))
		got = rec.Take()
		assert.Equal(t, []string{"INSERT relp_owners", "INSERT relp_owneds"}, ops(got), "%q", got)
		o2 := &relpOwned{Name: "o2"}
		ow.Child = o2
		require.NoError(t, s.Flush(bg))
		got = rec.Take()
		assert.Equal(t, []string{"INSERT relp_owneds", "DELETE relp_owneds"}, ops(got), "%q", got)
		assert.Equal(t, orm.Deleted, s.StateOf(o1))
		require.NoError(t, s.Commit(bg))
		assert.Equal(t, [][]any{{o2.ID, "o2", ow.ID}}, rows(t, e, owneds, []string{"id"}, "id", "name", "owner_id"))
	})
}

// ---- 5. order_by on load

type relpShelf struct {
	ID    int64       `orm:"pk"`
	Name  string      `orm:"type:varchar(20)"`
	Books []*relpBook `orm:"rel;order_by:Name desc"`
}

func (relpShelf) TableName() string { return "relp_shelves" }

type relpBook struct {
	ID      int64  `orm:"pk"`
	ShelfID *int64 `orm:"fk:relp_shelves.id"`
	Name    string `orm:"type:varchar(20)"`
}

func (relpBook) TableName() string { return "relp_books" }

// TestOrderByOnLoad: a collection loads in its order_by order.
func TestOrderByOnLoad(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, nil, &relpShelf{}, &relpBook{})
		s := orm.NewSession(reg, e)
		defer s.Close()
		sh := &relpShelf{Name: "sh", Books: []*relpBook{{Name: "b"}, {Name: "c"}, {Name: "a"}}}
		require.NoError(t, s.Add(sh))
		require.NoError(t, s.Commit(bg))
		require.NoError(t, s.Close())

		s2 := orm.NewSession(reg, e)
		defer s2.Close()
		sh2, err := orm.Get[relpShelf](bg, s2, sh.ID)
		require.NoError(t, err)
		rec.Reset()
		require.NoError(t, s2.LoadRelationship(bg, sh2, "Books"))
		got := rec.Take()
		assert.Equal(t, []string{"SELECT relp_books"}, ops(got), "%q", got)
		if len(got) == 1 {
			assert.Regexp(t, "ORDER BY [`\"]?relp_books[`\"]?\\.[`\"]?name[`\"]? DESC", got[0])
		}
		var names []string
		for _, bk := range sh2.Books {
			names = append(names, bk.Name)
		}
		assert.Equal(t, []string{"c", "b", "a"}, names)
		require.NoError(t, s2.Close()) // one SQLite connection: free it

		// LoadRelated for a slice of owners: the same order
		s3 := orm.NewSession(reg, e)
		defer s3.Close()
		shs, err := orm.Select[relpShelf](s3).All(bg)
		require.NoError(t, err)
		require.NoError(t, orm.LoadRelated(bg, s3, shs, "Books"))
		require.Len(t, shs, 1)
		names = nil
		for _, bk := range shs[0].Books {
			names = append(names, bk.Name)
		}
		assert.Equal(t, []string{"c", "b", "a"}, names)
	})
}

// ---- 6. self-referential many-to-many

type relpPerson struct {
	ID      int64         `orm:"pk"`
	Name    string        `orm:"type:varchar(20)"`
	Friends []*relpPerson `orm:"rel;secondary:relp_friendships;primaryjoin:relpPerson.ID == relp_friendships.left_id;secondaryjoin:relpPerson.ID == relp_friendships.right_id;order_by:ID"`
}

func (relpPerson) TableName() string { return "relp_persons" }

func friendshipsMeta() (*core.MetaData, *core.Table) {
	md := core.NewMetaData()
	f := md.MustTable("relp_friendships",
		core.Col("left_id", core.BigInteger{}, core.PrimaryKey(), core.References("relp_persons.id")),
		core.Col("right_id", core.BigInteger{}, core.PrimaryKey(), core.References("relp_persons.id")))
	return md, f
}

// TestSelfReferentialManyToMany: Person.friends through an association
// table with primaryjoin and secondaryjoin ("Self-Referential
// Many-to-Many Relationship").
func TestSelfReferentialManyToMany(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		md, fr := friendshipsMeta()
		e, reg, rec := env(t, b, md, &relpPerson{})
		persons := table(t, reg, &relpPerson{})
		links := func() [][]any { return rows(t, e, fr, []string{"left_id", "right_id"}, "left_id", "right_id") }
		s := orm.NewSession(reg, e, orm.WithExpireOnCommit(false))
		defer s.Close()

		ann, bob, cy := &relpPerson{Name: "ann"}, &relpPerson{Name: "bob"}, &relpPerson{Name: "cy"}
		ann.Friends = []*relpPerson{bob, cy}
		require.NoError(t, s.Add(ann))
		require.NoError(t, s.Flush(bg))
		got := rec.Take()
		assert.Equal(t, cat3(inserts(e, "relp_persons", 3), "INSERT relp_friendships"), ops(got), "%q", got)
		require.NoError(t, s.Commit(bg))
		assert.Equal(t, [][]any{{ann.ID, bob.ID}, {ann.ID, cy.ID}}, links())
		assert.Empty(t, bob.Friends, "one direction only (no back_populates)")
		rec.Reset()

		// bob befriends ann: a row in the other direction
		bob.Friends = append(bob.Friends, ann)
		require.NoError(t, s.Flush(bg))
		assert.Equal(t, []string{"INSERT relp_friendships"}, ops(rec.Take()))
		require.NoError(t, s.Commit(bg))
		assert.Equal(t, [][]any{{ann.ID, bob.ID}, {ann.ID, cy.ID}, {bob.ID, ann.ID}}, links())
		rec.Reset()

		// ann drops cy: one DELETE of the (ann, cy) row
		ann.Friends = []*relpPerson{bob}
		require.NoError(t, s.Flush(bg))
		got = rec.Take()
		assert.Equal(t, []string{"DELETE relp_friendships"}, ops(got), "%q", got)
		require.NoError(t, s.Commit(bg))
		assert.Equal(t, [][]any{{ann.ID, bob.ID}, {bob.ID, ann.ID}}, links())
		assert.EqualValues(t, 3, count(t, e, persons))

		// loaded back through the joins
		s2 := orm.NewSession(reg, e)
		defer s2.Close()
		b2, err := orm.Get[relpPerson](bg, s2, bob.ID)
		require.NoError(t, err)
		require.NoError(t, s2.LoadRelationship(bg, b2, "Friends"))
		require.Len(t, b2.Friends, 1)
		assert.Equal(t, "ann", b2.Friends[0].Name)
		c2, err := orm.Get[relpPerson](bg, s2, cy.ID)
		require.NoError(t, err)
		require.NoError(t, s2.LoadRelationship(bg, c2, "Friends"))
		assert.Empty(t, c2.Friends)
	})
}

// cat3 appends single statements to a list.
func cat3(list []string, more ...string) []string { return cat(list, more) }

// ---- 7. set collection

type relpSPost struct {
	ID   int64                  `orm:"pk"`
	Name string                 `orm:"type:varchar(20)"`
	Tags map[*relpSTag]struct{} `orm:"rel;secondary:relp_set_links"`
}

func (relpSPost) TableName() string { return "relp_set_posts" }

type relpSTag struct {
	ID   int64  `orm:"pk"`
	Name string `orm:"type:varchar(20)"`
}

func (relpSTag) TableName() string { return "relp_set_tags" }

// TestSetCollection: a many-to-many held in a map[*T]struct{} (a Python
// set collection).
func TestSetCollection(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		md := core.NewMetaData()
		lk := md.MustTable("relp_set_links",
			core.Col("post_id", core.BigInteger{}, core.PrimaryKey(), core.References("relp_set_posts.id")),
			core.Col("tag_id", core.BigInteger{}, core.PrimaryKey(), core.References("relp_set_tags.id")))
		e, reg, rec := env(t, b, md, &relpSPost{}, &relpSTag{})
		links := func() [][]any { return rows(t, e, lk, []string{"post_id", "tag_id"}, "post_id", "tag_id") }
		s := orm.NewSession(reg, e, orm.WithExpireOnCommit(false))
		defer s.Close()

		t1, t2 := &relpSTag{Name: "t1"}, &relpSTag{Name: "t2"}
		p := &relpSPost{Name: "p", Tags: map[*relpSTag]struct{}{t1: {}, t2: {}}}
		require.NoError(t, s.Add(p))
		require.NoError(t, s.Flush(bg))
		got := rec.Take()
		assert.Equal(t, cat3(cat([]string{"INSERT relp_set_posts"}, inserts(e, "relp_set_tags", 2)), "INSERT relp_set_links"), ops(got), "%q", got)
		require.NoError(t, s.Commit(bg))
		assert.ElementsMatch(t, [][]any{{p.ID, t1.ID}, {p.ID, t2.ID}}, links())
		rec.Reset()

		// add a new tag, remove t1
		t3 := &relpSTag{Name: "t3"}
		p.Tags[t3] = struct{}{}
		delete(p.Tags, t1)
		require.NoError(t, s.Flush(bg))
		got = rec.Take()
		assert.Equal(t, []string{"INSERT relp_set_tags", "DELETE relp_set_links", "INSERT relp_set_links"}, ops(got), "%q", got)
		require.NoError(t, s.Commit(bg))
		assert.ElementsMatch(t, [][]any{{p.ID, t2.ID}, {p.ID, t3.ID}}, links())
		rec.Reset()
		require.NoError(t, s.Flush(bg))
		assert.Empty(t, rec.Take())

		// loaded back as a set
		s2 := orm.NewSession(reg, e)
		defer s2.Close()
		p2, err := orm.Get[relpSPost](bg, s2, p.ID)
		require.NoError(t, err)
		require.NoError(t, s2.LoadRelationship(bg, p2, "Tags"))
		var names []string
		for tg := range p2.Tags {
			names = append(names, tg.Name)
		}
		assert.ElementsMatch(t, []string{"t2", "t3"}, names)
	})
}

// ---- 8. collections.List

type relpLAuthor struct {
	ID    int64                       `orm:"pk"`
	Name  string                      `orm:"type:varchar(20)"`
	Books collections.List[relpLBook] `orm:"rel;back_populates:Author;cascade:all,delete-orphan;order_by:ID"`
}

func (relpLAuthor) TableName() string { return "relp_l_authors" }

type relpLBook struct {
	ID       int64        `orm:"pk"`
	AuthorID int64        `orm:"fk:relp_l_authors.id"`
	Title    string       `orm:"type:varchar(20)"`
	Author   *relpLAuthor `orm:"rel;back_populates:Books"`
}

func (relpLBook) TableName() string { return "relp_l_books" }

// TestInstrumentedList: collections.List on every backend: the other side
// and the save-update cascade follow each Append/Remove at once, Items
// loads in a fresh session, Remove makes an orphan the flush deletes.
func TestInstrumentedList(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, nil, &relpLAuthor{}, &relpLBook{})
		books := table(t, reg, &relpLBook{})
		s := orm.NewSession(reg, e)
		defer s.Close()
		a := &relpLAuthor{Name: "a"}
		require.NoError(t, s.Add(a))
		b1, b2 := &relpLBook{Title: "b1"}, &relpLBook{Title: "b2"}
		require.NoError(t, a.Books.Append(b1, b2))
		assert.Same(t, a, b1.Author, "back_populates at Append")
		assert.Same(t, a, b2.Author)
		assert.Equal(t, orm.Pending, s.StateOf(b1), "save-update cascade at Append")
		assert.Empty(t, rec.Take(), "no SQL before the flush")
		require.NoError(t, s.Flush(bg))
		got := rec.Take()
		assert.Equal(t, cat([]string{"INSERT relp_l_authors"}, inserts(e, "relp_l_books", 2)), ops(got), "%q", got)
		assert.Equal(t, a.ID, b1.AuthorID)
		assert.Equal(t, a.ID, b2.AuthorID)
		require.NoError(t, s.Commit(bg))
		require.NoError(t, s.Close())
		assert.Equal(t, [][]any{{b1.ID, "b1", a.ID}, {b2.ID, "b2", a.ID}}, rows(t, e, books, []string{"id"}, "id", "title", "author_id"))

		// a fresh session: unloaded until Items loads it (one SELECT)
		s2 := orm.NewSession(reg, e)
		defer s2.Close()
		a2, err := orm.Get[relpLAuthor](bg, s2, a.ID)
		require.NoError(t, err)
		assert.False(t, a2.Books.Loaded())
		rec.Reset()
		items, err := a2.Books.Items(bg)
		require.NoError(t, err)
		assert.Equal(t, []string{"SELECT relp_l_books"}, ops(rec.Take()))
		require.Len(t, items, 2)
		assert.Equal(t, "b1", items[0].Title)
		assert.Equal(t, "b2", items[1].Title)
		assert.Same(t, a2, items[0].Author, "loading fills the back reference from the identity map")
		_, err = a2.Books.Items(bg)
		require.NoError(t, err)
		assert.Empty(t, rec.Take(), "loaded once")

		// Remove through the List (an orphan) and Append a new book: the
		// INSERT, then the delete-orphan DELETE
		require.NoError(t, a2.Books.Remove(items[0]))
		assert.Nil(t, items[0].Author, "back_populates at Remove")
		assert.False(t, a2.Books.Contains(items[0]))
		b3 := &relpLBook{Title: "b3"}
		require.NoError(t, a2.Books.Append(b3))
		assert.Same(t, a2, b3.Author)
		assert.Equal(t, orm.Pending, s2.StateOf(b3))
		require.NoError(t, s2.Flush(bg))
		got = rec.Take()
		assert.Equal(t, []string{"INSERT relp_l_books", "DELETE relp_l_books"}, ops(got), "%q", got)
		assert.Equal(t, orm.Deleted, s2.StateOf(items[0]))
		assert.Equal(t, a.ID, b3.AuthorID)
		require.NoError(t, s2.Commit(bg))
		assert.Equal(t, [][]any{{b2.ID, "b2", a.ID}, {b3.ID, "b3", a.ID}}, rows(t, e, books, []string{"id"}, "id", "title", "author_id"))
	})
}

// TestInstrumentedListRemoveAfterFlush: removing a member from a List in
// the session that inserted it is a delete-orphan DELETE, as in a fresh
// session.
func TestInstrumentedListRemoveAfterFlush(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, nil, &relpLAuthor{}, &relpLBook{})
		books := table(t, reg, &relpLBook{})
		s := orm.NewSession(reg, e)
		defer s.Close()
		a := &relpLAuthor{Name: "a"}
		require.NoError(t, s.Add(a))
		b1, b2 := &relpLBook{Title: "b1"}, &relpLBook{Title: "b2"}
		require.NoError(t, a.Books.Append(b1, b2))
		require.NoError(t, s.Flush(bg))
		rec.Reset()
		require.NoError(t, a.Books.Remove(b1))
		assert.Nil(t, b1.Author)
		require.NoError(t, s.Flush(bg))
		got := rec.Take()
		assert.Equal(t, []string{"DELETE relp_l_books"}, ops(got), "%q", got)
		require.NoError(t, s.Commit(bg))
		assert.Equal(t, [][]any{{b2.ID, "b2"}}, rows(t, e, books, []string{"id"}, "id", "title"))
	})
}
