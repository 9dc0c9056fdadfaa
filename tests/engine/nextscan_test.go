package engine_test

import (
	"context"
	"fmt"
	"testing"

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
