package bench

// Flush of related objects (one-to-many): 100 new parents with 10 new
// children each, 1,100 rows, Retort's Session beside raw pgx sending the
// same statements with the same batching in the same transaction.
//
//   - retort: build the 100 parents (each with its 10 children in its
//     Children slice), NewSession, AddAll(parents…) (the children come in
//     by the save-update cascade), Commit, Close; then check that every
//     object has its id and every child its parent's id. The Session sends
//     BEGIN, one INSERT INTO bench_rel_parents (name) VALUES … RETURNING id
//     of the 100 parents, one INSERT INTO bench_rel_children (parent_id,
//     name) VALUES … RETURNING id of the 1,000 children, their parent_id
//     copied from the parents' returned keys, and COMMIT
//     (TestRelStatementsMatchRaw checks that on an engine of its own).
//     core's bulk insert (core/bulk.go) puts min(1000, 32767/columns)
//     rows in a statement on PostgreSQL (no BindLimiter there), so both
//     inserts are one statement each.
//   - raw_pgx: build the same object graph, pool.Begin, the same two
//     statements (the parents' ids scanned into the structs, then copied
//     into the children's ParentID, the children's ids scanned back), and
//     Commit; the same check.
//
// Both tables are emptied (TRUNCATE … RESTART IDENTITY, untimed) before
// every operation, so each operation starts from empty tables.
//
// BenchmarkRelFlush has the two sides as separate sub-benchmarks (wall
// time, cpu-ns/op, -benchmem allocations of the whole operation);
// BenchmarkRelFlushPair runs them interleaved with runPair
// (paired_test.go) and reports the drift-free ratio; its built-in ns/op
// and allocs/op mean nothing (both sides and the truncates), read
// raw-/retort-allocs/op instead. run_rel.sh runs both and divides the
// allocations by the 1,100 objects.

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/orm"
	"github.com/retort-orm/retort/registry"
)

// RelParent and RelChild are the mapped types of the relationship flush
// benchmark.
type RelParent struct {
	ID       int64       `orm:"pk"`
	Name     string      `orm:"type:varchar(50)"`
	Children []*RelChild `orm:"rel;back_populates:Parent;cascade:all,delete-orphan"`
}

func (RelParent) TableName() string { return "bench_rel_parents" }

type RelChild struct {
	ID       int64      `orm:"pk"`
	ParentID int64      `orm:"fk:bench_rel_parents.id"`
	Name     string     `orm:"type:varchar(50)"`
	Parent   *RelParent `orm:"rel;back_populates:Children"`
}

func (RelChild) TableName() string { return "bench_rel_children" }

const (
	relParents  = 100
	relChildren = 10 // per parent
	relObjects  = relParents * (1 + relChildren)
	relTruncate = "TRUNCATE bench_rel_children, bench_rel_parents RESTART IDENTITY"
)

// rawRelInsert is the Session's multi-VALUES INSERT … RETURNING id of n
// rows into table (cols).
func rawRelInsert(table string, cols []string, n int) string {
	var sb strings.Builder
	sb.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
	w := len(cols)
	for i := range n {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteByte('(')
		for j := range w {
			if j > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString("$" + strconv.Itoa(i*w+j+1))
		}
		sb.WriteByte(')')
	}
	sb.WriteString(" RETURNING " + table + ".id")
	return sb.String()
}

var (
	rawRelInsertParents  = rawRelInsert("bench_rel_parents", []string{"name"}, relParents)
	rawRelInsertChildren = rawRelInsert("bench_rel_children", []string{"parent_id", "name"}, relParents*relChildren)
)

func newRelRegistry() (*registry.Registry, error) {
	reg := registry.New()
	if err := reg.Register(&RelParent{}, &RelChild{}); err != nil {
		return nil, err
	}
	return reg, reg.Configure()
}

type relEnv struct {
	*env
	reg *registry.Registry
}

var (
	relOnce sync.Once
	relVal  *relEnv
	relErr  error
)

