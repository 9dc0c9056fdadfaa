package types_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"reflect"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	_ "github.com/retort-orm/retort/dialect/mysql"
	_ "github.com/retort-orm/retort/dialect/postgresql"
	_ "github.com/retort-orm/retort/dialect/sqlite"
	"github.com/retort-orm/retort/internal/testdb"
)

func open(t *testing.T, b testdb.Backend) *core.Engine {
	t.Helper()
	e, err := core.CreateEngine(testdb.EngineURL(t, b))
	require.NoError(t, err)
	t.Cleanup(func() { e.Close() })
	return e
}

var seq atomic.Int64

func tableName(prefix string) string {
	return fmt.Sprintf("%s_%d_%d", prefix, os.Getpid()%100000, seq.Add(1))
}

// column is one generic type under test with its edge values.
type column struct {
	name string
	typ  core.Type
	vals []any
}

var mood = core.Enum{Name: "mood", Values: []string{"happy", "sad", "so-so"}}

func columns() []column {
	ist := time.FixedZone("IST", 5*3600+30*60)
	blob := make([]byte, 1<<20)
	for i := range blob {
		blob[i] = byte(i * 7)
	}
	long := strings.Repeat("long text é😀 ", 3_000) // under MySQL TEXT's 64 KB
	return []column{
		{"big", core.BigInteger{}, []any{int64(math.MaxInt64), int64(math.MinInt64), int64(0), int64(-1)}},
		{"i32", core.Integer{}, []any{int32(math.MaxInt32), int32(math.MinInt32), int32(0)}},
		{"small", core.SmallInteger{}, []any{int16(math.MaxInt16), int16(math.MinInt16)}},
		// Numeric(38,20) holds 18 integer digits: 12345678901234567890.123456789
		// (20 of them) needs its own scale, so it has a Numeric(38,9) column.
		{"num20", core.Numeric{Precision: 38, Scale: 20}, []any{
			decimal.RequireFromString("1e-20"), decimal.RequireFromString("-0.00000000000000000001"),
			decimal.RequireFromString("123456789012345678.12345678901234567890"), decimal.Zero,
			decimal.RequireFromString("-42.5"),
		}},
		{"num9", core.Numeric{Precision: 38, Scale: 9}, []any{decimal.RequireFromString("12345678901234567890.123456789")}},
		{"dbl", core.Double{}, []any{math.MaxFloat64, -math.MaxFloat64, 2.2250738585072014e-308, 0.1, math.Pi, 0.0, -1e300}},
		{"str", core.String{Length: 200}, []any{"", "plain", "héllo wörld ñ ß 中文 日本語", "emoji 😀👍🏽🏳️‍🌈", "ctl \t\r\n\x01\x1f\x7f end", "quote ' \" \\ ; --"}},
		{"txt", core.Text{}, []any{"", long}},
		{"flag", core.Boolean{}, []any{true, false}},
		{"dt", core.DateTime{}, []any{
			time.Date(2024, 2, 29, 13, 14, 15, 0, time.UTC), time.Date(1969, 7, 20, 20, 17, 40, 0, time.UTC),
			time.Date(1901, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC),
		}},
		{"dttz", core.DateTime{Timezone: true}, []any{
			time.Date(2024, 3, 1, 10, 30, 0, 0, ist), time.Date(1960, 1, 1, 5, 0, 0, 0, ist),
			time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC),
		}},
		{"day", core.Date{}, []any{time.Date(1950, 6, 15, 0, 0, 0, 0, time.UTC), time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), time.Date(1000, 1, 1, 0, 0, 0, 0, time.UTC)}},
		{"tod", core.Time{}, []any{time.Date(0, 1, 1, 13, 14, 15, 0, time.UTC), time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(0, 1, 1, 23, 59, 59, 0, time.UTC)}},
		{"span", core.Interval{}, []any{90 * time.Minute, -time.Hour, 36*time.Hour + time.Second, time.Duration(0), 400 * 24 * time.Hour}},
		{"bin", core.LargeBinary{}, []any{[]byte{0, 1, 2, 0xff, 0}, []byte{}, blob}},
		{"doc", core.JSON{}, []any{
			map[string]any{"a": 1.0, "b": "x"}, []any{1.0, "two", nil, true}, map[string]any{"n": map[string]any{"deep": []any{map[string]any{"k": "v😀"}}}},
			"just a string", 12.5, map[string]any{},
		}},
		{"uid", core.UUID{}, []any{uuid.MustParse("0b8a4bce-1f42-4a8a-9c59-5f0b7f4b7e01"), uuid.Nil, uuid.New()}},
		{"feel", mood, []any{"happy", "so-so"}},
	}
}

