package bench

// Paired, interleaved comparisons of raw pgx and Retort (BenchmarkPaired).
//
// Why: on a small shared machine the wall-clock speed drifts by tens of
// percent over seconds, so two separate sub-benchmarks (raw_pgx first,
// retort_* later) can run under different conditions and their ratio is
// unreliable. Here one benchmark runs both sides in the same loop.
//
// Method:
//
//   - Every case is a pair of sides, raw pgx and one Retort path, each doing
//     exactly the work of its separate benchmark in pg_bench_test.go or
//     session_bench_test.go (same statements, same batching, same
//     transaction boundaries, same helpers; what is untimed there is
//     untimed here). BenchmarkPaired/<case> is named after the separate
//     benchmark and its Retort sub-benchmark.
//   - Iteration i runs one raw operation and one Retort operation, raw
//     first when i is even and Retort first when i is odd, so that neither
//     side always runs on the cache, connection or table state the other
//     one just left.
//   - Each operation is timed alone with time.Now/time.Since (a b.N loop
//     with manual timing, not b.Loop: per-iteration setup such as loading
//     the objects to update runs outside the timed region without
//     StopTimer/StartTimer). Untimed per-operation work is a side's prep
//     (before) and post (after).
//   - Order effect: running a side right after the other side costs more
//     than running it right after itself (another pool, another server
//     backend, cold CPU caches; e.g. ~15% for SelectByPK). With the
//     alternation, the first operation of an iteration always follows the
//     same side (… raw ret | ret raw | raw ret …) and the second always
//     follows a switch, so the per-pair ratio is bimodal: retort_i/raw_i is
//     R·s for even i (Retort second) and R/s for odd i (raw second). The
//     control case Control/raw_vs_raw (raw pgx on both sides) shows no such
//     effect, so it is a carry-over between the two paths, not a bias of
//     the harness.
//   - Reported, as in a crossover trial: with e the median over even i and
//     o the median over odd i of retort_i/raw_i (the ratio within one pair,
//     whose two operations ran microseconds apart, so drift cancels), ratio
//     is sqrt(e·o) = R, the position effect cancelled, and order is
//     sqrt(e/o) = s, the slowdown of an operation that follows the other
//     side (1 = no carry-over). raw-ns/op and retort-ns/op are the
//     geometric means of each side's medians in first and in second
//     position, so ratio ≈ retort-ns/op / raw-ns/op. Medians, not totals
//     or means, so that outliers (a GC cycle, a checkpoint, another
//     tenant's burst, the first use of a connection that prepares its
//     statements) do not dominate. The built-in ns/op is the whole
//     iteration (both sides and the untimed setup) and means nothing here.
//   - Allocations: runtime.ReadMemStats stops the world, so it never runs
//     inside the timed loop. After the loop (timer stopped), each side runs
//     min(b.N, allocOps) more operations, each bracketed by ReadMemStats
//     (which flushes the per-P caches, so the counts are exact), and
//     raw-allocs/op, retort-allocs/op, raw-B/op and retort-B/op are their
//     means. Do not pass -benchmem: its allocs/op would be both sides, the
//     untimed setup and this measurement together.
//
// Table state: both sides write the same tables as in the separate
// benchmarks. A case that inserts or deletes a few rows per operation
// resets its table once per run, as the separate benchmarks do: the two
// sides of a pair then see tables that differ by one operation's rows,
// and the alternation makes each side run after the other equally often.
// The 10,000-row inserts (BulkInsert10k, SessionFlush n=10000) reset their
// table (TRUNCATE … RESTART IDENTITY, untimed) before every operation, so
// each operation of either side starts from the same empty table (the
// separate benchmarks let their table grow over b.N). The updates use
// disjoint ranges (raw rangeOf(2i), Retort rangeOf(2i+1)) of the same
// seeded rows; each delete deletes 100 rows inserted for it, untimed.
//
// Caveat: GC work caused by one side's allocations (background marking,
// assists) can land in the other side's timing, since the two share a
// process and alternate quickly; this pulls ratios slightly toward 1
// compared with the separate benchmarks, where each side pays its own GC.
//
// Run with run_paired.sh (go test -run XXX -bench Paired -count 3, then the
// median of each metric per case).

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/orm"
)

