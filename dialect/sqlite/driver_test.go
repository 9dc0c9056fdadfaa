package sqlite

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDSN(t *testing.T) {
	for _, tc := range []struct {
		url, wantPrefix string
		memory          bool
	}{
		{"sqlite://", "file::memory:?", true},
		{"sqlite:///:memory:", "file::memory:?", true},
		{"sqlite:///rel/app.db", "file:rel/app.db?", false},
		{"sqlite:////abs/app.db", "file:/abs/app.db?", false},
	} {
		dsn, mem, err := DSN(tc.url)
		require.NoError(t, err, tc.url)
		assert.Equal(t, tc.memory, mem, tc.url)
		assert.Contains(t, dsn, tc.wantPrefix, tc.url)
		assert.Contains(t, dsn, "foreign_keys%281%29", tc.url)
		assert.Contains(t, dsn, "busy_timeout", tc.url)
	}
	_, _, err := DSN("postgres://x")
	assert.Error(t, err)
	_, _, err = DSN("sqlite://relative.db")
	assert.Error(t, err)
}
