package engine_test

import (
	"context"
	"fmt"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/internal/testdb"
)

// TestNextScan: NextScan reads the same values as Next and Scan, whether
// it reads straight from the driver (integers and strings into *int64 and
// *string) or the generic way (other destinations, NULLs).
func TestNextScan(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		ctx := context.Background()
		e := open(t, b)
		p, c := setup(t, e)
		for _, n := range []string{"a", "b", "c"} {
			_, err := e.Execute(ctx, ins(p, n))
			require.NoError(t, err)
		}
		_, err := e.Execute(ctx, core.Insert(c).Values(map[string]any{"id": 1, "parent_id": 1, "v": 7}))
		require.NoError(t, err)
		_, err = e.Execute(ctx, core.Insert(c).Values(map[string]any{"id": 2, "parent_id": nil, "v": nil}))
		require.NoError(t, err)

		// direct-eligible destinations
		res, err := e.Execute(ctx, core.Select(p.C("id"), p.C("name")).From(p).OrderBy(p.C("id")))
		require.NoError(t, err)
		var ids []int64
		var names []string
		for {
			var id int64
			var name string
			ok, err := res.NextScan(&id, &name)
			require.NoError(t, err)
			if !ok {
				break
			}
			ids, names = append(ids, id), append(names, name)
		}
		require.NoError(t, res.Err())
		assert.Equal(t, []int64{1, 2, 3}, ids)
		assert.Equal(t, []string{"a", "b", "c"}, names)

		// NULLs fall back to the generic path; a nil destination skips
		res, err = e.Execute(ctx, core.Select(c.C("id"), c.C("parent_id"), c.C("v")).From(c).OrderBy(c.C("id")))
		require.NoError(t, err)
		var got [][2]any
		for {
			var id int64
			var v *int64
			ok, err := res.NextScan(&id, nil, &v)
			require.NoError(t, err)
			if !ok {
				break
			}
			got = append(got, [2]any{id, v})
		}
		require.Len(t, got, 2)
		assert.EqualValues(t, 7, *got[0][1].(*int64))
		assert.Nil(t, got[1][1].(*int64))

		// a wrong destination count is an error
		res, err = e.Execute(ctx, core.Select(p.C("id")).From(p))
		require.NoError(t, err)
		_, err = res.NextScan()
		var ae *core.ArgumentError
		assert.ErrorAs(t, err, &ae)
		res.Close()
	})
}

// TestNextScanFixed: the same reads with the destinations' kinds decided
// once, on the first row: rows with NULLs still take the generic path
// (into a NullOK holder here), the others the direct one, and the values
// match row by row.
func TestNextScanFixed(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		ctx := context.Background()
		e := open(t, b)
		p, c := setup(t, e)
		for _, n := range []string{"a", "b"} {
			_, err := e.Execute(ctx, ins(p, n))
			require.NoError(t, err)
		}
		for i, v := range []any{7, nil, 9} {
			_, err := e.Execute(ctx, core.Insert(c).Values(map[string]any{"id": i + 1, "parent_id": 1, "v": v}))
			require.NoError(t, err)
		}
		res, err := e.Execute(ctx, core.Select(c.C("id"), c.C("v")).From(c).OrderBy(c.C("id")))
		require.NoError(t, err)
		var id, v int64
		nv := core.NullOK{Dest: &v}
		dest := []any{&id, &nv}
		var got []string
		for {
			v = -1
			ok, err := res.NextScanFixed(dest...)
			require.NoError(t, err)
			if !ok {
				break
			}
			if nv.Null {
				got = append(got, "null")
			} else {
				got = append(got, fmt.Sprint(v))
			}
		}
		require.NoError(t, res.Err())
		assert.Equal(t, []string{"7", "null", "9"}, got)

		res, err = e.Execute(ctx, core.Select(p.C("id"), p.C("name")).From(p).OrderBy(p.C("id")))
		require.NoError(t, err)
		var name string
		var ids []int64
		var names []string
		for {
			ok, err := res.NextScanFixed(&id, &name)
			require.NoError(t, err)
			if !ok {
				break
			}
			ids, names = append(ids, id), append(names, name)
		}
		assert.Equal(t, []int64{1, 2}, ids)
		assert.Equal(t, []string{"a", "b"}, names)
	})
}

