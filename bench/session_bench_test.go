package bench

// ORM Session benchmarks (issue 5): Get by primary key, flush of new
// objects, update and delete of loaded objects, each beside raw pgx code
// that sends the same statements with the same batching and the same
// transaction boundaries as the Session (TestSessionStatementsMatchRaw
// checks the statement texts and counts against the raw side's).
//
// What "equivalent raw pgx" means here:
//
//   - A Session always works in a transaction (autobegin on its first
//     statement, COMMIT in Commit), so every raw side runs in a pgx.Tx too.
//   - Get cold, tx_per_op: a new Session per operation, Get (BEGIN, SELECT
//     by key) and Commit (COMMIT); raw: pool.Begin, QueryRow/Scan, Commit.
//     in_tx: one Session and one transaction for the whole run, the object
//     expunged after each Get so the next Get misses the identity map; raw:
//     QueryRow/Scan in one long pgx.Tx.
//   - Get warm: the object is in the identity map and no SQL runs; reported
//     alone (its ratio is taken against the cold raw query).
//   - Flush of n new objects: NewSession, n×Add, Commit, Close, all timed;
//     raw: the same multi-VALUES INSERT … RETURNING id statements (1000
//     rows each at most, the engine's insertmanyvalues batch) in a pgx.Tx,
//     ids scanned back into the structs.
//   - Update of 100 loaded objects: the load (BEGIN and SELECT of 100 rows)
//     is untimed on both sides; timed are the field changes and Commit,
//     which sends 100 single-row UPDATEs (core's ExecuteMany) and COMMIT.
//     With no before-execute listener registered, ExecuteMany on
//     PostgreSQL sends them as one pgx.Batch (one round trip: the dialect's
//     ExecBatch), so raw_pgx is the same pgx.Batch in the pgx.Tx;
//     raw_pgx_one_by_one (100 Execs, 100 round trips) is what a listener
//     makes Retort do, shown for reference.
//   - Delete of 100 loaded objects: the load is untimed; timed are the 100
//     Delete calls and Commit: one DELETE … WHERE id IN ($1, …, $100) and
//     COMMIT; raw: the same Exec and Commit.
//
// Run with run_session.sh (or go test -run XXX -bench Session -benchmem).
// cpu-ns/op (client CPU per operation, see clientCPU) is reported where the
// whole loop is timed; the update and delete benchmarks stop the timer for
// their loads, so they report wall time only.

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/orm"
	"github.com/retort-orm/retort/registry"
)

// SessUser is the mapped type of the Session benchmarks (table
// bench_session_users: id BIGSERIAL primary key, name, email, age).
type SessUser struct {
	ID    int64  `orm:"pk"`
	Name  string `orm:"type:varchar(50)"`
	Email string `orm:"type:varchar(100)"`
	Age   int64
}

func (SessUser) TableName() string { return "bench_session_users" }

// sessSeedRows are the rows the Get and update benchmarks read (ids 1…n).
const sessSeedRows = 10_000

// The statements the Session sends (TestSessionStatementsMatchRaw).
const (
	rawSessGet = "SELECT bench_session_users.id, bench_session_users.name, bench_session_users.email, bench_session_users.age \n" +
		"FROM bench_session_users \nWHERE bench_session_users.id = $1"
	rawSessUpdateAge = "UPDATE bench_session_users SET age=$1 WHERE bench_session_users.id = $2"
	// rawSessLoad100 is the untimed load of the update and delete
	// benchmarks' raw side.
	rawSessLoad100 = "SELECT id, name, email, age FROM bench_session_users WHERE id BETWEEN $1 AND $2 ORDER BY id"
	// sessBatch is the engine's insertmanyvalues batch for 3 columns.
	sessBatch = 1000
)

// rawSessInsert is the Session's INSERT of n new objects.
func rawSessInsert(n int) string {
	var sb strings.Builder
	sb.WriteString("INSERT INTO bench_session_users (name, email, age) VALUES ")
	for i := range n {
		if i > 0 {
			sb.WriteString(", ")
		}
		p := i*3 + 1
		sb.WriteString("($" + strconv.Itoa(p) + ", $" + strconv.Itoa(p+1) + ", $" + strconv.Itoa(p+2) + ")")
	}
	sb.WriteString(" RETURNING bench_session_users.id")
	return sb.String()
}

