package peers

// Schema, seed data and the benchmark driver shared by every library.
//
// Every library (one file each: peers_<lib>_test.go) fills an impl with
// the operations it supports; the Benchmark functions below run each
// operation for each impl as a sub-benchmark named <op>/<impl>, so
// `go test -bench . -benchmem` prints BenchmarkPeers/<op>/<lib>.
//
// Fairness rules applied to every library:
//
//   - One transaction per operation, on every library. Retort's Session
//     always works in a transaction (BEGIN on first use, COMMIT in Commit,
//     ROLLBACK in Close), and GORM wraps its writes in one by default, so
//     every other library runs each operation in an explicit transaction
//     too: the same statements (BEGIN, the statements, COMMIT/ROLLBACK)
//     everywhere. Retort's PostgreSQL driver sends the BEGIN in the same
//     round trip as the first statement (pgx's Batch.BeginTx); the others
//     wait for its answer first, as their transaction APIs do.
//   - Each library has its own connection pool, capped at poolSize
//     connections, with synchronous_commit=off on every connection (insert
//     timings then measure the client and the protocol, not the disk).
//   - Each sub-benchmark runs its operation once before timing (warming the
//     pool and the statement caches) and checks that run's result (ids
//     returned, 100 parents × 10 children, …); a wrong result fails it.
//   - Write benchmarks start from a freshly seeded users table; the 10,000
//     row bulk insert empties the table before every iteration with the
//     timer stopped.
//   - No logging, no hooks.

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
)

const (
	defaultURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	poolSize   = 8

	usersTable    = "peers_users"
	parentsTable  = "peers_parents"
	childrenTable = "peers_children"

	seedUsers   = 1000 // rows of peers_users after reset (ids 1…1000)
	nParents    = 100
	nChildren   = 10 // per parent
	batchRows   = 100
	bulkRows    = 10_000
	updateSpan  = 100  // update benchmarks rotate over ids 1…updateSpan
	bulkStmtMax = 1000 // rows per INSERT statement where a library splits by hand
)

// benchURL is RETORT_POSTGRES_URL (or the default) with synchronous_commit
// turned off as a startup parameter; every library accepts unknown URL
// parameters as runtime parameters.
func benchURL() string {
	url := os.Getenv("RETORT_POSTGRES_URL")
	if url == "" {
		url = defaultURL
	}
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	return url + sep + "synchronous_commit=off"
}

const schemaSQL = `
DROP TABLE IF EXISTS peers_children, peers_parents, peers_users;
CREATE TABLE peers_users (
	id    BIGSERIAL PRIMARY KEY,
	name  VARCHAR(50) NOT NULL,
	email VARCHAR(100) NOT NULL,
	age   INTEGER NOT NULL
);
CREATE TABLE peers_parents (
	id   BIGSERIAL PRIMARY KEY,
	name VARCHAR(50) NOT NULL
);
CREATE TABLE peers_children (
	id        BIGSERIAL PRIMARY KEY,
	parent_id BIGINT NOT NULL REFERENCES peers_parents (id),
	name      VARCHAR(50) NOT NULL
);
CREATE INDEX peers_children_parent_id ON peers_children (parent_id);
INSERT INTO peers_parents (name) SELECT 'parent ' || i FROM generate_series(1, 100) i;
INSERT INTO peers_children (parent_id, name)
	SELECT p, 'child ' || p || '.' || c FROM generate_series(1, 100) p, generate_series(1, 10) c;
ANALYZE peers_parents;
ANALYZE peers_children;
`

// admin is the benchmark's own pool for schema, seeding and checks; no
// library's benchmark runs on it.
var (
	adminOnce sync.Once
	admin     *pgxpool.Pool
	adminErr  error
)

func setup(b testing.TB) *pgxpool.Pool {
	b.Helper()
	adminOnce.Do(func() {
		ctx := context.Background()
		admin, adminErr = pgxpool.New(ctx, benchURL())
		if adminErr != nil {
			return
		}
		if _, adminErr = admin.Exec(ctx, schemaSQL); adminErr != nil {
			return
		}
		adminErr = resetUsersErr(ctx)
	})
	if adminErr != nil {
		b.Fatal(adminErr)
	}
	return admin
}

func resetUsersErr(ctx context.Context) error {
	_, err := admin.Exec(ctx, `TRUNCATE peers_users RESTART IDENTITY`)
	if err != nil {
		return err
	}
	_, err = admin.Exec(ctx, `INSERT INTO peers_users (name, email, age)
		SELECT 'user ' || i, 'user' || i || '@example.com', 20 + i % 50 FROM generate_series(1, $1::int) i`, seedUsers)
	if err != nil {
		return err
	}
	_, err = admin.Exec(ctx, `ANALYZE peers_users`)
	return err
}

