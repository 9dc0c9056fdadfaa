package relationships_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/orm"
)

// Widget/Entry from SQLAlchemy's "Rows that point to themselves / Mutually
// Dependent Rows".
type relWidget struct {
	ID              int64       `orm:"pk"`
	FavoriteEntryID *int64      `orm:"fk:rel_entries.id,name:rel_fk_widget_favorite"`
	Name            string      `orm:"type:varchar(20)"`
	Entries         []*relEntry `orm:"rel;foreign_keys:relEntry.WidgetID;order_by:ID"`
	FavoriteEntry   *relEntry   `orm:"rel;foreign_keys:relWidget.FavoriteEntryID;post_update"`
}

func (relWidget) TableName() string { return "rel_widgets" }

type relEntry struct {
	ID       int64  `orm:"pk"`
	WidgetID *int64 `orm:"fk:rel_widgets.id,name:rel_fk_entry_widget"`
	Name     string `orm:"type:varchar(20)"`
}

func (relEntry) TableName() string { return "rel_entries" }

// TestPostUpdate: scenario 4 (reference §4).
func TestPostUpdate(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, nil, &relWidget{}, &relEntry{})
		widgets, entries := table(t, reg, &relWidget{}), table(t, reg, &relEntry{})
		s := orm.NewSession(reg, e)
		defer s.Close()
		w := &relWidget{Name: "somewidget"}
		e1, e2 := &relEntry{Name: "someentry"}, &relEntry{Name: "other"}
		w.Entries = []*relEntry{e1, e2}
		w.FavoriteEntry = e1
		require.NoError(t, s.Add(w))
		require.NoError(t, s.Flush(bg))
		got := rec.Take()
		assert.Equal(t, cat([]string{"INSERT rel_widgets"}, inserts(e, "rel_entries", 2), []string{"UPDATE rel_widgets"}), ops(got), "%q", got)
		if n := len(got); n > 0 {
			assert.Contains(t, got[n-1], "SET favorite_entry_id=")
		}
		require.NotNil(t, w.FavoriteEntryID)
		assert.Equal(t, e1.ID, *w.FavoriteEntryID)
		require.NotNil(t, e2.WidgetID)
		assert.Equal(t, w.ID, *e2.WidgetID)
		require.NoError(t, s.Commit(bg))
		assert.Equal(t, [][]any{{w.ID, e1.ID}}, rows(t, e, widgets, []string{"id"}, "id", "favorite_entry_id"))
		assert.Equal(t, [][]any{{e1.ID, w.ID}, {e2.ID, w.ID}}, rows(t, e, entries, []string{"id"}, "id", "widget_id"))

		// changing only the favorite is one UPDATE
		rec.Reset()
		w.FavoriteEntry = e2
		require.NoError(t, s.Flush(bg))
		got = rec.Take()
		// the commit expired w: its reload may come first
		assert.Equal(t, "UPDATE rel_widgets", op(got[len(got)-1]), "%q", got)
		assert.NotContains(t, ops(got), "UPDATE rel_entries")
		require.NoError(t, s.Commit(bg))
		assert.Equal(t, [][]any{{w.ID, e2.ID}}, rows(t, e, widgets, []string{"id"}, "id", "favorite_entry_id"))

		// delete both (all loaded): the pre-update nulls the pointer, then
		// the entries go, then the widget
		for _, o := range []any{w, e1, e2} {
			require.NoError(t, s.Refresh(bg, o))
		}
		require.NoError(t, s.LoadRelationship(bg, w, "Entries"))
		require.NoError(t, s.LoadRelationship(bg, w, "FavoriteEntry"))
		rec.Reset()
		require.NoError(t, s.Delete(w))
		require.NoError(t, s.Delete(e1))
		require.NoError(t, s.Delete(e2))
		require.NoError(t, s.Flush(bg))
		got = rec.Take()
		assert.Equal(t, []string{"UPDATE rel_widgets", "DELETE rel_entries", "DELETE rel_widgets"}, ops(got), "%q", got)
		if len(got) == 3 {
			assert.Contains(t, got[0], "SET favorite_entry_id=")
		}
		require.NoError(t, s.Commit(bg))
		assert.Zero(t, count(t, e, widgets))
		assert.Zero(t, count(t, e, entries))
	})
}
