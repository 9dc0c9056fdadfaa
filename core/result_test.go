package core

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeRows is an in-memory DriverRows: it hands out the stored values as
// a database/sql driver would into *any destinations.
type fakeRows struct {
	cols   []string
	data   [][]any
	pos    int
	gen    func(i int, dest []any) bool // rows made on the fly (nil: data)
	err    error
	closed int
}

func (f *fakeRows) Columns() []string { return f.cols }
func (f *fakeRows) Next() bool {
	if f.closed > 0 {
		return false
	}
	f.pos++
	if f.gen != nil {
		return true
	}
	if f.pos > len(f.data) {
		return false
	}
	return true
}
func (f *fakeRows) Scan(dest ...any) error {
	if f.gen != nil {
		if !f.gen(f.pos, dest) {
			return errors.New("gen failed")
		}
		return nil
	}
	row := f.data[f.pos-1]
	for i, d := range dest {
		p, ok := d.(*any)
		if !ok {
			return fmt.Errorf("fake: destination %T", d)
		}
		*p = row[i]
	}
	return nil
}
func (f *fakeRows) Err() error   { return f.err }
func (f *fakeRows) Close() error { f.closed++; return nil }

type closeRecorder struct {
	calls int
	err   error
}

func (c *closeRecorder) fn(err error) { c.calls++; c.err = err }

func newFake(cols []ResultColumn, rows ...[]any) (*fakeRows, []ResultColumn) {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	return &fakeRows{cols: names, data: rows}, cols
}

var testDialect = DefaultDialect

func userCols() []ResultColumn {
	return []ResultColumn{{"id", BigInteger{}}, {"name", String{}}, {"active", Boolean{}}}
}

func TestResultRowsByPositionAndName(t *testing.T) {
	f, cols := newFake(userCols(), []any{int64(1), "ann", int64(1)}, []any{int64(2), []byte("bob"), int64(0)})
	var rec closeRecorder
	r := NewResult(f, cols, testDialect, rec.fn)
	rows, err := r.All()
	require.NoError(t, err)
	require.Len(t, rows, 2)
	assert.Equal(t, []any{int64(1), "ann", true}, rows[0].Values())
	v, ok := rows[1].Get("name")
	assert.True(t, ok)
	assert.Equal(t, "bob", v) // MySQL-style []byte becomes a string
	assert.Equal(t, false, rows[1].Index(2))
	assert.Equal(t, 3, rows[1].Len())
	assert.Equal(t, []string{"id", "name", "active"}, rows[1].Columns())
	_, ok = rows[1].Get("nope")
	assert.False(t, ok)
	assert.Equal(t, 1, rec.calls, "onClose once")
	assert.Equal(t, 1, f.closed)
	require.NoError(t, r.Close())
	assert.Equal(t, 1, rec.calls, "onClose still once after Close")
}

func TestResultScanConverts(t *testing.T) {
	f, cols := newFake(userCols(), []any{int64(7), "ann", int64(1)})
	r := NewResult(f, cols, testDialect, nil)
	require.True(t, r.Next())
	var id int32
	var name *string
	var active sql.NullBool
	require.NoError(t, r.Scan(&id, &name, &active))
	assert.Equal(t, int32(7), id)
	assert.Equal(t, "ann", *name)
	assert.Equal(t, sql.NullBool{Bool: true, Valid: true}, active)
	assert.Error(t, r.Scan(&id))
	assert.False(t, r.Next())
	assert.NoError(t, r.Err())
}

