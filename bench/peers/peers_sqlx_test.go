package peers

// sqlx: jmoiron/sqlx over database/sql with the pgx stdlib driver, every
// operation in a *sqlx.Tx, using sqlx's own mapping: named statements
// (:name, bound from struct fields) for writes, Get/Select into structs
// for reads.
//
//   - insert_one: NamedQuery INSERT … VALUES (:name, :email, :age)
//     RETURNING id on the struct.
//   - insert_100: NamedQuery of the same INSERT with the slice of 100
//     structs (sqlx expands VALUES to 100 tuples), RETURNING id scanned
//     back in order.
//   - update_pk: NamedExec UPDATE … SET name = :name WHERE id = :id.
//   - load_update_pk: Get by id, set Name, the same NamedExec.
//   - read_one_pk, read_100: Get / Select with the raw statements.
//   - eager_100x10: Select the parents, Select the children WHERE
//     parent_id = ANY($1), stitched through an id→parent map.
//   - bulk_10k: NamedExec with the slice of 10,000 structs: one INSERT of
//     10,000 tuples (30,000 parameters); no ids come back.

import (
	"context"

	"github.com/jmoiron/sqlx"
)

type SqlxUser struct {
	ID    int64  `db:"id"`
	Name  string `db:"name"`
	Email string `db:"email"`
	Age   int    `db:"age"`
}

type SqlxParent struct {
	ID       int64        `db:"id"`
	Name     string       `db:"name"`
	Children []*SqlxChild `db:"-"`
}

type SqlxChild struct {
	ID       int64  `db:"id"`
	ParentID int64  `db:"parent_id"`
	Name     string `db:"name"`
}

const (
	sqlxInsert = "INSERT INTO peers_users (name, email, age) VALUES (:name, :email, :age) RETURNING id"
	sqlxBulk   = "INSERT INTO peers_users (name, email, age) VALUES (:name, :email, :age)"
	sqlxUpdate = "UPDATE peers_users SET name = :name WHERE id = :id"
)

func sqlxTx(ctx context.Context, db *sqlx.DB, fn func(tx *sqlx.Tx) error) error {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

func sqlxNewBatch(first, n int) any {
	us := make([]*SqlxUser, n)
	for k := range us {
		i := first + k
		us[k] = &SqlxUser{Name: userName(i), Email: userEmail(i), Age: userAge(i)}
	}
	return us
}

func sqlxBatchIDs(batch any) []int64 {
	us := batch.([]*SqlxUser)
	ids := make([]int64, len(us))
	for k, u := range us {
		ids[k] = u.ID
	}
	return ids
}

func init() {
	register(func() (impl, error) {
		im := impl{name: "sqlx"}
		sdb, err := openSQLDB()
		if err != nil {
			return im, err
		}
		db := sqlx.NewDb(sdb, "pgx")
		im.insertOne = func(ctx context.Context, i int) (int64, error) {
			u := &SqlxUser{Name: userName(i), Email: userEmail(i), Age: userAge(i)}
			err := sqlxTx(ctx, db, func(tx *sqlx.Tx) error {
				rows, err := sqlx.NamedQueryContext(ctx, tx, sqlxInsert, u)
				if err != nil {
					return err
				}
				defer rows.Close()
				for rows.Next() {
					if err := rows.Scan(&u.ID); err != nil {
						return err
					}
				}
				return rows.Err()
			})
			return u.ID, err
		}
		im.newBatch, im.batchIDs = sqlxNewBatch, sqlxBatchIDs
		im.insertBatch = func(ctx context.Context, batch any) error {
			us := batch.([]*SqlxUser)
			return sqlxTx(ctx, db, func(tx *sqlx.Tx) error {
				rows, err := sqlx.NamedQueryContext(ctx, tx, sqlxInsert, us)
				if err != nil {
					return err
				}
				defer rows.Close()
				k := 0
				for rows.Next() {
					if err := rows.Scan(&us[k].ID); err != nil {
						return err
					}
					k++
				}
				return rows.Err()
			})
		}
		im.bulk = func(ctx context.Context, batch any) error {
			return sqlxTx(ctx, db, func(tx *sqlx.Tx) error {
				_, err := tx.NamedExecContext(ctx, sqlxBulk, batch.([]*SqlxUser))
				return err
			})
		}
		im.updatePK = func(ctx context.Context, id int64, name string) error {
			email, age := known(id)
			u := &SqlxUser{ID: id, Name: name, Email: email, Age: age}
			return sqlxTx(ctx, db, func(tx *sqlx.Tx) error {
				_, err := tx.NamedExecContext(ctx, sqlxUpdate, u)
				return err
			})
		}
		im.loadUpdatePK = func(ctx context.Context, id int64, name string) error {
			return sqlxTx(ctx, db, func(tx *sqlx.Tx) error {
				u := &SqlxUser{}
				if err := tx.GetContext(ctx, u, sqlGet, id); err != nil {
					return err
				}
				u.Name = name
				_, err := tx.NamedExecContext(ctx, sqlxUpdate, u)
				return err
			})
		}
		im.readPK = func(ctx context.Context, id int64) (string, error) {
			u := &SqlxUser{}
			err := sqlxTx(ctx, db, func(tx *sqlx.Tx) error { return tx.GetContext(ctx, u, sqlGet, id) })
			return u.Name, err
		}
		im.read100 = func(ctx context.Context, lo int64) (any, error) {
			out := make([]*SqlxUser, 0, 100)
			err := sqlxTx(ctx, db, func(tx *sqlx.Tx) error { return tx.SelectContext(ctx, &out, sqlRange, lo, lo+99) })
			return out, err
		}
		im.idsOf = sqlxBatchIDs
		im.eager = func(ctx context.Context) (any, error) {
			var parents []*SqlxParent
			err := sqlxTx(ctx, db, func(tx *sqlx.Tx) error {
				parents = make([]*SqlxParent, 0, nParents)
				if err := tx.SelectContext(ctx, &parents, sqlParents); err != nil {
					return err
				}
				byID := make(map[int64]*SqlxParent, len(parents))
				ids := make([]int64, 0, len(parents))
				for _, p := range parents {
					byID[p.ID] = p
					ids = append(ids, p.ID)
				}
				children := make([]*SqlxChild, 0, nParents*nChildren)
				if err := tx.SelectContext(ctx, &children, sqlChildren, ids); err != nil {
					return err
				}
				for _, c := range children {
					p := byID[c.ParentID]
					p.Children = append(p.Children, c)
				}
				return nil
			})
			return parents, err
		}
		im.graphOf = func(v any) map[int64][]int64 {
			g := map[int64][]int64{}
			for _, p := range v.([]*SqlxParent) {
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
