package relationships_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/orm"
)

// A natural composite key and a composite foreign key to it.
type relcShipment struct {
	Region string          `orm:"pk;type:varchar(10)"`
	Number int64           `orm:"pk;autoincrement:false"`
	Note   string          `orm:"type:varchar(20)"`
	Lines  []*relcLineItem `orm:"rel;back_populates:Shipment;cascade:all,delete-orphan;order_by:Seq"`
}

func (relcShipment) TableName() string { return "relc_shipments" }

type relcLineItem struct {
	ID       int64         `orm:"pk"`
	Region   string        `orm:"type:varchar(10)"`
	Number   int64         `orm:""`
	Seq      int           `orm:""`
	Shipment *relcShipment `orm:"rel;back_populates:Lines"`
}

func (relcLineItem) TableName() string { return "relc_line_items" }

func (relcLineItem) TableArgs() []core.TableItem {
	return []core.TableItem{&core.ForeignKeyConstraint{
		Name: "fk_relc_line_shipment", Columns: []string{"region", "number"},
		RefTable: "relc_shipments", RefColumns: []string{"region", "number"},
	}}
}

// TestCompositeForeignKey: both key columns are copied from the parent,
// and loading a slice of parents uses a tuple IN over both columns.
func TestCompositeForeignKey(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, nil, &relcShipment{}, &relcLineItem{})
		lines := table(t, reg, &relcLineItem{})
		s := orm.NewSession(reg, e)
		defer s.Close()
		sh1 := &relcShipment{Region: "eu", Number: 1, Note: "a", Lines: []*relcLineItem{{Seq: 1}, {Seq: 2}}}
		sh2 := &relcShipment{Region: "us", Number: 1, Note: "b", Lines: []*relcLineItem{{Seq: 1}}}
		require.NoError(t, s.AddAll(sh1, sh2))
		rec.Reset()
		require.NoError(t, s.Commit(bg))
		assert.Equal(t, []string{"INSERT relc_shipments", "INSERT relc_line_items"}, ops(rec.Take()))
		assert.Equal(t, "eu", sh1.Lines[1].Region)
		assert.EqualValues(t, 1, sh1.Lines[1].Number)
		assert.Equal(t, "us", sh2.Lines[0].Region)

		s2 := orm.NewSession(reg, e)
		defer s2.Close()
		ships, err := orm.Select[relcShipment](s2).All(bg)
		require.NoError(t, err)
		require.Len(t, ships, 2)
		rec.Reset()
		require.NoError(t, orm.LoadRelated(bg, s2, ships, "Lines"))
		got := rec.Take()
		require.Len(t, got, 1, "one query for both parents")
		assert.Contains(t, got[0], " IN ")
		for _, sh := range ships {
			want := map[string]int{"eu": 2, "us": 1}[sh.Region]
			assert.Len(t, sh.Lines, want, sh.Region)
			for _, l := range sh.Lines {
				assert.Same(t, sh, l.Shipment, "back reference filled by the load")
			}
		}
		// moving a line to the other shipment rewrites both key columns
		var eu, us *relcShipment
		for _, sh := range ships {
			if sh.Region == "eu" {
				eu = sh
			} else {
				us = sh
			}
		}
		moved := eu.Lines[0]
		eu.Lines = eu.Lines[1:]
		us.Lines = append(us.Lines, moved)
		rec.Reset()
		require.NoError(t, s2.Commit(bg))
		got = rec.Take()
		assert.Equal(t, []string{"UPDATE relc_line_items"}, ops(got))
		assert.Equal(t, "us", moved.Region)
		n, err := orm.Select[relcLineItem](s2).Where(lines.C("region").Eq("us")).Count(bg)
		require.NoError(t, err)
		assert.EqualValues(t, 2, n)
	})
}