func TestResultFirstOneScalar(t *testing.T) {
	mk := func(n int) *Result {
		var rows [][]any
		for i := range n {
			rows = append(rows, []any{int64(i + 1), "x", int64(0)})
		}
		f, cols := newFake(userCols(), rows...)
		return NewResult(f, cols, testDialect, nil)
	}
	row, err := mk(0).First()
	require.NoError(t, err)
	assert.False(t, row.Valid())
	row, err = mk(3).First()
	require.NoError(t, err)
	assert.Equal(t, int64(1), row.Index(0))

	_, err = mk(0).One()
	assert.ErrorIs(t, err, ErrNoResultFound)
	assert.ErrorIs(t, err, sql.ErrNoRows)
	_, err = mk(2).One()
	assert.ErrorIs(t, err, ErrMultipleResultsFound)
	row, err = mk(1).One()
	require.NoError(t, err)
	assert.True(t, row.Valid())

	row, err = mk(0).OneOrNone()
	require.NoError(t, err)
	assert.False(t, row.Valid())
	_, err = mk(2).OneOrNone()
	assert.ErrorIs(t, err, ErrMultipleResultsFound)

	v, err := mk(2).Scalar()
	require.NoError(t, err)
	assert.Equal(t, int64(1), v)
	v, err = mk(0).Scalar()
	require.NoError(t, err)
	assert.Nil(t, v)

	ids, err := Scalars[int](mk(3))
	require.NoError(t, err)
	assert.Equal(t, []int{1, 2, 3}, ids)
	one, err := ScalarOne[int64](mk(1))
	require.NoError(t, err)
	assert.Equal(t, int64(1), one)
	_, err = ScalarOne[int64](mk(0))
	assert.ErrorIs(t, err, ErrNoResultFound)
	_, err = ScalarOne[int64](mk(2))
	assert.ErrorIs(t, err, ErrMultipleResultsFound)

	ms, err := mk(2).Mappings()
	require.NoError(t, err)
	assert.Equal(t, []map[string]any{{"id": int64(1), "name": "x", "active": false}, {"id": int64(2), "name": "x", "active": false}}, ms)
}

func TestResultScalarsNullNeedsNullableT(t *testing.T) {
	f, cols := newFake([]ResultColumn{{"n", Integer{}}}, []any{int64(1)}, []any{nil})
	_, err := Scalars[int64](NewResult(f, cols, testDialect, nil))
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrNull)
	assert.Contains(t, err.Error(), `column "n"`)
	f, cols = newFake([]ResultColumn{{"n", Integer{}}}, []any{int64(1)}, []any{nil})
	got, err := Scalars[*int64](NewResult(f, cols, testDialect, nil))
	require.NoError(t, err)
	assert.Equal(t, int64(1), *got[0])
	assert.Nil(t, got[1])
}

func TestResultPartitions(t *testing.T) {
	var rows [][]any
	for i := range 10 {
		rows = append(rows, []any{int64(i), "x", int64(1)})
	}
	f, cols := newFake(userCols(), rows...)
	var rec closeRecorder
	r := NewResult(f, cols, testDialect, rec.fn)
	var sizes []int
	require.NoError(t, r.Partitions(4, func(p []Row) error { sizes = append(sizes, len(p)); return nil }))
	assert.Equal(t, []int{4, 4, 2}, sizes)
	assert.Equal(t, 1, rec.calls)

	f, cols = newFake(userCols(), rows...)
	r = NewResult(f, cols, testDialect, rec.fn)
	stop := errors.New("stop")
	assert.ErrorIs(t, r.Partitions(3, func([]Row) error { return stop }), stop)
	assert.Equal(t, 1, f.closed)
}

func TestResultIterationErrorReachesOnClose(t *testing.T) {
	f, cols := newFake(userCols(), []any{int64(1), "a", int64(1)})
	boom := errors.New("boom")
	f.err = boom
	var rec closeRecorder
	_, err := NewResult(f, cols, testDialect, rec.fn).All()
	assert.ErrorIs(t, err, boom)
	assert.Equal(t, 1, rec.calls)
	assert.ErrorIs(t, rec.err, boom)
}

func TestExecResult(t *testing.T) {
	r := NewExecResult(ExecResult{RowsAffected: 3, LastInsertID: 9, HasLastInsertID: true})
	assert.Equal(t, int64(3), r.RowsAffected())
	id, ok := r.LastInsertID()
	assert.Equal(t, int64(9), id)
	assert.True(t, ok)
	assert.False(t, r.Next())
	_, err := r.All()
	assert.ErrorIs(t, err, ErrResultClosed)
	assert.NoError(t, r.Close())
}

