package inheritance_test

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/events"
	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/orm"
)

// Mapper and instance events of a hierarchy: a listener for the base with
// events.Propagate runs for the subtypes' objects too, receiving the
// object at the base's depth (the *Employee embedded in the Manager);
// without it, only for objects of the type itself. Listeners are global:
// these tests do not run in parallel, and each removes its listeners.

type evLog struct {
	mu  sync.Mutex
	got []string
}

func (l *evLog) add(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.got = append(l.got, fmt.Sprintf(format, args...))
}

func (l *evLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.got
	l.got = nil
	sort.Strings(out)
	return out
}

// TestEventsJoined: insert, update, delete and load events of the joined
// 3-level hierarchy.
func TestEventsJoined(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, _ := env(t, b, joined3()...)
		var log evLog
		// the object each listener gets, to check it is the embedded base
		var seenEmp, seenMgr sync.Map
		var removers []func()
		defer func() {
			for _, r := range removers {
				r()
			}
		}()
		on := func(r func()) { removers = append(removers, r) }
		on(orm.OnBeforeInsert[Employee](func(ctx context.Context, c *core.Connection, o *Employee) error {
			log.add("emp+ before_insert %s", o.Name)
			seenEmp.Store(o.Name, o)
			return nil
		}, events.Propagate()))
		on(orm.OnAfterInsert[Employee](func(ctx context.Context, c *core.Connection, o *Employee) error {
			log.add("emp after_insert %s", o.Name)
			return nil
		}))
		on(orm.OnBeforeInsert[Manager](func(ctx context.Context, c *core.Connection, o *Manager) error {
			log.add("mgr+ before_insert %s", o.Name)
			seenMgr.Store(o.Name, o)
			return nil
		}, events.Propagate()))
		on(orm.OnBeforeInsert[Manager](func(ctx context.Context, c *core.Connection, o *Manager) error {
			log.add("mgr before_insert %s", o.Name)
			return nil
		}))
		on(orm.OnBeforeUpdate[Employee](func(ctx context.Context, c *core.Connection, o *Employee) error {
			log.add("emp+ before_update %s", o.Name)
			return nil
		}, events.Propagate()))
		on(orm.OnAfterUpdate[Employee](func(ctx context.Context, c *core.Connection, o *Employee) error {
			log.add("emp after_update %s", o.Name)
			return nil
		}))
		on(orm.OnBeforeDelete[Employee](func(ctx context.Context, c *core.Connection, o *Employee) error {
			log.add("emp+ before_delete %s", o.Name)
			return nil
		}, events.Propagate()))
		on(orm.OnAfterDelete[Employee](func(ctx context.Context, c *core.Connection, o *Employee) error {
			log.add("emp after_delete %s", o.Name)
			return nil
		}))

		s := orm.NewSession(reg, e)
		defer s.Close()
		co := &Company{Name: "Acme"}
		ed := &Employee{Name: "Ed", Company: co}
		mia := &Manager{Employee: Employee{Name: "Mia", Company: co}, ManagerName: "boss"}
		gus := &Engineer{Employee: Employee{Name: "Gus", Company: co}, EngineerInfo: "go"}
		xi := &Executive{Manager: Manager{Employee: Employee{Name: "Xi", Company: co}, ManagerName: "vp"}, Title: "ceo"}
		require.NoError(t, s.AddAll(co, ed, mia, gus, xi))
		require.NoError(t, s.Flush(bg))
		assert.Equal(t, []string{
			"emp after_insert Ed",
			"emp+ before_insert Ed", "emp+ before_insert Gus", "emp+ before_insert Mia", "emp+ before_insert Xi",
			"mgr before_insert Mia",
			"mgr+ before_insert Mia", "mgr+ before_insert Xi",
		}, log.take())
		for name, want := range map[string]*Employee{"Ed": ed, "Mia": &mia.Employee, "Gus": &gus.Employee, "Xi": &xi.Manager.Employee} {
			got, ok := seenEmp.Load(name)
			if assert.True(t, ok, name) {
				assert.Same(t, want, got, "%s: the listener gets the embedded *Employee", name)
			}
		}
		got, _ := seenMgr.Load("Xi")
		assert.Same(t, &xi.Manager, got, "the Executive's embedded *Manager")
		got, _ = seenMgr.Load("Mia")
		assert.Same(t, mia, got)

		mia.ManagerName = "boss2" // a subtype table's column only
		gus.Name = "Gus2"
		ed.Name = "Ed2"
		require.NoError(t, s.Flush(bg))
		assert.Equal(t, []string{"emp after_update Ed2", "emp+ before_update Ed2", "emp+ before_update Gus2", "emp+ before_update Mia"}, log.take())

		require.NoError(t, s.Delete(xi))
		require.NoError(t, s.Delete(ed))
		require.NoError(t, s.Flush(bg))
		assert.Equal(t, []string{"emp after_delete Ed2", "emp+ before_delete Ed2", "emp+ before_delete Xi"}, log.take())
		require.NoError(t, s.Commit(bg))
		s.Close()

		t.Run("load", func(t *testing.T) {
			var loaded []*Employee
			var mu sync.Mutex
			r1 := orm.OnLoad[Employee](func(ctx context.Context, s *orm.Session, o *Employee) error {
				log.add("emp+ load %s", o.Name)
				mu.Lock()
				loaded = append(loaded, o)
				mu.Unlock()
				return nil
			}, events.Propagate())
			defer r1()
			r2 := orm.OnLoad[Employee](func(ctx context.Context, s *orm.Session, o *Employee) error {
				log.add("emp load %s", o.Name)
				return nil
			})
			defer r2()
			r3 := orm.OnLoad[Manager](func(ctx context.Context, s *orm.Session, o *Manager) error {
				log.add("mgr load %s %s", o.Name, o.ManagerName)
				return nil
			})
			defer r3()
			s := orm.NewSession(reg, e)
			defer s.Close()
			es, err := orm.Select[Employee](s).All(bg)
			require.NoError(t, err)
			require.Len(t, es, 2)
			// the Manager's listener sees its own column loaded
			assert.Equal(t, []string{"emp+ load Gus2", "emp+ load Mia", "mgr load Mia boss2"}, log.take())
			for _, o := range loaded {
				found := false
				for _, x := range es {
					found = found || x == o
				}
				assert.True(t, found, "%s: the listener gets the query's *Employee", o.Name)
			}
			// a second query of the same rows loads nothing new
			_, err = orm.Select[Employee](s).All(bg)
			require.NoError(t, err)
			assert.Empty(t, log.take())
		})
		t.Run("removed", func(t *testing.T) {
			for _, r := range removers {
				r()
			}
			removers = nil
			s := orm.NewSession(reg, e)
			defer s.Close()
			require.NoError(t, s.Add(&Manager{Employee: Employee{Name: "Moe"}}))
			require.NoError(t, s.Flush(bg))
			assert.Empty(t, log.take())
			require.NoError(t, s.Rollback(bg))
		})
	})
}

