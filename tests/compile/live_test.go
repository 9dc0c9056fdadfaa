package compile_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/internal/goldencases"
	"github.com/retort-orm/retort/internal/testdb"
)

// TestGoldenRunsLive runs every golden statement (DML and queries) that
// compiles for SQLite, PostgreSQL or MariaDB against the case schema on a
// live database, each in a transaction that is rolled back: the golden SQL
// is not only stable but valid. Statements with parameters supplied at
// execution get a zero value for each.
func TestGoldenRunsLive(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		l := openLive(t, b)
		ctx := context.Background()
		conn, err := l.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		// a private namespace, so that tables t, o, e, d never meet another
		// suite's tables of the same names
		switch l.name {
		case testdb.Postgres:
			mustExec(t, conn, "DROP SCHEMA IF EXISTS retort_golden CASCADE")
			mustExec(t, conn, "CREATE SCHEMA retort_golden")
			mustExec(t, conn, "SET search_path TO retort_golden")
			defer conn.ExecContext(ctx, "DROP SCHEMA IF EXISTS retort_golden CASCADE")
		case testdb.MySQL:
			var cur string
			if err := conn.QueryRowContext(ctx, "SELECT DATABASE()").Scan(&cur); err != nil {
				t.Fatal(err)
			}
			mustExec(t, conn, "DROP DATABASE IF EXISTS retort_golden")
			mustExec(t, conn, "CREATE DATABASE retort_golden CHARACTER SET utf8mb4")
			mustExec(t, conn, "USE retort_golden")
			defer func() {
				conn.ExecContext(ctx, "DROP DATABASE IF EXISTS retort_golden")
				conn.ExecContext(ctx, "USE "+cur)
			}()
		}
		for _, tbl := range []*core.Table{t_(), o, e, d} {
			c, err := core.Compile(l.d, &core.CreateTable{Table: tbl})
			if err != nil {
				t.Fatalf("create %s: %v", tbl.Name(), err)
			}
			mustExec(t, conn, c.SQL)
		}
		for i := 1; i <= 3; i++ {
			c, err := core.Compile(l.d, core.Insert(t_()).Values(map[string]any{"name": "12", "x": 10 * i}))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := conn.ExecContext(ctx, c.SQL, c.Args...); err != nil {
				t.Fatal(err)
			}
		}
		ran := 0
		for _, gc := range cases {
			if strings.HasPrefix(gc.name, "ddl_") {
				continue
			}
			c, err := core.Compile(l.d, gc.build())
			if err != nil {
				continue
			}
			args, err := c.BindNamed(namedValues)
			if err != nil {
				t.Errorf("%s: %v", gc.name, err)
				continue
			}
			if portability[gc.name] {
				continue
			}
			sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			tx, err := conn.BeginTx(sctx, nil)
			if err != nil {
				cancel()
				t.Fatalf("%s: begin: %v", gc.name, err)
			}
			if err := run(sctx, tx, c.SQL, args); err != nil {
				t.Errorf("%s: %v\n%s\nargs %s", gc.name, err, c.SQL, formatArgs(args))
			}
			tx.Rollback()
			cancel()
			ran++
		}
		t.Logf("%s: %d golden statements ran", l.name, ran)
	})
}

func t_() *core.Table { return t }

func mustExec(t *testing.T, conn *sql.Conn, q string) {
	t.Helper()
	if _, err := conn.ExecContext(context.Background(), q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// run executes a statement, reading and closing any rows it returns.
func run(ctx context.Context, tx *sql.Tx, q string, args []any) error {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	for rows.Next() {
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return err
	}
	return rows.Close()
}

// namedValues are the values of the cases' parameters supplied at execution.
var namedValues = goldencases.NamedValues

// portability lists cases whose SQL is valid only where the test's input
// exists: the collation "C" is PostgreSQL's.
var portability = map[string]bool{"select_custom_operator_and_collate": true}