// ---------------------------------------------------------------- types

type upperType struct{}

func (upperType) TypeName() string { return "Upper" }
func (upperType) Impl() Type       { return String{Length: 10} }
func (upperType) BindValue(v any) (any, error) {
	s, ok := v.(string)
	if !ok {
		return nil, fmt.Errorf("want string, got %T", v)
	}
	return strings.ToUpper(s), nil
}
func (upperType) ResultValue(v any) (any, error) {
	if v == nil {
		return "<null>", nil
	}
	return strings.ToLower(v.(string)), nil
}

func TestTypeDecoratorBothWays(t *testing.T) {
	args, err := ProcessArgs(testDialect, []any{"abc", 1}, upperType{}, Integer{})
	require.NoError(t, err)
	assert.Equal(t, []any{"ABC", 1}, args)
	_, err = ProcessArgs(testDialect, []any{5}, upperType{})
	var ce *ConversionError
	require.ErrorAs(t, err, &ce)
	assert.Contains(t, err.Error(), "Upper")

	f, cols := newFake([]ResultColumn{{"u", upperType{}}}, []any{[]byte("ABC")}, []any{nil})
	got, err := Scalars[string](NewResult(f, cols, testDialect, nil))
	require.NoError(t, err)
	assert.Equal(t, []string{"abc", "<null>"}, got)
}

func TestProcessArgsNoChangeNoAlloc(t *testing.T) {
	args := []any{int64(1), "x", 2.5, nil}
	types := []Type{BigInteger{}, String{}, Double{}, Integer{}}
	out, err := ProcessArgs(testDialect, args, types...)
	require.NoError(t, err)
	assert.Equal(t, &args[0], &out[0], "same slice when nothing changes")
	if !raceEnabled {
		n := testing.AllocsPerRun(100, func() { _, _ = ProcessArgs(testDialect, args, types...) })
		assert.Zero(t, n)
		n = testing.AllocsPerRun(100, func() { _, _ = ProcessArgs(testDialect, args) })
		assert.Zero(t, n)
	}
}

func TestEnumValidatedOnBind(t *testing.T) {
	mood := Enum{Name: "mood", Values: []string{"happy", "sad"}}
	type Mood string
	out, err := ProcessArgs(testDialect, []any{Mood("sad")}, mood)
	require.NoError(t, err)
	assert.Equal(t, []any{"sad"}, out)
	_, err = ProcessArgs(testDialect, []any{"angry"}, mood)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `enum "mood"`)
	assert.Contains(t, err.Error(), `"angry"`)
}

func TestGenericBindConversions(t *testing.T) {
	u := uuid.MustParse("0b8a4bce-1f42-4a8a-9c59-5f0b7f4b7e01")
	d := decimal.RequireFromString("12345678901234567890.123456789")
	tz := time.FixedZone("IST", 5*3600+1800)
	at := time.Date(2024, 3, 1, 10, 30, 0, 0, tz)
	cases := []struct {
		name string
		t    Type
		in   any
		want any
	}{
		{"uuid hex without dashes", UUID{}, u, "0b8a4bce1f424a8a9c595f0b7f4b7e01"},
		{"uuid text", UUID{}, u.String(), "0b8a4bce1f424a8a9c595f0b7f4b7e01"},
		{"decimal exact text", Numeric{38, 20}, d, "12345678901234567890.123456789"},
		{"null decimal", Numeric{}, decimal.NullDecimal{}, nil},
		{"json object", JSON{}, map[string]any{"a": []int{1, 2}}, `{"a":[1,2]}`},
		{"json string is a document", JSON{}, "x", `"x"`},
		{"json raw", JSON{}, json.RawMessage(`[1]`), `[1]`},
		{"interval as epoch offset", Interval{}, 90 * time.Minute, Epoch.Add(90 * time.Minute)},
		{"tz datetime in UTC", DateTime{Timezone: true}, at, at.UTC()},
		{"time of day", Time{}, at, "10:30:00.000000"},
		{"nil pointer", String{}, (*string)(nil), nil},
		{"named int", Integer{}, time.Month(3), int64(3)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := ProcessArgs(testDialect, []any{c.in}, c.t)
			require.NoError(t, err)
			assert.Equal(t, c.want, out[0])
		})
	}
	_, err := ProcessArgs(testDialect, []any{1.5}, Numeric{})
	assert.Error(t, err, "float64 into Numeric is refused")
}

