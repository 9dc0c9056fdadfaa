// Package loading_test holds the scenario tests of ORM querying and loader
// strategies (lazy, joined, selectin, subquery, immediate, noload, raise,
// contains_eager, loader criteria, column deferral, populate_existing,
// yield_per and bad input), run on every reachable backend. Models, data
// and expectations are those of the SQLAlchemy 2.0.52 reference runs
// (/tmp/sqla_loading.md, "the reference"): the same objects and collections
// load. Where Retort's SQL deliberately differs, the test says so in a
// comment. Differences that hold everywhere:
//
//   - Retort selects an entity's columns in table order and labels a column
//     only when its name collides (SQLAlchemy's loader statements label
//     every column table_col and put the selectin FK column first).
//   - A many-to-one or one-to-many load of one parent (lazy, immediate, a
//     selectin batch of one key) renders `col = ?`, not SQLAlchemy's
//     `? = col` or `IN (?)`.
//   - Boolean criteria stay bound parameters (`addresses.deleted = ?`);
//     SQLAlchemy renders the False constant as a literal (`= 0`).
package loading_test

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/retort-orm/retort/core"
	_ "github.com/retort-orm/retort/dialect/mysql"
	_ "github.com/retort-orm/retort/dialect/postgresql"
	_ "github.com/retort-orm/retort/dialect/sqlite"
	"github.com/retort-orm/retort/internal/sqlrec"
	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/registry"
)

// recorder records the engine's statements (see sqlrec).
type recorder = sqlrec.Recorder

func record(e *core.Engine) *recorder { return sqlrec.Record(e) }

// quiet is the context of the test's own statements, which are not
// recorded.
var quiet = sqlrec.Quiet

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.IgnoreAnyFunction("database/sql.(*DB).connectionOpener"))
}

var bg = context.Background()

// ---------------------------------------------------------------- models
//
// The reference's models: User.Addresses ordered by Address.id, User.Orders
// without order_by, Order.Items ordered by OrderItem.id, User.Bio deferred
// in the group "profile", a write-only User.AddressesWO over the same
// foreign key, and Transfer with two foreign keys to users for the
// ambiguous join.

type User struct {
	ID          int64      `orm:"pk"`
	Name        string     `orm:"type:varchar(30)"`
	Fullname    string     `orm:"type:varchar(30)"`
	Bio         string     `orm:"type:varchar(30);deferred:profile"`
	Addresses   []*Address `orm:"rel;back_populates:User;order_by:ID"`
	Orders      []*Order   `orm:"rel"`
	AddressesWO []*Address `orm:"rel;lazy:write_only"`
}

func (User) TableName() string { return "users" }

type Address struct {
	ID      int64  `orm:"pk"`
	Email   string `orm:"type:varchar(50)"`
	UserID  int64  `orm:"fk:users.id"`
	Deleted bool
	User    *User `orm:"rel;back_populates:Addresses"`
}

func (Address) TableName() string { return "addresses" }

type Order struct {
	ID          int64        `orm:"pk"`
	UserID      int64        `orm:"fk:users.id"`
	Description string       `orm:"type:varchar(30)"`
	Items       []*OrderItem `orm:"rel;order_by:ID"`
}

func (Order) TableName() string { return "orders" }

type OrderItem struct {
	ID        int64    `orm:"pk"`
	OrderID   int64    `orm:"fk:orders.id"`
	ProductID int64    `orm:"fk:products.id"`
	Qty       int64    `orm:""`
	Product   *Product `orm:"rel"`
}

func (OrderItem) TableName() string { return "order_items" }

type Product struct {
	ID   int64  `orm:"pk"`
	Name string `orm:"type:varchar(30)"`
}

func (Product) TableName() string { return "products" }

type Transfer struct {
	ID         int64 `orm:"pk"`
	FromUserID int64 `orm:"fk:users.id"`
	ToUserID   int64 `orm:"fk:users.id"`
	Amount     int64
}

func (Transfer) TableName() string { return "transfers" }

func models() []any {
	return []any{&User{}, &Address{}, &Order{}, &OrderItem{}, &Product{}, &Transfer{}}
}

// fixture is one backend's engine, configured registry, tables and recorder.
type fixture struct {
	e   *core.Engine
	reg *registry.Registry
	rec *recorder
	b   testdb.Backend

	users, addrs, orders, items, products, transfers *core.Table
}

