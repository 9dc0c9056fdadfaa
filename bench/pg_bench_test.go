package bench

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/dialect/postgresql"
	"github.com/retort-orm/retort/internal/testdb"
)

// User is the row type of every benchmark.
type User struct {
	ID    int64
	Name  string
	Email string
	Age   int64
}

const seedRows = 10_000

var (
	md = core.NewMetaData()
	// users is read by the select benchmarks (seeded with seedRows rows).
	users = md.MustTable("bench_users",
		core.Col("id", core.BigInteger{}, core.PrimaryKey()),
		core.Col("name", core.String{Length: 50}, core.NotNull()),
		core.Col("email", core.String{Length: 100}, core.NotNull()),
		core.Col("age", core.BigInteger{}, core.NotNull()),
	)
	// inserts is written by the insert benchmarks (id generated).
	inserts = md.MustTable("bench_inserts",
		core.Col("id", core.BigInteger{}, core.PrimaryKey()),
		core.Col("name", core.String{Length: 50}, core.NotNull()),
		core.Col("email", core.String{Length: 100}, core.NotNull()),
		core.Col("age", core.BigInteger{}, core.NotNull()),
	)
)

// env is shared by all benchmarks of a run.
type env struct {
	raw   *pgxpool.Pool
	d     *postgresql.Dialect
	drv   core.Driver
	cache *core.StatementCache
	eng   *core.Engine
}

var (
	envOnce sync.Once
	envVal  *env
	envErr  error
)

func setup(b *testing.B) *env {
	b.Helper()
	url := testdb.URL(b, testdb.Postgres)
	envOnce.Do(func() { envVal, envErr = newEnv(url) })
	if envErr != nil {
		b.Fatal(envErr)
	}
	return envVal
}

// benchURL turns off synchronous commit for the benchmark's own sessions
// (a startup parameter): insert timings then measure the client and the
// protocol rather than the disk's flush latency, which varies by
// milliseconds from run to run.
func benchURL(url string) string {
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	return url + sep + "synchronous_commit=off"
}

func newEnv(url string) (*env, error) {
	ctx := context.Background()
	url = benchURL(url)
	e := &env{d: postgresql.New(), cache: core.NewStatementCache(512)}
	var err error
	pool := core.PoolOptions{Size: 8, Overflow: 8}
	if e.raw, err = pgxpool.New(ctx, url); err != nil {
		return nil, err
	}
	if e.drv, err = e.d.Open(url, pool); err != nil {
		return nil, err
	}
	if e.eng, err = core.CreateEngine(url, core.WithPool(pool)); err != nil {
		return nil, err
	}
	if err := e.eng.DropAll(ctx, md, true); err != nil {
		return nil, err
	}
	if err := e.eng.CreateAll(ctx, md, false); err != nil {
		return nil, err
	}
	_, err = e.raw.Exec(ctx, `INSERT INTO bench_users (id, name, email, age)
		SELECT i, 'user ' || i, 'user' || i || '@example.com', 20 + i % 50 FROM generate_series(1, $1::int) i`, seedRows)
	if err != nil {
		return nil, err
	}
	_, err = e.raw.Exec(ctx, "ANALYZE bench_users")
	return e, err
}

func (e *env) truncateInserts(b *testing.B) {
	b.Helper()
	if _, err := e.raw.Exec(context.Background(), "TRUNCATE bench_inserts RESTART IDENTITY"); err != nil {
		b.Fatal(err)
	}
}

// driverQuery compiles stmt through the cache and runs it on the Driver,
// calling scan for each row.
func (e *env) driverQuery(ctx context.Context, stmt core.Statement, scan func(core.DriverRows) error) error {
	cmp, err := e.cache.Compile(e.d, stmt)
	if err != nil {
		return err
	}
	args, err := core.ProcessArgs(e.d, cmp.Args)
	if err != nil {
		return err
	}
	c, err := e.drv.Acquire(ctx)
	if err != nil {
		return err
	}
	rows, err := c.Query(ctx, cmp.SQL, args)
	if err != nil {
		c.Release(core.IsDisconnect(core.NewDBError(e.d, err, cmp.SQL, args, false)))
		return err
	}
	for rows.Next() {
		if err := scan(rows); err != nil {
			rows.Close()
			c.Release(false)
			return err
		}
	}
	err = rows.Close()
	c.Release(false)
	return err
}