func TestGenericResultConversions(t *testing.T) {
	u := uuid.MustParse("0b8a4bce-1f42-4a8a-9c59-5f0b7f4b7e01")
	at := time.Date(2024, 3, 1, 5, 0, 0, 123456000, time.UTC)
	cases := []struct {
		name string
		t    Type
		in   any
		want any
	}{
		{"int from text", BigInteger{}, []byte("-9223372036854775808"), int64(math.MinInt64)},
		{"int from int32", Integer{}, int32(5), int64(5)},
		{"float from text", Double{}, []byte("1.5"), 1.5},
		{"decimal from text", Numeric{}, []byte("0.00000000000000000001"), decimal.RequireFromString("1e-20")},
		{"bool from int", Boolean{}, int64(1), true},
		{"bool from text", Boolean{}, []byte("0"), false},
		{"uuid from hex", UUID{}, "0b8a4bce1f424a8a9c595f0b7f4b7e01", u},
		{"uuid from bytes16", UUID{}, u[:], u},
		{"uuid from [16]byte", UUID{}, [16]byte(u), u},
		{"datetime from sqlite text", DateTime{}, "2024-03-01 05:00:00.123456", at},
		{"tz datetime in UTC", DateTime{Timezone: true}, at.In(time.FixedZone("x", 3600)), at},
		{"date", Date{}, "1901-12-31", time.Date(1901, 12, 31, 0, 0, 0, 0, time.UTC)},
		{"time", Time{}, []byte("13:14:15"), time.Date(0, 1, 1, 13, 14, 15, 0, time.UTC)},
		{"interval from epoch", Interval{}, Epoch.Add(-time.Hour), -time.Hour},
		{"interval from text", Interval{}, "1970-01-02 00:00:00.000000", 24 * time.Hour},
		{"enum from bytes", Enum{Values: []string{"a"}}, []byte("a"), "a"},
		{"json raw", JSON{}, []byte(`{"a":1}`), json.RawMessage(`{"a":1}`)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := resultValue(nil, c.t, c.in)
			require.NoError(t, err)
			if want, ok := c.want.(decimal.Decimal); ok {
				assert.True(t, want.Equal(out.(decimal.Decimal)), "%v", out)
				return
			}
			if want, ok := c.want.(time.Time); ok {
				assert.True(t, want.Equal(out.(time.Time)), "%v", out)
				return
			}
			assert.Equal(t, c.want, out)
		})
	}
}

func TestLargeBinaryIsCopied(t *testing.T) {
	buf := []byte("driver memory")
	f, cols := newFake([]ResultColumn{{"b", LargeBinary{}}}, []any{buf})
	r := NewResult(f, cols, testDialect, nil)
	row, err := r.One()
	require.NoError(t, err)
	buf[0] = 'X'
	assert.Equal(t, []byte("driver memory"), row.Index(0))
}

func TestJSONDecodesIntoRowsAndDestinations(t *testing.T) {
	doc := []byte(`{"name":"ann","tags":["a","b"],"n":{"deep":[1,{"x":null}]}}`)
	cols := []ResultColumn{{"doc", JSON{}}}
	f, _ := newFake(cols, []any{doc})
	row, err := NewResult(f, cols, testDialect, nil).One()
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"name": "ann", "tags": []any{"a", "b"}, "n": map[string]any{"deep": []any{1.0, map[string]any{"x": nil}}}}, row.Index(0))

	type Doc struct {
		Name string   `json:"name"`
		Tags []string `json:"tags"`
	}
	f, _ = newFake(cols, []any{doc})
	r := NewResult(f, cols, testDialect, nil)
	require.True(t, r.Next())
	var d Doc
	require.NoError(t, r.Scan(&d))
	assert.Equal(t, Doc{Name: "ann", Tags: []string{"a", "b"}}, d)
	r.Close()
}

