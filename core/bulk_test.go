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

// keyRows is a DriverRows of one integer column.
type keyRows struct {
	keys []int64
	i    int
}

func (r *keyRows) Columns() []string { return []string{"id"} }
func (r *keyRows) Next() bool        { r.i++; return r.i <= len(r.keys) }
func (r *keyRows) Err() error        { return nil }
func (r *keyRows) Close() error      { return nil }
func (r *keyRows) Scan(dest ...any) error {
	*dest[0].(*int64) = r.keys[r.i-1]
	return nil
}

// readKeys appends a batch's keys in the order of their values (the rows
// of a multi-row INSERT … RETURNING may come back in another order),
// leaving earlier batches as they were, and the buffered rows read them
// back directly or converted.
func TestReadKeysSortsEachBatch(t *testing.T) {
	c := &Connection{}
	var rs returningReader
	rs.buf.keys = make([]int64, 0, 6)
	if err := c.readKeys(t.Context(), Compiled{}, &keyRows{keys: []int64{7, 5, 6}}, &rs); err != nil {
		t.Fatal(err)
	}
	if err := c.readKeys(t.Context(), Compiled{}, &keyRows{keys: []int64{9, 8, 10}}, &rs); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(rs.buf.keys); got != "[5 6 7 8 9 10]" {
		t.Fatalf("keys %s", got)
	}
	b := &rs.buf
	var direct int64
	var conv int32
	var boxed any
	if !b.Next() || !b.DirectOK(0, DirectInt64) || b.DirectOK(0, DirectString) {
		t.Fatal("no direct path for the keys")
	}
	if ok, err := b.ScanDirect([]any{&direct}); !ok || err != nil || direct != 5 {
		t.Fatalf("ScanDirect: %v %v %d", ok, err, direct)
	}
	if ok, _ := b.ScanDirect([]any{&conv}); ok {
		t.Fatal("ScanDirect into an int32")
	}
	if err := b.Scan(&conv); err != nil || conv != 5 {
		t.Fatalf("Scan into int32: %v %d", err, conv)
	}
	if !b.Next() || b.Scan(&boxed) != nil || boxed != int64(6) {
		t.Fatalf("Scan into any: %v", boxed)
	}
	if err := b.Scan(&direct, &boxed); err == nil {
		t.Fatal("two destinations for one column")
	}
	for b.Next() {
	}
	if b.i != 6 {
		t.Fatalf("%d rows", b.i)
	}
	var plain bufferedRows
	if plain.DirectOK(0, DirectInt64) {
		t.Fatal("direct path without keys")
	}
}
