package peers

// TestPeersTable: the interleaved measurement of the same operations as
// BenchmarkPeers, for a table that a noisy machine cannot reorder.
//
// BenchmarkPeers runs one library after the other, each for about
// -benchtime; on a shared machine the speed drifts by ±20% between two
// sub-benchmarks a few seconds apart, which is as large as the differences
// being measured. TestPeersTable instead, for each operation:
//
//   - verifies every library once (the same untimed first run and result
//     check as the benchmarks: the verify functions of common_test.go);
//   - calibrates once a slice size n (iterations) shared by all the
//     libraries, so that the median library's slice takes about
//     sliceTarget;
//   - measures allocs/op once per library (runtime.MemStats.Mallocs around
//     the timed part of one slice, as testing.B counts them);
//   - runs R rounds; in each, every library runs one slice of n
//     iterations, in a rotating order (round r starts at library r mod
//     #libraries), and its ns/op for that round is recorded.
//
// Each library's slice is preceded, untimed, by a runtime.GC (so that no
// library pays for another's garbage) and, for the write operations, by
// the reset the benchmarks make at their start (peers_users back to its
// 1,000 seed rows; bulk_10k empties the table before every iteration, as
// in the benchmark). Reads run from the seeded table.
//
// The table's cells are medians over the rounds; the paired ratios divide
// two libraries' times of the same round (a few hundred milliseconds
// apart), whose median and interquartile range are much steadier than a
// ratio of separately measured times.
//
// It is skipped unless PEERS_TABLE=1 or -peers.table:
//
//	PEERS_TABLE=1 go test -run '^TestPeersTable$' -timeout 60m
//	go test -run '^TestPeersTable$' -peers.table -peers.rounds 21 -peers.ops insert_one,read_100
//
// With -v it also logs every library's µs/op of every round.
//
// or ./run.sh --interleaved [rounds].

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

var (
	flagTable  = flag.Bool("peers.table", false, "run TestPeersTable (also PEERS_TABLE=1)")
	flagRounds = flag.Int("peers.rounds", 0, "TestPeersTable rounds (default PEERS_ROUNDS or 15)")
	flagOps    = flag.String("peers.ops", "", "TestPeersTable: comma-separated operations (default PEERS_OPS or all)")
	flagSlice  = flag.Duration("peers.slice", 0, "TestPeersTable: target duration of one library's slice (default PEERS_SLICE or 60ms)")
)

const defaultRounds = 15

// stopwatch accumulates the timed parts of a slice, and with allocs set
// the heap allocations made during them.
type stopwatch struct {
	allocs  bool
	d       time.Duration
	mallocs uint64

	t0 time.Time
	m0 uint64
}

func (sw *stopwatch) start() {
	if sw.allocs {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		sw.m0 = ms.Mallocs
	}
	sw.t0 = time.Now()
}

func (sw *stopwatch) stop() {
	sw.d += time.Since(sw.t0)
	if sw.allocs {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		sw.mallocs += ms.Mallocs - sw.m0
	}
}

// tableOp is one operation of the table.
type tableOp struct {
	name string
	has  func(impl) bool
	// verify is the untimed first run and result check (once per
	// library).
	verify func(ctx context.Context, tb testing.TB, im impl)
	// reset runs untimed before each slice (nil: none).
	reset func(tb testing.TB)
	// slice runs n iterations, timing them with sw (a slice may stop the
	// watch around per-iteration work that the benchmark does with its
	// timer stopped).
	slice func(ctx context.Context, tb testing.TB, im impl, n int, sw *stopwatch)
	// maxN caps the calibrated slice size.
	maxN int
}