// TestEventsSingleAndConcrete: a propagating listener of the base fires
// for single-table and concrete subtypes' writes and loads.
func TestEventsSingleAndConcrete(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		t.Run("single", func(t *testing.T) {
			f := setupSingle(t, b)
			var log evLog
			r1 := orm.OnBeforeUpdate[SEmployee](func(ctx context.Context, c *core.Connection, o *SEmployee) error {
				log.add("update %s", o.Name)
				return nil
			}, events.Propagate())
			defer r1()
			r2 := orm.OnLoad[SManager](func(ctx context.Context, s *orm.Session, o *SManager) error {
				log.add("load manager %s", o.Name)
				return nil
			}, events.Propagate())
			defer r2()
			s := f.session()
			defer s.Close()
			es, err := orm.Select[SEmployee](s).All(bg)
			require.NoError(t, err)
			// Mia and Xi (an Executive, a Manager); not Ed or Gus
			assert.Equal(t, []string{"load manager Mia", "load manager Xi"}, log.take())
			for _, e := range es {
				e.Name += "!"
			}
			require.NoError(t, s.Flush(bg))
			assert.Equal(t, []string{"update Ed!", "update Gus!", "update Mia!", "update Xi!"}, log.take())
			require.NoError(t, s.Rollback(bg))
		})
		t.Run("concrete", func(t *testing.T) {
			e, reg, _ := env(t, b, concrete()...)
			var log evLog
			var seen sync.Map
			r1 := orm.OnBeforeInsert[CEmployee](func(ctx context.Context, c *core.Connection, o *CEmployee) error {
				log.add("insert %s", o.Name)
				seen.Store(o.Name, o)
				return nil
			}, events.Propagate())
			defer r1()
			r2 := orm.OnAfterDelete[CEmployee](func(ctx context.Context, c *core.Connection, o *CEmployee) error {
				log.add("deleted %s", o.Name)
				return nil
			})
			defer r2()
			r3 := orm.OnLoad[CEmployee](func(ctx context.Context, s *orm.Session, o *CEmployee) error {
				log.add("load %s", o.Name)
				return nil
			}, events.Propagate())
			defer r3()
			s := orm.NewSession(reg, e)
			defer s.Close()
			ed := &CEmployee{Name: "Ed"}
			mia := &CManager{CEmployee: CEmployee{Name: "Mia"}, ManagerName: "boss"}
			require.NoError(t, s.AddAll(ed, mia))
			require.NoError(t, s.Commit(bg))
			assert.Equal(t, []string{"insert Ed", "insert Mia"}, log.take())
			got, _ := seen.Load("Mia")
			assert.Same(t, &mia.CEmployee, got)
			s.Close()

			s = orm.NewSession(reg, e)
			defer s.Close()
			es, err := orm.Select[CEmployee](s).All(bg)
			require.NoError(t, err)
			require.Len(t, es, 2)
			assert.Equal(t, []string{"load Ed", "load Mia"}, log.take(), "polymorphic union rows")
			for _, x := range es {
				require.NoError(t, s.Delete(x))
			}
			require.NoError(t, s.Flush(bg))
			// without Propagate: only the plain Employee
			assert.Equal(t, []string{"deleted Ed"}, log.take())
			require.NoError(t, s.Rollback(bg))
		})
	})
}
