package session_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/orm"
)

type seqRow struct {
	ID   int64  `orm:"pk;sequence:sess_seq_rows_id"`
	Name string `orm:"type:varchar(20)"`
}

func (seqRow) TableName() string { return "sess_seq_rows" }

type identityRow struct {
	ID   int64  `orm:"pk;identity"`
	Name string `orm:"type:varchar(20)"`
}

func (identityRow) TableName() string { return "sess_identity_rows" }

// TestSequenceAndIdentityKeys: keys made by a sequence (where the database
// has sequences; elsewhere the column autoincrements, as SQLAlchemy
// ignores a Sequence there) and by an IDENTITY column are read back into
// the objects in Add order, in one batched INSERT.
func TestSequenceAndIdentityKeys(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e := open(t, b)
		reg := newReg(t, nil, &seqRow{}, &identityRow{})
		setup(t, e, reg)
		s := orm.NewSession(reg, e)
		defer s.Close()
		seqs := []*seqRow{{Name: "a"}, {Name: "b"}, {Name: "c"}}
		ids := []*identityRow{{Name: "a"}, {Name: "b"}}
		for _, r := range seqs {
			require.NoError(t, s.Add(r))
		}
		for _, r := range ids {
			require.NoError(t, s.Add(r))
		}
		require.NoError(t, s.Commit(bg))
		for i := 1; i < len(seqs); i++ {
			assert.Greater(t, seqs[i].ID, seqs[i-1].ID, "sequence keys in Add order")
		}
		assert.NotZero(t, seqs[0].ID)
		assert.NotZero(t, ids[0].ID)
		assert.Greater(t, ids[1].ID, ids[0].ID)
		got, err := orm.Get[seqRow](bg, s, seqs[2].ID)
		require.NoError(t, err)
		assert.Equal(t, "c", got.Name)
	})
}
