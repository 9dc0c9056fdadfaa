package postgresql_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/internal/testdb"
)

// The engine opens its pool through the dialect's Opener and classifies
// errors through its ErrorTranslator; a killed backend is replaced.
func TestEngineOnPgx(t *testing.T) {
	url := testdb.URL(t, testdb.Postgres)
	ctx := context.Background()
	eng, err := core.CreateEngine(url, core.WithPool(core.PoolOptions{Size: 1, Overflow: -1, Timeout: 5 * time.Second}))
	require.NoError(t, err)
	defer eng.Close()

	var connects atomic.Int32
	eng.Events().OnConnect(func(ctx context.Context, c core.DriverConn) error {
		connects.Add(1)
		return nil
	})

	md := core.NewMetaData()
	tbl := md.MustTable("drv_engine_t",
		core.Col("id", core.BigInteger{}, core.PrimaryKey()),
		core.Col("name", core.String{Length: 20}, core.NotNull()),
	)
	require.NoError(t, eng.DropAll(ctx, md, true))
	require.NoError(t, eng.CreateAll(ctx, md, false))
	defer func() { _ = eng.DropAll(context.Background(), md, true) }()

	_, err = eng.Execute(ctx, core.Insert(tbl).Values(map[string]any{"id": 1, "name": "ann"}))
	require.NoError(t, err)
	_, err = eng.Execute(ctx, core.Insert(tbl).Values(map[string]any{"id": 1, "name": "dup"}))
	assert.ErrorIs(t, err, core.ErrIntegrity)
	var pgErr *pgconn.PgError
	require.ErrorAs(t, err, &pgErr)
	assert.Equal(t, "23505", pgErr.Code)

	type row struct {
		ID   int64
		Name string
	}
	res, err := eng.Execute(ctx, core.Select(tbl.C("id"), tbl.C("name")).Where(tbl.C("id").Eq(1)))
	require.NoError(t, err)
	got, err := core.ScanAll[row](res)
	require.NoError(t, err)
	assert.Equal(t, []row{{1, "ann"}}, got)

	// Kill the backend of a checked-out connection mid-transaction.
	conn, err := eng.Connect(ctx)
	require.NoError(t, err)
	victim, err := eng.Connect(ctx) // overflow: a second connection
	require.NoError(t, err)
	pid := backendPID(t, victim.DriverConn())
	_, err = victim.Begin(ctx)
	require.NoError(t, err)
	terminate(t, pid)
	_, err = victim.Execute(ctx, core.Select(tbl.C("id")))
	require.Error(t, err)
	assert.ErrorIs(t, err, core.ErrOperational)
	assert.True(t, core.IsDisconnect(err), "%v", err)
	_ = victim.Close()
	require.NoError(t, conn.Close())

	res, err = eng.Execute(ctx, core.Select(tbl.C("name")).Where(tbl.C("id").Eq(1)))
	require.NoError(t, err)
	got, err = core.ScanAll[row](res)
	require.NoError(t, err)
	assert.Equal(t, "ann", got[0].Name)
	assert.Equal(t, 0, eng.Stats().InUse)
	// one connection for the statements, a second for the victim (the
	// last statement reuses the first)
	assert.Equal(t, int32(2), connects.Load())
}
