package core

import (
	"strings"
	"testing"
)

func TestAliasAdaptRewritesOnlyTheAliasedTable(t *testing.T) {
	md := NewMetaData()
	users := md.MustTable("users", Col("id", Integer{}, PrimaryKey()), Col("name", String{Length: 30}))
	addrs := md.MustTable("addresses", Col("id", Integer{}, PrimaryKey()), Col("user_id", Integer{}, References("users.id")), Col("email", String{Length: 50}))
	a := addrs.Alias("")
	cond := And(users.C("id").Eq(addrs.C("user_id")), Coalesce(addrs.C("email"), "x").Like("%@x%"), addrs.C("id").In(1, 2), Not(addrs.C("id").Between(3, 4)))
	got := Select(users.C("id"), a.C("email")).From(users).OuterJoin(a, a.Adapt(cond)).String()
	want := "SELECT users.id, addresses_1.email \nFROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id AND coalesce(addresses_1.email, :param_1) LIKE :param_2 AND addresses_1.id IN (:id_3, :id_4) AND addresses_1.id NOT BETWEEN :param_5 AND :param_6"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	// the original is untouched
	if s := Select(users.C("id")).Where(cond).String(); strings.Contains(s, "addresses_1") {
		t.Fatalf("original changed: %s", s)
	}
	// an expression without the table's columns comes back as it is
	e := users.C("name").Eq("x")
	if a.Adapt(e) != e {
		t.Fatal("an expression without aliased columns was copied")
	}
}

func TestSubqueryAdaptFollowsLabelsAndProxies(t *testing.T) {
	md := NewMetaData()
	users := md.MustTable("users", Col("id", Integer{}, PrimaryKey()), Col("name", String{Length: 30}))
	inner := Select(users.C("id").Label("users_id"), users.C("name").Label("users_name")).From(users).OrderBy(users.C("id")).Limit(2)
	sq := inner.Subquery("")
	if sq.Corresponding(users.C("id")) != sq.C("users_id") || sq.Corresponding(users.C("name")) != sq.C("users_name") {
		t.Fatal("Corresponding did not find the labelled columns")
	}
	got := Select(sq.Columns()[0], sq.Columns()[1]).From(sq).OrderBy(sq.Adapt(users.C("id").Desc())).String()
	want := "SELECT anon_1.users_id, anon_1.users_name \nFROM (SELECT users.id AS users_id, users.name AS users_name \nFROM users ORDER BY users.id \n LIMIT :param_1) AS anon_1 ORDER BY anon_1.users_id DESC"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	// a column the subquery does not export is kept
	other := md.MustTable("other", Col("id", Integer{}, PrimaryKey()))
	if sq.Corresponding(other.C("id")) != nil {
		t.Fatal("a foreign column corresponded")
	}
}

func TestAdaptEntersCorrelatedSubqueries(t *testing.T) {
	md := NewMetaData()
	users := md.MustTable("users", Col("id", Integer{}, PrimaryKey()), Col("name", String{Length: 30}))
	addrs := md.MustTable("addresses", Col("id", Integer{}, PrimaryKey()), Col("user_id", Integer{}, References("users.id")))
	count := Select(Count()).From(addrs).Where(addrs.C("user_id").Eq(users.C("id"))).Correlate(users).ScalarSubquery()
	u2 := users.Alias("u2")
	got := Select(u2.C("id"), u2.Adapt(count).Label("n")).From(u2).Join(addrs, addrs.C("user_id").Eq(u2.C("id"))).String()
	want := "SELECT u2.id, (SELECT count(*) AS count_1 \nFROM addresses \nWHERE addresses.user_id = u2.id) AS n \nFROM users AS u2 JOIN addresses ON addresses.user_id = u2.id"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	in := users.C("id").In(Select(addrs.C("user_id")).From(addrs).Where(addrs.C("id").Gt(users.C("id"))))
	if s := Select(u2.C("id")).From(u2).Where(u2.Adapt(in)).String(); !strings.Contains(s, "addresses.id > u2.id") {
		t.Fatalf("IN subquery not adapted: %s", s)
	}
}

func TestBindFuncIsCalledPerStatementThroughTheCache(t *testing.T) {
	md := NewMetaData()
	users := md.MustTable("users", Col("id", Integer{}, PrimaryKey()))
	cache := NewStatementCache(8)
	stmt := func(v *int) *SelectStmt {
		return Select(users.C("id")).Where(users.C("id").Eq(BindFunc(func() any { return *v }, Integer{})))
	}
	a, b := 10, 20
	for _, c := range []struct {
		v    *int
		want int
	}{{&a, 10}, {&b, 20}, {&a, 10}} {
		got, err := cache.Compile(DefaultDialect, stmt(c.v))
		if err != nil || len(got.Args) != 1 || got.Args[0] != c.want {
			t.Fatalf("args %v (%v), want %d", got.Args, err, c.want)
		}
	}
	a = 11 // read when the statement is compiled for execution
	got, _ := cache.Compile(DefaultDialect, stmt(&a))
	if got.Args[0] != 11 {
		t.Fatalf("args %v", got.Args)
	}
}
