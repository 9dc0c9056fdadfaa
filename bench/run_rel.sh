#!/bin/sh
# Runs the relationship flush benchmarks (rel_bench_test.go: 100 new
# parents x 10 new children, 1,100 rows, Retort's Session vs raw pgx with
# the same two INSERT … RETURNING statements) and prints, per benchmark,
# the median over the runs of each metric, the allocations per object
# (/1100), and the paired ratio retort/raw with its range over the runs.
# Usage: ./run_rel.sh [count] [extra go test flags…]   (count: 3)
# Needs the PostgreSQL that internal/testdb resolves (by default
# postgres://postgres@127.0.0.1:5432/test, trust auth).
# BenchmarkRelFlushPair's own ns/op, B/op and allocs/op cover both sides
# and the untimed truncates: read its raw-/retort- metrics.
set -e
cd "$(dirname "$0")"
count=${1:-3}
[ $# -gt 0 ] && shift
out=${REL_BENCH_OUT:-/tmp/rel_bench.txt}
go test -run '^$' -bench 'Rel' -benchmem -count "$count" "$@" . | tee "$out"
echo
echo "medians of $count runs (objects per op: 1100):"
awk -v objs=1100 '
/^BenchmarkRel/ {
	name = $1
	sub(/-[0-9]+$/, "", name)
	if (!(name in seen)) { seen[name] = 1; order[++n] = name }
	for (i = 3; i < NF; i += 2) {
		unit = $(i + 1)
		if (!((name, unit) in useen)) { useen[name, unit] = 1; units[name] = units[name] " " unit }
		k = ++cnt[name, unit]
		val[name, unit, k] = $i + 0
	}
}
function sorted(name, unit, a,    c, i, j, t) {
	c = cnt[name, unit]
	for (i = 1; i <= c; i++) a[i] = val[name, unit, i]
	for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
	return c
}
function median(name, unit,    c, a) {
	c = sorted(name, unit, a)
	if (c == 0) return 0
	return (c % 2) ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2
}
function lo(name, unit,    a) { sorted(name, unit, a); return a[1] }
function hi(name, unit,    c, a) { c = sorted(name, unit, a); return a[c] }
END {
	# the separate sub-benchmarks
	printf "%-40s %10s %10s %10s %12s %10s\n", "benchmark", "µs/op", "cpu-µs/op", "allocs/op", "B/op", "allocs/obj"
	for (x = 1; x <= n; x++) {
		m = order[x]
		if (m ~ /Pair/) continue
		printf "%-40s %10.1f %10.1f %10.0f %12.0f %10.2f\n", m,
			median(m, "ns/op") / 1000, median(m, "cpu-ns/op") / 1000,
			median(m, "allocs/op"), median(m, "B/op"), median(m, "allocs/op") / objs
		if (m ~ /\/raw_pgx$/) { r = m; sub(/\/raw_pgx$/, "", r); rawns[r] = median(m, "ns/op"); rawcpu[r] = median(m, "cpu-ns/op"); rawal[r] = median(m, "allocs/op") }
		if (m ~ /\/retort$/) { r = m; sub(/\/retort$/, "", r); retns[r] = median(m, "ns/op"); retcpu[r] = median(m, "cpu-ns/op"); retal[r] = median(m, "allocs/op") }
	}
	for (r in rawns) if (r in retns)
		printf "%-40s time %.2f, cpu %.2f, allocs %.2f (retort/raw, medians; drifts, see the paired ratio)\n", r, retns[r] / rawns[r], retcpu[r] / rawcpu[r], retal[r] / rawal[r]
	print ""
	# the paired benchmark
	printf "%-34s %9s %9s %7s %12s %6s %9s %9s %11s %11s %9s %9s\n", "paired case", "raw µs", "ret µs", "ratio", "range", "order",
		"raw alloc", "ret alloc", "raw B", "ret B", "raw a/obj", "ret a/obj"
	for (x = 1; x <= n; x++) {
		m = order[x]
		if (m !~ /Pair/) continue
		printf "%-34s %9.1f %9.1f %7.2f %5.2f..%-5.2f %6.2f %9.0f %9.0f %11.0f %11.0f %9.2f %9.2f\n", m,
			median(m, "raw-ns/op") / 1000, median(m, "retort-ns/op") / 1000,
			median(m, "ratio"), lo(m, "ratio"), hi(m, "ratio"), median(m, "order"),
			median(m, "raw-allocs/op"), median(m, "retort-allocs/op"),
			median(m, "raw-B/op"), median(m, "retort-B/op"),
			median(m, "raw-allocs/op") / objs, median(m, "retort-allocs/op") / objs
	}
}' "$out"