// nsRow is the struct TestNextScanAt reads rows into, by field offsets.
type nsRow struct {
	ID   int64
	Flag bool
	Name string
	V    int64
}

// TestNextScanAt: NextScanAt reads each row into the fields of one struct
// given by offsets, the values those of NextScan (straight from the
// driver where it can, the generic way otherwise); a skipped column is
// left alone, a NULL into an int64 field is the generic path's error, and
// a wrong field count is an ArgumentError.
func TestNextScanAt(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		ctx := context.Background()
		e := open(t, b)
		p, c := setup(t, e)
		for _, n := range []string{"a", "b", "c"} {
			_, err := e.Execute(ctx, ins(p, n))
			require.NoError(t, err)
		}
		for i, v := range []any{7, 8, nil} {
			_, err := e.Execute(ctx, core.Insert(c).Values(map[string]any{"id": i + 1, "parent_id": 1, "v": v}))
			require.NoError(t, err)
		}
		fields := []core.DirectField{
			{Off: unsafe.Offsetof(nsRow{}.ID), Kind: core.DirectInt64},
			{Off: unsafe.Offsetof(nsRow{}.Name), Kind: core.DirectString},
		}
		res, err := e.Execute(ctx, core.Select(p.C("id"), p.C("name")).From(p).OrderBy(p.C("id")))
		require.NoError(t, err)
		var got []nsRow
		for {
			row := nsRow{V: -1}
			ok, err := res.NextScanAt(unsafe.Pointer(&row), fields)
			require.NoError(t, err)
			if !ok {
				break
			}
			got = append(got, row)
		}
		require.NoError(t, res.Err())
		assert.Equal(t, []nsRow{{ID: 1, Name: "a", V: -1}, {ID: 2, Name: "b", V: -1}, {ID: 3, Name: "c", V: -1}}, got)

		// a skipped column, and a NULL in the last row
		res, err = e.Execute(ctx, core.Select(c.C("id"), c.C("parent_id"), c.C("v")).From(c).OrderBy(c.C("id")))
		require.NoError(t, err)
		fields = []core.DirectField{
			{Off: unsafe.Offsetof(nsRow{}.ID), Kind: core.DirectInt64},
			{Kind: core.DirectNone},
			{Off: unsafe.Offsetof(nsRow{}.V), Kind: core.DirectInt64},
		}
		var vs []int64
		var nullErr error
		for {
			var row nsRow
			ok, err := res.NextScanAt(unsafe.Pointer(&row), fields)
			if err != nil {
				nullErr = err
				break
			}
			if !ok {
				break
			}
			assert.Zero(t, row.Name)
			vs = append(vs, row.V)
		}
		res.Close()
		assert.Equal(t, []int64{7, 8}, vs)
		require.Error(t, nullErr, "a NULL into an int64 field")
		var ce *core.ConversionError
		assert.ErrorAs(t, nullErr, &ce, "the generic path's conversion error")

		// columns whose types the driver does not read into the fields'
		// kinds go the generic way: an integer into a string field is
		// formatted, a string into an int64 field is its conversion error
		res, err = e.Execute(ctx, core.Select(p.C("id"), p.C("name")).From(p).OrderBy(p.C("id")).Limit(1))
		require.NoError(t, err)
		var row nsRow
		ok, err := res.NextScanAt(unsafe.Pointer(&row), []core.DirectField{
			{Off: unsafe.Offsetof(nsRow{}.Name), Kind: core.DirectString},
			{Off: unsafe.Offsetof(nsRow{}.V), Kind: core.DirectInt64},
		})
		res.Close()
		assert.True(t, ok)
		require.ErrorAs(t, err, &ce)
		assert.Contains(t, err.Error(), `column "name"`)
		assert.Equal(t, "1", row.Name)

		res, err = e.Execute(ctx, core.Select(p.C("id")).From(p))
		require.NoError(t, err)
		_, err = res.NextScanAt(unsafe.Pointer(&row), nil)
		var ae *core.ArgumentError
		assert.ErrorAs(t, err, &ae)
		res.Close()
	})
}