// setup creates the reference's tables on b, seeds the reference data with
// Core inserts (outside any session, not recorded) and starts recording.
func setup(t *testing.T, b testdb.Backend) *fixture {
	t.Helper()
	e, reg, rec := env(t, b, nil, models()...)
	f := &fixture{e: e, reg: reg, rec: rec, b: b}
	f.users = table(t, reg, &User{})
	f.addrs = table(t, reg, &Address{})
	f.orders = table(t, reg, &Order{})
	f.items = table(t, reg, &OrderItem{})
	f.products = table(t, reg, &Product{})
	f.transfers = table(t, reg, &Transfer{})
	seedReference(t, e, f.users, f.addrs, f.orders, f.items, f.products, f.transfers)
	rec.Reset()
	return f
}

// seedReference inserts the reference data: users 1–5 (uk, "User k",
// "bio of uk"); addresses 1–15 (user k: 3k-2..3k, emails uka@example.com,
// ukb@other.org, ukc@example.com; 2 and 8 deleted); orders 1–10 (user k:
// 2k-1, 2k); items 1–20 (order o: 2o-1, 2o; product ((id-1)%4)+1); products
// 1–4; one transfer. Tables that are nil are skipped.
func seedReference(t *testing.T, e *core.Engine, users, addrs, orders, items, products, transfers *core.Table) {
	t.Helper()
	var ur, ar, or, ir, pr [][]any
	for k := int64(1); k <= 5; k++ {
		ur = append(ur, []any{k, fmt.Sprint("u", k), fmt.Sprint("User ", k), fmt.Sprint("bio of u", k)})
		for j, em := range []string{"a@example.com", "b@other.org", "c@example.com"} {
			id := 3*k - 2 + int64(j)
			ar = append(ar, []any{id, fmt.Sprintf("u%d%s", k, em), k, id == 2 || id == 8})
		}
		for _, oid := range []int64{2*k - 1, 2 * k} {
			or = append(or, []any{oid, k, fmt.Sprint("order ", oid)})
			for _, iid := range []int64{2*oid - 1, 2 * oid} {
				ir = append(ir, []any{iid, oid, (iid-1)%4 + 1, iid})
			}
		}
	}
	for p := int64(1); p <= 4; p++ {
		pr = append(pr, []any{p, fmt.Sprint("p", p)})
	}
	cols := func(tb *core.Table, names ...string) []*core.Column {
		out := make([]*core.Column, len(names))
		for i, n := range names {
			out[i] = tb.C(n)
		}
		return out
	}
	err := e.Transaction(quiet, func(c *core.Connection) error {
		ins := func(tb *core.Table, rows [][]any, names ...string) error {
			if tb == nil {
				return nil
			}
			_, err := c.InsertRows(quiet, tb, cols(tb, names...), rows)
			return err
		}
		if err := ins(products, pr, "id", "name"); err != nil {
			return err
		}
		if err := ins(users, ur, "id", "name", "fullname", "bio"); err != nil {
			return err
		}
		if err := ins(addrs, ar, "id", "email", "user_id", "deleted"); err != nil {
			return err
		}
		if err := ins(orders, or, "id", "user_id", "description"); err != nil {
			return err
		}
		if err := ins(items, ir, "id", "order_id", "product_id", "qty"); err != nil {
			return err
		}
		return ins(transfers, [][]any{{int64(1), int64(1), int64(2), int64(10)}}, "id", "from_user_id", "to_user_id", "amount")
	})
	require.NoError(t, err)
}

// ------------------------------------------------------- engine, recorder
// (copied from tests/relationships/helpers_test.go, adapted)

// env opens the backend's engine, builds a configured registry of the
// models, creates their tables (dropping leftovers of an aborted run
// first), drops them when the test ends, and starts recording statements.
func env(t *testing.T, b testdb.Backend, md *core.MetaData, models ...any) (*core.Engine, *registry.Registry, *recorder) {
	t.Helper()
	e, err := core.CreateEngine(testdb.EngineURL(t, b))
	require.NoError(t, err)
	t.Cleanup(func() { e.Close() })
	var opts []registry.Option
	if md != nil {
		opts = append(opts, registry.WithMetaData(md))
	}
	reg := registry.New(opts...)
	for _, m := range models {
		reg.MustRegister(m)
	}
	require.NoError(t, reg.Configure())
	meta := reg.MetaData()
	require.NoError(t, e.DropAll(quiet, meta, true))
	require.NoError(t, e.CreateAll(quiet, meta, false))
	t.Cleanup(func() { _ = e.DropAll(quiet, meta, true) })
	return e, reg, record(e)
}

// sql returns the statements recorded since the last take, normalized by
// flat, and resets.
func sqlOf(r *recorder) []string {
	s := r.Take()
	out := make([]string, len(s))
	for i, q := range s {
		out[i] = flat(q)
	}
	return out
}

// table returns the mapped type's table.
func table(t *testing.T, reg *registry.Registry, model any) *core.Table {
	t.Helper()
	m, err := reg.Mapper(model)
	require.NoError(t, err)
	return m.Table()
}