// pairSide is one side of a pair. op(i) is the timed operation of
// iteration i; prep(i) and post(i), if set, run untimed before and after it.
type pairSide struct {
	prep func(i int) error
	op   func(i int) error
	post func(i int) error
}

// pairCase builds the two sides of one case; it runs once per benchmark
// run (untimed) and registers any cleanup with b.Cleanup.
type pairCase struct {
	name string
	make func(b *testing.B) (raw, ret pairSide)
}

// allocOps is the number of operations per side whose allocations are
// counted after the timed loop.
const allocOps = 5

func BenchmarkPaired(b *testing.B) {
	for _, c := range pairCases() {
		b.Run(c.name, func(b *testing.B) {
			raw, ret := c.make(b)
			runPair(b, raw, ret)
		})
	}
}

func runPair(b *testing.B, raw, ret pairSide) {
	rawNS := make([]float64, b.N)
	retNS := make([]float64, b.N)
	runtime.GC()
	for i := 0; i < b.N; i++ {
		if i%2 == 0 {
			rawNS[i] = timeOp(b, "raw", raw, i)
			retNS[i] = timeOp(b, "retort", ret, i)
		} else {
			retNS[i] = timeOp(b, "retort", ret, i)
			rawNS[i] = timeOp(b, "raw", raw, i)
		}
	}
	b.StopTimer()
	// Iterations with raw first (even i) and with Retort first (odd i).
	var rawFirst, retFirst, rawA, rawB, retA, retB []float64
	for i := range b.N {
		if i%2 == 0 {
			rawFirst = append(rawFirst, retNS[i]/rawNS[i])
			rawA, retB = append(rawA, rawNS[i]), append(retB, retNS[i])
		} else {
			retFirst = append(retFirst, retNS[i]/rawNS[i])
			retA, rawB = append(retA, retNS[i]), append(rawB, rawNS[i])
		}
	}
	e, o := median(rawFirst), median(retFirst)
	if len(retFirst) == 0 { // b.N == 1
		o = e
	}
	b.ReportMetric(gmean(median(rawA), median(rawB)), "raw-ns/op")
	b.ReportMetric(gmean(median(retA), median(retB)), "retort-ns/op")
	b.ReportMetric(gmean(e, o), "ratio")
	b.ReportMetric(math.Sqrt(e/o), "order")
	k := min(b.N, allocOps)
	allocs, bytes := countAllocs(b, "raw", raw, b.N, k)
	b.ReportMetric(allocs, "raw-allocs/op")
	b.ReportMetric(bytes, "raw-B/op")
	allocs, bytes = countAllocs(b, "retort", ret, b.N, k)
	b.ReportMetric(allocs, "retort-allocs/op")
	b.ReportMetric(bytes, "retort-B/op")
}

func (s pairSide) run(b *testing.B, who string, i int, timed func(func(int) error) error) {
	b.Helper()
	if s.prep != nil {
		if err := s.prep(i); err != nil {
			b.Fatalf("%s prep %d: %v", who, i, err)
		}
	}
	if err := timed(s.op); err != nil {
		b.Fatalf("%s op %d: %v", who, i, err)
	}
	if s.post != nil {
		if err := s.post(i); err != nil {
			b.Fatalf("%s post %d: %v", who, i, err)
		}
	}
}

// timeOp runs iteration i of s and returns the duration of its op in ns.
func timeOp(b *testing.B, who string, s pairSide, i int) float64 {
	var d time.Duration
	s.run(b, who, i, func(op func(int) error) error {
		t0 := time.Now()
		err := op(i)
		d = time.Since(t0)
		return err
	})
	return float64(d)
}

// countAllocs runs k more operations of s (iterations from, from+1, …) and
// returns the mean number of heap allocations and bytes of their ops.
func countAllocs(b *testing.B, who string, s pairSide, from, k int) (allocs, bytes float64) {
	if k == 0 {
		return 0, 0
	}
	var m0, m1 runtime.MemStats
	for j := range k {
		i := from + j
		s.run(b, who, i, func(op func(int) error) error {
			runtime.ReadMemStats(&m0)
			err := op(i)
			runtime.ReadMemStats(&m1)
			return err
		})
		allocs += float64(m1.Mallocs - m0.Mallocs)
		bytes += float64(m1.TotalAlloc - m0.TotalAlloc)
	}
	return allocs / float64(k), bytes / float64(k)
}