// rawSessDelete is the Session's DELETE of n objects by key.
func rawSessDelete(n int) string {
	var sb strings.Builder
	sb.WriteString("DELETE FROM bench_session_users WHERE bench_session_users.id IN (")
	for i := range n {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString("$" + strconv.Itoa(i+1))
	}
	sb.WriteString(")")
	return sb.String()
}

type sessEnv struct {
	*env
	reg   *registry.Registry
	idCol core.Typed[int64]
}

var (
	sessOnce sync.Once
	sessVal  *sessEnv
	sessErr  error
)

func newSessRegistry() (*registry.Registry, error) {
	reg := registry.New()
	if err := reg.Register(&SessUser{}); err != nil {
		return nil, err
	}
	return reg, reg.Configure()
}

// sessSetup returns the shared environment with bench_session_users
// created (empty until sessSeed).
func sessSetup(b *testing.B) *sessEnv {
	b.Helper()
	e := setup(b)
	sessOnce.Do(func() {
		ctx := context.Background()
		reg, err := newSessRegistry()
		if err != nil {
			sessErr = err
			return
		}
		if err := e.eng.DropAll(ctx, reg.MetaData(), true); err != nil {
			sessErr = err
			return
		}
		if sessErr = e.eng.CreateAll(ctx, reg.MetaData(), false); sessErr != nil {
			return
		}
		idCol, err := registry.Attr(reg, func(u *SessUser) *int64 { return &u.ID })
		sessVal, sessErr = &sessEnv{env: e, reg: reg, idCol: idCol}, err
	})
	if sessErr != nil {
		b.Fatal(sessErr)
	}
	return sessVal
}

// reset empties the table and restarts its ids.
func (se *sessEnv) reset(b *testing.B) {
	b.Helper()
	if _, err := se.raw.Exec(context.Background(), "TRUNCATE bench_session_users RESTART IDENTITY"); err != nil {
		b.Fatal(err)
	}
}

// seed resets the table to sessSeedRows rows with ids 1…sessSeedRows.
func (se *sessEnv) seed(b *testing.B) {
	b.Helper()
	se.reset(b)
	ctx := context.Background()
	_, err := se.raw.Exec(ctx, `INSERT INTO bench_session_users (name, email, age)
		SELECT 'user ' || i, 'user' || i || '@example.com', 20 + i % 50 FROM generate_series(1, $1::int) i`, sessSeedRows)
	if err == nil {
		_, err = se.raw.Exec(ctx, "ANALYZE bench_session_users")
	}
	if err != nil {
		b.Fatal(err)
	}
}

func (se *sessEnv) session() *orm.Session { return orm.NewSession(se.reg, se.eng) }

// loadRange loads the objects with ids lo…hi through s (BEGIN and SELECT).
func (se *sessEnv) loadRange(ctx context.Context, s *orm.Session, lo, hi int64) ([]*SessUser, error) {
	return orm.Select[SessUser](s).Where(se.idCol.Between(lo, hi)).OrderBy(se.idCol.Expr).All(ctx)
}