func setupTable(t *testing.T, e *core.Engine, cols []column) *core.Table {
	t.Helper()
	md := core.NewMetaData()
	items := []core.TableItem{core.Col("id", core.Integer{}, core.PrimaryKey(), core.Autoincrement(false))}
	for _, c := range cols {
		items = append(items, core.Col(c.name, c.typ))
	}
	tbl, err := md.NewTable(tableName("rt_types"), items...)
	require.NoError(t, err)
	ctx := context.Background()
	require.NoError(t, e.CreateAll(ctx, md, true))
	t.Cleanup(func() { _ = e.DropAll(context.Background(), md, true) })
	return tbl
}

// needsTypes lists the columns whose values are bound correctly only when
// the engine hands the statement's bind types to core.ProcessArgs.
func needsTypes(col string, v any) bool {
	switch col {
	case "doc": // a JSON string document looks like plain text
		_, isString := v.(string)
		return isString
	case "dttz": // SQLite stores text: only the column type says to convert to UTC
		return v.(time.Time).Location() != time.UTC
	case "tod": // a time.Time is a DateTime unless the column says Time
		return true
	}
	return false
}

const noTypes = "the engine calls core.ProcessArgs(d, compiled.Args) without compiled.ArgTypes... " +
	"(core/connection.go run and readBatch), so bind values are converted by Go type only: " +
	"timezone-aware DateTime on SQLite, JSON strings, Time on MySQL and Enum validation need the column types"

// bindsTypes reports whether the engine passes bind types to
// core.ProcessArgs: with them an invalid Enum value is refused before I/O.
func bindsTypes(t *testing.T, e *core.Engine, tbl *core.Table) bool {
	t.Helper()
	_, err := e.Execute(context.Background(), core.Insert(tbl).Values(map[string]any{"id": 999_999, "feel": "xx"}))
	if err == nil {
		_, _ = e.Execute(context.Background(), core.Delete(tbl).Where(tbl.C("id").Eq(999_999)))
		return false
	}
	var ce *core.ConversionError
	require.ErrorAs(t, err, &ce)
	return true
}

// equal compares a value read back with the value written.
func equal(t *testing.T, typ core.Type, want, got any, msg string) {
	t.Helper()
	switch w := want.(type) {
	case decimal.Decimal:
		g, ok := got.(decimal.Decimal)
		if assert.True(t, ok, "%s: got %T", msg, got) {
			assert.True(t, w.Equal(g), "%s: want %s got %s", msg, w, g)
		}
		return
	case time.Time:
		g, ok := got.(time.Time)
		if assert.True(t, ok, "%s: got %T", msg, got) {
			assert.True(t, w.Equal(g), "%s: want %s got %s", msg, w, g)
		}
		return
	case int32:
		want = int64(w)
	case int16:
		want = int64(w)
	}
	if _, isJSON := typ.(core.JSON); isJSON {
		b, _ := json.Marshal(want)
		var norm any
		_ = json.Unmarshal(b, &norm)
		want = norm
	}
	assert.Equal(t, want, got, msg)
}

// fits reports whether a backend keeps v exactly (SQLite's NUMERIC keeps
// 15 significant digits, as its core.DecimalDigits says).
func fits(d core.Dialect, v any) bool {
	dd, ok := d.(core.DecimalDigits)
	dec, isDec := v.(decimal.Decimal)
	if !ok || !isDec {
		return true
	}
	digits := len(strings.TrimLeft(strings.ReplaceAll(strings.TrimLeft(dec.Abs().String(), "0."), ".", ""), "0"))
	return digits <= dd.DecimalDigits()
}

