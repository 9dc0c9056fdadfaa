package peers

// retort: Retort's ORM through a Session from an orm.Factory, one Session
// per operation. A Session works in a transaction: it sends BEGIN before
// its first statement and COMMIT in Commit (writes) or ROLLBACK in Close
// (reads), the round trips every other library is given too.
//
//   - insert_one: Add(&u), Commit (INSERT … RETURNING id, the id set on u).
//   - insert_100 (retort): 100 × Add, Commit: the unit of work's multi-row
//     INSERT … RETURNING id.
//     (retort_bulk): orm.BulkInsert(ctx, s, users) then Commit: the same
//     INSERT without tracking the objects in the session.
//   - update_pk: orm.BulkUpdate(ctx, s, []*User{&u}, "Name") of a struct
//     the program holds, then Commit: UPDATE … SET name WHERE id, no load.
//     Retort's unit of work can only write an object the session tracks,
//     and getting a known row into the session (Get, Merge) loads it;
//     BulkUpdate, SQLAlchemy's "bulk UPDATE by primary key", is Retort's
//     update-without-load path, so it is what update_pk uses.
//   - load_update_pk: orm.Get[User](ctx, s, id), set Name, Commit: the
//     SELECT by key, then the unit of work's UPDATE of the changed column.
//   - read_one_pk: orm.Get, Close.
//   - read_100: orm.Select[User](s).Where(id BETWEEN).OrderBy(id).All.
//   - eager_100x10: retortLoadParents (Select the parents with the
//     loading.SelectInLoad("Children") option: one SELECT … WHERE
//     parent_id IN ($1 … $100) after the parents).
//   - bulk_10k (retort): 10,000 × Add, Commit (multi-row INSERTs of 1,000
//     rows RETURNING id, ids back in the objects, all objects tracked).
//     (retort_bulk): orm.BulkInsert (as many rows per statement as
//     PostgreSQL's bind-parameter limit allows, RETURNING id) then Commit.

import (
	"context"

	"github.com/retort-orm/retort/core"
	_ "github.com/retort-orm/retort/dialect/postgresql"
	"github.com/retort-orm/retort/loading"
	"github.com/retort-orm/retort/orm"
	"github.com/retort-orm/retort/registry"
)

type RetortUser struct {
	ID    int64  `orm:"pk"`
	Name  string `orm:"type:varchar(50)"`
	Email string `orm:"type:varchar(100)"`
	Age   int
}

func (RetortUser) TableName() string { return usersTable }

type RetortParent struct {
	ID       int64          `orm:"pk"`
	Name     string         `orm:"type:varchar(50)"`
	Children []*RetortChild `orm:"rel"`
}

func (RetortParent) TableName() string { return parentsTable }

type RetortChild struct {
	ID       int64  `orm:"pk"`
	ParentID int64  `orm:"fk:peers_parents.id"`
	Name     string `orm:"type:varchar(50)"`
}

func (RetortChild) TableName() string { return childrenTable }

type retortEnv struct {
	f        *orm.Factory
	userID   core.Typed[int64]
	parentID core.Typed[int64]
}

var retortVal *retortEnv

func openRetort() (*retortEnv, error) {
	if retortVal != nil {
		return retortVal, nil
	}
	eng, err := core.CreateEngine(benchURL(), core.WithPool(core.PoolOptions{Size: poolSize, Overflow: core.NoOverflow}))
	if err != nil {
		return nil, err
	}
	reg := registry.New()
	if err := reg.Register(&RetortUser{}, &RetortParent{}, &RetortChild{}); err != nil {
		return nil, err
	}
	if err := reg.Configure(); err != nil {
		return nil, err
	}
	re := &retortEnv{f: orm.NewFactory(reg, eng)}
	if re.userID, err = registry.Attr(reg, func(u *RetortUser) *int64 { return &u.ID }); err != nil {
		return nil, err
	}
	if re.parentID, err = registry.Attr(reg, func(p *RetortParent) *int64 { return &p.ID }); err != nil {
		return nil, err
	}
	retortVal = re
	return re, nil
}

// retortLoadParents is Retort's eager load of 100 parents with their
// children: one query with the selectin loader option (the parents, then
// one SELECT … WHERE parent_id IN ($1 … $100)).
func retortLoadParents(ctx context.Context, re *retortEnv, s *orm.Session) ([]*RetortParent, error) {
	return orm.Select[RetortParent](s).OrderBy(re.parentID.Expr).Limit(nParents).
		Options(loading.SelectInLoad("Children")).All(ctx)
}

