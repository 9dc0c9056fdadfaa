#!/usr/bin/env bash
# Runs the peer comparison benchmarks and prints a table: rows are the
# operations, columns the libraries, each cell "µs/op (ratio to raw pgx)
# allocs/op", the median over the runs.
#
#   ./run.sh [count]            run with -count count (default 3)
#   ./run.sh --table FILE       only print the table of a saved `go test
#                               -bench` output
#   ./run.sh --interleaved [rounds]
#                               run TestPeersTable instead: every library
#                               in turn, in short slices, for rounds rounds
#                               (default 15) in rotating order; prints the
#                               table with medians and per-round paired
#                               ratios (the trustworthy ranking on a noisy
#                               machine; about 1 minute)
#
# Environment: RETORT_POSTGRES_URL (default
# postgres://postgres@127.0.0.1:5432/test?sslmode=disable), BENCHTIME
# (go test -benchtime, default 1s), OUT (where the raw output is kept;
# default a temporary file). --interleaved also reads PEERS_SLICE (one
# library's slice, default 60ms) and PEERS_OPS (comma-separated
# operations, default all).
set -euo pipefail
cd "$(dirname "$0")"

table() {
	gawk '
	function median(s,    a, n) {
		n = split(s, a, " ")
		asort(a, a, "@val_num_asc")
		return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	/^BenchmarkPeers\// {
		name = $1
		sub(/^BenchmarkPeers\//, "", name)
		sub(/-[0-9]+$/, "", name)
		split(name, parts, "/")
		op = parts[1]; lib = parts[2]
		ns = ""; allocs = ""
		for (i = 3; i < NF; i++) {
			if ($(i + 1) == "ns/op") ns = $i
			if ($(i + 1) == "allocs/op") allocs = $i
		}
		if (ns == "") next
		if (!(op in seenop)) { seenop[op] = 1; ops[++nops] = op }
		if (!(lib in seenlib)) { seenlib[lib] = 1 }
		key = op SUBSEP lib
		nsv[key] = nsv[key] " " ns
		alv[key] = alv[key] " " allocs
		cnt[key]++
	}
	END {
		split("raw_pgx raw_pgx_copy database_sql sqlx gorm bun retort retort_bulk", order, " ")
		nl = 0
		for (i = 1; i in order; i++) if (order[i] in seenlib) { libs[++nl] = order[i]; known[order[i]] = 1 }
		for (l in seenlib) if (!(l in known)) libs[++nl] = l
		w = 14
		wl = 22
		printf "%-" w "s", "op"
		for (j = 1; j <= nl; j++) printf " | %-" wl "s", libs[j]
		printf "\n"
		l = sprintf("%" (w + nl * (wl + 3)) "s", ""); gsub(/ /, "-", l); print l
		for (i = 1; i <= nops; i++) {
			op = ops[i]
			base = ((op SUBSEP "raw_pgx") in cnt) ? median(nsv[op SUBSEP "raw_pgx"]) : 0
			printf "%-" w "s", op
			for (j = 1; j <= nl; j++) {
				key = op SUBSEP libs[j]
				if (!(key in cnt)) { printf " | %-" wl "s", "-"; continue }
				us = median(nsv[key]) / 1000
				cell = (us >= 1000) ? sprintf("%.0f", us) : sprintf("%.1f", us)
				if (base > 0) cell = cell sprintf(" (%.2fx)", median(nsv[key]) / base)
				cell = cell sprintf(" %d", median(alv[key]))
				printf " | %-" wl "s", cell
			}
			printf "\n"
		}
		printf "\ncells: µs/op (ratio to raw_pgx) allocs/op, median of %d run(s)\n", cnt[ops[1] SUBSEP libs[1]]
	}' "$1"
}

if [[ "${1:-}" == "--table" ]]; then
	table "$2"
	exit 0
fi

if [[ "${1:-}" == "--interleaved" ]]; then
	rounds="${2:-15}"
	out="${OUT:-$(mktemp -t peers-table.XXXXXX)}"
	echo "PEERS_TABLE=1 PEERS_ROUNDS=$rounds go test -run ^TestPeersTable\$ -count 1  (output: $out)" >&2
	PEERS_TABLE=1 PEERS_ROUNDS="$rounds" go test -run '^TestPeersTable$' -count 1 -timeout 60m | tee "$out"
	exit "${PIPESTATUS[0]}"
fi

count="${1:-3}"
out="${OUT:-$(mktemp -t peers-bench.XXXXXX)}"
echo "go test -run ^\$ -bench . -benchmem -count $count -benchtime ${BENCHTIME:-1s}  (raw output: $out)" >&2
go test -run '^$' -bench . -benchmem -count "$count" -benchtime "${BENCHTIME:-1s}" -timeout 60m | tee "$out" >&2
echo
table "$out"
