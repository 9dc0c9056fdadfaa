// Command loading shows Retort's loader strategies on an embedded SQLite
// database: users with addresses (some soft-deleted), orders and their
// items, and a write-only log of logins. Each step prints what it loaded and
// every SQL statement it ran, normalised to one line:
//
//   - lazy loading, done by an explicit orm.LoadRelated call (Go cannot
//     load on a field read);
//   - loading.JoinedLoad: a LEFT OUTER JOIN in the same SELECT;
//   - loading.SelectInLoad nested three levels: one IN query per level;
//   - loading.SubqueryLoad: the original query repeated as a subquery;
//   - loading.RaiseLoad("*"): loading a relationship later is an error;
//   - loading.LoadOnly with Session.LoadColumns for the columns left out;
//   - loading.WithLoaderCriteria hiding soft-deleted addresses;
//   - loading.ContainsEager after a filtered Join;
//   - Query.YieldPer streaming in batches;
//   - orm.Select2 rows of two entities;
//   - orm.Related on a collections.WriteOnly collection.
//
// Run it with
//
//	go run ./examples/loading
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/retort-orm/retort/collections"
	"github.com/retort-orm/retort/core"
	_ "github.com/retort-orm/retort/dialect/sqlite"
	"github.com/retort-orm/retort/loading"
	"github.com/retort-orm/retort/orm"
	"github.com/retort-orm/retort/registry"
)

// User has addresses and orders (plain collections, lazy by default) and
// a write-only log of logins, never loaded whole.
type User struct {
	ID        int64                        `orm:"pk"`
	Name      string                       `orm:"type:varchar(30);unique"`
	Bio       string                       `orm:"type:varchar(100)"`
	Addresses []*Address                   `orm:"rel;back_populates:User;order_by:ID"`
	Orders    []*Order                     `orm:"rel;back_populates:User;order_by:ID"`
	Logins    collections.WriteOnly[Login] `orm:"rel;back_populates:User;cascade:all,delete-orphan;order_by:ID"`
}

func (User) TableName() string { return "users" }

// Address is soft-deleted: a deleted address keeps its row with Deleted set.
type Address struct {
	ID      int64  `orm:"pk"`
	Email   string `orm:"type:varchar(100)"`
	Deleted bool
	UserID  int64 `orm:"fk:users.id"`
	User    *User `orm:"rel;back_populates:Addresses"`
}

func (Address) TableName() string { return "addresses" }

// Order belongs to a user and has items.
type Order struct {
	ID     int64   `orm:"pk"`
	Ref    string  `orm:"type:varchar(20)"`
	UserID int64   `orm:"fk:users.id"`
	User   *User   `orm:"rel;back_populates:Orders"`
	Items  []*Item `orm:"rel;back_populates:Order;order_by:ID"`
}

func (Order) TableName() string { return "orders" }

// Item is a line of an order.
type Item struct {
	ID      int64  `orm:"pk"`
	Name    string `orm:"type:varchar(30)"`
	OrderID int64  `orm:"fk:orders.id"`
	Order   *Order `orm:"rel;back_populates:Items"`
}

func (Item) TableName() string { return "items" }

// Login is one entry of a user's write-only login log.
type Login struct {
	ID     int64  `orm:"pk"`
	Host   string `orm:"type:varchar(30)"`
	UserID int64  `orm:"fk:users.id"`
	User   *User  `orm:"rel;back_populates:Logins"`
}

