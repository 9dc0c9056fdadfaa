package peers

// raw_pgx: hand-written SQL on a pgxpool.Pool (pgx's default statement
// cache: each statement is prepared once per connection), every operation
// in a pgx.Tx (pool.Begin … Commit).
//
//   - insert_one: INSERT … VALUES ($1, $2, $3) RETURNING id.
//   - insert_100: one multi-row INSERT … VALUES (…), … (100 rows)
//     RETURNING id, ids scanned back into the structs in order.
//   - update_pk: UPDATE peers_users SET name = $1 WHERE id = $2 from the
//     known struct.
//   - load_update_pk: SELECT by id into a struct, set Name, the same UPDATE.
//   - read_one_pk: SELECT id, name, email, age WHERE id = $1, Scan.
//   - read_100: SELECT … WHERE id BETWEEN $1 AND $2 ORDER BY id, Scan each.
//   - eager_100x10: SELECT the parents ORDER BY id LIMIT 100, then SELECT
//     the children WHERE parent_id = ANY($1) (one array parameter), each
//     child appended to its parent's slice through an id→parent map.
//   - bulk_10k (raw_pgx): 10 multi-row INSERTs of 1,000 rows RETURNING id
//     (the row count per statement the Retort session uses), ids read back.
//   - bulk_10k (raw_pgx_copy): CopyFrom (COPY … FROM STDIN, binary); no
//     ids come back.

import (
	"context"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

type PgxUser struct {
	ID    int64
	Name  string
	Email string
	Age   int
}

type PgxParent struct {
	ID       int64
	Name     string
	Children []*PgxChild
}

type PgxChild struct {
	ID       int64
	ParentID int64
	Name     string
}

const (
	sqlInsertOne = "INSERT INTO peers_users (name, email, age) VALUES ($1, $2, $3) RETURNING id"
	sqlUpdate    = "UPDATE peers_users SET name = $1 WHERE id = $2"
	sqlGet       = "SELECT id, name, email, age FROM peers_users WHERE id = $1"
	sqlRange     = "SELECT id, name, email, age FROM peers_users WHERE id BETWEEN $1 AND $2 ORDER BY id"
	sqlParents   = "SELECT id, name FROM peers_parents ORDER BY id LIMIT 100"
	sqlChildren  = "SELECT id, parent_id, name FROM peers_children WHERE parent_id = ANY($1)"
)

var (
	pgxOnce sync.Once
	pgxP    *pgxpool.Pool
	pgxErr  error
)

func openPgx() (*pgxpool.Pool, error) {
	pgxOnce.Do(func() {
		cfg, err := pgxpool.ParseConfig(benchURL())
		if err != nil {
			pgxErr = err
			return
		}
		cfg.MaxConns = poolSize
		pgxP, pgxErr = pgxpool.NewWithConfig(context.Background(), cfg)
		if pgxErr == nil {
			pgxErr = pgxP.Ping(context.Background())
		}
	})
	return pgxP, pgxErr
}

func pgxNewBatch(first, n int) any {
	us := make([]*PgxUser, n)
	for k := range us {
		i := first + k
		us[k] = &PgxUser{Name: userName(i), Email: userEmail(i), Age: userAge(i)}
	}
	return us
}

func pgxBatchIDs(batch any) []int64 {
	us := batch.([]*PgxUser)
	ids := make([]int64, len(us))
	for k, u := range us {
		ids[k] = u.ID
	}
	return ids
}

// pgxTx runs fn in a transaction on the pool.
func pgxTx(ctx context.Context, p *pgxpool.Pool, fn func(tx pgx.Tx) error) error {
	tx, err := p.Begin(ctx)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback(ctx)
		return err
	}
	return tx.Commit(ctx)
}

// pgxInsertMulti inserts us with multi-row INSERTs of at most per rows,
// scanning the ids back in order.
func pgxInsertMulti(ctx context.Context, tx pgx.Tx, us []*PgxUser, per int, args []any) error {
	for len(us) > 0 {
		n := min(per, len(us))
		args = args[:0]
		for _, u := range us[:n] {
			args = append(args, u.Name, u.Email, u.Age)
		}
		rows, err := tx.Query(ctx, multiInsert(n), args...)
		if err != nil {
			return err
		}
		k := 0
		for rows.Next() {
			if err := rows.Scan(&us[k].ID); err != nil {
				rows.Close()
				return err
			}
			k++
		}
		if err := rows.Err(); err != nil {
			return err
		}
		us = us[n:]
	}
	return nil
}

func pgxScanUser(row pgx.Row, u *PgxUser) error {
	return row.Scan(&u.ID, &u.Name, &u.Email, &u.Age)
}

