package session_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/orm"
	"github.com/retort-orm/retort/registry"
)

type badUser struct {
	ID       int64   `orm:"pk"`
	Name     string  `orm:"type:varchar(30);unique"`
	Nickname *string `orm:"type:varchar(30);notnull"`
}

func (badUser) TableName() string { return "sess_bad_users" }

type natural struct {
	Code string `orm:"pk;type:varchar(10)"`
	Name string `orm:"type:varchar(30)"`
}

func (natural) TableName() string { return "sess_bad_natural" }

type unmapped struct{ ID int64 }

// TestBadInput: each mistake is a clear error naming the type, field or
// column, and nothing is written.
func TestBadInput(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, nil, &badUser{}, &natural{})
		users, nat := table(t, reg, &badUser{}), table(t, reg, &natural{})
		s := orm.NewSession(reg, e)
		defer s.Close()
		var ire *orm.InvalidRequestError

		// deleting a transient object
		err := s.Delete(&badUser{Name: "t", Nickname: ptr("t")})
		require.ErrorAs(t, err, &ire)
		assert.Contains(t, err.Error(), "badUser")
		assert.Contains(t, err.Error(), "transient")

		// an unmapped type, a non-pointer, nil
		err = s.Add(&unmapped{ID: 1})
		require.ErrorAs(t, err, &ire)
		require.ErrorIs(t, err, orm.ErrUnmapped)
		assert.Contains(t, err.Error(), "unmapped")
		err = s.Add(badUser{Name: "v", Nickname: ptr("v")})
		require.ErrorAs(t, err, &ire)
		assert.Contains(t, err.Error(), "badUser")
		assert.Contains(t, err.Error(), "pointer")
		err = s.Add((*badUser)(nil))
		require.ErrorAs(t, err, &ire)
		err = s.Add(nil)
		require.ErrorAs(t, err, &ire)
		_, err = orm.Get[unmapped](bg, s, 1)
		require.ErrorIs(t, err, orm.ErrUnmapped)
		_, err = orm.Select[unmapped](s).All(bg)
		require.ErrorIs(t, err, orm.ErrUnmapped)
		assert.Zero(t, s.Len())

		// NULL into a NOT NULL column without a default: refused before SQL
		nn := &badUser{Name: "nn"}
		require.NoError(t, s.Add(nn))
		rec.Reset()
		err = s.Flush(bg)
		require.ErrorAs(t, err, &ire)
		assert.Contains(t, err.Error(), "badUser.Nickname")
		assert.Contains(t, err.Error(), "sess_bad_users.nickname")
		assert.Empty(t, rec.Take(), "no SQL for a flush refused in planning")
		require.NoError(t, s.Expunge(nn))
		assert.Equal(t, orm.Transient, s.StateOf(nn))

		// two pending objects with the same natural key
		n1, n2 := &natural{Code: "A", Name: "first"}, &natural{Code: "A", Name: "second"}
		require.NoError(t, s.AddAll(n1, n2))
		err = s.Flush(bg)
		require.ErrorAs(t, err, &ire)
		assert.Contains(t, err.Error(), "natural")
		assert.Contains(t, err.Error(), "A")
		assert.Empty(t, rec.Take())
		require.NoError(t, s.Expunge(n2))
		require.NoError(t, s.Commit(bg))
		rec.Reset()

		// a pending object with the key of a persistent one
		p, err := orm.Get[natural](bg, s, "A")
		require.NoError(t, err)
		require.Same(t, n1, p)
		n3 := &natural{Code: "A", Name: "third"}
		require.NoError(t, s.Add(n3))
		err = s.Flush(bg)
		require.ErrorAs(t, err, &ire)
		assert.Contains(t, err.Error(), "natural")
		assert.Contains(t, err.Error(), "Merge")
		require.NoError(t, s.Expunge(n3))
		// Merge is the way: it copies onto the persistent object
		m, err := orm.Merge(bg, s, &natural{Code: "A", Name: "merged"})
		require.NoError(t, err)
		assert.Same(t, n1, m)
		assert.Equal(t, "merged", n1.Name)

		// a flush after a failed flush, without Rollback
		u := &badUser{Name: "dup", Nickname: ptr("x")}
		require.NoError(t, s.Add(u))
		require.NoError(t, s.Commit(bg))
		again := &badUser{Name: "dup", Nickname: ptr("y")}
		require.NoError(t, s.Add(again))
		err = s.Flush(bg)
		require.ErrorIs(t, err, core.ErrIntegrity)
		err = s.Flush(bg)
		var pre *orm.PendingRollbackError
		require.ErrorAs(t, err, &pre)
		assert.Contains(t, err.Error(), "Rollback")
		require.NoError(t, s.Rollback(bg))

		// a closed session
		require.NoError(t, s.Close())
		require.ErrorIs(t, s.Add(&badUser{}), orm.ErrSessionClosed)
		require.ErrorIs(t, s.Flush(bg), orm.ErrSessionClosed)
		_, err = orm.Get[badUser](bg, s, 1)
		require.ErrorIs(t, err, orm.ErrSessionClosed)

		assert.Equal(t, [][]any{{"dup", "x"}}, rows(t, e, users, "id", "name", "nickname"))
		assert.Equal(t, [][]any{{"A", "merged"}}, rows(t, e, nat, "code", "code", "name"))
	})
}

