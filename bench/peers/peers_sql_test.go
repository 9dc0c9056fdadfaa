package peers

// database_sql: database/sql with the pgx stdlib driver (sql.Open("pgx")),
// the same hand-written SQL as raw_pgx, every operation in a *sql.Tx.
// eager_100x10 passes the parent ids as one []int64 parameter
// (parent_id = ANY($1)), which the pgx stdlib driver accepts. bulk_10k is
// 10 multi-row INSERTs of 1,000 rows RETURNING id, like raw_pgx.

import (
	"context"
	"database/sql"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// openSQLDB opens a database/sql pool on the pgx stdlib driver, capped at
// poolSize connections, all kept idle.
func openSQLDB() (*sql.DB, error) {
	db, err := sql.Open("pgx", benchURL())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(poolSize)
	db.SetMaxIdleConns(poolSize)
	return db, db.Ping()
}

func sqlTx(ctx context.Context, db *sql.DB, fn func(tx *sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

func sqlInsertMulti(ctx context.Context, tx *sql.Tx, us []*PgxUser, per int, args []any) error {
	for len(us) > 0 {
		n := min(per, len(us))
		args = args[:0]
		for _, u := range us[:n] {
			args = append(args, u.Name, u.Email, u.Age)
		}
		rows, err := tx.QueryContext(ctx, multiInsert(n), args...)
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
		rows.Close()
		us = us[n:]
	}
	return nil
}

type sqlScanner interface{ Scan(dest ...any) error }

func sqlScanUser(row sqlScanner, u *PgxUser) error {
	return row.Scan(&u.ID, &u.Name, &u.Email, &u.Age)
}

func init() {
	register(func() (impl, error) {
		im := impl{name: "database_sql"}
		db, err := openSQLDB()
		if err != nil {
			return im, err
		}
		args := make([]any, 0, 3*bulkStmtMax)
		im.insertOne = func(ctx context.Context, i int) (int64, error) {
			u := &PgxUser{Name: userName(i), Email: userEmail(i), Age: userAge(i)}
			err := sqlTx(ctx, db, func(tx *sql.Tx) error {
				return tx.QueryRowContext(ctx, sqlInsertOne, u.Name, u.Email, u.Age).Scan(&u.ID)
			})
			return u.ID, err
		}
		im.newBatch, im.batchIDs = pgxNewBatch, pgxBatchIDs
		im.insertBatch = func(ctx context.Context, batch any) error {
			return sqlTx(ctx, db, func(tx *sql.Tx) error {
				return sqlInsertMulti(ctx, tx, batch.([]*PgxUser), batchRows, args)
			})
		}
		im.bulk = func(ctx context.Context, batch any) error {
			return sqlTx(ctx, db, func(tx *sql.Tx) error {
				return sqlInsertMulti(ctx, tx, batch.([]*PgxUser), bulkStmtMax, args)
			})
		}
		im.bulkReturnsIDs = true
		im.updatePK = func(ctx context.Context, id int64, name string) error {
			email, age := known(id)
			u := &PgxUser{ID: id, Name: name, Email: email, Age: age}
			return sqlTx(ctx, db, func(tx *sql.Tx) error {
				_, err := tx.ExecContext(ctx, sqlUpdate, u.Name, u.ID)
				return err
			})
		}
		im.loadUpdatePK = func(ctx context.Context, id int64, name string) error {
			return sqlTx(ctx, db, func(tx *sql.Tx) error {
				u := &PgxUser{}
				if err := sqlScanUser(tx.QueryRowContext(ctx, sqlGet, id), u); err != nil {
					return err
				}
				u.Name = name
				_, err := tx.ExecContext(ctx, sqlUpdate, u.Name, u.ID)
				return err
			})
		}
		im.readPK = func(ctx context.Context, id int64) (string, error) {
			u := &PgxUser{}
			err := sqlTx(ctx, db, func(tx *sql.Tx) error { return sqlScanUser(tx.QueryRowContext(ctx, sqlGet, id), u) })
			return u.Name, err
		}
		im.read100 = func(ctx context.Context, lo int64) (any, error) {
			var out []*PgxUser
			err := sqlTx(ctx, db, func(tx *sql.Tx) error {
				rows, err := tx.QueryContext(ctx, sqlRange, lo, lo+99)
				if err != nil {
					return err
				}
				defer rows.Close()
				out = make([]*PgxUser, 0, 100)
				for rows.Next() {
					u := &PgxUser{}
					if err := sqlScanUser(rows, u); err != nil {
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
			err := sqlTx(ctx, db, func(tx *sql.Tx) error {
				var err error
				parents, err = sqlLoadParents(ctx, tx)
				return err
			})
			return parents, err
		}
		im.graphOf = pgxGraph
		return im, nil
	})
}

func sqlLoadParents(ctx context.Context, tx *sql.Tx) ([]*PgxParent, error) {
	rows, err := tx.QueryContext(ctx, sqlParents)
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
	rows.Close()
	rows, err = tx.QueryContext(ctx, sqlChildren, ids)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		c := &PgxChild{}
		if err := rows.Scan(&c.ID, &c.ParentID, &c.Name); err != nil {
			return nil, err
		}
		p := byID[c.ParentID]
		p.Children = append(p.Children, c)
	}
	return parents, rows.Err()
}