func TestRoundTrip(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e := open(t, b)
		cols := columns()
		tbl := setupTable(t, e, cols)
		ctx := context.Background()
		id := 0
		typed := bindsTypes(t, e, tbl)
		for _, c := range cols {
			t.Run(c.name, func(t *testing.T) {
				for i, v := range c.vals {
					if !typed && needsTypes(c.name, v) {
						t.Logf("value %d (%v) skipped: %s", i, v, noTypes)
						continue
					}
					if !fits(e.Dialect(), v) {
						t.Logf("value %d (%v) has more digits than %s keeps exactly; skipped", i, v, e.Dialect().Name())
						continue
					}
					id++
					_, err := e.Execute(ctx, core.Insert(tbl).Values(map[string]any{"id": id, c.name: v}))
					require.NoError(t, err, "insert value %d", i)
					msg := fmt.Sprintf("%s value %d", c.name, i)

					// as a Row value
					res, err := e.Execute(ctx, core.Select(tbl.C(c.name)).Where(tbl.C("id").Eq(id)))
					require.NoError(t, err)
					got, err := res.Scalar()
					require.NoError(t, err, msg)
					equal(t, c.typ, v, got, msg)

					// scanned into the Go type written
					res, err = e.Execute(ctx, core.Select(tbl.C(c.name)).Where(tbl.C("id").Eq(id)))
					require.NoError(t, err)
					require.True(t, res.Next(), msg)
					dest := reflect.New(reflect.TypeOf(v))
					require.NoError(t, res.Scan(dest.Interface()), msg)
					require.NoError(t, res.Close())
					switch w := v.(type) {
					case decimal.Decimal, time.Time:
						equal(t, c.typ, v, dest.Elem().Interface(), msg+" (Scan)")
					case []byte:
						assert.True(t, bytes.Equal(w, dest.Elem().Bytes()), msg+" (Scan)")
					default:
						assert.Equal(t, v, dest.Elem().Interface(), msg+" (Scan)")
					}
				}
			})
		}

		t.Run("NULL", func(t *testing.T) {
			id++
			_, err := e.Execute(ctx, core.Insert(tbl).Values(map[string]any{"id": id}))
			require.NoError(t, err)
			res, err := e.Execute(ctx, core.Select(tbl).Where(tbl.C("id").Eq(id)))
			require.NoError(t, err)
			row, err := res.One()
			require.NoError(t, err)
			for _, c := range cols {
				v, ok := row.Get(c.name)
				assert.True(t, ok, c.name)
				assert.Nil(t, v, c.name)
			}
			// NULL into a pointer of each Go type, and into a non-pointer: an error
			for _, c := range cols {
				res, err := e.Execute(ctx, core.Select(tbl.C(c.name)).Where(tbl.C("id").Eq(id)))
				require.NoError(t, err)
				require.True(t, res.Next())
				p := reflect.New(reflect.PointerTo(reflect.TypeOf(c.vals[0])))
				p.Elem().Set(reflect.New(reflect.TypeOf(c.vals[0])))
				require.NoError(t, res.Scan(p.Interface()), c.name)
				assert.True(t, p.Elem().IsNil(), c.name)
				require.NoError(t, res.Close())
			}
			res, err = e.Execute(ctx, core.Select(tbl.C("big")).Where(tbl.C("id").Eq(id)))
			require.NoError(t, err)
			_, err = core.ScalarOne[int64](res)
			assert.ErrorIs(t, err, core.ErrNull)
		})

		t.Run("EnumRejectsUnknownValue", func(t *testing.T) {
			if !typed {
				t.Skip(noTypes)
			}
			_, err := e.Execute(ctx, core.Insert(tbl).Values(map[string]any{"id": 100000, "feel": "angry"}))
			require.Error(t, err)
			assert.Contains(t, err.Error(), `enum "mood"`)
			assert.Contains(t, err.Error(), `"angry"`)
		})

		t.Run("TimezoneKeepsInstant", func(t *testing.T) {
			if !typed {
				t.Skip(noTypes)
			}
			ist := time.FixedZone("IST", 5*3600+30*60)
			at := time.Date(2024, 3, 1, 10, 30, 0, 0, ist)
			id++
			_, err := e.Execute(ctx, core.Insert(tbl).Values(map[string]any{"id": id, "dttz": at}))
			require.NoError(t, err)
			res, err := e.Execute(ctx, core.Select(tbl.C("dttz")).Where(tbl.C("id").Eq(id)))
			require.NoError(t, err)
			got, err := core.ScalarOne[time.Time](res)
			require.NoError(t, err)
			assert.True(t, got.Equal(at), "want %s got %s", at, got)
			assert.Equal(t, time.UTC, got.Location())
			assert.Equal(t, "2024-03-01 05:00:00", got.Format("2006-01-02 15:04:05"))
		})
	})
}

// record is a row of the types table scanned by column name.
type record struct {
	ID   int64
	Big  *int64
	Str  *string
	Num9 decimal.NullDecimal
	Dttz *time.Time
	Uid  *uuid.UUID
	Flag *bool
	Doc  map[string]any
	Span *time.Duration
	Feel *string
}