func retortNewBatch(first, n int) any {
	us := make([]*RetortUser, n)
	for k := range us {
		i := first + k
		us[k] = &RetortUser{Name: userName(i), Email: userEmail(i), Age: userAge(i)}
	}
	return us
}

func retortBatchIDs(batch any) []int64 {
	us := batch.([]*RetortUser)
	ids := make([]int64, len(us))
	for k, u := range us {
		ids[k] = u.ID
	}
	return ids
}

// retortWrite runs fn in a new Session and commits it.
func retortWrite(ctx context.Context, re *retortEnv, fn func(s *orm.Session) error) error {
	s := re.f.New()
	defer s.Close()
	if err := fn(s); err != nil {
		return err
	}
	return s.Commit(ctx)
}

// retortAddAll adds every object and commits.
func retortAddAll(ctx context.Context, re *retortEnv, batch any) error {
	return retortWrite(ctx, re, func(s *orm.Session) error {
		for _, u := range batch.([]*RetortUser) {
			if err := s.Add(u); err != nil {
				return err
			}
		}
		return nil
	})
}

func retortBulk(ctx context.Context, re *retortEnv, batch any) error {
	return retortWrite(ctx, re, func(s *orm.Session) error {
		return orm.BulkInsert(ctx, s, batch.([]*RetortUser))
	})
}

func init() {
	register(func() (impl, error) {
		im := impl{name: "retort"}
		re, err := openRetort()
		if err != nil {
			return im, err
		}
		im.insertOne = func(ctx context.Context, i int) (int64, error) {
			u := &RetortUser{Name: userName(i), Email: userEmail(i), Age: userAge(i)}
			err := retortWrite(ctx, re, func(s *orm.Session) error { return s.Add(u) })
			return u.ID, err
		}
		im.newBatch, im.batchIDs = retortNewBatch, retortBatchIDs
		im.insertBatch = func(ctx context.Context, batch any) error { return retortAddAll(ctx, re, batch) }
		im.bulk = im.insertBatch
		im.bulkReturnsIDs = true
		im.updatePK = func(ctx context.Context, id int64, name string) error {
			email, age := known(id)
			u := &RetortUser{ID: id, Name: name, Email: email, Age: age}
			return retortWrite(ctx, re, func(s *orm.Session) error {
				return orm.BulkUpdate(ctx, s, []*RetortUser{u}, "Name")
			})
		}
		im.loadUpdatePK = func(ctx context.Context, id int64, name string) error {
			return retortWrite(ctx, re, func(s *orm.Session) error {
				u, err := orm.Get[RetortUser](ctx, s, id)
				if err != nil {
					return err
				}
				u.Name = name
				return nil
			})
		}
		im.readPK = func(ctx context.Context, id int64) (string, error) {
			s := re.f.New()
			defer s.Close()
			u, err := orm.Get[RetortUser](ctx, s, id)
			if err != nil {
				return "", err
			}
			return u.Name, s.Close()
		}
		im.read100 = func(ctx context.Context, lo int64) (any, error) {
			s := re.f.New()
			defer s.Close()
			out, err := orm.Select[RetortUser](s).Where(re.userID.Between(lo, lo+99)).OrderBy(re.userID.Expr).All(ctx)
			if err != nil {
				return nil, err
			}
			return out, s.Close()
		}
		im.idsOf = retortBatchIDs
		im.eager = func(ctx context.Context) (any, error) {
			s := re.f.New()
			defer s.Close()
			parents, err := retortLoadParents(ctx, re, s)
			if err != nil {
				return nil, err
			}
			return parents, s.Close()
		}
		im.graphOf = func(v any) map[int64][]int64 {
			g := map[int64][]int64{}
			for _, p := range v.([]*RetortParent) {
				g[p.ID] = []int64{}
				for _, c := range p.Children {
					g[p.ID] = append(g[p.ID], c.ParentID)
				}
			}
			return g
		}
		return im, nil
	})

	register(func() (impl, error) {
		im := impl{name: "retort_bulk"}
		re, err := openRetort()
		if err != nil {
			return im, err
		}
		im.newBatch, im.batchIDs = retortNewBatch, retortBatchIDs
		im.insertBatch = func(ctx context.Context, batch any) error { return retortBulk(ctx, re, batch) }
		im.bulk = im.insertBatch
		im.bulkReturnsIDs = true
		return im, nil
	})
}
