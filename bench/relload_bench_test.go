package bench

// Loading a one-to-many for many parents (the explicit form of selectin
// loading): 100 parents with their 10 children each, 1,100 rows, from
// tables seeded once.
//
//   - retort: NewSession, Select[RelLParent] ordered by id (one SELECT of
//     the 100 parents), LoadRelated(…, "Children") (one SELECT … WHERE
//     parent_id IN ($1 … $100)), Close; every child in its parent's slice
//     with its Parent set.
//   - raw_pgx: the same two statements on the pool, the parents scanned
//     into structs and indexed by id, the children scanned and appended to
//     their parent's slice, Parent set.

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/retort-orm/retort/orm"
	"github.com/retort-orm/retort/registry"
)

// RelLParent and RelLChild are the mapped types of the load benchmark.
type RelLParent struct {
	ID       int64        `orm:"pk"`
	Name     string       `orm:"type:varchar(50)"`
	Children []*RelLChild `orm:"rel;back_populates:Parent"`
}

func (RelLParent) TableName() string { return "bench_rell_parents" }

type RelLChild struct {
	ID       int64       `orm:"pk"`
	ParentID int64       `orm:"fk:bench_rell_parents.id"`
	Name     string      `orm:"type:varchar(50)"`
	Parent   *RelLParent `orm:"rel;back_populates:Children"`
}

func (RelLChild) TableName() string { return "bench_rell_children" }

var (
	rellOnce sync.Once
	rellReg  *registry.Registry
	rellErr  error
	// the raw side's statements: Retort's, with PostgreSQL's placeholders
	rawRellParents  = "SELECT bench_rell_parents.id, bench_rell_parents.name FROM bench_rell_parents ORDER BY bench_rell_parents.id"
	rawRellChildren = func() string {
		var sb strings.Builder
		sb.WriteString("SELECT bench_rell_children.id, bench_rell_children.parent_id, bench_rell_children.name FROM bench_rell_children WHERE bench_rell_children.parent_id IN (")
		for i := range relParents {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString("$" + strconv.Itoa(i+1))
		}
		sb.WriteString(")")
		return sb.String()
	}()
)

// rellSetup creates and seeds the load benchmark's tables once.
func rellSetup(b *testing.B) *env {
	b.Helper()
	e := setup(b)
	rellOnce.Do(func() {
		ctx := context.Background()
		reg := registry.New()
		if rellErr = reg.Register(&RelLParent{}, &RelLChild{}); rellErr != nil {
			return
		}
		if rellErr = reg.Configure(); rellErr != nil {
			return
		}
		if rellErr = e.eng.DropAll(ctx, reg.MetaData(), true); rellErr != nil {
			return
		}
		if rellErr = e.eng.CreateAll(ctx, reg.MetaData(), false); rellErr != nil {
			return
		}
		s := orm.NewSession(reg, e.eng)
		defer s.Close()
		for i := range relParents {
			p := &RelLParent{Name: "parent " + strconv.Itoa(i)}
			for k := range relChildren {
				p.Children = append(p.Children, &RelLChild{Name: "child " + strconv.Itoa(k)})
			}
			if rellErr = s.Add(p); rellErr != nil {
				return
			}
		}
		rellErr = s.Commit(ctx)
		rellReg = reg
	})
	if rellErr != nil {
		b.Fatal(rellErr)
	}
	return e
}

func checkRellGraph(parents []*RelLParent) error {
	if len(parents) != relParents {
		return fmt.Errorf("%d parents", len(parents))
	}
	for _, p := range parents {
		if len(p.Children) != relChildren {
			return fmt.Errorf("parent %d: %d children", p.ID, len(p.Children))
		}
		for _, c := range p.Children {
			if c.Parent != p || c.ParentID != p.ID {
				return fmt.Errorf("child %d: wrong parent", c.ID)
			}
		}
	}
	return nil
}

func rawRellLoad(ctx context.Context, e *env, args []any) error {
	rows, err := e.raw.Query(ctx, rawRellParents)
	if err != nil {
		return err
	}
	parents := make([]*RelLParent, 0, relParents)
	byID := make(map[int64]*RelLParent, relParents)
	for rows.Next() {
		p := &RelLParent{}
		if err := rows.Scan(&p.ID, &p.Name); err != nil {
			rows.Close()
			return err
		}
		parents = append(parents, p)
		byID[p.ID] = p
	}
	if err := rows.Err(); err != nil {
		return err
	}
	args = args[:0]
	for _, p := range parents {
		args = append(args, p.ID)
	}
	rows, err = e.raw.Query(ctx, rawRellChildren, args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		c := &RelLChild{}
		if err := rows.Scan(&c.ID, &c.ParentID, &c.Name); err != nil {
			rows.Close()
			return err
		}
		p := byID[c.ParentID]
		c.Parent = p
		p.Children = append(p.Children, c)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return checkRellGraph(parents)
}

func retortRellLoad(ctx context.Context, e *env) error {
	s := orm.NewSession(rellReg, e.eng)
	defer s.Close()
	m, err := rellReg.Mapper(&RelLParent{})
	if err != nil {
		return err
	}
	parents, err := orm.Select[RelLParent](s).OrderBy(m.Table().C("id")).All(ctx)
	if err != nil {
		return err
	}
	if err := orm.LoadRelated(ctx, s, parents, "Children"); err != nil {
		return err
	}
	if err := checkRellGraph(parents); err != nil {
		return err
	}
	return s.Close()
}

func BenchmarkRelLoad(b *testing.B) {
	e := rellSetup(b)
	ctx := context.Background()
	args := make([]any, 0, relParents)
	b.Run("p=100,c=10/raw_pgx", func(b *testing.B) {
		b.ReportAllocs()
		defer clientCPU(b)()
		for b.Loop() {
			if err := rawRellLoad(ctx, e, args); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(relObjects, "objs/op")
	})
	b.Run("p=100,c=10/retort", func(b *testing.B) {
		b.ReportAllocs()
		defer clientCPU(b)()
		for b.Loop() {
			if err := retortRellLoad(ctx, e); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(relObjects, "objs/op")
	})
}

// BenchmarkRelLoadPair runs the two sides interleaved (runPair).
func BenchmarkRelLoadPair(b *testing.B) {
	e := rellSetup(b)
	ctx := context.Background()
	args := make([]any, 0, relParents)
	raw := pairSide{op: func(int) error { return rawRellLoad(ctx, e, args) }}
	ret := pairSide{op: func(int) error { return retortRellLoad(ctx, e) }}
	b.Run("p=100,c=10", func(b *testing.B) {
		runPair(b, raw, ret)
	})
}