func (Login) TableName() string { return "logins" }

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, w io.Writer) error {
	reg := registry.New()
	reg.MustRegister(&User{}, &Address{}, &Order{}, &Item{}, &Login{})
	if err := reg.Configure(); err != nil {
		return err
	}
	users, _ := reg.MetaData().Table("users")
	addresses, _ := reg.MetaData().Table("addresses")
	orders, _ := reg.MetaData().Table("orders")
	dir, err := os.MkdirTemp("", "retort-loading")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	engine, err := core.CreateEngine("sqlite:///" + filepath.Join(dir, "loading.db"))
	if err != nil {
		return err
	}
	defer engine.Close()
	if err := engine.CreateAll(ctx, reg.MetaData(), false); err != nil {
		return err
	}
	sessions := orm.NewFactory(reg, engine)

	// seed: create the children and add the parents (the save-update
	// cascade adds the rest)
	s := sessions.New()
	err = s.AddAll(
		&User{Name: "spongebob", Bio: "lives in a pineapple",
			Addresses: []*Address{{Email: "spongebob@sqlalchemy.org"}, {Email: "spongebob@krustykrab.com"}},
			Orders: []*Order{
				{Ref: "A-1", Items: []*Item{{Name: "spatula"}, {Name: "net"}}},
				{Ref: "A-2", Items: []*Item{{Name: "bubble wand"}}},
			}},
		&User{Name: "sandy", Bio: "karate expert",
			Addresses: []*Address{{Email: "sandy@sqlalchemy.org"}, {Email: "sandy@squirrelpower.org", Deleted: true}},
			Orders:    []*Order{{Ref: "B-1", Items: []*Item{{Name: "acorn"}}}}},
		&User{Name: "patrick", Bio: "lives under a rock"},
	)
	if err != nil {
		return err
	}
	if err := s.Commit(ctx); err != nil {
		return err
	}
	if err := s.Close(); err != nil {
		return err
	}
	s = nil

	// from here on, print every statement the engine runs
	var stmts []string
	engine.Events().OnBeforeExecute(func(ctx context.Context, c *core.Connection, stmt *core.Compiled) error {
		stmts = append(stmts, strings.Join(strings.Fields(stmt.SQL), " "))
		return nil
	})
	// step starts a new session for each strategy, so that nothing is in
	// the identity map yet
	step := func(title string) *orm.Session {
		if s != nil {
			s.Close()
		}
		fmt.Fprintf(w, "\n== %s\n", title)
		stmts = nil
		s = sessions.New()
		return s
	}
	sql := func() {
		for _, q := range stmts {
			if q == "BEGIN" || q == "COMMIT" || q == "ROLLBACK" {
				continue
			}
			fmt.Fprintf(w, "   SQL: %s\n", q)
		}
		stmts = nil
	}
	defer func() { s.Close() }()
	byName := users.C("name")

	// 1. Lazy (the default): the query loads users only; the program
	// loads the addresses of all of them with one IN query when it needs
	// them.
	s = step("lazy: the default, loaded by an explicit LoadRelated")
	us, err := orm.Select[User](s).OrderBy(byName).All(ctx)
	if err != nil {
		return err
	}
	sql()
	fmt.Fprintf(w, "%s: Addresses loaded=%v\n", us[0].Name, s.IsLoaded(us[0], "Addresses"))
	if err := orm.LoadRelated(ctx, s, us, "Addresses"); err != nil {
		return err
	}
	sql()
	for _, u := range us {
		fmt.Fprintf(w, "%s: %s\n", u.Name, emails(u.Addresses))
	}

	// 2. Joined: the addresses come in the same SELECT, through a LEFT
	// OUTER JOIN of an anonymous alias; each user is returned once.
	s = step("JoinedLoad: one SELECT with a LEFT OUTER JOIN")
	us, err = orm.Select[User](s).OrderBy(byName).Options(loading.JoinedLoad("Addresses")).All(ctx)
	if err != nil {
		return err
	}
	sql()
	for _, u := range us {
		fmt.Fprintf(w, "%s: %s\n", u.Name, emails(u.Addresses))
	}

	// 3. Select IN, three levels deep from the addresses: their users,
	// the users' orders and the orders' items; one query per level.
	s = step("SelectInLoad three levels: Address.User.Orders.Items")
	as, err := orm.Select[Address](s).Where(addresses.C("email").Like("%@sqlalchemy.org")).OrderBy(addresses.C("id")).
		Options(loading.SelectInLoad("User").SelectInLoad("Orders").SelectInLoad("Items")).All(ctx)
	if err != nil {
		return err
	}
	sql()
	for _, a := range as {
		fmt.Fprintf(w, "%s -> %s -> %s\n", a.Email, a.User.Name, ordersOf(a.User))
	}

	// 4. Subquery: the orders' SELECT joins the original query, wrapped
	// as a subquery, instead of listing the keys.
	s = step("SubqueryLoad: the first query again, as a subquery")
	us, err = orm.Select[User](s).Where(byName.Ne("patrick")).OrderBy(byName).Options(loading.SubqueryLoad("Orders")).All(ctx)
	if err != nil {
		return err
	}
	sql()
	for _, u := range us {
		fmt.Fprintf(w, "%s: %s\n", u.Name, refs(u))
	}

	// 5. Raise: every relationship not named by another option is
	// refused, so a forgotten eager load shows up as an error, not as
	// one query per object.
	s = step(`RaiseLoad("*"): loading later is an error`)
	sandy, err := orm.Select[User](s).FilterBy(map[string]any{"Name": "sandy"}).
		Options(loading.SelectInLoad("Addresses"), loading.RaiseLoad("*")).One(ctx)
	if err != nil {
		return err
	}
	sql()
	fmt.Fprintf(w, "sandy: %s\n", emails(sandy.Addresses))
	err = s.LoadRelationship(ctx, sandy, "Orders")
	fmt.Fprintf(w, "LoadRelationship(Orders): %v\n", err)
	sql()

	// 6. Column options: LoadOnly selects the name (and the key); the
	// other columns stay unloaded until LoadColumns asks for them.
	s = step("LoadOnly, then LoadColumns")
	sandy, err = orm.Select[User](s).Where(byName.Eq("sandy")).Options(loading.LoadOnly("Name")).One(ctx)
	if err != nil {
		return err
	}
	sql()
	fmt.Fprintf(w, "%s: Bio loaded=%v %q\n", sandy.Name, s.IsLoaded(sandy, "Bio"), sandy.Bio)
	if err := s.LoadColumns(ctx, sandy, "Bio"); err != nil {
		return err
	}
	sql()
	fmt.Fprintf(w, "%s: Bio loaded=%v %q\n", sandy.Name, s.IsLoaded(sandy, "Bio"), sandy.Bio)

	// 7. Loader criteria: soft-deleted addresses are left out of every
	// load of addresses the query does, and of later explicit loads of
	// the objects it loaded.
	s = step("WithLoaderCriteria: soft-deleted addresses hidden")
	live := loading.WithLoaderCriteria[Address](addresses.C("deleted").Eq(false))
	us, err = orm.Select[User](s).OrderBy(byName).Options(loading.SelectInLoad("Addresses"), live).All(ctx)
	if err != nil {
		return err
	}
	sql()
	for _, u := range us {
		fmt.Fprintf(w, "%s: %s\n", u.Name, emails(u.Addresses))
	}

	// 8. Contains eager: the query joins the addresses to filter on them;
	// ContainsEager fills the collection from those joined rows, so it
	// holds only the addresses that matched.
	s = step("ContainsEager after a filtered Join")
	us, err = orm.Select[User](s).Join("Addresses").Where(addresses.C("email").Like("%@sqlalchemy.org")).
		OrderBy(byName, addresses.C("id")).Options(loading.ContainsEager("Addresses")).All(ctx)
	if err != nil {
		return err
	}
	sql()
	for _, u := range us {
		fmt.Fprintf(w, "%s: %s\n", u.Name, emails(u.Addresses))
	}

	// 9. Streaming: YieldPer reads the users two at a time, runs the
	// selectin load for each batch, and expunges a batch once the
	// callback has seen it.
	s = step("YieldPer(2): streamed in batches")
	var seen []*User
	err = orm.Select[User](s).OrderBy(users.C("id")).Options(loading.SelectInLoad("Orders")).YieldPer(2).
		Each(ctx, func(u *User) error {
			sql()
			var kept []string
			for _, prev := range seen {
				if s.Contains(prev) {
					kept = append(kept, prev.Name)
				}
			}
			fmt.Fprintf(w, "%s: %s; earlier users still in the session: %v\n", u.Name, refs(u), kept)
			seen = append(seen, u)
			return nil
		})
	if err != nil {
		return err
	}

	// 10. Two entities per row: users joined to their orders.
	s = step("Select2: (User, Order) rows")
	rows, err := orm.Select2[User, Order](s).Join("Orders").OrderBy(orders.C("id")).All(ctx)
	if err != nil {
		return err
	}
	sql()
	for _, r := range rows {
		fmt.Fprintf(w, "%s %s\n", r.A.Name, r.B.Ref)
	}
	fmt.Fprintf(w, "same spongebob object in both rows: %v\n", rows[0].A == rows[1].A)

	// 11. A write-only collection is never loaded: Add and Remove record
	// changes for the flush, and orm.Related queries the members.
	s = step("WriteOnly: Add, Remove and Related(...).Count")
	patrick, err := orm.Select[User](s).Where(byName.Eq("patrick")).One(ctx)
	if err != nil {
		return err
	}
	first, second, third := &Login{Host: "rock"}, &Login{Host: "krusty krab"}, &Login{Host: "jellyfish fields"}
	if err := patrick.Logins.Add(first, second, third); err != nil {
		return err
	}
	if err := s.Commit(ctx); err != nil {
		return err
	}
	sql()
	n, err := orm.Related[Login](s, patrick, "Logins").Count(ctx)
	if err != nil {
		return err
	}
	sql()
	fmt.Fprintf(w, "patrick has %d logins\n", n)
	if err := patrick.Logins.Remove(second); err != nil {
		return err
	}
	page, err := orm.Related[Login](s, patrick, "Logins").Limit(10).All(ctx) // the autoflush writes the removal
	if err != nil {
		return err
	}
	sql()
	fmt.Fprintf(w, "after Remove: %s\n", hosts(page))
	return nil
}

func emails(as []*Address) string {
	var out []string
	for _, a := range as {
		out = append(out, a.Email)
	}
	return "[" + strings.Join(out, ", ") + "]"
}

// ordersOf lists a user's orders with their items: A-1(spatula net).
func ordersOf(u *User) string {
	var out []string
	for _, o := range u.Orders {
		var items []string
		for _, it := range o.Items {
			items = append(items, it.Name)
		}
		out = append(out, o.Ref+"("+strings.Join(items, ", ")+")")
	}
	return "[" + strings.Join(out, " ") + "]"
}

// refs lists a user's orders without their items: [A-1 A-2].
func refs(u *User) string {
	var out []string
	for _, o := range u.Orders {
		out = append(out, o.Ref)
	}
	return "[" + strings.Join(out, " ") + "]"
}

func hosts(ls []*Login) string {
	var out []string
	for _, l := range ls {
		out = append(out, l.Host)
	}
	return "[" + strings.Join(out, ", ") + "]"
}
