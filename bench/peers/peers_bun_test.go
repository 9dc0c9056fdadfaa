package peers

// bun: github.com/uptrace/bun with pgdialect on bun's own PostgreSQL
// driver, pgdriver (the driver bun's README lists for PostgreSQL; v1.2.18,
// the newest pgdriver on the module proxy, under bun v1.3.0). Bun formats
// the arguments into the SQL text itself. Every operation runs in
// db.RunInTx (BEGIN … COMMIT).
//
//   - insert_one: NewInsert().Model(&u) (INSERT … RETURNING "id").
//   - insert_100: NewInsert().Model(&users) with 100: one multi-row INSERT
//     RETURNING "id", ids back into the structs.
//   - update_pk: NewUpdate().Model(&u).WherePK() of a struct holding all
//     its fields: bun's "save an object" path, which writes every column.
//   - load_update_pk: NewSelect().Model(&u).WherePK(), set Name, the same
//     NewUpdate.
//   - read_one_pk: NewSelect().Model(&u).WherePK().
//   - read_100: NewSelect().Model(&users).Where("id BETWEEN ? AND ?")
//     .Order("id").
//   - eager_100x10: NewSelect().Model(&parents).Relation("Children")
//     .Order("p.id").Limit(100): the parents, then one SELECT of the
//     children WHERE parent_id IN (…).
//   - bulk_10k: NewInsert().Model(&users) with 10,000: one INSERT of
//     10,000 rows RETURNING "id", ids read back.

import (
	"context"
	"database/sql"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/driver/pgdriver"
)

type BunUser struct {
	bun.BaseModel `bun:"table:peers_users,alias:u"`

	ID    int64 `bun:",pk,autoincrement"`
	Name  string
	Email string
	Age   int
}

type BunParent struct {
	bun.BaseModel `bun:"table:peers_parents,alias:p"`

	ID       int64 `bun:",pk,autoincrement"`
	Name     string
	Children []*BunChild `bun:"rel:has-many,join:id=parent_id"`
}

type BunChild struct {
	bun.BaseModel `bun:"table:peers_children,alias:c"`

	ID       int64 `bun:",pk,autoincrement"`
	ParentID int64
	Name     string
}

func bunNewBatch(first, n int) any {
	us := make([]*BunUser, n)
	for k := range us {
		i := first + k
		us[k] = &BunUser{Name: userName(i), Email: userEmail(i), Age: userAge(i)}
	}
	return us
}

func bunBatchIDs(batch any) []int64 {
	us := batch.([]*BunUser)
	ids := make([]int64, len(us))
	for k, u := range us {
		ids[k] = u.ID
	}
	return ids
}

func init() {
	register(func() (impl, error) {
		im := impl{name: "bun"}
		sdb := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(benchURL())))
		sdb.SetMaxOpenConns(poolSize)
		sdb.SetMaxIdleConns(poolSize)
		if err := sdb.Ping(); err != nil {
			return im, err
		}
		db := bun.NewDB(sdb, pgdialect.New())
		inTx := func(ctx context.Context, fn func(ctx context.Context, tx bun.Tx) error) error {
			return db.RunInTx(ctx, nil, fn)
		}
		im.insertOne = func(ctx context.Context, i int) (int64, error) {
			u := &BunUser{Name: userName(i), Email: userEmail(i), Age: userAge(i)}
			err := inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
				_, err := tx.NewInsert().Model(u).Exec(ctx)
				return err
			})
			return u.ID, err
		}
		im.newBatch, im.batchIDs = bunNewBatch, bunBatchIDs
		im.insertBatch = func(ctx context.Context, batch any) error {
			us := batch.([]*BunUser)
			return inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
				_, err := tx.NewInsert().Model(&us).Exec(ctx)
				return err
			})
		}
		im.bulk = im.insertBatch
		im.bulkReturnsIDs = true
		im.updatePK = func(ctx context.Context, id int64, name string) error {
			email, age := known(id)
			u := &BunUser{ID: id, Name: name, Email: email, Age: age}
			return inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
				_, err := tx.NewUpdate().Model(u).WherePK().Exec(ctx)
				return err
			})
		}
		im.loadUpdatePK = func(ctx context.Context, id int64, name string) error {
			return inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
				u := &BunUser{ID: id}
				if err := tx.NewSelect().Model(u).WherePK().Scan(ctx); err != nil {
					return err
				}
				u.Name = name
				_, err := tx.NewUpdate().Model(u).WherePK().Exec(ctx)
				return err
			})
		}
		im.readPK = func(ctx context.Context, id int64) (string, error) {
			u := &BunUser{ID: id}
			err := inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
				return tx.NewSelect().Model(u).WherePK().Scan(ctx)
			})
			return u.Name, err
		}
		im.read100 = func(ctx context.Context, lo int64) (any, error) {
			out := make([]*BunUser, 0, 100)
			err := inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
				return tx.NewSelect().Model(&out).Where("id BETWEEN ? AND ?", lo, lo+99).Order("id").Scan(ctx)
			})
			return out, err
		}
		im.idsOf = bunBatchIDs
		im.eager = func(ctx context.Context) (any, error) {
			var parents []*BunParent
			err := inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
				return tx.NewSelect().Model(&parents).Relation("Children").Order("p.id").Limit(nParents).Scan(ctx)
			})
			return parents, err
		}
		im.graphOf = func(v any) map[int64][]int64 {
			g := map[int64][]int64{}
			for _, p := range v.([]*BunParent) {
				g[p.ID] = []int64{}
				for _, c := range p.Children {
					g[p.ID] = append(g[p.ID], c.ParentID)
				}
			}
			return g
		}
		return im, nil
	})
}
