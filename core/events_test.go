package core

import (
	"context"
	"testing"
)

func TestEventsZeroCostAndRemoval(t *testing.T) {
	var ev Events
	allocs := testing.AllocsPerRun(1000, func() {
		if ls := ev.beforeExecute.list(); len(ls) > 0 {
			t.Fatal("no listeners expected")
		}
		if ls := ev.commit.list(); len(ls) > 0 {
			t.Fatal("no listeners expected")
		}
	})
	if allocs != 0 {
		t.Fatalf("dispatch with no listeners allocates %v times", allocs)
	}
	var order []int
	r1 := ev.OnCommit(func(context.Context, *Connection) { order = append(order, 1) })
	r2 := ev.OnCommit(func(context.Context, *Connection) { order = append(order, 2) })
	fireConnLevel(ev.commit.list(), context.Background(), nil)
	r1()
	r1()
	fireConnLevel(ev.commit.list(), context.Background(), nil)
	r2()
	if got := ev.commit.list(); got != nil {
		t.Fatalf("listeners left: %d", len(got))
	}
	if len(order) != 3 || order[0] != 1 || order[1] != 2 || order[2] != 2 {
		t.Fatalf("order %v", order)
	}
}

func TestParseURL(t *testing.T) {
	u, err := ParseURL("postgresql://scott:t%40ger@db:5433/app?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	if u.Scheme != "postgresql" || u.User != "scott" || u.Password != "t@ger" || u.Host != "db" || u.Port != 5433 || u.Database != "app" || u.Query.Get("sslmode") != "disable" {
		t.Fatalf("%+v", u)
	}
	if _, err := ParseURL("no-scheme"); err == nil {
		t.Fatal("want error")
	}
	if got := RedactURL("mysql://u:secret@h/db"); got != "mysql://u:***@h/db" {
		t.Fatal(got)
	}
	if _, err := CreateEngine("nosuch://x"); err == nil {
		t.Fatal("want error for unknown scheme")
	}
}