// driverExec compiles stmt through the cache and executes it on the Driver.
func (e *env) driverExec(ctx context.Context, stmt core.Statement) (int64, error) {
	cmp, err := e.cache.Compile(e.d, stmt)
	if err != nil {
		return 0, err
	}
	args, err := core.ProcessArgs(e.d, cmp.Args)
	if err != nil {
		return 0, err
	}
	c, err := e.drv.Acquire(ctx)
	if err != nil {
		return 0, err
	}
	res, err := c.Exec(ctx, cmp.SQL, args)
	c.Release(err != nil && core.IsDisconnect(core.NewDBError(e.d, err, cmp.SQL, args, false)))
	return res.RowsAffected, err
}

// cpuTime is the CPU time (user and system, every thread) the benchmark
// process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// clientCPU reports, as the metric cpu-ns/op, the CPU time the client
// process (the driver, Retort, the garbage collector) spends per
// operation. The server's work is the same for both sides of a
// comparison; on a small shared machine this number is steadier than the
// wall-clock ns/op. Use as: defer clientCPU(b)().
func clientCPU(b *testing.B) func() {
	start := cpuTime()
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
		}
	}
}

// autocommitConn checks an autocommit Connection out of the engine.
func (e *env) autocommitConn(ctx context.Context) (*core.Connection, error) {
	c, err := e.eng.Connect(ctx)
	if err != nil {
		return nil, err
	}
	if err := c.SetExecutionOptions(core.ExecutionOptions{Autocommit: true}); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

func selectByPK(id int64) *core.SelectStmt {
	return core.Select(users.C("id"), users.C("name"), users.C("email"), users.C("age")).
		Where(users.C("id").Eq(id))
}

// The raw statements are the text Retort compiles (TestStatementsMatchRaw).
const rawSelectByPK = "SELECT bench_users.id, bench_users.name, bench_users.email, bench_users.age FROM bench_users WHERE bench_users.id = $1"

func BenchmarkSelectByPK(b *testing.B) {
	e := setup(b)
	ctx := context.Background()
	b.Run("raw_pgx", func(b *testing.B) {
		b.ReportAllocs()
		var u User
		for i := 0; b.Loop(); i++ {
			id := int64(i%seedRows + 1)
			if err := e.raw.QueryRow(ctx, rawSelectByPK, id).Scan(&u.ID, &u.Name, &u.Email, &u.Age); err != nil {
				b.Fatal(err)
			}
			if u.ID != id {
				b.Fatal("wrong row")
			}
		}
	})
	b.Run("retort_driver", func(b *testing.B) {
		b.ReportAllocs()
		var u User
		scan := func(r core.DriverRows) error { return r.Scan(&u.ID, &u.Name, &u.Email, &u.Age) }
		for i := 0; b.Loop(); i++ {
			id := int64(i%seedRows + 1)
			if err := e.driverQuery(ctx, selectByPK(id), scan); err != nil {
				b.Fatal(err)
			}
			if u.ID != id {
				b.Fatal("wrong row")
			}
		}
	})
	b.Run("retort_conn", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			id := int64(i%seedRows + 1)
			c, err := e.autocommitConn(ctx)
			if err != nil {
				b.Fatal(err)
			}
			res, err := c.Execute(ctx, selectByPK(id))
			if err != nil {
				b.Fatal(err)
			}
			u, err := core.ScanOne[User](res)
			if err != nil {
				b.Fatal(err)
			}
			c.Close()
			if u.ID != id {
				b.Fatal("wrong row")
			}
		}
	})
	b.Run("retort_engine", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			id := int64(i%seedRows + 1)
			res, err := e.eng.Execute(ctx, selectByPK(id))
			if err != nil {
				b.Fatal(err)
			}
			u, err := core.ScanOne[User](res)
			if err != nil {
				b.Fatal(err)
			}
			if u.ID != id {
				b.Fatal("wrong row")
			}
		}
	})
}

func select100(from int64) *core.SelectStmt {
	return core.Select(users.C("id"), users.C("name"), users.C("email"), users.C("age")).
		Where(users.C("id").Between(from, from+99)).
		OrderBy(users.C("id"))
}