// resetUsers brings peers_users back to its seed rows (ids 1…seedUsers).
func resetUsers(b testing.TB) {
	b.Helper()
	if err := resetUsersErr(context.Background()); err != nil {
		b.Fatal(err)
	}
}

// emptyUsers truncates peers_users (the bulk insert's per-iteration reset).
func emptyUsers(b testing.TB) {
	b.Helper()
	if _, err := admin.Exec(context.Background(), `TRUNCATE peers_users RESTART IDENTITY`); err != nil {
		b.Fatal(err)
	}
}

// seed values of user i (the rows resetUsers makes, and the ones the
// insert benchmarks write).
func userName(i int) string  { return "user " + strconv.Itoa(i) }
func userEmail(i int) string { return "user" + strconv.Itoa(i) + "@example.com" }
func userAge(i int) int      { return 20 + i%50 }

// updateArgs is the id and new name of the k-th update: ids rotate over
// 1…updateSpan and each pass over them flips the name, so every UPDATE
// changes the row (Retort's unit of work writes nothing for an unchanged
// object).
var updateNames = [2]string{"renamed a", "renamed b"}

// known returns the email and age of seeded user id (precomputed for the
// update benchmarks' "known object", so no formatting is timed).
func known(id int64) (string, int) { return knownEmails[id], userAge(int(id)) }

var knownEmails = func() []string {
	e := make([]string, updateSpan+1)
	for i := 1; i <= updateSpan; i++ {
		e[i] = userEmail(i)
	}
	return e
}()

func updateArgs(k int) (int64, string) {
	return int64(1 + k%updateSpan), updateNames[(k/updateSpan)%2]
}

// impl is one library's (or one variant's) implementation of the
// operations; a nil operation is not benchmarked for it.
type impl struct {
	name string

	// insertOne inserts user i as one row and returns its id.
	insertOne func(ctx context.Context, i int) (int64, error)

	// newBatch makes n new user structs (user first … first+n-1) of the
	// library's type; batchIDs returns the ids written back into them.
	newBatch func(first, n int) any
	batchIDs func(batch any) []int64
	// insertBatch inserts a batch of batchRows users in one transaction
	// with the library's batch insert, ids returned into the structs.
	insertBatch func(ctx context.Context, batch any) error
	// bulk inserts a batch of bulkRows users with the library's fastest
	// normal bulk path (ids need not come back: see bulkReturnsIDs).
	bulk           func(ctx context.Context, batch any) error
	bulkReturnsIDs bool

	// updatePK writes name into row id from a struct the program already
	// holds (no load).
	updatePK func(ctx context.Context, id int64, name string) error
	// loadUpdatePK loads row id by primary key, sets its name and writes
	// it.
	loadUpdatePK func(ctx context.Context, id int64, name string) error

	// readPK reads row id into a struct and returns its name.
	readPK func(ctx context.Context, id int64) (string, error)
	// read100 reads rows id lo…lo+99 ordered by id into a slice of
	// structs and returns it; idsOf returns their ids (for the check).
	read100 func(ctx context.Context, lo int64) (any, error)
	idsOf   func(rows any) []int64
	// eager reads the 100 parents ordered by id with their children and
	// returns them; graphOf returns, per parent id, the parent_id of each
	// of its children (for the check, outside the timed loop).
	eager   func(ctx context.Context) (any, error)
	graphOf func(parents any) map[int64][]int64
}

// register adds the constructor of a library's impl (called from init
// in each library's file); sub-benchmarks run in libOrder whatever the
// registration order.
func register(mk func() (impl, error)) { implMakers = append(implMakers, mk) }

var (
	implMakers []func() (impl, error)
	impls      []impl
	implsErr   error
	implsOnce  sync.Once
)

// libs opens every library (its pool) once and returns the impls.
func libs(b testing.TB) []impl {
	b.Helper()
	setup(b)
	implsOnce.Do(func() {
		for _, mk := range implMakers {
			im, err := mk()
			if err != nil {
				implsErr = fmt.Errorf("%s: %w", im.name, err)
				return
			}
			impls = append(impls, im)
		}
	})
	if implsErr != nil {
		b.Fatal(implsErr)
	}
	return impls
}

// sink keeps results alive.
var sink any