// -------------------------------------------------------------- SQL shape

var (
	pgParam = regexp.MustCompile(`\$\d+`)
	spaces  = regexp.MustCompile(`\s+`)
)

// flat makes a statement comparable across backends: PostgreSQL's $n
// parameters become ?, identifier quotes go, every run of white space
// (SQLAlchemy-style line breaks included) becomes one space, and MySQL's
// INNER JOIN is written JOIN as the other dialects (and SQLAlchemy) write it.
func flat(q string) string {
	q = pgParam.ReplaceAllString(q, "?")
	q = strings.NewReplacer("`", "", `"`, "").Replace(q)
	q = strings.TrimSpace(spaces.ReplaceAllString(q, " "))
	return strings.ReplaceAll(q, " INNER JOIN ", " JOIN ")
}

// limitSQL is how the backend renders LIMIT/OFFSET after flat: SQLite
// always binds both (as SQLAlchemy does there, with -1 for no limit),
// PostgreSQL writes LIMIT ALL for an offset alone, MySQL/MariaDB its
// LIMIT offset, count form.
func limitSQL(b testdb.Backend, limit, offset bool) string {
	switch b.Name {
	case testdb.SQLite:
		return "LIMIT ? OFFSET ?"
	case testdb.MySQL:
		switch {
		case limit && offset:
			return "LIMIT ?, ?"
		case offset:
			return "LIMIT ?, 18446744073709551615"
		}
		return "LIMIT ?"
	}
	switch {
	case limit && offset:
		return "LIMIT ? OFFSET ?"
	case offset:
		return "LIMIT ALL OFFSET ?"
	}
	return "LIMIT ?"
}

// in is an IN list of n parameters: IN (?, ?, …).
func in(n int) string {
	return "IN (" + strings.TrimSuffix(strings.Repeat("?, ", n), ", ") + ")"
}

// ------------------------------------------------------------- summaries

// addrIDs is the reference's addr_summary: "u1:[1 2 3]; u2:[4 5 6]".
func addrIDs(users []*User) string {
	parts := make([]string, len(users))
	for i, u := range users {
		ids := make([]int64, len(u.Addresses))
		for j, a := range u.Addresses {
			ids[j] = a.ID
		}
		parts[i] = fmt.Sprintf("u%d:%v", u.ID, ids)
	}
	return strings.Join(parts, "; ")
}

// userIDs is the ids of users in order.
func userIDs(users []*User) []int64 {
	out := make([]int64, len(users))
	for i, u := range users {
		out[i] = u.ID
	}
	return out
}

// allAddrs is the reference's full addr_summary.
const allAddrs = "u1:[1 2 3]; u2:[4 5 6]; u3:[7 8 9]; u4:[10 11 12]; u5:[13 14 15]"

// liveAddrs is allAddrs without the soft-deleted addresses 2 and 8.
const liveAddrs = "u1:[1 3]; u2:[4 5 6]; u3:[7 9]; u4:[10 11 12]; u5:[13 14 15]"

// ordersSummary is the reference's "uk: [(order, [(item, product)…])…]"
// of scenario 3a, with the orders sorted by id (User.Orders has no
// order_by).
func ordersSummary(users []*User) string {
	var b strings.Builder
	for _, u := range users {
		os := append([]*Order(nil), u.Orders...)
		sort.Slice(os, func(i, j int) bool { return os[i].ID < os[j].ID })
		fmt.Fprintf(&b, "u%d:", u.ID)
		for _, o := range os {
			fmt.Fprintf(&b, " (%d,", o.ID)
			for _, it := range o.Items {
				pid := int64(0)
				if it.Product != nil {
					pid = it.Product.ID
				}
				fmt.Fprintf(&b, " %d/%d", it.ID, pid)
			}
			b.WriteString(")")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// refOrders is ordersSummary of the reference's 3a output.
const refOrders = `u1: (1, 1/1 2/2) (2, 3/3 4/4)
u2: (3, 5/1 6/2) (4, 7/3 8/4)
u3: (5, 9/1 10/2) (6, 11/3 12/4)
u4: (7, 13/1 14/2) (8, 15/3 16/4)
u5: (9, 17/1 18/2) (10, 19/3 20/4)
`

// orderIDs is "u1:[1 2] u2:[3 4] …": each user's order ids, sorted.
func orderIDs(users []*User) string {
	parts := make([]string, len(users))
	for i, u := range users {
		ids := make([]int64, len(u.Orders))
		for j, o := range u.Orders {
			ids[j] = o.ID
		}
		sort.Slice(ids, func(a, b int) bool { return ids[a] < ids[b] })
		parts[i] = fmt.Sprintf("u%d:%v", u.ID, ids)
	}
	return strings.Join(parts, " ")
}