func TestScanStructs(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e := open(t, b)
		tbl := setupTable(t, e, columns())
		ctx := context.Background()
		u := uuid.New()
		at := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
		_, err := e.Execute(ctx, core.Insert(tbl).Values(map[string]any{
			"id": 1, "big": int64(7), "str": "s", "num9": decimal.RequireFromString("1.5"), "dttz": at,
			"uid": u, "flag": true, "doc": map[string]any{"k": "v"}, "span": time.Minute, "feel": "sad",
		}))
		require.NoError(t, err)
		_, err = e.Execute(ctx, core.Insert(tbl).Values(map[string]any{"id": 2}))
		require.NoError(t, err)
		res, err := e.Execute(ctx, core.Select(tbl).OrderBy(tbl.C("id")))
		require.NoError(t, err)
		recs, err := core.ScanAll[record](res)
		require.NoError(t, err)
		require.Len(t, recs, 2)
		r := recs[0]
		assert.Equal(t, int64(7), *r.Big)
		assert.Equal(t, "s", *r.Str)
		assert.True(t, r.Num9.Valid && r.Num9.Decimal.Equal(decimal.RequireFromString("1.5")))
		assert.True(t, r.Dttz.Equal(at))
		assert.Equal(t, u, *r.Uid)
		assert.True(t, *r.Flag)
		assert.Equal(t, map[string]any{"k": "v"}, r.Doc)
		assert.Equal(t, time.Minute, *r.Span)
		assert.Equal(t, "sad", *r.Feel)
		n := recs[1]
		assert.Nil(t, n.Big)
		assert.False(t, n.Num9.Valid)
		assert.Nil(t, n.Doc)
		assert.Nil(t, n.Uid)

		// a NULL into a non-nullable field names the struct, the field and the column
		type strict struct {
			ID  int64
			Big int64
		}
		res, err = e.Execute(ctx, core.Select(tbl.C("id"), tbl.C("big")).Where(tbl.C("id").Eq(2)))
		require.NoError(t, err)
		_, err = core.ScanOne[strict](res)
		require.Error(t, err)
		assert.ErrorIs(t, err, core.ErrNull)
		assert.Contains(t, err.Error(), "types_test.strict.Big")
		assert.Contains(t, err.Error(), `column "big"`)
	})
}

// TestStreamingBoundedMemory streams a million rows through Partitions and
// checks the heap does not grow with them.
func TestStreamingBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("streams a million rows")
	}
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		const n = 1_000_000
		var q *core.TextExpr
		switch b.Name {
		case testdb.Postgres:
			q = core.Raw("SELECT g, 'row number ' || g FROM generate_series(1, 1000000) AS g", nil)
		case testdb.SQLite:
			q = core.Raw("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 1000000) SELECT x, 'row number ' || x FROM c", nil)
		case testdb.MySQL:
			// MySQL caps recursive CTEs at 1000 levels: cross join six digit tables
			const digits = "(SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 " +
				"UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)"
			q = core.Raw("SELECT 1 + a.d + 10*b.d + 100*c.d + 1000*d.d + 10000*e.d + 100000*f.d AS x, CONCAT('row number ', a.d) FROM "+
				digits+" a, "+digits+" b, "+digits+" c, "+digits+" d, "+digits+" e, "+digits+" f", nil)
		default:
			t.Skipf("%s: no row generator in this suite", b.Name)
		}
		e := open(t, b)
		ctx := context.Background()
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		base := ms.HeapInuse
		var peak uint64
		seen, sum := 0, int64(0)
		res, err := e.Execute(ctx, q)
		require.NoError(t, err)
		err = res.Partitions(10_000, func(rows []core.Row) error {
			for _, r := range rows {
				seen++
				x, ok := r.Index(0).(int64)
				if !ok {
					return fmt.Errorf("row %d: %T", seen, r.Index(0))
				}
				sum += x
			}
			if seen%200_000 == 0 {
				runtime.GC()
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
			return nil
		})
		require.NoError(t, err)
		assert.Equal(t, n, seen)
		assert.Equal(t, int64(n)*(n+1)/2, sum)
		growth := int64(peak) - int64(base)
		t.Logf("%s: heap in use %d MB before, peak %d MB while streaming %d rows", b.Name, base>>20, peak>>20, n)
		// a million rows held at once take well over 100 MB
		assert.Less(t, growth, int64(32<<20), "heap grew by %d MB while streaming", growth>>20)
	})
}
