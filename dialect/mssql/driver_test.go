package mssql

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
)

func TestDSN(t *testing.T) {
	dsn, err := DSN("mssql://sa:p%40ss@db.example:1434/shop?encrypt=disable")
	require.NoError(t, err)
	u, err := url.Parse(dsn)
	require.NoError(t, err)
	assert.Equal(t, "sqlserver", u.Scheme)
	assert.Equal(t, "db.example:1434", u.Host)
	assert.Equal(t, "sa", u.User.Username())
	pw, _ := u.User.Password()
	assert.Equal(t, "p@ss", pw)
	assert.Equal(t, "shop", u.Query().Get("database"))
	assert.Equal(t, "disable", u.Query().Get("encrypt"))

	dsn, err = DSN("sqlserver://sa@host/db?instance=SQLEXPRESS")
	require.NoError(t, err)
	u, err = url.Parse(dsn)
	require.NoError(t, err)
	assert.Equal(t, "host", u.Host)
	assert.Equal(t, "/SQLEXPRESS", u.Path)

	dsn, err = DSN("mssql://sa@host")
	require.NoError(t, err)
	assert.Contains(t, dsn, "host:1433")

	_, err = DSN("oracle://x/y")
	assert.Error(t, err)
}

func TestOpenWithoutServerAndSavepoints(t *testing.T) {
	drv, err := New().Open("mssql://sa:x@127.0.0.1:1/db", core.PoolOptions{}.WithDefaults())
	require.NoError(t, err)
	require.NoError(t, drv.Close())
	d := New()
	assert.Equal(t, "SAVE TRANSACTION sp_1", d.SavepointSQL("sp_1"))
	assert.Equal(t, "", d.ReleaseSavepointSQL("sp_1"))
	assert.Equal(t, "ROLLBACK TRANSACTION sp_1", d.RollbackToSavepointSQL("sp_1"))
}
