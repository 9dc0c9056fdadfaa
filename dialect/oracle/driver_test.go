package oracle

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
)

func TestDSN(t *testing.T) {
	dsn, err := DSN("oracle://scott:t%40ger@db.example:1522/ORCLPDB1")
	require.NoError(t, err)
	u, err := url.Parse(dsn)
	require.NoError(t, err)
	assert.Equal(t, "oracle", u.Scheme)
	assert.Equal(t, "db.example:1522", u.Host)
	assert.Equal(t, "scott", u.User.Username())
	pw, _ := u.User.Password()
	assert.Equal(t, "t@ger", pw)
	assert.Equal(t, "/ORCLPDB1", u.Path)

	dsn, err = DSN("oracle://scott:tiger@host/XE")
	require.NoError(t, err)
	assert.Contains(t, dsn, "host:1521")

	_, err = DSN("oracle://scott:tiger@host")
	assert.Error(t, err)
	_, err = DSN("mysql://x/y")
	assert.Error(t, err)
}

func TestOpenWithoutServer(t *testing.T) {
	drv, err := New().Open("oracle://scott:tiger@127.0.0.1:1/XE", core.PoolOptions{}.WithDefaults())
	require.NoError(t, err)
	require.NoError(t, drv.Close())
	assert.Equal(t, "", New().ReleaseSavepointSQL("sp_1"))
}
