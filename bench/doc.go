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
//	                 connection out and runs in its own transaction
//	                 (BEGIN … COMMIT, two extra round trips)
package bench
