package core

import (
	"fmt"
	"testing"
)

func TestSortBySentinel(t *testing.T) {
	rows := func(keys ...any) [][]any {
		out := make([][]any, len(keys))
		for i, k := range keys {
			out[i] = []any{fmt.Sprint("row", i), k}
		}
		return out
	}
	names := func(rs [][]any) string {
		s := ""
		for _, r := range rs {
			s += r[0].(string) + " "
		}
		return s
	}
	for _, c := range []struct {
		in   [][]any
		want string
	}{
		{rows(), ""},
		{rows(int64(1), int64(2), int64(3)), "row0 row1 row2 "},
		{rows(int64(3), int64(1), int64(2)), "row1 row2 row0 "},
		{rows(int32(5), int64(5), int64(4)), "row2 row0 row1 "}, // stable
		{rows("10", "9", []byte("11")), "row1 row0 row2 "},
	} {
		sortBySentinel(c.in, 1)
		if got := names(c.in); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
}

func TestShapeKey(t *testing.T) {
	md := NewMetaData()
	items := []TableItem{Col("id", BigInteger{}, PrimaryKey())}
	for i := range 20 {
		items = append(items, Col(fmt.Sprint("c", i), Integer{}))
	}
	tb := md.MustTable("wide", items...)
	other := md.MustTable("other", Col("id", BigInteger{}, PrimaryKey()))
	cols := tb.Columns()
	key := func(cs []*Column, ret ...Expr) (bulkKey, bool) {
		var k bulkKey
		ok := shapeKey(&k, tb, cs, ret)
		return k, ok
	}
	a, ok1 := key(cols[1:3], cols[0])
	b, ok2 := key(cols[1:3], cols[0])
	c, _ := key(cols[2:4], cols[0])
	d, _ := key(cols[1:3])
	if !ok1 || !ok2 || a != b || a == c || a == d {
		t.Fatalf("narrow keys: %v %v %+v %+v %+v %+v", ok1, ok2, a, b, c, d)
	}
	if a.long != "" {
		t.Errorf("a narrow key allocated: %q", a.long)
	}
	// wider than the key's arrays: the positions go to long
	w1, ok1 := key(cols[1:], cols[0])
	w2, ok2 := key(cols[1:], cols[0])
	w3, _ := key(cols[0:20], cols[0])
	if !ok1 || !ok2 || w1 != w2 || w1 == w3 || w1.long == "" {
		t.Fatalf("wide keys: %+v %+v %+v", w1, w2, w3)
	}
	if _, ok := key([]*Column{other.C("id")}); ok {
		t.Error("a column of another table made a key")
	}
	if _, ok := key(cols[1:2], Literal(1)); ok {
		t.Error("a RETURNING expression made a key")
	}
}

func TestBulkBufPool(t *testing.T) {
	b := getBulkBuf(10)
	if len(b) != 10 {
		t.Fatal(len(b))
	}
	for i := range b {
		b[i] = i
	}
	putBulkBuf(b)
	c := getBulkBuf(5)
	for i, v := range c[:cap(c)] {
		if v != nil {
			t.Fatalf("recycled buffer keeps value %v at %d", v, i)
		}
	}
	putBulkBuf(make([]any, maxPooledBuf+1)) // dropped
}
