#!/bin/sh
# Runs the paired, interleaved raw-pgx-vs-Retort benchmarks
# (BenchmarkPaired, paired_test.go) and prints, per case, the median over
# the runs of each side's median time, of the paired ratio (retort/raw)
# with its range over the runs, and of each side's allocations.
# Usage: ./run_paired.sh [count] [extra go test flags…]   (count: 3)
# Needs the PostgreSQL that internal/testdb resolves (by default
# postgres://postgres@127.0.0.1:5432/test, trust auth). No -benchmem: the
# per-side allocations are reported as metrics (see paired_test.go).
set -e
cd "$(dirname "$0")"
count=${1:-3}
[ $# -gt 0 ] && shift
out=${PAIRED_BENCH_OUT:-/tmp/paired_bench.txt}
go test -run XXX -bench 'Paired' -count "$count" "$@" . | tee "$out"
echo
echo "medians of $count runs (ratio = retort/raw, crossover estimate from the per-pair ratios;"
echo "range = its min..max over the runs; order = slowdown of an op run right after the other side):"
awk '
/^BenchmarkPaired\// {
	name = $1
	sub(/^BenchmarkPaired\//, "", name)
	sub(/-[0-9]+$/, "", name)
	if (!(name in seen)) { seen[name] = 1; order[++n] = name }
	for (i = 3; i < NF; i += 2) {
		unit = $(i + 1)
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
	printf "%-38s %10s %10s %7s %12s %6s %10s %10s\n", "case", "raw µs", "retort µs", "ratio", "range", "order", "raw allocs", "ret allocs"
	for (x = 1; x <= n; x++) {
		m = order[x]
		printf "%-38s %10.1f %10.1f %7.2f %5.2f..%-5.2f %6.2f %10.0f %10.0f\n", m,
			median(m, "raw-ns/op") / 1000, median(m, "retort-ns/op") / 1000,
			median(m, "ratio"), lo(m, "ratio"), hi(m, "ratio"), median(m, "order"),
			median(m, "raw-allocs/op"), median(m, "retort-allocs/op")
	}
}' "$out"