func BenchmarkPeers(b *testing.B) {
	all := libs(b)
	ctx := context.Background()
	ordered := func(op string, has func(impl) bool, fn func(b *testing.B, im impl)) {
		b.Run(op, func(b *testing.B) {
			for _, name := range libOrder {
				for _, im := range all {
					if im.name == name && has(im) {
						b.Run(im.name, func(b *testing.B) { fn(b, im) })
					}
				}
			}
		})
	}

	ordered("insert_one", func(im impl) bool { return im.insertOne != nil }, func(b *testing.B, im impl) {
		verifyInsertOne(ctx, b, im)
		i := seedUsers + 1
		b.ReportAllocs()
		for b.Loop() {
			i++
			if _, err := im.insertOne(ctx, i); err != nil {
				b.Fatal(err)
			}
		}
	})

	ordered("insert_100", func(im impl) bool { return im.insertBatch != nil }, func(b *testing.B, im impl) {
		verifyInsertBatch(ctx, b, im)
		next := seedUsers + 1 + batchRows
		b.ReportAllocs()
		for b.Loop() {
			if err := im.insertBatch(ctx, im.newBatch(next, batchRows)); err != nil {
				b.Fatal(err)
			}
			next += batchRows
		}
	})

	ordered("update_pk", func(im impl) bool { return im.updatePK != nil }, func(b *testing.B, im impl) {
		benchUpdate(ctx, b, im.updatePK)
	})
	ordered("load_update_pk", func(im impl) bool { return im.loadUpdatePK != nil }, func(b *testing.B, im impl) {
		benchUpdate(ctx, b, im.loadUpdatePK)
	})

	ordered("read_one_pk", func(im impl) bool { return im.readPK != nil }, func(b *testing.B, im impl) {
		verifyReadPK(ctx, b, im)
		b.ReportAllocs()
		k := 0
		for b.Loop() {
			name, err := im.readPK(ctx, int64(1+k%seedUsers))
			if err != nil {
				b.Fatal(err)
			}
			sink = name
			k++
		}
	})

	ordered("read_100", func(im impl) bool { return im.read100 != nil }, func(b *testing.B, im impl) {
		verifyRead100(ctx, b, im)
		b.ReportAllocs()
		k := 0
		for b.Loop() {
			ids, err := im.read100(ctx, int64(1+(k%9)*100))
			if err != nil {
				b.Fatal(err)
			}
			sink = ids
			k++
		}
	})

	ordered("eager_100x10", func(im impl) bool { return im.eager != nil }, func(b *testing.B, im impl) {
		verifyEager(ctx, b, im)
		b.ReportAllocs()
		for b.Loop() {
			parents, err := im.eager(ctx)
			if err != nil {
				b.Fatal(err)
			}
			sink = parents
		}
	})

	ordered("bulk_10k", func(im impl) bool { return im.bulk != nil }, func(b *testing.B, im impl) {
		verifyBulk(ctx, b, im)
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			emptyUsers(b)
			batch := im.newBatch(1, bulkRows)
			b.StartTimer()
			if err := im.bulk(ctx, batch); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func benchUpdate(ctx context.Context, b *testing.B, update func(context.Context, int64, string) error) {
	verifyUpdate(ctx, b, update)
	k := 0
	b.ReportAllocs()
	for b.Loop() {
		k++
		id, name := updateArgs(k)
		if err := update(ctx, id, name); err != nil {
			b.Fatal(err)
		}
	}
}

// The verify functions are the untimed first run of each operation that
// both BenchmarkPeers and TestPeersTable make (warming the pool and the
// statement caches) and the check of its result; a wrong result fails
// the benchmark or test. Each leaves the tables as the timed loop expects
// them.

// verifyInsertOne resets peers_users and inserts user seedUsers+1, which
// must get that id.
func verifyInsertOne(ctx context.Context, tb testing.TB, im impl) {
	tb.Helper()
	resetUsers(tb)
	i := seedUsers + 1
	id, err := im.insertOne(ctx, i)
	if err != nil {
		tb.Fatal(err)
	}
	if id != int64(i) {
		tb.Fatalf("%s: insert_one returned id %d, want %d", im.name, id, i)
	}
}

// verifyInsertBatch resets peers_users and inserts users seedUsers+1 …
// seedUsers+batchRows, whose ids must come back in order.
func verifyInsertBatch(ctx context.Context, tb testing.TB, im impl) {
	tb.Helper()
	resetUsers(tb)
	next := seedUsers + 1
	batch := im.newBatch(next, batchRows)
	if err := im.insertBatch(ctx, batch); err != nil {
		tb.Fatal(err)
	}
	if err := checkIDs(im.batchIDs(batch), next, batchRows); err != nil {
		tb.Fatalf("%s: insert_100: %v", im.name, err)
	}
}

// verifyUpdate resets peers_users, runs update 0 (updateArgs(0)) and
// checks the row.
func verifyUpdate(ctx context.Context, tb testing.TB, update func(context.Context, int64, string) error) {
	tb.Helper()
	resetUsers(tb)
	id, name := updateArgs(0)
	if err := update(ctx, id, name); err != nil {
		tb.Fatal(err)
	}
	var got, email string
	if err := admin.QueryRow(ctx, "SELECT name, email FROM peers_users WHERE id = $1", id).Scan(&got, &email); err != nil {
		tb.Fatal(err)
	}
	if got != name || email != userEmail(int(id)) {
		tb.Fatalf("after update: row %d is (%q, %q), want (%q, %q)", id, got, email, name, userEmail(int(id)))
	}
}

// verifyReadPK resets peers_users and reads user 7.
func verifyReadPK(ctx context.Context, tb testing.TB, im impl) {
	tb.Helper()
	resetUsers(tb)
	name, err := im.readPK(ctx, 7)
	if err != nil {
		tb.Fatal(err)
	}
	if name != userName(7) {
		tb.Fatalf("%s: read_one_pk: name %q, want %q", im.name, name, userName(7))
	}
}

// verifyRead100 resets peers_users and reads users 101…200.
func verifyRead100(ctx context.Context, tb testing.TB, im impl) {
	tb.Helper()
	resetUsers(tb)
	rows, err := im.read100(ctx, 101)
	if err != nil {
		tb.Fatal(err)
	}
	if err := checkIDs(im.idsOf(rows), 101, 100); err != nil {
		tb.Fatalf("%s: read_100: %v", im.name, err)
	}
}

// verifyEager loads the 100 parents with their children and checks the
// graph.
func verifyEager(ctx context.Context, tb testing.TB, im impl) {
	tb.Helper()
	parents, err := im.eager(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	if err := checkGraph(im.graphOf(parents)); err != nil {
		tb.Fatalf("%s: %v", im.name, err)
	}
}

// verifyBulk empties peers_users, bulk-inserts users 1…bulkRows and
// checks the ids (where the library returns them) and the row count.
func verifyBulk(ctx context.Context, tb testing.TB, im impl) {
	tb.Helper()
	emptyUsers(tb)
	batch := im.newBatch(1, bulkRows)
	if err := im.bulk(ctx, batch); err != nil {
		tb.Fatal(err)
	}
	if im.bulkReturnsIDs {
		if err := checkIDs(im.batchIDs(batch), 1, bulkRows); err != nil {
			tb.Fatalf("%s: bulk_10k: %v", im.name, err)
		}
	}
	var n int64
	if err := admin.QueryRow(ctx, "SELECT count(*) FROM peers_users").Scan(&n); err != nil || n != bulkRows {
		tb.Fatalf("%s: bulk_10k: %d rows (%v), want %d", im.name, n, err, bulkRows)
	}
}

// checkIDs checks that ids are first, first+1, … (n of them).
func checkIDs(ids []int64, first, n int) error {
	if len(ids) != n {
		return fmt.Errorf("%d ids, want %d", len(ids), n)
	}
	for k, id := range ids {
		if id != int64(first+k) {
			return fmt.Errorf("id[%d] = %d, want %d", k, id, first+k)
		}
	}
	return nil
}

// checkGraph checks 100 parents with ids 1…100, each with 10 children
// whose parent_id is the parent's.
func checkGraph(g map[int64][]int64) error {
	if len(g) != nParents {
		return fmt.Errorf("%d parents, want %d", len(g), nParents)
	}
	for pid, kids := range g {
		if pid < 1 || pid > nParents {
			return fmt.Errorf("parent id %d", pid)
		}
		if len(kids) != nChildren {
			return fmt.Errorf("parent %d: %d children, want %d", pid, len(kids), nChildren)
		}
		for _, fk := range kids {
			if fk != pid {
				return fmt.Errorf("parent %d holds a child of parent %d", pid, fk)
			}
		}
	}
	return nil
}

// libOrder is the column order of the table (and of the sub-benchmarks).
var libOrder = []string{
	"raw_pgx", "raw_pgx_copy", "database_sql", "sqlx", "gorm", "bun", "retort", "retort_bulk",
}

// multiInsertSQL is INSERT INTO peers_users (name, email, age) VALUES
// ($1, $2, $3), … for n rows, RETURNING id.
func multiInsertSQL(n int) string {
	var sb strings.Builder
	sb.WriteString("INSERT INTO peers_users (name, email, age) VALUES ")
	for i := range n {
		if i > 0 {
			sb.WriteString(", ")
		}
		p := i*3 + 1
		sb.WriteString("($" + strconv.Itoa(p) + ", $" + strconv.Itoa(p+1) + ", $" + strconv.Itoa(p+2) + ")")
	}
	sb.WriteString(" RETURNING id")
	return sb.String()
}

// multiInsertSQLs caches multiInsertSQL by row count.
var multiInsertSQLs sync.Map

func multiInsert(n int) string {
	if s, ok := multiInsertSQLs.Load(n); ok {
		return s.(string)
	}
	s := multiInsertSQL(n)
	multiInsertSQLs.Store(n, s)
	return s
}
