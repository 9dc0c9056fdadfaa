package mysql

import (
	"testing"

	"github.com/go-sql-driver/mysql"

	"github.com/retort-orm/retort/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDSN(t *testing.T) {
	dsn, err := DSN("mysql://scott:t%40ger@db.example:3307/shop?charset=utf8mb4&timeout=5s")
	require.NoError(t, err)
	cfg, err := mysql.ParseDSN(dsn)
	require.NoError(t, err)
	assert.Equal(t, "scott", cfg.User)
	assert.Equal(t, "t@ger", cfg.Passwd)
	assert.Equal(t, "tcp", cfg.Net)
	assert.Equal(t, "db.example:3307", cfg.Addr)
	assert.Equal(t, "shop", cfg.DBName)
	assert.True(t, cfg.ParseTime)
	assert.Equal(t, "5s", cfg.Timeout.String())

	dsn, err = DSN("mariadb://root@localhost/test")
	require.NoError(t, err)
	cfg, err = mysql.ParseDSN(dsn)
	require.NoError(t, err)
	assert.Equal(t, "localhost:3306", cfg.Addr)
	assert.Equal(t, "root", cfg.User)

	dsn, err = DSN("mysql://root@/test?unix_socket=/run/mysqld.sock")
	require.NoError(t, err)
	cfg, err = mysql.ParseDSN(dsn)
	require.NoError(t, err)
	assert.Equal(t, "unix", cfg.Net)
	assert.Equal(t, "/run/mysqld.sock", cfg.Addr)

	_, err = DSN("postgres://x/y")
	assert.Error(t, err)
	_, err = DSN("mysql://h:99999/db")
	assert.Error(t, err)
}

func TestOpenWithoutServer(t *testing.T) {
	drv, err := New().Open("mysql://root@127.0.0.1:1/test", poolOpts())
	require.NoError(t, err)
	require.NoError(t, drv.Close())
}

func poolOpts() core.PoolOptions { return core.PoolOptions{}.WithDefaults() }