const rawSelect100 = "SELECT bench_users.id, bench_users.name, bench_users.email, bench_users.age FROM bench_users WHERE bench_users.id BETWEEN $1 AND $2 ORDER BY bench_users.id"

func BenchmarkSelect100Structs(b *testing.B) {
	e := setup(b)
	ctx := context.Background()
	check := func(b *testing.B, out []User) {
		if len(out) != 100 {
			b.Fatalf("%d rows", len(out))
		}
	}
	b.Run("raw_pgx", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			from := int64(i%(seedRows-100) + 1)
			rows, err := e.raw.Query(ctx, rawSelect100, from, from+99)
			if err != nil {
				b.Fatal(err)
			}
			out := make([]User, 0, 100)
			for rows.Next() {
				var u User
				if err := rows.Scan(&u.ID, &u.Name, &u.Email, &u.Age); err != nil {
					b.Fatal(err)
				}
				out = append(out, u)
			}
			if rows.Err() != nil {
				b.Fatal(rows.Err())
			}
			check(b, out)
		}
	})
	b.Run("retort_driver", func(b *testing.B) {
		b.ReportAllocs()
		var out []User
		scan := func(r core.DriverRows) error {
			var u User
			if err := r.Scan(&u.ID, &u.Name, &u.Email, &u.Age); err != nil {
				return err
			}
			out = append(out, u)
			return nil
		}
		for i := 0; b.Loop(); i++ {
			from := int64(i%(seedRows-100) + 1)
			out = make([]User, 0, 100)
			if err := e.driverQuery(ctx, select100(from), scan); err != nil {
				b.Fatal(err)
			}
			check(b, out)
		}
	})
	b.Run("retort_conn", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			from := int64(i%(seedRows-100) + 1)
			c, err := e.autocommitConn(ctx)
			if err != nil {
				b.Fatal(err)
			}
			res, err := c.Execute(ctx, select100(from))
			if err != nil {
				b.Fatal(err)
			}
			out, err := core.ScanAll[User](res)
			if err != nil {
				b.Fatal(err)
			}
			c.Close()
			check(b, out)
		}
	})
	b.Run("retort_engine", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			from := int64(i%(seedRows-100) + 1)
			res, err := e.eng.Execute(ctx, select100(from))
			if err != nil {
				b.Fatal(err)
			}
			out, err := core.ScanAll[User](res)
			if err != nil {
				b.Fatal(err)
			}
			check(b, out)
		}
	})
}

const rawInsertOne = "INSERT INTO bench_inserts (name, email, age) VALUES ($1, $2, $3)"

func insertOne(i int) *core.InsertStmt {
	return core.Insert(inserts).Columns(inserts.C("name"), inserts.C("email"), inserts.C("age")).
		Row("name", "name@example.com", int64(i))
}