// relSetup returns the shared environment with the two tables created.
func relSetup(b *testing.B) *relEnv {
	b.Helper()
	e := setup(b)
	relOnce.Do(func() {
		ctx := context.Background()
		reg, err := newRelRegistry()
		if err != nil {
			relErr = err
			return
		}
		if relErr = e.eng.DropAll(ctx, reg.MetaData(), true); relErr != nil {
			return
		}
		if relErr = e.eng.CreateAll(ctx, reg.MetaData(), false); relErr != nil {
			return
		}
		relVal = &relEnv{env: e, reg: reg}
	})
	if relErr != nil {
		b.Fatal(relErr)
	}
	return relVal
}

func (re *relEnv) truncate(context.Context) error {
	_, err := re.raw.Exec(context.Background(), relTruncate)
	return err
}

// newRelGraph builds the 100 parents with their 10 children each.
func newRelGraph() []*RelParent {
	parents := make([]*RelParent, relParents)
	for i := range parents {
		p := &RelParent{Name: "parent " + strconv.Itoa(i), Children: make([]*RelChild, relChildren)}
		for k := range p.Children {
			p.Children[k] = &RelChild{Name: "child " + strconv.Itoa(k)}
		}
		parents[i] = p
	}
	return parents
}

// checkRelGraph checks that every object has an id and every child its
// parent's id.
func checkRelGraph(parents []*RelParent) error {
	for _, p := range parents {
		if p.ID == 0 {
			return fmt.Errorf("parent %q has no id", p.Name)
		}
		for _, c := range p.Children {
			if c.ID == 0 || c.ParentID != p.ID {
				return fmt.Errorf("child %q: id %d, parent_id %d, want parent %d", c.Name, c.ID, c.ParentID, p.ID)
			}
		}
	}
	return nil
}

// rawRelFlush is the raw side: the two INSERT … RETURNING in a pgx.Tx.
func (re *relEnv) rawRelFlush(ctx context.Context, args []any) error {
	parents := newRelGraph()
	tx, err := re.raw.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	args = args[:0]
	for _, p := range parents {
		args = append(args, p.Name)
	}
	rows, err := tx.Query(ctx, rawRelInsertParents, args...)
	if err != nil {
		return err
	}
	k := 0
	for rows.Next() {
		if k >= len(parents) {
			rows.Close()
			return fmt.Errorf("too many parent rows")
		}
		if err := rows.Scan(&parents[k].ID); err != nil {
			rows.Close()
			return err
		}
		k++
	}
	if rows.Err() != nil || k != len(parents) {
		return fmt.Errorf("parents: %v, %d rows", rows.Err(), k)
	}
	args = args[:0]
	for _, p := range parents {
		for _, c := range p.Children {
			c.ParentID = p.ID
			args = append(args, c.ParentID, c.Name)
		}
	}
	rows, err = tx.Query(ctx, rawRelInsertChildren, args...)
	if err != nil {
		return err
	}
	k = 0
	for rows.Next() {
		if k >= relParents*relChildren {
			rows.Close()
			return fmt.Errorf("too many child rows")
		}
		if err := rows.Scan(&parents[k/relChildren].Children[k%relChildren].ID); err != nil {
			rows.Close()
			return err
		}
		k++
	}
	if rows.Err() != nil || k != relParents*relChildren {
		return fmt.Errorf("children: %v, %d rows", rows.Err(), k)
	}
	if err := tx.Commit(ctx); err != nil {
		return err
	}
	return checkRelGraph(parents)
}

// retortRelFlush is the Retort side: AddAll of the parents and Commit.
func (re *relEnv) retortRelFlush(ctx context.Context) error {
	parents := newRelGraph()
	s := orm.NewSession(re.reg, re.eng)
	defer s.Close()
	objs := make([]any, len(parents))
	for i, p := range parents {
		objs[i] = p
	}
	if err := s.AddAll(objs...); err != nil {
		return err
	}
	if err := s.Commit(ctx); err != nil {
		return err
	}
	if err := s.Close(); err != nil {
		return err
	}
	return checkRelGraph(parents)
}