// ---------------------------------------------------------------- structs

type Audit struct {
	CreatedAt time.Time
	UpdatedBy *string
}

type Base struct {
	ID int64 `db:"id"`
}

type scanUser struct {
	Base
	*Audit
	Name     string
	Email    sql.NullString
	HTTPCode int32
	Skip     string `db:"-"`
	Nick     string `db:"nickname"`
	private  int
}

func TestToSnakeCase(t *testing.T) {
	for in, want := range map[string]string{"ID": "id", "UserID": "user_id", "HTTPCode": "http_code", "CreatedAt": "created_at", "A1B": "a1_b", "name": "name"} {
		assert.Equal(t, want, ToSnakeCase(in), in)
	}
}

func structCols() []ResultColumn {
	return []ResultColumn{{"id", BigInteger{}}, {"name", String{}}, {"email", String{}}, {"http_code", Integer{}},
		{"nickname", String{}}, {"created_at", DateTime{}}, {"updated_by", String{}}, {"extra", String{}}}
}

func TestScanStructsByColumnName(t *testing.T) {
	at := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	f, cols := newFake(structCols(),
		[]any{int64(1), "ann", nil, int64(200), "a", at, "root", "ignored"},
		[]any{int64(2), "bob", "b@x", int64(404), "b", at, nil, "ignored"})
	users, err := ScanAll[scanUser](NewResult(f, cols, testDialect, nil))
	require.NoError(t, err)
	require.Len(t, users, 2)
	assert.Equal(t, int64(1), users[0].ID)
	assert.Equal(t, "ann", users[0].Name)
	assert.False(t, users[0].Email.Valid)
	assert.Equal(t, int32(200), users[0].HTTPCode)
	assert.Equal(t, "a", users[0].Nick)
	require.NotNil(t, users[0].Audit, "embedded pointer allocated")
	assert.Equal(t, at, users[0].CreatedAt)
	assert.Equal(t, "root", *users[0].UpdatedBy)
	assert.Equal(t, "b@x", users[1].Email.String)
	assert.Nil(t, users[1].UpdatedBy)

	f, cols = newFake(structCols(), []any{int64(1), "ann", nil, int64(200), "a", at, "root", "x"})
	u, err := ScanOne[*scanUser](NewResult(f, cols, testDialect, nil))
	require.NoError(t, err)
	assert.Equal(t, "ann", u.Name)

	f, cols = newFake(structCols())
	_, err = ScanOne[scanUser](NewResult(f, cols, testDialect, nil))
	assert.ErrorIs(t, err, ErrNoResultFound)

	_, err = ScanAll[int](NewResult(&fakeRows{cols: []string{"x"}}, nil, testDialect, nil))
	var ae *ArgumentError
	assert.ErrorAs(t, err, &ae)
}

func TestScanStructNullIntoNonNullableNamesStructFieldColumn(t *testing.T) {
	f, cols := newFake(structCols(), []any{int64(1), nil, nil, int64(200), "a", time.Now(), nil, nil})
	_, err := ScanAll[scanUser](NewResult(f, cols, testDialect, nil))
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrNull)
	msg := err.Error()
	assert.Contains(t, msg, "core.scanUser")
	assert.Contains(t, msg, ".Name")
	assert.Contains(t, msg, `column "name"`)
}