func BenchmarkInsertOne(b *testing.B) {
	e := setup(b)
	ctx := context.Background()
	b.Run("raw_pgx", func(b *testing.B) {
		e.truncateInserts(b)
		b.ReportAllocs()
		defer clientCPU(b)()
		for i := 0; b.Loop(); i++ {
			if _, err := e.raw.Exec(ctx, rawInsertOne, "name", "name@example.com", int64(i)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("retort_driver", func(b *testing.B) {
		e.truncateInserts(b)
		b.ReportAllocs()
		defer clientCPU(b)()
		for i := 0; b.Loop(); i++ {
			if _, err := e.driverExec(ctx, insertOne(i)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("retort_conn", func(b *testing.B) {
		e.truncateInserts(b)
		b.ReportAllocs()
		defer clientCPU(b)()
		for i := 0; b.Loop(); i++ {
			c, err := e.autocommitConn(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := c.Execute(ctx, insertOne(i)); err != nil {
				b.Fatal(err)
			}
			c.Close()
		}
	})
	b.Run("retort_engine", func(b *testing.B) {
		e.truncateInserts(b)
		b.ReportAllocs()
		defer clientCPU(b)()
		for i := 0; b.Loop(); i++ {
			if _, err := e.eng.Execute(ctx, insertOne(i)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// rawMultiInsert is "INSERT … VALUES ($1,$2,$3), … " for n rows, with
// RETURNING id when returning is set.
func rawMultiInsert(n int, returning bool) string {
	var sb strings.Builder
	sb.WriteString("INSERT INTO bench_inserts (name, email, age) VALUES ")
	for i := range n {
		if i > 0 {
			sb.WriteString(", ")
		}
		p := i*3 + 1
		sb.WriteString("($" + strconv.Itoa(p) + ", $" + strconv.Itoa(p+1) + ", $" + strconv.Itoa(p+2) + ")")
	}
	if returning {
		sb.WriteString(" RETURNING bench_inserts.id")
	}
	return sb.String()
}

// rowArgs are the flattened arguments of n rows.
func rowArgs(n, base int) []any {
	args := make([]any, 0, n*3)
	for i := range n {
		args = append(args, "name", "name@example.com", int64(base+i))
	}
	return args
}

// rowMaps are n rows as executemany parameter sets.
func rowMaps(n, base int) []map[string]any {
	out := make([]map[string]any, n)
	for i := range out {
		out[i] = map[string]any{"name": "name", "email": "name@example.com", "age": int64(base + i)}
	}
	return out
}

// insertCols are the columns the insert benchmarks write.
var insertCols = []*core.Column{inserts.C("name"), inserts.C("email"), inserts.C("age")}

// rowSlices are n rows for Connection.InsertRows, one slice per row as a
// caller converting its own records would build them.
func rowSlices(n, base int) [][]any {
	out := make([][]any, n)
	for i := range out {
		out[i] = []any{"name", "name@example.com", int64(base + i)}
	}
	return out
}

// multiInsert builds one multi-VALUES INSERT of n rows with core.
func multiInsert(n, base int, returning bool) *core.InsertStmt {
	rows := make([][]any, n)
	for i := range rows {
		rows[i] = []any{"name", "name@example.com", int64(base + i)}
	}
	st := core.Insert(inserts).Columns(inserts.C("name"), inserts.C("email"), inserts.C("age")).AddRows(rows)
	if returning {
		st = st.Returning(inserts.C("id"))
	}
	return st
}

// Benchmark100RowInsertReturning is SQLAlchemy's "insertmanyvalues": 100
// rows in one multi-VALUES INSERT … RETURNING id, the ids read back.
func Benchmark100RowInsertReturning(b *testing.B) {
	e := setup(b)
	ctx := context.Background()
	const n = 100
	rawSQL := rawMultiInsert(n, true)
	b.Run("raw_pgx", func(b *testing.B) {
		e.truncateInserts(b)
		b.ReportAllocs()
		defer clientCPU(b)()
		for i := 0; b.Loop(); i++ {
			rows, err := e.raw.Query(ctx, rawSQL, rowArgs(n, i)...)
			if err != nil {
				b.Fatal(err)
			}
			ids := make([]int64, 0, n)
			for rows.Next() {
				var id int64
				if err := rows.Scan(&id); err != nil {
					b.Fatal(err)
				}
				ids = append(ids, id)
			}
			if rows.Err() != nil || len(ids) != n {
				b.Fatal(rows.Err(), len(ids))
			}
		}
	})
	b.Run("retort_driver", func(b *testing.B) {
		e.truncateInserts(b)
		b.ReportAllocs()
		defer clientCPU(b)()
		var ids []int64
		scan := func(r core.DriverRows) error {
			var id int64
			err := r.Scan(&id)
			ids = append(ids, id)
			return err
		}
		for i := 0; b.Loop(); i++ {
			ids = make([]int64, 0, n)
			if err := e.driverQuery(ctx, multiInsert(n, i, true), scan); err != nil {
				b.Fatal(err)
			}
			if len(ids) != n {
				b.Fatal(len(ids))
			}
		}
	})
	b.Run("retort_conn", func(b *testing.B) {
		e.truncateInserts(b)
		b.ReportAllocs()
		defer clientCPU(b)()
		for i := 0; b.Loop(); i++ {
			c, err := e.autocommitConn(ctx)
			if err != nil {
				b.Fatal(err)
			}
			res, err := c.InsertMany(ctx, core.Insert(inserts).Returning(inserts.C("id")), rowMaps(n, i))
			if err != nil {
				b.Fatal(err)
			}
			ids, err := core.Scalars[int64](res)
			if err != nil || len(ids) != n {
				b.Fatal(err, len(ids))
			}
			c.Close()
		}
	})
	b.Run("retort_rows", func(b *testing.B) {
		e.truncateInserts(b)
		b.ReportAllocs()
		defer clientCPU(b)()
		for i := 0; b.Loop(); i++ {
			c, err := e.autocommitConn(ctx)
			if err != nil {
				b.Fatal(err)
			}
			res, err := c.InsertRows(ctx, inserts, insertCols, rowSlices(n, i), inserts.C("id"))
			if err != nil {
				b.Fatal(err)
			}
			ids, err := core.Scalars[int64](res)
			if err != nil || len(ids) != n {
				b.Fatal(err, len(ids))
			}
			c.Close()
		}
	})
}

// BenchmarkBulkInsert10k inserts 10,000 rows in multi-VALUES statements of
// 1000 rows (the engine's insertmanyvalues batch), and as a reference with
// pgx's COPY.
func BenchmarkBulkInsert10k(b *testing.B) {
	e := setup(b)
	ctx := context.Background()
	const n, per = 10_000, 1000
	rawSQL := rawMultiInsert(per, false)
	b.Run("raw_pgx", func(b *testing.B) {
		e.truncateInserts(b)
		b.ReportAllocs()
		defer clientCPU(b)()
		for b.Loop() {
			for start := 0; start < n; start += per {
				if _, err := e.raw.Exec(ctx, rawSQL, rowArgs(per, start)...); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("raw_pgx_copy", func(b *testing.B) {
		e.truncateInserts(b)
		b.ReportAllocs()
		defer clientCPU(b)()
		for b.Loop() {
			if _, err := e.raw.CopyFrom(ctx, pgx.Identifier{"bench_inserts"}, []string{"name", "email", "age"},
				pgx.CopyFromSlice(n, func(i int) ([]any, error) {
					return []any{"name", "name@example.com", int64(i)}, nil
				})); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("retort_driver", func(b *testing.B) {
		e.truncateInserts(b)
		b.ReportAllocs()
		defer clientCPU(b)()
		for b.Loop() {
			for start := 0; start < n; start += per {
				if _, err := e.driverExec(ctx, multiInsert(per, start, false)); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("retort_conn", func(b *testing.B) {
		e.truncateInserts(b)
		b.ReportAllocs()
		defer clientCPU(b)()
		for b.Loop() {
			c, err := e.autocommitConn(ctx)
			if err != nil {
				b.Fatal(err)
			}
			res, err := c.ExecuteMany(ctx, core.Insert(inserts), rowMaps(n, 0))
			if err != nil || res.RowsAffected != n {
				b.Fatal(err, res.RowsAffected)
			}
			c.Close()
		}
	})
	b.Run("retort_rows", func(b *testing.B) {
		e.truncateInserts(b)
		b.ReportAllocs()
		defer clientCPU(b)()
		for b.Loop() {
			c, err := e.autocommitConn(ctx)
			if err != nil {
				b.Fatal(err)
			}
			res, err := c.InsertRows(ctx, inserts, insertCols, rowSlices(n, 0))
			if err != nil || res.RowsAffected() != n {
				b.Fatal(err)
			}
			c.Close()
		}
	})
}

// TestStatementsMatchRaw checks that Retort compiles the statements the
// raw benchmarks send (no server needed).
func TestStatementsMatchRaw(t *testing.T) {
	d := postgresql.New()
	for _, c := range []struct {
		stmt core.Statement
		want string
	}{
		{selectByPK(1), rawSelectByPK},
		{select100(1), rawSelect100},
		{insertOne(1), rawInsertOne},
		{multiInsert(3, 0, true), rawMultiInsert(3, true)},
	} {
		cmp, err := core.Compile(d, c.stmt)
		if err != nil {
			t.Fatal(err)
		}
		if norm(cmp.SQL) != norm(c.want) {
			t.Errorf("compiled %q\nraw      %q", cmp.SQL, c.want)
		}
	}
}

func norm(s string) string { return strings.Join(strings.Fields(s), " ") }