// rawLoadRange loads ids lo…hi in tx into structs.
func rawLoadRange(ctx context.Context, tx pgx.Tx, lo, hi int64) ([]SessUser, error) {
	rows, err := tx.Query(ctx, rawSessLoad100, lo, hi)
	if err != nil {
		return nil, err
	}
	out := make([]SessUser, 0, hi-lo+1)
	for rows.Next() {
		var u SessUser
		if err := rows.Scan(&u.ID, &u.Name, &u.Email, &u.Age); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// ---------------------------------------------------------------- Get

func BenchmarkSessionGet(b *testing.B) {
	se := sessSetup(b)
	se.seed(b)
	ctx := context.Background()
	id := func(i int) int64 { return int64(i%sessSeedRows + 1) }
	b.Run("cold_tx_per_op/raw_pgx", func(b *testing.B) {
		b.ReportAllocs()
		defer clientCPU(b)()
		for i := 0; b.Loop(); i++ {
			tx, err := se.raw.Begin(ctx)
			if err != nil {
				b.Fatal(err)
			}
			u := new(SessUser)
			if err := tx.QueryRow(ctx, rawSessGet, id(i)).Scan(&u.ID, &u.Name, &u.Email, &u.Age); err != nil {
				b.Fatal(err)
			}
			if err := tx.Commit(ctx); err != nil {
				b.Fatal(err)
			}
			if u.ID != id(i) {
				b.Fatal("wrong row")
			}
		}
	})
	b.Run("cold_tx_per_op/retort", func(b *testing.B) {
		b.ReportAllocs()
		defer clientCPU(b)()
		for i := 0; b.Loop(); i++ {
			s := se.session()
			u, err := orm.Get[SessUser](ctx, s, id(i))
			if err != nil {
				b.Fatal(err)
			}
			if err := s.Commit(ctx); err != nil {
				b.Fatal(err)
			}
			s.Close()
			if u.ID != id(i) {
				b.Fatal("wrong row")
			}
		}
	})
	b.Run("cold_in_tx/raw_pgx", func(b *testing.B) {
		b.ReportAllocs()
		defer clientCPU(b)()
		tx, err := se.raw.Begin(ctx)
		if err != nil {
			b.Fatal(err)
		}
		defer tx.Rollback(ctx)
		for i := 0; b.Loop(); i++ {
			u := new(SessUser)
			if err := tx.QueryRow(ctx, rawSessGet, id(i)).Scan(&u.ID, &u.Name, &u.Email, &u.Age); err != nil {
				b.Fatal(err)
			}
			if u.ID != id(i) {
				b.Fatal("wrong row")
			}
		}
	})
	b.Run("cold_in_tx/retort", func(b *testing.B) {
		b.ReportAllocs()
		defer clientCPU(b)()
		s := se.session()
		defer s.Close()
		for i := 0; b.Loop(); i++ {
			u, err := orm.Get[SessUser](ctx, s, id(i))
			if err != nil {
				b.Fatal(err)
			}
			if u.ID != id(i) {
				b.Fatal("wrong row")
			}
			if err := s.Expunge(u); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("warm/retort", func(b *testing.B) {
		b.ReportAllocs()
		s := se.session()
		defer s.Close()
		objs, err := se.loadRange(ctx, s, 1, 100)
		if err != nil || len(objs) != 100 {
			b.Fatal(err, len(objs))
		}
		for i := 0; b.Loop(); i++ {
			u, err := orm.Get[SessUser](ctx, s, int64(i%100+1))
			if err != nil {
				b.Fatal(err)
			}
			if u != objs[i%100] {
				b.Fatal("not the identity map's object")
			}
		}
	})
}

// ---------------------------------------------------------------- flush of new objects

func newSessUsers(n int) []SessUser {
	objs := make([]SessUser, n)
	for i := range objs {
		objs[i] = SessUser{Name: "name " + strconv.Itoa(i%100), Email: "name@example.com", Age: int64(i)}
	}
	return objs
}

func BenchmarkSessionFlush(b *testing.B) {
	se := sessSetup(b)
	ctx := context.Background()
	for _, n := range []int{1, 100, 10_000} {
		sqls := map[int]string{}
		for start := 0; start < n; start += sessBatch {
			k := min(sessBatch, n-start)
			if sqls[k] == "" {
				sqls[k] = rawSessInsert(k)
			}
		}
		b.Run(fmt.Sprintf("n=%d/raw_pgx", n), func(b *testing.B) {
			se.reset(b)
			b.ReportAllocs()
			defer clientCPU(b)()
			args := make([]any, 0, 3*min(n, sessBatch))
			for b.Loop() {
				objs := newSessUsers(n)
				tx, err := se.raw.Begin(ctx)
				if err != nil {
					b.Fatal(err)
				}
				for start := 0; start < n; start += sessBatch {
					end := min(start+sessBatch, n)
					args = args[:0]
					for k := start; k < end; k++ {
						u := &objs[k]
						args = append(args, u.Name, u.Email, u.Age)
					}
					rows, err := tx.Query(ctx, sqls[end-start], args...)
					if err != nil {
						b.Fatal(err)
					}
					k := start
					for rows.Next() {
						if k >= end {
							b.Fatal("too many rows")
						}
						if err := rows.Scan(&objs[k].ID); err != nil {
							b.Fatal(err)
						}
						k++
					}
					if rows.Err() != nil || k != end {
						b.Fatal(rows.Err(), k, end)
					}
				}
				if err := tx.Commit(ctx); err != nil {
					b.Fatal(err)
				}
				if objs[n-1].ID == 0 {
					b.Fatal("no id")
				}
			}
			b.ReportMetric(float64(n), "objs/op")
		})
		b.Run(fmt.Sprintf("n=%d/retort", n), func(b *testing.B) {
			se.reset(b)
			b.ReportAllocs()
			defer clientCPU(b)()
			for b.Loop() {
				objs := newSessUsers(n)
				s := se.session()
				for k := range objs {
					if err := s.Add(&objs[k]); err != nil {
						b.Fatal(err)
					}
				}
				if err := s.Commit(ctx); err != nil {
					b.Fatal(err)
				}
				s.Close()
				if objs[n-1].ID == 0 {
					b.Fatal("no id")
				}
			}
			b.ReportMetric(float64(n), "objs/op")
		})
	}
}

// ---------------------------------------------------------------- update of 100 loaded objects

const sessN = 100

// rangeOf is the id range of iteration i (within the seeded rows).
func rangeOf(i int) (int64, int64) {
	lo := int64((i*sessN)%(sessSeedRows-sessN) + 1)
	return lo, lo + sessN - 1
}

func BenchmarkSessionUpdate100(b *testing.B) {
	se := sessSetup(b)
	se.seed(b)
	ctx := context.Background()
	// raw runs the raw side: load (untimed), then send the updates with
	// send (timed) and commit.
	raw := func(b *testing.B, send func(tx pgx.Tx, objs []SessUser) (int64, error)) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			tx, err := se.raw.Begin(ctx)
			if err != nil {
				b.Fatal(err)
			}
			lo, hi := rangeOf(i)
			objs, err := rawLoadRange(ctx, tx, lo, hi)
			if err != nil || len(objs) != sessN {
				b.Fatal(err, len(objs))
			}
			b.StartTimer()
			for k := range objs {
				objs[k].Age++
			}
			matched, err := send(tx, objs)
			if err != nil {
				b.Fatal(err)
			}
			if matched != sessN {
				b.Fatalf("%d rows matched", matched)
			}
			if err := tx.Commit(ctx); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("raw_pgx", func(b *testing.B) {
		raw(b, func(tx pgx.Tx, objs []SessUser) (int64, error) {
			batch := &pgx.Batch{}
			for k := range objs {
				u := &objs[k]
				batch.Queue(rawSessUpdateAge, u.Age, u.ID)
			}
			br := tx.SendBatch(ctx, batch)
			var matched int64
			for range objs {
				tag, err := br.Exec()
				if err != nil {
					br.Close()
					return 0, err
				}
				matched += tag.RowsAffected()
			}
			return matched, br.Close()
		})
	})
	b.Run("raw_pgx_one_by_one", func(b *testing.B) {
		raw(b, func(tx pgx.Tx, objs []SessUser) (int64, error) {
			var matched int64
			for k := range objs {
				u := &objs[k]
				tag, err := tx.Exec(ctx, rawSessUpdateAge, u.Age, u.ID)
				if err != nil {
					return 0, err
				}
				matched += tag.RowsAffected()
			}
			return matched, nil
		})
	})
	b.Run("retort", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			s := se.session()
			lo, hi := rangeOf(i)
			objs, err := se.loadRange(ctx, s, lo, hi)
			if err != nil || len(objs) != sessN {
				b.Fatal(err, len(objs))
			}
			b.StartTimer()
			for _, u := range objs {
				u.Age++
			}
			if err := s.Commit(ctx); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			s.Close()
			b.StartTimer()
		}
	})
}

// ---------------------------------------------------------------- delete of 100 loaded objects

func BenchmarkSessionDelete100(b *testing.B) {
	se := sessSetup(b)
	se.reset(b)
	ctx := context.Background()
	rawDel := rawSessDelete(sessN)
	// fresh inserts 100 rows (untimed, autocommit) and returns their ids.
	fresh := func(b *testing.B) (int64, int64) {
		var lo, hi int64
		err := se.raw.QueryRow(ctx, `WITH ins AS (INSERT INTO bench_session_users (name, email, age)
			SELECT 'gone', 'gone@example.com', i FROM generate_series(1, $1::int) i RETURNING id)
			SELECT min(id), max(id) FROM ins`, sessN).Scan(&lo, &hi)
		if err != nil || hi-lo+1 != sessN {
			b.Fatal(err, lo, hi)
		}
		return lo, hi
	}
	b.Run("raw_pgx", func(b *testing.B) {
		b.ReportAllocs()
		args := make([]any, sessN)
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			lo, hi := fresh(b)
			tx, err := se.raw.Begin(ctx)
			if err != nil {
				b.Fatal(err)
			}
			objs, err := rawLoadRange(ctx, tx, lo, hi)
			if err != nil || len(objs) != sessN {
				b.Fatal(err, len(objs))
			}
			b.StartTimer()
			for k := range objs {
				args[k] = objs[k].ID
			}
			if _, err := tx.Exec(ctx, rawDel, args...); err != nil {
				b.Fatal(err)
			}
			if err := tx.Commit(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("retort", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			lo, hi := fresh(b)
			s := se.session()
			objs, err := se.loadRange(ctx, s, lo, hi)
			if err != nil || len(objs) != sessN {
				b.Fatal(err, len(objs))
			}
			b.StartTimer()
			for _, u := range objs {
				if err := s.Delete(u); err != nil {
					b.Fatal(err)
				}
			}
			if err := s.Commit(ctx); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			s.Close()
			b.StartTimer()
		}
	})
}

// ---------------------------------------------------------------- the statements match

// TestSessionStatementsMatchRaw runs each benchmarked Session operation on
// an engine of its own with after-execute listeners (a before-execute
// listener would turn off the pgx batch of the UPDATEs), and checks that the
// Session sends the statements (text and count) and the transaction
// boundaries the raw pgx side of its benchmark sends.
func TestSessionStatementsMatchRaw(t *testing.T) {
	ctx := context.Background()
	url := testdb.URL(t, testdb.Postgres)
	reg, err := newSessRegistry()
	if err != nil {
		t.Fatal(err)
	}
	eng, err := core.CreateEngine(url)
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	var log []string
	eng.Events().OnAfterExecute(func(ctx context.Context, c *core.Connection, st core.Compiled, err error) {
		log = append(log, st.SQL)
	})
	eng.Events().OnBegin(func(context.Context, *core.Connection) { log = append(log, "BEGIN") })
	eng.Events().OnCommit(func(context.Context, *core.Connection) { log = append(log, "COMMIT") })
	eng.Events().OnRollback(func(context.Context, *core.Connection) { log = append(log, "ROLLBACK") })
	if err := eng.DropAll(ctx, reg.MetaData(), true); err != nil {
		t.Fatal(err)
	}
	if err := eng.CreateAll(ctx, reg.MetaData(), false); err != nil {
		t.Fatal(err)
	}
	idCol := registry.MustAttr(reg, func(u *SessUser) *int64 { return &u.ID })
	expect := func(what string, want ...string) {
		t.Helper()
		if len(log) != len(want) {
			t.Fatalf("%s: %d statements, want %d: %q", what, len(log), len(want), log)
		}
		for i := range want {
			if log[i] != want[i] {
				t.Errorf("%s: statement %d:\n got %q\nwant %q", what, i, log[i], want[i])
			}
		}
		log = nil
	}
	repeat := func(s string, n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = s
		}
		return out
	}

	for _, n := range []int{1, 100, 2500} {
		log = nil
		s := orm.NewSession(reg, eng)
		objs := newSessUsers(n)
		for k := range objs {
			if err := s.Add(&objs[k]); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		s.Close()
		want := []string{"BEGIN"}
		for start := 0; start < n; start += sessBatch {
			want = append(want, rawSessInsert(min(sessBatch, n-start)))
		}
		expect(fmt.Sprintf("flush of %d", n), append(want, "COMMIT")...)
		for k := range objs {
			if objs[k].ID != int64(k+1) && n == 1 {
				t.Fatalf("object %d has id %d", k, objs[k].ID)
			}
		}
	}

	s := orm.NewSession(reg, eng)
	u, err := orm.Get[SessUser](ctx, s, int64(5))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := orm.Get[SessUser](ctx, s, int64(5)); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	s.Close()
	expect("get (cold, then warm)", "BEGIN", rawSessGet, "COMMIT")
	if u.ID != 5 {
		t.Fatal("wrong row")
	}

	s = orm.NewSession(reg, eng)
	objs, err := orm.Select[SessUser](s).Where(idCol.Between(101, 200)).OrderBy(idCol.Expr).All(ctx)
	if err != nil || len(objs) != sessN {
		t.Fatal(err, len(objs))
	}
	log = nil
	for _, u := range objs {
		u.Age++
	}
	if err := s.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	expect("update of 100", append(repeat(rawSessUpdateAge, sessN), "COMMIT")...)
	s.Close()

	s = orm.NewSession(reg, eng)
	objs, err = orm.Select[SessUser](s).Where(idCol.Between(201, 300)).OrderBy(idCol.Expr).All(ctx)
	if err != nil || len(objs) != sessN {
		t.Fatal(err, len(objs))
	}
	log = nil
	for _, u := range objs {
		if err := s.Delete(u); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	expect("delete of 100", rawSessDelete(sessN), "COMMIT")
	s.Close()
	if err := eng.DropAll(ctx, reg.MetaData(), true); err != nil {
		t.Fatal(err)
	}
}
