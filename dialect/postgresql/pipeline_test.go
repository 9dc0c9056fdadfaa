package postgresql_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/dialect/postgresql"
	"github.com/retort-orm/retort/internal/testdb"
)

const pipeInsert = "INSERT INTO pipe_t (v) VALUES ($1), ($2) RETURNING id, v"

// pipeConn checks out a connection of dr with the temporary table pipe_t.
func pipeConn(t *testing.T, dr core.Driver) core.DriverConn {
	t.Helper()
	c := acquire(t, dr)
	t.Cleanup(func() { c.Release(false) })
	_, err := c.Exec(context.Background(), "CREATE TEMP TABLE pipe_t (id bigserial PRIMARY KEY, v text NOT NULL)", nil)
	require.NoError(t, err)
	return c
}

func TestPipeline(t *testing.T) {
	_, dr := openDriver(t, core.PoolOptions{})
	c := pipeConn(t, dr)
	ctx := context.Background()
	pl, ok := c.(core.Pipeliner)
	require.True(t, ok)

	// outside a transaction: no pipeline (each statement would not be
	// its own transaction), nothing sent
	p, ok, err := pl.Pipeline(ctx, pipeInsert)
	require.NoError(t, err)
	assert.False(t, ok)
	assert.Nil(t, p)

	require.NoError(t, c.Begin(ctx, core.TxOptions{}))
	p, ok, err = pl.Pipeline(ctx, pipeInsert)
	require.NoError(t, err)
	require.True(t, ok)
	args := []any{"a", "b"}
	require.NoError(t, p.Send(args))
	args[0], args[1] = "c", "d" // the arguments may be reused once sent
	require.NoError(t, p.Send(args))
	var got []string
	for range 2 {
		rows, err := p.Rows()
		require.NoError(t, err)
		for rows.Next() {
			var id int64
			var v string
			require.NoError(t, rows.Scan(&id, &v))
			got = append(got, v)
		}
		require.NoError(t, rows.Close())
	}
	assert.Equal(t, []string{"a", "b", "c", "d"}, got)
	_, err = p.Rows()
	assert.ErrorContains(t, err, "no execution left to read")
	require.NoError(t, p.Close())
	require.NoError(t, p.Close(), "Close twice")

	// without RETURNING: Exec reads the rows affected
	p, ok, err = pl.Pipeline(ctx, "INSERT INTO pipe_t (v) VALUES ($1), ($2), ($3)")
	require.NoError(t, err)
	require.True(t, ok)
	require.NoError(t, p.Send([]any{"e", "f", "g"}))
	res, err := p.Exec()
	require.NoError(t, err)
	assert.Equal(t, int64(3), res.RowsAffected)
	require.NoError(t, p.Close())
	require.NoError(t, c.Commit(ctx))
	n, err := queryInt(ctx, c, "SELECT count(*) FROM pipe_t")
	require.NoError(t, err)
	assert.Equal(t, int64(7), n)
}

// TestPipelineNotOffered: a pool the caller built with a pgx tracer, or
// in a mode that does not cache statements, gets no pipelines.
func TestPipelineNotOffered(t *testing.T) {
	url := testdb.URL(t, testdb.Postgres)
	for name, set := range map[string]func(*pgxpool.Config){
		"tracer":        func(c *pgxpool.Config) { c.ConnConfig.Tracer = nopTracer{} },
		"describe-exec": func(c *pgxpool.Config) { c.ConnConfig.DefaultQueryExecMode = pgx.QueryExecModeDescribeExec },
	} {
		t.Run(name, func(t *testing.T) {
			cfg, err := pgxpool.ParseConfig(url)
			require.NoError(t, err)
			set(cfg)
			pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
			require.NoError(t, err)
			t.Cleanup(pool.Close) // after the connection's release
			c := pipeConn(t, postgresql.WrapPool(pool))
			ctx := context.Background()
			require.NoError(t, c.Begin(ctx, core.TxOptions{}))
			p, ok, err := c.(core.Pipeliner).Pipeline(ctx, pipeInsert)
			require.NoError(t, err)
			assert.False(t, ok)
			assert.Nil(t, p)
			require.NoError(t, c.Rollback(ctx))
		})
	}
}

type nopTracer struct{}

func (nopTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	return ctx
}
func (nopTracer) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}