func init() {
	register(func() (impl, error) {
		im := impl{name: "raw_pgx"}
		p, err := openPgx()
		if err != nil {
			return im, err
		}
		args := make([]any, 0, 3*bulkStmtMax)
		im.insertOne = func(ctx context.Context, i int) (int64, error) {
			u := &PgxUser{Name: userName(i), Email: userEmail(i), Age: userAge(i)}
			err := pgxTx(ctx, p, func(tx pgx.Tx) error {
				return tx.QueryRow(ctx, sqlInsertOne, u.Name, u.Email, u.Age).Scan(&u.ID)
			})
			return u.ID, err
		}
		im.newBatch, im.batchIDs = pgxNewBatch, pgxBatchIDs
		im.insertBatch = func(ctx context.Context, batch any) error {
			return pgxTx(ctx, p, func(tx pgx.Tx) error {
				return pgxInsertMulti(ctx, tx, batch.([]*PgxUser), batchRows, args)
			})
		}
		im.bulk = func(ctx context.Context, batch any) error {
			return pgxTx(ctx, p, func(tx pgx.Tx) error {
				return pgxInsertMulti(ctx, tx, batch.([]*PgxUser), bulkStmtMax, args)
			})
		}
		im.bulkReturnsIDs = true
		im.updatePK = func(ctx context.Context, id int64, name string) error {
			email, age := known(id)
			u := &PgxUser{ID: id, Name: name, Email: email, Age: age}
			return pgxTx(ctx, p, func(tx pgx.Tx) error {
				_, err := tx.Exec(ctx, sqlUpdate, u.Name, u.ID)
				return err
			})
		}
		im.loadUpdatePK = func(ctx context.Context, id int64, name string) error {
			return pgxTx(ctx, p, func(tx pgx.Tx) error {
				u := &PgxUser{}
				if err := pgxScanUser(tx.QueryRow(ctx, sqlGet, id), u); err != nil {
					return err
				}
				u.Name = name
				_, err := tx.Exec(ctx, sqlUpdate, u.Name, u.ID)
				return err
			})
		}
		im.readPK = func(ctx context.Context, id int64) (string, error) {
			u := &PgxUser{}
			err := pgxTx(ctx, p, func(tx pgx.Tx) error { return pgxScanUser(tx.QueryRow(ctx, sqlGet, id), u) })
			return u.Name, err
		}
		im.read100 = func(ctx context.Context, lo int64) (any, error) {
			var out []*PgxUser
			err := pgxTx(ctx, p, func(tx pgx.Tx) error {
				rows, err := tx.Query(ctx, sqlRange, lo, lo+99)
				if err != nil {
					return err
				}
				out = make([]*PgxUser, 0, 100)
				for rows.Next() {
					u := &PgxUser{}
					if err := pgxScanUser(rows, u); err != nil {
						rows.Close()
						return err
					}
					out = append(out, u)
				}
				return rows.Err()
			})
			return out, err
		}
		im.idsOf = pgxBatchIDs
		im.eager = func(ctx context.Context) (any, error) {
			var parents []*PgxParent
			err := pgxTx(ctx, p, func(tx pgx.Tx) error {
				var err error
				parents, err = pgxLoadParents(ctx, tx)
				return err
			})
			return parents, err
		}
		im.graphOf = pgxGraph
		return im, nil
	})

	register(func() (impl, error) {
		im := impl{name: "raw_pgx_copy"}
		p, err := openPgx()
		if err != nil {
			return im, err
		}
		im.newBatch, im.batchIDs = pgxNewBatch, pgxBatchIDs
		im.bulk = func(ctx context.Context, batch any) error {
			us := batch.([]*PgxUser)
			return pgxTx(ctx, p, func(tx pgx.Tx) error {
				_, err := tx.CopyFrom(ctx, pgx.Identifier{usersTable}, []string{"name", "email", "age"},
					pgx.CopyFromSlice(len(us), func(k int) ([]any, error) {
						u := us[k]
						return []any{u.Name, u.Email, u.Age}, nil
					}))
				return err
			})
		}
		return im, nil
	})
}

// pgxLoadParents is the hand-written eager load: parents, then their
// children in one query, stitched through an id→parent map.
func pgxLoadParents(ctx context.Context, tx pgx.Tx) ([]*PgxParent, error) {
	rows, err := tx.Query(ctx, sqlParents)
	if err != nil {
		return nil, err
	}
	parents := make([]*PgxParent, 0, nParents)
	byID := make(map[int64]*PgxParent, nParents)
	ids := make([]int64, 0, nParents)
	for rows.Next() {
		p := &PgxParent{}
		if err := rows.Scan(&p.ID, &p.Name); err != nil {
			rows.Close()
			return nil, err
		}
		parents = append(parents, p)
		byID[p.ID] = p
		ids = append(ids, p.ID)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = tx.Query(ctx, sqlChildren, ids)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		c := &PgxChild{}
		if err := rows.Scan(&c.ID, &c.ParentID, &c.Name); err != nil {
			rows.Close()
			return nil, err
		}
		p := byID[c.ParentID]
		p.Children = append(p.Children, c)
	}
	return parents, rows.Err()
}

func pgxGraph(v any) map[int64][]int64 {
	g := map[int64][]int64{}
	for _, p := range v.([]*PgxParent) {
		g[p.ID] = []int64{}
		for _, c := range p.Children {
			g[p.ID] = append(g[p.ID], c.ParentID)
		}
	}
	return g
}
