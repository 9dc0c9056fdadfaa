package loading_test

import (
	"fmt"
	"strings"

	"github.com/retort-orm/retort/core"
	_ "github.com/retort-orm/retort/dialect/sqlite"
	"github.com/retort-orm/retort/loading"
	"github.com/retort-orm/retort/orm"
	"github.com/retort-orm/retort/registry"
)

// The examples' models: users with addresses (soft-deleted by a flag) and
// orders, whose items are never empty.

type User struct {
	ID        int64      `orm:"pk"`
	Name      string     `orm:"type:varchar(30)"`
	Bio       string     `orm:"type:varchar(100)"`
	Addresses []*Address `orm:"rel;back_populates:User;order_by:ID"`
	Orders    []*Order   `orm:"rel;order_by:ID"`
}

func (User) TableName() string { return "users" }

type Address struct {
	ID      int64  `orm:"pk"`
	Email   string `orm:"type:varchar(50)"`
	Deleted bool
	UserID  int64 `orm:"fk:users.id"`
	User    *User `orm:"rel;back_populates:Addresses"`
}

func (Address) TableName() string { return "addresses" }

type Order struct {
	ID     int64   `orm:"pk"`
	UserID int64   `orm:"fk:users.id"`
	Items  []*Item `orm:"rel;order_by:ID"`
}

func (Order) TableName() string { return "orders" }

type Item struct {
	ID      int64  `orm:"pk"`
	OrderID int64  `orm:"fk:orders.id"`
	Name    string `orm:"type:varchar(30)"`
}

func (Item) TableName() string { return "items" }

// exampleSession returns a session on an in-memory SQLite engine for the
// examples' models, and a function that closes both. The examples only
// build statements: no table is created and no SQL runs.
func exampleSession() (*orm.Session, func()) {
	reg := registry.New()
	reg.MustRegister(&User{}, &Address{}, &Order{}, &Item{})
	if err := reg.Configure(); err != nil {
		panic(err)
	}
	e, err := core.CreateEngine("sqlite://")
	if err != nil {
		panic(err)
	}
	s := orm.NewSession(reg, e)
	return s, func() { s.Close(); e.Close() }
}

// table returns the session's table of that name.
func table(s *orm.Session, name string) *core.Table {
	t, _ := s.Registry().MetaData().Table(name)
	return t
}

// printSQL prints the SELECT the query would run, compiled for the
// session's engine, on one line.
func printSQL[T any](s *orm.Session, q *orm.Query[T]) {
	stmt, err := q.Statement()
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	c := core.MustCompile(s.Engine().Dialect(), stmt)
	fmt.Println(strings.Join(strings.Fields(c.SQL), " "))
}

// JoinedLoad adds a LEFT OUTER JOIN of an anonymous alias to the query's
// SELECT, ordered by the relationship's order_by after the query's own.
// With a LIMIT and a collection, the limited query becomes a subquery that
// the join is applied to, so that the LIMIT counts users, not joined rows.
func ExampleJoinedLoad() {
	s, done := exampleSession()
	defer done()
	users := table(s, "users")

	printSQL(s, orm.Select[User](s).Options(loading.JoinedLoad("Addresses")))
	printSQL(s, orm.Select[User](s).OrderBy(users.C("name")).Limit(2).Options(loading.JoinedLoad("Addresses")))
	// Output:
	// SELECT users.id, users.name, users.bio, addresses_1.id AS id_1, addresses_1.email, addresses_1.deleted, addresses_1.user_id FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id ORDER BY addresses_1.id
	// SELECT anon_1.id, anon_1.name, anon_1.bio, addresses_1.id AS id_1, addresses_1.email, addresses_1.deleted, addresses_1.user_id FROM (SELECT users.id AS id, users.name AS name, users.bio AS bio FROM users ORDER BY users.name LIMIT ? OFFSET ?) AS anon_1 LEFT OUTER JOIN addresses AS addresses_1 ON anon_1.id = addresses_1.user_id ORDER BY anon_1.name, addresses_1.id
}

// JoinedLoadInner joins with an inner JOIN: right for relationships that
// are never empty (it drops users without orders). Chained, it loads a
// path: the orders and, in the same SELECT, their items.
func ExampleJoinedLoadInner() {
	s, done := exampleSession()
	defer done()

	printSQL(s, orm.Select[User](s).Options(loading.JoinedLoadInner("Orders").JoinedLoadInner("Items")))
	// Output:
	// SELECT users.id, users.name, users.bio, orders_1.id AS id_1, orders_1.user_id, items_1.id AS id_2, items_1.order_id, items_1.name AS name_1 FROM users JOIN orders AS orders_1 ON users.id = orders_1.user_id JOIN items AS items_1 ON orders_1.id = items_1.order_id ORDER BY orders_1.id, items_1.id
}

// LoadOnly selects only the named columns and the primary key; the others
// stay unloaded until Session.LoadColumns loads them. On a Load path it
// applies to the entity at the end of the path.
func ExampleLoadOnly() {
	s, done := exampleSession()
	defer done()

	printSQL(s, orm.Select[User](s).Options(loading.LoadOnly("Name")))
	printSQL(s, orm.Select[User](s).Options(loading.LoadOnly("Name"), loading.JoinedLoad("Addresses").LoadOnly("Email")))
	// Output:
	// SELECT users.id, users.name FROM users
	// SELECT users.id, users.name, addresses_1.id AS id_1, addresses_1.email FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id ORDER BY addresses_1.id
}

// WithLoaderCriteria adds criteria to every load of an entity: soft-deleted
// addresses are left out of a joined load (in its ON clause), of a query of
// the addresses themselves (in its WHERE), and of selectin and explicit
// loads.
func ExampleWithLoaderCriteria() {
	s, done := exampleSession()
	defer done()
	live := loading.WithLoaderCriteria[Address](table(s, "addresses").C("deleted").Eq(false))

	printSQL(s, orm.Select[User](s).Options(loading.JoinedLoad("Addresses"), live))
	printSQL(s, orm.Select[Address](s).Options(live))
	// Output:
	// SELECT users.id, users.name, users.bio, addresses_1.id AS id_1, addresses_1.email, addresses_1.deleted, addresses_1.user_id FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id AND addresses_1.deleted = ? ORDER BY addresses_1.id
	// SELECT addresses.id, addresses.email, addresses.deleted, addresses.user_id FROM addresses WHERE addresses.deleted = ?
}