func tableOps() []tableOp {
	update := func(pick func(impl) func(context.Context, int64, string) error) func(context.Context, testing.TB, impl, int, *stopwatch) {
		return func(ctx context.Context, tb testing.TB, im impl, n int, sw *stopwatch) {
			update := pick(im)
			sw.start()
			// After the reset every row holds its seed name, so update 1
			// changes its row, and updateArgs flips the names on each pass.
			for k := 1; k <= n; k++ {
				id, name := updateArgs(k)
				if err := update(ctx, id, name); err != nil {
					tb.Fatal(err)
				}
			}
			sw.stop()
		}
	}
	return []tableOp{
		{
			name:   "insert_one",
			has:    func(im impl) bool { return im.insertOne != nil },
			verify: verifyInsertOne,
			reset:  resetUsers,
			slice: func(ctx context.Context, tb testing.TB, im impl, n int, sw *stopwatch) {
				sw.start()
				for i := seedUsers + 1; i <= seedUsers+n; i++ {
					if _, err := im.insertOne(ctx, i); err != nil {
						tb.Fatal(err)
					}
				}
				sw.stop()
			},
			maxN: 5000,
		},
		{
			name:   "insert_100",
			has:    func(im impl) bool { return im.insertBatch != nil },
			verify: verifyInsertBatch,
			reset:  resetUsers,
			slice: func(ctx context.Context, tb testing.TB, im impl, n int, sw *stopwatch) {
				next := seedUsers + 1
				sw.start()
				for range n {
					if err := im.insertBatch(ctx, im.newBatch(next, batchRows)); err != nil {
						tb.Fatal(err)
					}
					next += batchRows
				}
				sw.stop()
			},
			maxN: 500,
		},
		{
			name:   "update_pk",
			has:    func(im impl) bool { return im.updatePK != nil },
			verify: func(ctx context.Context, tb testing.TB, im impl) { verifyUpdate(ctx, tb, im.updatePK) },
			reset:  resetUsers,
			slice:  update(func(im impl) func(context.Context, int64, string) error { return im.updatePK }),
			maxN:   5000,
		},
		{
			name:   "load_update_pk",
			has:    func(im impl) bool { return im.loadUpdatePK != nil },
			verify: func(ctx context.Context, tb testing.TB, im impl) { verifyUpdate(ctx, tb, im.loadUpdatePK) },
			reset:  resetUsers,
			slice:  update(func(im impl) func(context.Context, int64, string) error { return im.loadUpdatePK }),
			maxN:   5000,
		},
		{
			name:   "read_one_pk",
			has:    func(im impl) bool { return im.readPK != nil },
			verify: verifyReadPK,
			slice: func(ctx context.Context, tb testing.TB, im impl, n int, sw *stopwatch) {
				sw.start()
				for k := range n {
					name, err := im.readPK(ctx, int64(1+k%seedUsers))
					if err != nil {
						tb.Fatal(err)
					}
					sink = name
				}
				sw.stop()
			},
			maxN: 5000,
		},
		{
			name:   "read_100",
			has:    func(im impl) bool { return im.read100 != nil },
			verify: verifyRead100,
			slice: func(ctx context.Context, tb testing.TB, im impl, n int, sw *stopwatch) {
				sw.start()
				for k := range n {
					rows, err := im.read100(ctx, int64(1+(k%9)*100))
					if err != nil {
						tb.Fatal(err)
					}
					sink = rows
				}
				sw.stop()
			},
			maxN: 2000,
		},
		{
			name:   "eager_100x10",
			has:    func(im impl) bool { return im.eager != nil },
			verify: verifyEager,
			slice: func(ctx context.Context, tb testing.TB, im impl, n int, sw *stopwatch) {
				sw.start()
				for range n {
					parents, err := im.eager(ctx)
					if err != nil {
						tb.Fatal(err)
					}
					sink = parents
				}
				sw.stop()
			},
			maxN: 1000,
		},
		{
			// The 10,000-row insert takes tens of milliseconds: one or two
			// iterations a slice, each after an untimed TRUNCATE and
			// newBatch (as in the benchmark).
			name:   "bulk_10k",
			has:    func(im impl) bool { return im.bulk != nil },
			verify: verifyBulk,
			slice: func(ctx context.Context, tb testing.TB, im impl, n int, sw *stopwatch) {
				for range n {
					emptyUsers(tb)
					batch := im.newBatch(1, bulkRows)
					sw.start()
					if err := im.bulk(ctx, batch); err != nil {
						tb.Fatal(err)
					}
					sw.stop()
				}
			},
			maxN: 2,
		},
	}
}

// opResult is what TestPeersTable measured for one operation.
type opResult struct {
	name   string
	n      int                  // iterations per slice
	libs   []string             // libraries, column order
	ns     map[string][]float64 // ns/op per round
	allocs map[string]float64   // allocs/op
}

