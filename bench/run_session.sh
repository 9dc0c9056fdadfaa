#!/bin/sh
# Runs the ORM Session benchmarks beside raw pgx (PostgreSQL) and prints
# the median of each metric per benchmark (the machine is small and
# shared: expect ±20% between runs).
# Usage: ./run_session.sh [count] [extra go test flags…]
# Needs the PostgreSQL that internal/testdb resolves (by default
# postgres://postgres@127.0.0.1:5432/test, trust auth).
set -e
cd "$(dirname "$0")"
count=${1:-5}
[ $# -gt 0 ] && shift
out=${SESSION_BENCH_OUT:-/tmp/session_bench.txt}
go test -run XXX -bench 'Session' -benchmem -count "$count" "$@" . | tee "$out"
echo
echo "medians of $count runs:"
awk '
/^BenchmarkSession/ {
	name = $1
	if (!(name in seen)) { seen[name] = 1; order[++n] = name }
	for (i = 3; i < NF; i += 2) {
		unit = $(i + 1)
		if (!((name, unit) in useen)) { useen[name, unit] = 1; units[name] = units[name] " " unit }
		k = ++cnt[name, unit]
		val[name, unit, k] = $i
	}
}
function median(name, unit,    c, i, j, t, a) {
	c = cnt[name, unit]
	for (i = 1; i <= c; i++) a[i] = val[name, unit, i] + 0
	for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
	return (c % 2) ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2
}
END {
	for (x = 1; x <= n; x++) {
		name = order[x]
		line = sprintf("%-52s", name)
		m = split(substr(units[name], 2), us, " ")
		for (y = 1; y <= m; y++) line = line sprintf(" %14.0f %s", median(name, us[y]), us[y])
		print line
	}
}' "$out"