// gmean is the geometric mean of a and b, or the one that is set.
func gmean(a, b float64) float64 {
	switch {
	case a == 0:
		return b
	case b == 0:
		return a
	}
	return math.Sqrt(a * b)
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// op builds a side with only a timed operation.
func op(f func(i int) error) pairSide { return pairSide{op: f} }

var errWrongRow = fmt.Errorf("wrong row")

// ---------------------------------------------------------------- the cases

func pairCases() []pairCase {
	ctx := context.Background()
	var cases []pairCase
	add := func(name string, mk func(b *testing.B) (pairSide, pairSide)) {
		cases = append(cases, pairCase{name, mk})
	}

	// ---- BenchmarkSelectByPK
	rawByPK := func(e *env) pairSide {
		var u User
		return op(func(i int) error {
			id := int64(i%seedRows + 1)
			if err := e.raw.QueryRow(ctx, rawSelectByPK, id).Scan(&u.ID, &u.Name, &u.Email, &u.Age); err != nil {
				return err
			}
			if u.ID != id {
				return errWrongRow
			}
			return nil
		})
	}
	// Control: raw pgx against itself (the same side twice); its ratio and
	// order should be 1 within the noise.
	add("Control/raw_vs_raw", func(b *testing.B) (pairSide, pairSide) {
		e := setup(b)
		return rawByPK(e), rawByPK(e)
	})
	add("SelectByPK/retort_driver", func(b *testing.B) (pairSide, pairSide) {
		e := setup(b)
		var u User
		scan := func(r core.DriverRows) error { return r.Scan(&u.ID, &u.Name, &u.Email, &u.Age) }
		return rawByPK(e), op(func(i int) error {
			id := int64(i%seedRows + 1)
			if err := e.driverQuery(ctx, selectByPK(id), scan); err != nil {
				return err
			}
			if u.ID != id {
				return errWrongRow
			}
			return nil
		})
	})
	add("SelectByPK/retort_conn", func(b *testing.B) (pairSide, pairSide) {
		e := setup(b)
		return rawByPK(e), op(func(i int) error {
			id := int64(i%seedRows + 1)
			c, err := e.autocommitConn(ctx)
			if err != nil {
				return err
			}
			res, err := c.Execute(ctx, selectByPK(id))
			if err != nil {
				return err
			}
			u, err := core.ScanOne[User](res)
			if err != nil {
				return err
			}
			c.Close()
			if u.ID != id {
				return errWrongRow
			}
			return nil
		})
	})
	add("SelectByPK/retort_engine", func(b *testing.B) (pairSide, pairSide) {
		e := setup(b)
		return rawByPK(e), op(func(i int) error {
			id := int64(i%seedRows + 1)
			res, err := e.eng.Execute(ctx, selectByPK(id))
			if err != nil {
				return err
			}
			u, err := core.ScanOne[User](res)
			if err != nil {
				return err
			}
			if u.ID != id {
				return errWrongRow
			}
			return nil
		})
	})

	// ---- BenchmarkSelect100Structs
	check100 := func(out []User) error {
		if len(out) != 100 {
			return fmt.Errorf("%d rows", len(out))
		}
		return nil
	}
	rawSel100 := func(e *env) pairSide {
		return op(func(i int) error {
			from := int64(i%(seedRows-100) + 1)
			rows, err := e.raw.Query(ctx, rawSelect100, from, from+99)
			if err != nil {
				return err
			}
			out := make([]User, 0, 100)
			for rows.Next() {
				var u User
				if err := rows.Scan(&u.ID, &u.Name, &u.Email, &u.Age); err != nil {
					rows.Close()
					return err
				}
				out = append(out, u)
			}
			if rows.Err() != nil {
				return rows.Err()
			}
			return check100(out)
		})
	}
	add("Select100Structs/retort_driver", func(b *testing.B) (pairSide, pairSide) {
		e := setup(b)
		var out []User
		scan := func(r core.DriverRows) error {
			var u User
			if err := r.Scan(&u.ID, &u.Name, &u.Email, &u.Age); err != nil {
				return err
			}
			out = append(out, u)
			return nil
		}
		return rawSel100(e), op(func(i int) error {
			from := int64(i%(seedRows-100) + 1)
			out = make([]User, 0, 100)
			if err := e.driverQuery(ctx, select100(from), scan); err != nil {
				return err
			}
			return check100(out)
		})
	})
	add("Select100Structs/retort_conn", func(b *testing.B) (pairSide, pairSide) {
		e := setup(b)
		return rawSel100(e), op(func(i int) error {
			from := int64(i%(seedRows-100) + 1)
			c, err := e.autocommitConn(ctx)
			if err != nil {
				return err
			}
			res, err := c.Execute(ctx, select100(from))
			if err != nil {
				return err
			}
			out, err := core.ScanAll[User](res)
			if err != nil {
				return err
			}
			c.Close()
			return check100(out)
		})
	})
	add("Select100Structs/retort_engine", func(b *testing.B) (pairSide, pairSide) {
		e := setup(b)
		return rawSel100(e), op(func(i int) error {
			from := int64(i%(seedRows-100) + 1)
			res, err := e.eng.Execute(ctx, select100(from))
			if err != nil {
				return err
			}
			out, err := core.ScanAll[User](res)
			if err != nil {
				return err
			}
			return check100(out)
		})
	})

	// ---- BenchmarkInsertOne (table reset once per run, as there)
	rawIns1 := func(e *env) pairSide {
		return op(func(i int) error {
			_, err := e.raw.Exec(ctx, rawInsertOne, "name", "name@example.com", int64(i))
			return err
		})
	}
	add("InsertOne/retort_driver", func(b *testing.B) (pairSide, pairSide) {
		e := setup(b)
		e.truncateInserts(b)
		return rawIns1(e), op(func(i int) error {
			_, err := e.driverExec(ctx, insertOne(i))
			return err
		})
	})
	add("InsertOne/retort_conn", func(b *testing.B) (pairSide, pairSide) {
		e := setup(b)
		e.truncateInserts(b)
		return rawIns1(e), op(func(i int) error {
			c, err := e.autocommitConn(ctx)
			if err != nil {
				return err
			}
			if _, err := c.Execute(ctx, insertOne(i)); err != nil {
				return err
			}
			return c.Close()
		})
	})
	add("InsertOne/retort_engine", func(b *testing.B) (pairSide, pairSide) {
		e := setup(b)
		e.truncateInserts(b)
		return rawIns1(e), op(func(i int) error {
			_, err := e.eng.Execute(ctx, insertOne(i))
			return err
		})
	})

	// ---- Benchmark100RowInsertReturning (table reset once per run)
	const n100 = 100
	rawRet100SQL := rawMultiInsert(n100, true)
	rawRet100 := func(e *env) pairSide {
		return op(func(i int) error {
			rows, err := e.raw.Query(ctx, rawRet100SQL, rowArgs(n100, i)...)
			if err != nil {
				return err
			}
			ids := make([]int64, 0, n100)
			for rows.Next() {
				var id int64
				if err := rows.Scan(&id); err != nil {
					rows.Close()
					return err
				}
				ids = append(ids, id)
			}
			if rows.Err() != nil || len(ids) != n100 {
				return fmt.Errorf("%v, %d ids", rows.Err(), len(ids))
			}
			return nil
		})
	}
	add("100RowInsertReturning/retort_driver", func(b *testing.B) (pairSide, pairSide) {
		e := setup(b)
		e.truncateInserts(b)
		var ids []int64
		scan := func(r core.DriverRows) error {
			var id int64
			err := r.Scan(&id)
			ids = append(ids, id)
			return err
		}
		return rawRet100(e), op(func(i int) error {
			ids = make([]int64, 0, n100)
			if err := e.driverQuery(ctx, multiInsert(n100, i, true), scan); err != nil {
				return err
			}
			if len(ids) != n100 {
				return fmt.Errorf("%d ids", len(ids))
			}
			return nil
		})
	})
	add("100RowInsertReturning/retort_conn", func(b *testing.B) (pairSide, pairSide) {
		e := setup(b)
		e.truncateInserts(b)
		return rawRet100(e), op(func(i int) error {
			c, err := e.autocommitConn(ctx)
			if err != nil {
				return err
			}
			res, err := c.InsertMany(ctx, core.Insert(inserts).Returning(inserts.C("id")), rowMaps(n100, i))
			if err != nil {
				return err
			}
			ids, err := core.Scalars[int64](res)
			if err != nil || len(ids) != n100 {
				return fmt.Errorf("%v, %d ids", err, len(ids))
			}
			return c.Close()
		})
	})
	add("100RowInsertReturning/retort_rows", func(b *testing.B) (pairSide, pairSide) {
		e := setup(b)
		e.truncateInserts(b)
		return rawRet100(e), op(func(i int) error {
			c, err := e.autocommitConn(ctx)
			if err != nil {
				return err
			}
			res, err := c.InsertRows(ctx, inserts, insertCols, rowSlices(n100, i), inserts.C("id"))
			if err != nil {
				return err
			}
			ids, err := core.Scalars[int64](res)
			if err != nil || len(ids) != n100 {
				return fmt.Errorf("%v, %d ids", err, len(ids))
			}
			return c.Close()
		})
	})

	// ---- BenchmarkBulkInsert10k (table reset before every operation)
	const n10k, per = 10_000, 1000
	rawBulkSQL := rawMultiInsert(per, false)
	truncate := func(e *env) func(int) error {
		return func(int) error {
			_, err := e.raw.Exec(ctx, "TRUNCATE bench_inserts RESTART IDENTITY")
			return err
		}
	}
	rawBulk := func(e *env) pairSide {
		return pairSide{prep: truncate(e), op: func(int) error {
			for start := 0; start < n10k; start += per {
				if _, err := e.raw.Exec(ctx, rawBulkSQL, rowArgs(per, start)...); err != nil {
					return err
				}
			}
			return nil
		}}
	}
	add("BulkInsert10k/retort_driver", func(b *testing.B) (pairSide, pairSide) {
		e := setup(b)
		return rawBulk(e), pairSide{prep: truncate(e), op: func(int) error {
			for start := 0; start < n10k; start += per {
				if _, err := e.driverExec(ctx, multiInsert(per, start, false)); err != nil {
					return err
				}
			}
			return nil
		}}
	})
	add("BulkInsert10k/retort_conn", func(b *testing.B) (pairSide, pairSide) {
		e := setup(b)
		return rawBulk(e), pairSide{prep: truncate(e), op: func(int) error {
			c, err := e.autocommitConn(ctx)
			if err != nil {
				return err
			}
			res, err := c.ExecuteMany(ctx, core.Insert(inserts), rowMaps(n10k, 0))
			if err != nil || res.RowsAffected != n10k {
				return fmt.Errorf("%v, %d rows", err, res.RowsAffected)
			}
			return c.Close()
		}}
	})
	add("BulkInsert10k/retort_rows", func(b *testing.B) (pairSide, pairSide) {
		e := setup(b)
		return rawBulk(e), pairSide{prep: truncate(e), op: func(int) error {
			c, err := e.autocommitConn(ctx)
			if err != nil {
				return err
			}
			res, err := c.InsertRows(ctx, inserts, insertCols, rowSlices(n10k, 0))
			if err != nil {
				return err
			}
			if res.RowsAffected() != n10k {
				return fmt.Errorf("%d rows", res.RowsAffected())
			}
			return c.Close()
		}}
	})

	// ---- BenchmarkSessionGet
	sessID := func(i int) int64 { return int64(i%sessSeedRows + 1) }
	add("SessionGet/cold_tx_per_op", func(b *testing.B) (pairSide, pairSide) {
		se := sessSetup(b)
		se.seed(b)
		raw := op(func(i int) error {
			tx, err := se.raw.Begin(ctx)
			if err != nil {
				return err
			}
			u := new(SessUser)
			if err := tx.QueryRow(ctx, rawSessGet, sessID(i)).Scan(&u.ID, &u.Name, &u.Email, &u.Age); err != nil {
				return err
			}
			if err := tx.Commit(ctx); err != nil {
				return err
			}
			if u.ID != sessID(i) {
				return errWrongRow
			}
			return nil
		})
		ret := op(func(i int) error {
			s := se.session()
			u, err := orm.Get[SessUser](ctx, s, sessID(i))
			if err != nil {
				return err
			}
			if err := s.Commit(ctx); err != nil {
				return err
			}
			s.Close()
			if u.ID != sessID(i) {
				return errWrongRow
			}
			return nil
		})
		return raw, ret
	})
	add("SessionGet/cold_in_tx", func(b *testing.B) (pairSide, pairSide) {
		se := sessSetup(b)
		se.seed(b)
		tx, err := se.raw.Begin(ctx)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { tx.Rollback(ctx) })
		s := se.session()
		b.Cleanup(func() { s.Close() })
		raw := op(func(i int) error {
			u := new(SessUser)
			if err := tx.QueryRow(ctx, rawSessGet, sessID(i)).Scan(&u.ID, &u.Name, &u.Email, &u.Age); err != nil {
				return err
			}
			if u.ID != sessID(i) {
				return errWrongRow
			}
			return nil
		})
		ret := op(func(i int) error {
			u, err := orm.Get[SessUser](ctx, s, sessID(i))
			if err != nil {
				return err
			}
			if u.ID != sessID(i) {
				return errWrongRow
			}
			return s.Expunge(u)
		})
		return raw, ret
	})

	// ---- BenchmarkSessionFlush (n=10000: table reset before every operation)
	for _, n := range []int{1, 100, 10_000} {
		sqls := map[int]string{}
		for start := 0; start < n; start += sessBatch {
			k := min(sessBatch, n-start)
			if sqls[k] == "" {
				sqls[k] = rawSessInsert(k)
			}
		}
		add(fmt.Sprintf("SessionFlush/n=%d", n), func(b *testing.B) (pairSide, pairSide) {
			se := sessSetup(b)
			se.reset(b)
			var prep func(int) error
			if n >= 10_000 {
				prep = func(int) error {
					_, err := se.raw.Exec(ctx, "TRUNCATE bench_session_users RESTART IDENTITY")
					return err
				}
			}
			args := make([]any, 0, 3*min(n, sessBatch))
			raw := pairSide{prep: prep, op: func(int) error {
				objs := newSessUsers(n)
				tx, err := se.raw.Begin(ctx)
				if err != nil {
					return err
				}
				for start := 0; start < n; start += sessBatch {
					end := min(start+sessBatch, n)
					args = args[:0]
					for k := start; k < end; k++ {
						u := &objs[k]
						args = append(args, u.Name, u.Email, u.Age)
					}
					rows, err := tx.Query(ctx, sqls[end-start], args...)
					if err != nil {
						return err
					}
					k := start
					for rows.Next() {
						if k >= end {
							rows.Close()
							return fmt.Errorf("too many rows")
						}
						if err := rows.Scan(&objs[k].ID); err != nil {
							rows.Close()
							return err
						}
						k++
					}
					if rows.Err() != nil || k != end {
						return fmt.Errorf("%v, %d rows of %d", rows.Err(), k, end)
					}
				}
				if err := tx.Commit(ctx); err != nil {
					return err
				}
				if objs[n-1].ID == 0 {
					return fmt.Errorf("no id")
				}
				return nil
			}}
			ret := pairSide{prep: prep, op: func(int) error {
				objs := newSessUsers(n)
				s := se.session()
				for k := range objs {
					if err := s.Add(&objs[k]); err != nil {
						return err
					}
				}
				if err := s.Commit(ctx); err != nil {
					return err
				}
				s.Close()
				if objs[n-1].ID == 0 {
					return fmt.Errorf("no id")
				}
				return nil
			}}
			return raw, ret
		})
	}

	// ---- BenchmarkSessionUpdate100 (raw_pgx: the pgx.Batch; load untimed)
	add("SessionUpdate100", func(b *testing.B) (pairSide, pairSide) {
		se := sessSetup(b)
		se.seed(b)
		var tx pgx.Tx
		var rawObjs []SessUser
		raw := pairSide{
			prep: func(i int) error {
				var err error
				if tx, err = se.raw.Begin(ctx); err != nil {
					return err
				}
				lo, hi := rangeOf(2 * i)
				rawObjs, err = rawLoadRange(ctx, tx, lo, hi)
				if err == nil && len(rawObjs) != sessN {
					err = fmt.Errorf("%d rows loaded", len(rawObjs))
				}
				return err
			},
			op: func(int) error {
				objs := rawObjs
				for k := range objs {
					objs[k].Age++
				}
				batch := &pgx.Batch{}
				for k := range objs {
					u := &objs[k]
					batch.Queue(rawSessUpdateAge, u.Age, u.ID)
				}
				br := tx.SendBatch(ctx, batch)
				var matched int64
				for range objs {
					tag, err := br.Exec()
					if err != nil {
						br.Close()
						return err
					}
					matched += tag.RowsAffected()
				}
				if err := br.Close(); err != nil {
					return err
				}
				if matched != sessN {
					return fmt.Errorf("%d rows matched", matched)
				}
				return tx.Commit(ctx)
			},
		}
		var s *orm.Session
		var objs []*SessUser
		ret := pairSide{
			prep: func(i int) error {
				s = se.session()
				lo, hi := rangeOf(2*i + 1)
				var err error
				objs, err = se.loadRange(ctx, s, lo, hi)
				if err == nil && len(objs) != sessN {
					err = fmt.Errorf("%d rows loaded", len(objs))
				}
				return err
			},
			op: func(int) error {
				for _, u := range objs {
					u.Age++
				}
				return s.Commit(ctx)
			},
			post: func(int) error { return s.Close() },
		}
		return raw, ret
	})

	// ---- BenchmarkSessionDelete100 (100 fresh rows per operation, untimed)
	add("SessionDelete100", func(b *testing.B) (pairSide, pairSide) {
		se := sessSetup(b)
		se.reset(b)
		rawDel := rawSessDelete(sessN)
		fresh := func() (int64, int64, error) {
			var lo, hi int64
			err := se.raw.QueryRow(ctx, `WITH ins AS (INSERT INTO bench_session_users (name, email, age)
			SELECT 'gone', 'gone@example.com', i FROM generate_series(1, $1::int) i RETURNING id)
			SELECT min(id), max(id) FROM ins`, sessN).Scan(&lo, &hi)
			if err == nil && hi-lo+1 != sessN {
				err = fmt.Errorf("fresh ids %d…%d", lo, hi)
			}
			return lo, hi, err
		}
		args := make([]any, sessN)
		var tx pgx.Tx
		var rawObjs []SessUser
		raw := pairSide{
			prep: func(int) error {
				lo, hi, err := fresh()
				if err != nil {
					return err
				}
				if tx, err = se.raw.Begin(ctx); err != nil {
					return err
				}
				rawObjs, err = rawLoadRange(ctx, tx, lo, hi)
				if err == nil && len(rawObjs) != sessN {
					err = fmt.Errorf("%d rows loaded", len(rawObjs))
				}
				return err
			},
			op: func(int) error {
				for k := range rawObjs {
					args[k] = rawObjs[k].ID
				}
				if _, err := tx.Exec(ctx, rawDel, args...); err != nil {
					return err
				}
				return tx.Commit(ctx)
			},
		}
		var s *orm.Session
		var objs []*SessUser
		ret := pairSide{
			prep: func(int) error {
				lo, hi, err := fresh()
				if err != nil {
					return err
				}
				s = se.session()
				objs, err = se.loadRange(ctx, s, lo, hi)
				if err == nil && len(objs) != sessN {
					err = fmt.Errorf("%d rows loaded", len(objs))
				}
				return err
			},
			op: func(int) error {
				for _, u := range objs {
					if err := s.Delete(u); err != nil {
						return err
					}
				}
				return s.Commit(ctx)
			},
			post: func(int) error { return s.Close() },
		}
		return raw, ret
	})

	return cases
}