func TestScanStructPlanIsCachedAndAllocationFree(t *testing.T) {
	type row struct {
		ID   int64
		Name string
		Ok   bool
		N    int
	}
	cols := []ResultColumn{{"id", BigInteger{}}, {"name", String{}}, {"ok", Boolean{}}, {"n", Integer{}}}
	vals := []any{int64(1), "ann", true, int64(5)}
	f := &fakeRows{cols: []string{"id", "name", "ok", "n"}, gen: func(_ int, dest []any) bool {
		for i, d := range dest {
			*(d.(*any)) = vals[i]
		}
		return true
	}}
	r := NewResult(f, cols, testDialect, nil)
	var x row
	require.True(t, r.Next())
	require.NoError(t, r.ScanStruct(&x))
	assert.Equal(t, row{1, "ann", true, 5}, x)
	p1 := r.plan
	r2 := NewResult(&fakeRows{cols: f.cols, gen: f.gen}, cols, testDialect, nil)
	require.True(t, r2.Next())
	require.NoError(t, r2.ScanStruct(&x))
	assert.Same(t, p1, r2.plan, "plan shared through the cache")
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under -race")
	}
	n := testing.AllocsPerRun(1000, func() {
		r.Next()
		if err := r.ScanStruct(&x); err != nil {
			t.Fatal(err)
		}
	})
	assert.Zero(t, n, "planned struct scan allocates per row")
}

func BenchmarkScanStruct(b *testing.B) {
	type row struct {
		ID   int64
		Name string
		Ok   bool
		N    int
	}
	cols := []ResultColumn{{"id", BigInteger{}}, {"name", String{}}, {"ok", Boolean{}}, {"n", Integer{}}}
	vals := []any{int64(1), "ann", true, int64(5)}
	f := &fakeRows{cols: []string{"id", "name", "ok", "n"}, gen: func(_ int, dest []any) bool {
		for i, d := range dest {
			*(d.(*any)) = vals[i]
		}
		return true
	}}
	r := NewResult(f, cols, testDialect, nil)
	var x row
	b.ReportAllocs()
	for b.Loop() {
		r.Next()
		if err := r.ScanStruct(&x); err != nil {
			b.Fatal(err)
		}
	}
}

func TestResultWrapsDriverErrorsWithStatement(t *testing.T) {
	f, cols := newFake(userCols(), []any{int64(1), "a", int64(1)})
	boom := errors.New("boom")
	f.err = boom
	var rec closeRecorder
	r := NewResult(f, cols, testDialect, rec.fn).SetStatement("SELECT 1", []any{7}, false)
	_, err := r.All()
	var dbe *DBError
	require.ErrorAs(t, err, &dbe)
	assert.ErrorIs(t, err, boom)
	assert.Contains(t, err.Error(), "[SQL: SELECT 1]")
	assert.ErrorAs(t, rec.err, &dbe, "onClose sees the wrapped error")
}

func TestCompiledArgTypesSameFromCacheAndInferredLeftNil(t *testing.T) {
	md := NewMetaData()
	tbl := md.MustTable("argtypes_t", Col("id", Integer{}, PrimaryKey()), Col("doc", JSON{}),
		Col("feel", Enum{Name: "mood", Values: []string{"a", "b"}}))
	stmt := func(v any) Statement {
		return Select(tbl.C("id")).Where(tbl.C("feel").Eq("a"), tbl.C("doc").Eq(Bind(v, nil)))
	}
	want := []Type{Enum{Name: "mood", Values: []string{"a", "b"}}, nil}
	c, err := Compile(testDialect, stmt(map[string]any{"k": 1}))
	require.NoError(t, err)
	assert.Equal(t, want, c.ArgTypes)
	sc := NewStatementCache(10)
	for _, v := range []any{map[string]any{"k": 1}, "plain"} {
		c, err := sc.Compile(testDialect, stmt(v))
		require.NoError(t, err)
		assert.Equal(t, want, c.ArgTypes)
		args, err := ProcessArgs(testDialect, c.Args, c.ArgTypes...)
		require.NoError(t, err)
		if s, ok := v.(string); ok {
			assert.Equal(t, s, args[1], "an inferred bind is processed by its own value, not the first one cached")
		}
	}
	hits, _ := sc.Stats()
	assert.Equal(t, uint64(1), hits)
}