type compositeRow struct {
	Region string `orm:"pk;type:varchar(10)"`
	Num    int64  `orm:"pk;autoincrement:false"`
	Label  string `orm:"type:varchar(30)"`
}

func (compositeRow) TableName() string { return "sess_composite" }

type uuidRow struct {
	ID      uuid.UUID `orm:"pk;default_func:uuid"`
	Name    string    `orm:"type:varchar(30)"`
	Created time.Time `orm:"server_default:CURRENT_TIMESTAMP"`
}

func (uuidRow) TableName() string { return "sess_uuid_rows" }

// TestKeys: Get with a composite key, and with a client-generated UUID key;
// a server default is fetched back after the INSERT.
func TestKeys(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, []registry.Option{registry.WithFunc("uuid", func() any { return uuid.New() })},
			&compositeRow{}, &uuidRow{})
		comp, uu := table(t, reg, &compositeRow{}), table(t, reg, &uuidRow{})
		s := orm.NewSession(reg, e)
		defer s.Close()

		c1 := &compositeRow{Region: "eu", Num: 1, Label: "eu-1"}
		c2 := &compositeRow{Region: "eu", Num: 2, Label: "eu-2"}
		c3 := &compositeRow{Region: "us", Num: 1, Label: "us-1"}
		require.NoError(t, s.AddAll(c1, c2, c3))
		before := time.Now().Add(-time.Hour)
		r := &uuidRow{Name: "r"}
		require.NoError(t, s.Add(r))
		require.NoError(t, s.Flush(bg))
		assert.NotEqual(t, uuid.Nil, r.ID, "the client generator made the key")
		assert.False(t, r.Created.IsZero(), "the server default was fetched back")
		assert.True(t, r.Created.After(before), "%v", r.Created)
		rec.Reset()
		g, err := orm.Get[compositeRow](bg, s, "eu", 2)
		require.NoError(t, err)
		assert.Same(t, c2, g)
		gu, err := orm.Get[uuidRow](bg, s, r.ID)
		require.NoError(t, err)
		assert.Same(t, r, gu)
		assert.Empty(t, rec.Take())
		require.NoError(t, s.Commit(bg))
		require.NoError(t, s.Close())

		// in a new session: one SELECT each, same pointer after
		s2 := orm.NewSession(reg, e)
		defer s2.Close()
		g, err = orm.Get[compositeRow](bg, s2, "us", 1)
		require.NoError(t, err)
		assert.Equal(t, "us-1", g.Label)
		g2, err := orm.Get[compositeRow](bg, s2, "us", int32(1))
		require.NoError(t, err)
		assert.Same(t, g, g2)
		_, err = orm.Get[compositeRow](bg, s2, "us", 2)
		require.ErrorIs(t, err, core.ErrNoResultFound)
		_, err = orm.Get[compositeRow](bg, s2, "us")
		var ire *orm.InvalidRequestError
		require.ErrorAs(t, err, &ire)
		assert.Contains(t, err.Error(), "Region, Num")
		gu, err = orm.Get[uuidRow](bg, s2, r.ID)
		require.NoError(t, err)
		assert.Equal(t, r.ID, gu.ID)
		assert.Equal(t, "r", gu.Name)
		assert.WithinDuration(t, r.Created, gu.Created, time.Second)
		got := rec.Take()
		require.Len(t, got, 3, "%q", got)
		assert.Contains(t, got[0], "WHERE sess_composite.region = "+ph(e, 1)+" AND sess_composite.num = "+ph(e, 2))

		// composite-key UPDATE and DELETE
		c, err := orm.Get[compositeRow](bg, s2, "eu", 1)
		require.NoError(t, err)
		rec.Reset()
		g.Label = "us-one"
		require.NoError(t, s2.Delete(c))
		require.NoError(t, s2.Commit(bg))
		got = rec.Take()
		require.Len(t, got, 2, "%q", got)
		assert.Equal(t, "UPDATE sess_composite SET label="+ph(e, 1)+" WHERE sess_composite.region = "+ph(e, 2)+" AND sess_composite.num = "+ph(e, 3), got[0])
		assert.Contains(t, got[1], "DELETE FROM sess_composite WHERE sess_composite.region = ")
		require.NoError(t, s2.Close())

		assert.Equal(t, [][]any{{"eu", int64(2), "eu-2"}, {"us", int64(1), "us-one"}}, rows(t, e, comp, "region", "region", "num", "label"))
		assert.EqualValues(t, 1, count(t, e, uu))
	})
}