func BenchmarkRelFlush(b *testing.B) {
	re := relSetup(b)
	ctx := context.Background()
	run := func(b *testing.B, op func() error) {
		b.ReportAllocs()
		defer clientCPU(b)()
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			if err := re.truncate(ctx); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			if err := op(); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(relObjects, "objs/op")
	}
	b.Run("p=100,c=10/raw_pgx", func(b *testing.B) {
		args := make([]any, 0, 2*relParents*relChildren)
		run(b, func() error { return re.rawRelFlush(ctx, args) })
	})
	b.Run("p=100,c=10/retort", func(b *testing.B) {
		run(b, func() error { return re.retortRelFlush(ctx) })
	})
}

// BenchmarkRelFlushPair runs raw_pgx and retort interleaved (runPair,
// paired_test.go); each operation starts from truncated tables (untimed).
func BenchmarkRelFlushPair(b *testing.B) {
	re := relSetup(b)
	ctx := context.Background()
	prep := func(int) error { return re.truncate(ctx) }
	args := make([]any, 0, 2*relParents*relChildren)
	raw := pairSide{prep: prep, op: func(int) error { return re.rawRelFlush(ctx, args) }}
	ret := pairSide{prep: prep, op: func(int) error { return re.retortRelFlush(ctx) }}
	b.Run("p=100,c=10", func(b *testing.B) {
		runPair(b, raw, ret)
	})
}

// TestRelStatementsMatchRaw records, with a before-execute listener on an
// engine of its own, the statements of one Retort flush of the benchmark's
// graph and checks that they are the raw side's: BEGIN, one INSERT of the
// 100 parents, one INSERT of the 1,000 children, COMMIT.
func TestRelStatementsMatchRaw(t *testing.T) {
	ctx := context.Background()
	url := testdb.URL(t, testdb.Postgres)
	reg, err := newRelRegistry()
	if err != nil {
		t.Fatal(err)
	}
	eng, err := core.CreateEngine(url)
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	if err := eng.DropAll(ctx, reg.MetaData(), true); err != nil {
		t.Fatal(err)
	}
	if err := eng.CreateAll(ctx, reg.MetaData(), false); err != nil {
		t.Fatal(err)
	}
	defer eng.DropAll(ctx, reg.MetaData(), true)
	var log []string
	var nargs []int
	eng.Events().OnBeforeExecute(func(ctx context.Context, c *core.Connection, st *core.Compiled) error {
		log = append(log, st.SQL)
		nargs = append(nargs, len(st.Args))
		return nil
	})
	eng.Events().OnBegin(func(context.Context, *core.Connection) { log = append(log, "BEGIN"); nargs = append(nargs, 0) })
	eng.Events().OnCommit(func(context.Context, *core.Connection) { log = append(log, "COMMIT"); nargs = append(nargs, 0) })
	eng.Events().OnRollback(func(context.Context, *core.Connection) { log = append(log, "ROLLBACK"); nargs = append(nargs, 0) })

	re := &relEnv{env: &env{eng: eng}, reg: reg}
	if err := re.retortRelFlush(ctx); err != nil {
		t.Fatal(err)
	}
	want := []string{"BEGIN", rawRelInsertParents, rawRelInsertChildren, "COMMIT"}
	wantArgs := []int{0, relParents, 2 * relParents * relChildren, 0}
	if len(log) != len(want) {
		short := make([]string, len(log))
		for i, s := range log {
			short[i] = s[:min(len(s), 120)]
		}
		t.Fatalf("%d statements, want %d: %q", len(log), len(want), short)
	}
	for i := range want {
		t.Logf("%d args: %.100s…", nargs[i], log[i])
		if log[i] != want[i] {
			t.Errorf("statement %d:\n got %.300q\nwant %.300q", i, log[i], want[i])
		}
		if nargs[i] != wantArgs[i] {
			t.Errorf("statement %d: %d arguments, want %d", i, nargs[i], wantArgs[i])
		}
	}
}
