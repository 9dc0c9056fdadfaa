// Package bench compares Retort with the raw drivers it runs on, in the same
// run: `go test -run XXX -bench . -benchmem` against the PostgreSQL server
// of RETORT_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test).
//
// It is a Go module of its own, so that the library never depends on what
// it is compared with (peer ORMs will be added here). Every benchmark has
// sub-benchmarks named after the path measured:
//
//	raw_pgx          pgxpool alone, the limit
//	retort_driver    a statement built with core, compiled through the
//	                 StatementCache (a cache hit after the first run), run
//	                 on the PostgreSQL dialect's pgx Driver directly
//	retort_conn      through the Engine: a Connection in autocommit mode
//	                 and core.Result scanning (ScanOne/ScanAll/Scalars)
//	retort_engine    Engine.Execute as users call it: each call checks a
//	                 connection out and runs in its own autocommit
//	                 statement
//
// session_bench_test.go measures the ORM Session (Get, flush of new
// objects, update and delete of loaded ones) beside raw pgx doing the same
// statements in the same transactions; TestSessionStatementsMatchRaw checks
// that they do.
//
// On a small shared machine separate sub-benchmarks drift against each
// other (±30%). BenchmarkPaired (paired_test.go) runs each pair
// interleaved, raw and Retort alternately in one loop, and reports the
// ratio from per-iteration medians with the order effect cancelled; it is
// the number to quote:
//
//	sh run_paired.sh [count]     # medians of the ratios over count runs
//	sh run_session.sh [count]    # the Session benchmarks alone, -benchmem
//	sh run_rel.sh [count]        # flush of 100 parents x 10 children (rel_bench_test.go), separate and paired
//
// Time is too noisy there to see a change of a few percent in the
// client's own work. run_instructions.sh counts the client's instructions
// per operation with valgrind's callgrind instead (the garbage collector
// off, goroutine scheduling left out), the same from run to run:
//
//	./run_instructions.sh 'RelLoadGC/p=100,c=10/retort$'          # the 100x10 eager load
//	./run_instructions.sh -C peers 'Peers/eager_100x10/raw_pgx$'  # a peers benchmark
package bench
