package relationships_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/orm"
)

// Widget/Entry without post_update: two rows that reference each other
// form a cycle no order of INSERTs can satisfy.
type relCycWidget struct {
	ID              int64          `orm:"pk"`
	FavoriteEntryID *int64         `orm:"fk:rel_cyc_entries.id,name:rel_fk_cyc_widget_favorite"`
	Name            string         `orm:"type:varchar(20)"`
	Entries         []*relCycEntry `orm:"rel;foreign_keys:relCycEntry.WidgetID"`
	FavoriteEntry   *relCycEntry   `orm:"rel;foreign_keys:relCycWidget.FavoriteEntryID"`
}

func (relCycWidget) TableName() string { return "rel_cyc_widgets" }

type relCycEntry struct {
	ID       int64  `orm:"pk"`
	WidgetID *int64 `orm:"fk:rel_cyc_widgets.id,name:rel_fk_cyc_entry_widget"`
	Name     string `orm:"type:varchar(20)"`
}

func (relCycEntry) TableName() string { return "rel_cyc_entries" }

// TestBadInputCycle: scenario 10a.
func TestBadInputCycle(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, nil, &relCycWidget{}, &relCycEntry{})
		s := orm.NewSession(reg, e)
		defer s.Close()
		w := &relCycWidget{Name: "w"}
		en := &relCycEntry{Name: "e"}
		w.Entries = []*relCycEntry{en}
		w.FavoriteEntry = en
		require.NoError(t, s.Add(w))
		err := s.Flush(bg)
		var cde *orm.CircularDependencyError
		require.ErrorAs(t, err, &cde)
		joined := ""
		for _, r := range cde.Relationships {
			joined += r + " "
		}
		assert.Contains(t, joined, "FavoriteEntry", "%v", cde.Relationships)
		assert.Contains(t, joined, "Entries", "%v", cde.Relationships)
		assert.Contains(t, err.Error(), "relCycWidget")
		for _, q := range ops(rec.Take()) {
			assert.NotContains(t, q, "INSERT", "refused before any INSERT")
		}
		require.NoError(t, s.Rollback(bg))
		assert.Zero(t, count(t, e, table(t, reg, &relCycWidget{})))
		assert.Zero(t, count(t, e, table(t, reg, &relCycEntry{})))
	})
}

// TestBadInputOrphan: scenario 10b. Retort refuses a new delete-orphan
// child whose NOT NULL foreign key is unset with an InvalidRequestError
// before any SQL; SQLAlchemy 2.0 INSERTs it and the database raises
// IntegrityError (reference §10).
func TestBadInputOrphan(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, nil, &relUser{}, &relAddress{})
		s := orm.NewSession(reg, e)
		defer s.Close()
		u := &relUser{Name: "ok"}
		a := &relAddress{EmailAddress: "orphan@x"}
		require.NoError(t, s.AddAll(u, a))
		err := s.Flush(bg)
		var ire *orm.InvalidRequestError
		require.ErrorAs(t, err, &ire)
		assert.Contains(t, err.Error(), "orphan")
		assert.Contains(t, err.Error(), "relAddress")
		assert.Contains(t, err.Error(), "Addresses")
		assert.Empty(t, rec.Take(), "refused before any SQL")
		require.NoError(t, s.Rollback(bg))
		assert.Zero(t, count(t, e, table(t, reg, &relUser{})))
		assert.Zero(t, count(t, e, table(t, reg, &relAddress{})))
	})
}

// TestBadInputMapKeyAndField: scenario 10c. Go's type system rejects an
// object of the wrong type in a typed field at compile time; what is left
// to check at run time is a keyed map whose key disagrees with its member's
// key field, and a field name that is not a relationship.
func TestBadInputMapKeyAndField(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, nil, &relItem{}, &relNote{}, &relUser{}, &relAddress{})
		s := orm.NewSession(reg, e)
		defer s.Close()
		it := &relItem{Name: "i", Notes: map[string]*relNote{"x": {Keyword: "y", Text: "t"}}}
		require.NoError(t, s.Add(it))
		err := s.Flush(bg)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "Notes")
		assert.Contains(t, err.Error(), "map entry x")
		assert.Contains(t, err.Error(), "Keyword is y")
		for _, q := range ops(rec.Take()) {
			assert.NotContains(t, q, "INSERT")
		}
		require.NoError(t, s.Rollback(bg))
		assert.Zero(t, count(t, e, table(t, reg, &relItem{})))
		assert.Zero(t, count(t, e, table(t, reg, &relNote{})))
		assert.False(t, s.Contains(it), "the rollback expunges the pending item")

		u := &relUser{Name: "u"}
		require.NoError(t, s.Add(u))
		require.NoError(t, s.Commit(bg))
		err = s.LoadRelationship(bg, u, "Adresses")
		require.Error(t, err)
		assert.Contains(t, err.Error(), "Adresses")
		assert.Contains(t, err.Error(), "did you mean")
		assert.Contains(t, err.Error(), "Addresses")
		err = s.LoadRelationship(bg, u, "Name")
		require.Error(t, err, "a column is not a relationship")
		assert.Contains(t, err.Error(), "Name")
	})
}

// TestBadInputOtherSession: scenario 10d. A persistent object of session A
// assigned to a new object's many-to-one in session B.
func TestBadInputOtherSession(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, nil, &relUser{}, &relAddress{})
		sa := orm.NewSession(reg, e, orm.WithExpireOnCommit(false))
		defer sa.Close()
		u := &relUser{Name: "in A"}
		require.NoError(t, sa.Add(u))
		require.NoError(t, sa.Commit(bg))
		rec.Reset()

		sb := orm.NewSession(reg, e)
		defer sb.Close()
		a := &relAddress{EmailAddress: "b@x", User: u}
		// the save-update cascade reaches u at Add, as in SQLAlchemy
		// ("Object is already attached to session …"); a later flush
		// must refuse it just the same
		err := sb.Add(a)
		if err == nil {
			err = sb.Flush(bg)
		}
		require.Error(t, err)
		var ire *orm.InvalidRequestError
		require.ErrorAs(t, err, &ire, "%T", err)
		msg := err.Error()
		assert.True(t, containsAny(msg, "another Session", "Merge"), "%s", msg)
		assert.Contains(t, msg, "relUser")
		for _, q := range ops(rec.Take()) {
			assert.NotContains(t, q, "INSERT")
		}
		require.NoError(t, sb.Rollback(bg))
		assert.EqualValues(t, 1, count(t, e, table(t, reg, &relUser{})), "only A's user")
		assert.Zero(t, count(t, e, table(t, reg, &relAddress{})))
	})
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if len(sub) > 0 && len(s) >= len(sub) {
			for i := 0; i+len(sub) <= len(s); i++ {
				if s[i:i+len(sub)] == sub {
					return true
				}
			}
		}
	}
	return false
}