func TestPeersTable(t *testing.T) {
	if os.Getenv("PEERS_TABLE") != "1" && !*flagTable {
		t.Skip("set PEERS_TABLE=1 or -peers.table to run the interleaved table (./run.sh --interleaved)")
	}
	rounds := defaultRounds
	if v := os.Getenv("PEERS_ROUNDS"); v != "" {
		r, err := strconv.Atoi(v)
		if err != nil || r < 1 {
			t.Fatalf("PEERS_ROUNDS=%q", v)
		}
		rounds = r
	}
	if *flagRounds > 0 {
		rounds = *flagRounds
	}
	target := 60 * time.Millisecond
	if v := os.Getenv("PEERS_SLICE"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			t.Fatalf("PEERS_SLICE=%q", v)
		}
		target = d
	}
	if *flagSlice > 0 {
		target = *flagSlice
	}
	var only map[string]bool
	opsArg := os.Getenv("PEERS_OPS")
	if *flagOps != "" {
		opsArg = *flagOps
	}
	if opsArg != "" {
		only = map[string]bool{}
		for o := range strings.SplitSeq(opsArg, ",") {
			only[strings.TrimSpace(o)] = true
		}
	}

	all := libs(t)
	ctx := context.Background()
	started := time.Now()
	var results []opResult
	for _, op := range tableOps() {
		if only != nil && !only[op.name] {
			continue
		}
		delete(only, op.name)
		var ims []impl
		for _, name := range libOrder {
			for _, im := range all {
				if im.name == name && op.has(im) {
					ims = append(ims, im)
				}
			}
		}
		results = append(results, measureOp(ctx, t, op, ims, rounds, target))
	}
	for o := range only {
		t.Fatalf("unknown operation %q", o)
	}
	fmt.Fprintf(os.Stderr, "total %s\n\n", time.Since(started).Round(time.Second))
	printTable(os.Stdout, results, rounds, target)
}

// runSlice runs one untimed reset (if the operation has one), a GC, then
// one slice of n iterations, and returns the stopwatch.
func runSlice(ctx context.Context, tb testing.TB, op tableOp, im impl, n int, allocs bool) stopwatch {
	if op.reset != nil {
		op.reset(tb)
	}
	runtime.GC()
	sw := stopwatch{allocs: allocs}
	op.slice(ctx, tb, im, n, &sw)
	return sw
}

func measureOp(ctx context.Context, tb testing.TB, op tableOp, ims []impl, rounds int, target time.Duration) opResult {
	res := opResult{name: op.name, ns: map[string][]float64{}, allocs: map[string]float64{}}
	t0 := time.Now()

	// Verify each library once (the benchmarks' first run), then estimate
	// its ns/op by slices of doubling size until one takes target/4.
	est := make([]float64, 0, len(ims))
	for _, im := range ims {
		res.libs = append(res.libs, im.name)
		op.verify(ctx, tb, im)
		for n := 1; ; n *= 2 {
			sw := runSlice(ctx, tb, op, im, n, false)
			if sw.d >= target/4 || n >= op.maxN {
				est = append(est, float64(sw.d)/float64(n))
				break
			}
		}
	}
	// One slice size for all the libraries: the median library's slice
	// takes about target.
	res.n = max(1, min(op.maxN, int(math.Round(float64(target)/median(est)))))

	// allocs/op: once per library, around the timed part of one slice.
	for _, im := range ims {
		sw := runSlice(ctx, tb, op, im, res.n, true)
		res.allocs[im.name] = float64(sw.mallocs) / float64(res.n)
	}

	// The rounds, each starting at the next library.
	for r := range rounds {
		for j := range ims {
			im := ims[(r+j)%len(ims)]
			sw := runSlice(ctx, tb, op, im, res.n, false)
			res.ns[im.name] = append(res.ns[im.name], float64(sw.d)/float64(res.n))
		}
	}
	if testing.Verbose() {
		for _, l := range res.libs {
			var us []string
			for _, ns := range res.ns[l] {
				us = append(us, usCell(ns))
			}
			tb.Logf("%s %s µs/op by round: %s", op.name, l, strings.Join(us, " "))
		}
	}
	fmt.Fprintf(os.Stderr, "%-14s %d libraries × %d rounds, %d iteration(s) per slice, %s\n",
		op.name, len(ims), rounds, res.n, time.Since(t0).Round(100*time.Millisecond))
	return res
}

// paired returns the per-round ratios a[r]/b[r].
func paired(a, b []float64) []float64 {
	out := make([]float64, len(a))
	for r := range a {
		out[r] = a[r] / b[r]
	}
	return out
}

// quantile is the q-quantile of xs, interpolated linearly between the
// order statistics (R's type 7).
func quantile(xs []float64, q float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return math.NaN()
	}
	h := q * float64(len(s)-1)
	lo := int(math.Floor(h))
	if lo+1 >= len(s) {
		return s[len(s)-1]
	}
	return s[lo] + (h-float64(lo))*(s[lo+1]-s[lo])
}

func median(xs []float64) float64 { return quantile(xs, 0.5) }

// ratioIQR formats the median and the interquartile range of ratios:
// "1.21x [1.15–1.27]".
func ratioIQR(rs []float64) string {
	return fmt.Sprintf("%.2fx [%.2f–%.2f]", median(rs), quantile(rs, 0.25), quantile(rs, 0.75))
}

func usCell(ns float64) string {
	us := ns / 1000
	if us >= 1000 {
		return fmt.Sprintf("%.0f", us)
	}
	return fmt.Sprintf("%.1f", us)
}

