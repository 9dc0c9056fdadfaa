package relationship_test

import (
	"fmt"
	"strings"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/registry"
	"github.com/retort-orm/retort/relationship"
)

// printSQL compiles a SELECT of the table's id with the condition for
// SQLite and prints its SQL and arguments.
func printSQL(table *core.Table, cond core.Expr) {
	d, _ := core.LookupDialect("sqlite")
	c, err := core.Compile(d, core.Select(table.C("id")).Where(cond))
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	// the compiler ends each line before FROM/WHERE with a space, which
	// example output cannot show
	fmt.Println(strings.ReplaceAll(c.SQL, " \n", "\n"))
	if len(c.Args) > 0 {
		fmt.Println(c.Args)
	}
}

func exampleRegistry() *registry.Registry {
	md := core.NewMetaData()
	md.MustTable("post_tags",
		core.Col("post_id", core.BigInteger{}, core.PrimaryKey(), core.References("posts.id")),
		core.Col("tag_id", core.BigInteger{}, core.PrimaryKey(), core.References("tags.id")))
	reg := registry.New(registry.WithMetaData(md))
	reg.MustRegister(&User{}, &Address{}, &Note{}, &Order{}, &OrderItem{}, &Product{}, &Post{}, &Tag{}, &Node{})
	if err := reg.Configure(); err != nil {
		panic(err)
	}
	return reg
}

// A proxy of Address.Email across User.Addresses, used on plain structs.
func ExampleProxy() {
	emails := relationship.MustProxy[User]("Addresses", func(a *Address) *string { return &a.Email })

	u := &User{Name: "spongebob", Addresses: []*Address{{Email: "sb@bikini.org"}}}
	_ = emails.Append(u, "sb@krusty.com") // a new Address{Email: "sb@krusty.com"}
	fmt.Println(emails.Get(u), emails.Len(u), emails.Contains(u, "sb@krusty.com"))
	_, _ = emails.Remove(u, "sb@bikini.org")
	fmt.Println(emails.Get(u), len(u.Addresses))
	// Output:
	// [sb@bikini.org sb@krusty.com] 2 true
	// [sb@krusty.com] 1
}

// The SQL form: membership with Includes, and SQLAlchemy's contains(),
// which on a column proxy is the string LIKE operator.
func ExampleComparator() {
	reg := exampleRegistry()
	users, _ := registry.MapperFor[User](reg)
	emails := relationship.MustProxy[User]("Addresses", func(a *Address) *string { return &a.Email })

	printSQL(users.Table(), emails.SQL(reg).Includes("sb@krusty.com"))
	printSQL(users.Table(), emails.SQL(reg).Contains("@krusty"))
	// Output:
	// SELECT users.id
	// FROM users
	// WHERE EXISTS (SELECT 1
	// FROM addresses
	// WHERE users.id = addresses.user_id AND addresses.email = ?)
	// [sb@krusty.com]
	// SELECT users.id
	// FROM users
	// WHERE EXISTS (SELECT 1
	// FROM addresses
	// WHERE users.id = addresses.user_id AND (addresses.email LIKE '%' || ? || '%' ESCAPE '/'))
	// [@krusty]
}

// An object-target proxy: the products of an order, through its items.
func ExampleComparator_Includes() {
	reg := exampleRegistry()
	orders, _ := registry.MapperFor[Order](reg)
	products := relationship.MustProxy[Order]("Items", func(i *OrderItem) **Product { return &i.Product })

	printSQL(orders.Table(), products.SQL(reg).Includes(&Product{ID: 7}))
	// Output:
	// SELECT orders.id
	// FROM orders
	// WHERE EXISTS (SELECT 1
	// FROM order_items
	// WHERE orders.id = order_items.order_id AND ? = order_items.product_id)
	// [7]
}

// A proxy over a many-to-one relationship.
func ExampleScalarProxy() {
	reg := exampleRegistry()
	addresses, _ := registry.MapperFor[Address](reg)
	userName := relationship.MustScalarProxy[Address]("User", func(u *User) *string { return &u.Name })

	a := &Address{Email: "pat@rock.org"}
	_ = userName.Set(a, "patrick") // a had no User: a new User{Name: "patrick"}
	name, ok := userName.Get(a)
	fmt.Println(name, ok)
	printSQL(addresses.Table(), userName.SQL(reg).Eq("patrick"))
	// Output:
	// patrick true
	// SELECT addresses.id
	// FROM addresses
	// WHERE EXISTS (SELECT 1
	// FROM users
	// WHERE users.id = addresses.user_id AND users.name = ?)
	// [patrick]
}

// A proxy over a keyed map collection.
func ExampleDictProxy() {
	noteText := relationship.MustDictProxy[User]("Notes",
		func(n *Note) *string { return &n.Key }, func(n *Note) *string { return &n.Text })

	u := &User{}
	_ = noteText.Put(u, "todo", "buy milk")
	_ = noteText.Put(u, "done", "nothing")
	fmt.Println(noteText.Get(u), u.Notes["todo"].Key)
	// Output:
	// map[done:nothing todo:buy milk] todo
}

// Any and Has: SQLAlchemy's relationship any() and has(), by field name.
func ExampleAny() {
	reg := exampleRegistry()
	posts, _ := registry.MapperFor[Post](reg)
	tags, _ := registry.MapperFor[Tag](reg)

	cond, err := relationship.Any(posts, "Tags", tags.Table().C("name").Eq("go"))
	if err != nil {
		fmt.Println(err)
		return
	}
	printSQL(posts.Table(), cond)
	_, err = relationship.Has(posts, "Tags")
	fmt.Println(err)
	// Output:
	// SELECT posts.id
	// FROM posts
	// WHERE EXISTS (SELECT 1
	// FROM post_tags, tags
	// WHERE posts.id = post_tags.post_id AND tags.id = post_tags.tag_id AND tags.name = ?)
	// [go]
	// retort: mapping Post.Tags: Has is not implemented for collections (Post.Tags is a collection of Tag); use Any for a collection (SQLAlchemy: "'has()' not implemented for collections. Use any().")
}

// Exists is the building block: the correlated EXISTS of a relationship's
// target rows.
func ExampleExists() {
	reg := exampleRegistry()
	nodes, _ := registry.MapperFor[Node](reg)
	children, _ := nodes.Relationship("Children")

	printSQL(nodes.Table(), core.Not(relationship.Exists(children)))
	// Output:
	// SELECT nodes.id
	// FROM nodes
	// WHERE NOT EXISTS (SELECT 1
	// FROM nodes AS nodes_1
	// WHERE nodes.id = nodes_1.parent_id)
}
