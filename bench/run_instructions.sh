#!/usr/bin/env bash
# Counts the client's CPU instructions per operation of one benchmark with
# valgrind's callgrind: a measure that, unlike time on a shared machine,
# comes out the same run after run, so that a change of a few percent in
# the client's work can be seen.
#
#   ./run_instructions.sh [-C dir] BENCH_REGEX [N1 N2]
#
# It builds the test binary of dir (default: this directory; bench/peers
# works too), runs the benchmark twice under callgrind with -benchtime
# N1x and N2x (default 100 and 400), and prints the difference divided
# by N2-N1, which leaves out the set-up. The garbage collector is off
# (GOGC=off) and asynchronous preemption too (callgrind does not follow
# its signals), so only the operation's own work is counted; instructions
# spent scheduling goroutines, which vary with how long the server takes,
# are reported apart (sched) and left out of the total. Categories:
# retort (Retort's code, and what the compiler inlined into it), pgx,
# reflect, maps (the runtime's maps), malloc (allocation and memory
# moves), runtime (the rest of the runtime) and other.
#
# The top functions by instructions per operation go to
# ${OUT:-/tmp/instructions_top.txt}. Needs valgrind (apt install valgrind);
# a run takes a minute or two.
set -euo pipefail
dir="$(dirname "$0")"
if [[ "${1:-}" == "-C" ]]; then
	dir="$2"
	shift 2
fi
re="${1:?usage: run_instructions.sh [-C dir] BENCH_REGEX [N1 N2]}"
n1="${2:-100}"
n2="${3:-400}"
out="${OUT:-/tmp/instructions_top.txt}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$dir" && CGO_ENABLED=0 go test -c -o "$tmp/bench.test" .)
for n in "$n1" "$n2"; do
	(cd "$dir" && GOGC=off GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind \
		--callgrind-out-file="$tmp/cg_$n.out" "$tmp/bench.test" -test.run XXX \
		-test.bench "$re" -test.benchtime "${n}x" >/dev/null 2>&1)
	callgrind_annotate --threshold=100 "$tmp/cg_$n.out" >"$tmp/cg_$n.txt" 2>/dev/null
done
python3 - "$tmp/cg_$n1.txt" "$tmp/cg_$n2.txt" "$n1" "$n2" "$out" <<'PY'
import re, sys
f1, f2, n1, n2, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
SCHED = re.compile(r"runtime\.(findRunnable|schedule|stealWork|runqgrab|procyield|osyield|futex|netpoll|"
                   r"nanotime|lock2|unlock2|notesleep|notewakeup|wakep|startm|stopm|mPark|park_m|checkTimers|"
                   r"spin|usleep|runtimeNano|pollWork|execute|gcBgMarkWorker|gcDrain|bgsweep|sweepone|casg|"
                   r"gosched|globrunq|pidle|mcall|\(\*timers\)|\(\*m\))|^time\.|^gogo")
MAPS = re.compile(r"runtime\.(map|memhash|aeshash)|internal/runtime/maps")
MALLOC = re.compile(r"runtime\.(mallocgc|memclr|memmove|newobject|makeslice|growslice|nextFree|\(\*mcache\)|"
                    r"typedmemmove|bulkBarrier|wbBuf|gcWriteBarrier|convT|concatstring|slicebytetostring|rawstring)")
def kind(fn):
    if SCHED.search(fn): return "sched"
    if "retort-orm" in fn: return "retort"
    if "jackc" in fn: return "pgx"
    if fn.startswith("reflect."): return "reflect"
    if MAPS.search(fn): return "maps"
    if MALLOC.search(fn): return "malloc"
    if fn.startswith("runtime.") or "internal/runtime" in fn: return "runtime"
    return "other"
def load(path):
    fns = {}
    for line in open(path):
        m = re.match(r"\s*([\d,]+)\s+\(.*?\)\s+(\S+):(\S+)", line)
        if m:
            fn = re.sub(r"'\d+$", "", m.group(3))
            fns[fn] = fns.get(fn, 0) + int(m.group(1).replace(",", ""))
    return fns
a, b = load(f1), load(f2)
per = {fn: (b.get(fn, 0) - a.get(fn, 0)) / (n2 - n1) for fn in set(a) | set(b)}
cats = {}
for fn, v in per.items():
    cats[kind(fn)] = cats.get(kind(fn), 0) + v
total = sum(v for k, v in cats.items() if k != "sched")
print("instructions per op: %.0f" % total)
print("  " + "  ".join("%s=%.0f" % (k, cats[k]) for k in sorted(cats)))
with open(out, "w") as w:
    for fn, v in sorted(per.items(), key=lambda x: -x[1])[:80]:
        if kind(fn) != "sched":
            w.write("%10.0f %s\n" % (v, fn))
PY