func printTable(w io.Writer, results []opResult, rounds int, target time.Duration) {
	// Columns: the libraries in libOrder that any operation has.
	seen := map[string]bool{}
	for _, res := range results {
		for _, l := range res.libs {
			seen[l] = true
		}
	}
	var cols []string
	for _, l := range libOrder {
		if seen[l] {
			cols = append(cols, l)
		}
	}
	const wOp, wCell, wPaired = 14, 22, 26
	pad := func(s string, n int) string {
		if c := len([]rune(s)); c < n {
			return s + strings.Repeat(" ", n-c)
		}
		return s
	}
	line := func(n int) { fmt.Fprintln(w, strings.Repeat("-", n)) }

	// Main table: medians over the rounds, ratio of medians, allocs/op;
	// then the retort column's paired ratio.
	fmt.Fprint(w, pad("op", wOp))
	for _, l := range cols {
		fmt.Fprint(w, " | "+pad(l, wCell))
	}
	fmt.Fprintln(w, " | "+pad("retort/raw_pgx paired", wPaired))
	line(wOp + len(cols)*(wCell+3) + wPaired + 3)
	for _, res := range results {
		fmt.Fprint(w, pad(res.name, wOp))
		base, hasBase := res.ns["raw_pgx"]
		for _, l := range cols {
			ns, ok := res.ns[l]
			if !ok {
				fmt.Fprint(w, " | "+pad("-", wCell))
				continue
			}
			cell := usCell(median(ns))
			if hasBase {
				cell += fmt.Sprintf(" (%.2fx)", median(ns)/median(base))
			}
			cell += fmt.Sprintf(" %.0f", res.allocs[l])
			fmt.Fprint(w, " | "+pad(cell, wCell))
		}
		p := "-"
		if ns, ok := res.ns["retort"]; ok && hasBase {
			p = ratioIQR(paired(ns, base))
		}
		fmt.Fprintln(w, " | "+pad(p, wPaired))
	}
	fmt.Fprintf(w, "\ncells: µs/op (ratio of medians to raw_pgx) allocs/op; µs/op is the median over %d interleaved rounds\n", rounds)
	fmt.Fprintf(w, "(slices of about %s per library, rotating order); allocs/op from one slice.\n", target)
	fmt.Fprintln(w, "paired: the per-round ratio lib/raw_pgx, median [interquartile range] over the rounds.")

	// Every library's paired ratio to raw_pgx.
	fmt.Fprintf(w, "\npaired ratio to raw_pgx per round, median [IQR]\n")
	fmt.Fprint(w, pad("op", wOp))
	for _, l := range cols {
		if l != "raw_pgx" {
			fmt.Fprint(w, " | "+pad(l, wCell))
		}
	}
	fmt.Fprintln(w)
	line(wOp + (len(cols)-1)*(wCell+3))
	for _, res := range results {
		fmt.Fprint(w, pad(res.name, wOp))
		base, hasBase := res.ns["raw_pgx"]
		for _, l := range cols {
			if l == "raw_pgx" {
				continue
			}
			cell := "-"
			if ns, ok := res.ns[l]; ok && hasBase {
				cell = ratioIQR(paired(ns, base))
			}
			fmt.Fprint(w, " | "+pad(cell, wCell))
		}
		fmt.Fprintln(w)
	}

	// Retort against GORM and Bun, paired per round.
	fmt.Fprintf(w, "\nretort vs gorm and bun: the per-round ratio retort/peer, median [IQR], and in how many rounds retort was faster\n")
	for _, res := range results {
		for _, me := range []string{"retort", "retort_bulk"} {
			mine, ok := res.ns[me]
			if !ok {
				continue
			}
			var parts []string
			for _, peer := range []string{"gorm", "bun"} {
				theirs, ok := res.ns[peer]
				if !ok {
					continue
				}
				rs := paired(mine, theirs)
				faster := 0
				for _, x := range rs {
					if x < 1 {
						faster++
					}
				}
				verdict := "faster"
				if median(rs) >= 1 {
					verdict = "slower"
				}
				if quantile(rs, 0.25) <= 1 && quantile(rs, 0.75) >= 1 {
					verdict += " (IQR spans 1)"
				}
				parts = append(parts, fmt.Sprintf("%s than %s, %s/%s %s, %d/%d rounds",
					verdict, peer, me, peer, ratioIQR(rs), faster, len(rs)))
			}
			fmt.Fprintf(w, "%s %s %s\n", pad(res.name, wOp), pad(me+":", 12), strings.Join(parts, "; "))
		}
	}
}
