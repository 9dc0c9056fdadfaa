package loading_test

import (
	"fmt"
	"regexp"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/loading"
	"github.com/retort-orm/retort/orm"
)

type Event struct {
	ID      int64  `orm:"pk"`
	Kind    int64  `orm:""`
	Payload string `orm:"type:varchar(40)"`
}

func (Event) TableName() string { return "events" }

// TestYieldPerBoundedMemory: 100,000 rows streamed with YieldPer(1000): the
// session never tracks more than one batch, and the heap does not grow
// with the rows.
func TestYieldPerBoundedMemory(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, nil, &Event{})
		events := table(t, reg, &Event{})
		const n = 100_000
		start := time.Now()
		rows := make([][]any, n)
		for i := range rows {
			rows[i] = []any{int64(i + 1), int64(i % 7), fmt.Sprintf("payload of event %d", i+1)}
		}
		require.NoError(t, e.Transaction(quiet, func(c *core.Connection) error {
			_, err := c.InsertRows(quiet, events, []*core.Column{events.C("id"), events.C("kind"), events.C("payload")}, rows)
			return err
		}))
		rows = nil
		t.Logf("seeded %d rows in %v", n, time.Since(start))
		rec.Reset()

		s := orm.NewSession(reg, e)
		defer s.Close()
		runtime.GC()
		var before, peak runtime.MemStats
		runtime.ReadMemStats(&before)
		start = time.Now()
		count, maxTracked, last := 0, 0, int64(0)
		err := orm.Select[Event](s).OrderBy(events.C("id")).YieldPer(1000).Each(bg, func(ev *Event) error {
			count++
			if ev.ID != last+1 {
				return fmt.Errorf("event %d after %d", ev.ID, last)
			}
			last = ev.ID
			if l := s.Len(); l > maxTracked {
				maxTracked = l
			}
			if count%25_000 == 0 {
				runtime.GC()
				runtime.ReadMemStats(&peak)
				grown := int64(peak.HeapAlloc) - int64(before.HeapAlloc)
				if grown > 30<<20 {
					return fmt.Errorf("heap grew by %d MB after %d rows", grown>>20, count)
				}
			}
			return nil
		})
		require.NoError(t, err)
		t.Logf("streamed %d rows in %v, at most %d tracked", count, time.Since(start), maxTracked)
		assert.Equal(t, n, count)
		assert.LessOrEqual(t, maxTracked, 1000, "one batch at a time")
		assert.Equal(t, 0, s.Len(), "the stream's objects are expunged")
		got := rec.Take()
		if b.Name != testdb.Postgres {
			assert.Len(t, got, 1, "one SELECT read as it arrives")
		}
	})
}

// TestYieldPer: the reference's 10, yield_per with eager loaders.
func TestYieldPer(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		f := setup(t, b)
		base := func(s *orm.Session) *orm.Query[User] { return orm.Select[User](s).OrderBy(f.users.C("id")) }

		t.Run("selectin per batch", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			var seen []string
			var us []*User
			err := base(s).Options(loading.SelectInLoad("Addresses")).YieldPer(2).Each(bg, func(u *User) error {
				us = append(us, u)
				seen = append(seen, fmt.Sprintf("u%d:%d", u.ID, f.rec.Len()))
				if !s.IsLoaded(u, "Addresses") {
					return fmt.Errorf("u%d: addresses not loaded", u.ID)
				}
				return nil
			})
			if b.Name == testdb.MySQL {
				// MySQL/MariaDB cannot run the IN query while the stream's
				// rows are open on the connection: a documented limitation
				require.Error(t, err)
				assert.Contains(t, err.Error(), "YieldPer with loads after each batch")
				assert.Empty(t, f.rec.Take(), "refused before any SQL")
				return
			}
			got := sqlOf(f.rec)
			require.NoError(t, err, "%q", got)
			assert.Equal(t, allAddrs, addrIDs(us))
			// the reference's 10a: one IN query per batch of 2, interleaved
			// with the iteration (the last batch of one key is `= ?`,
			// where the reference has IN (?))
			in2 := selAddrsIn(2)
			if b.Name == testdb.Postgres {
				// PostgreSQL cannot run a statement while another's rows
				// are open on the connection: the stream reads through a
				// server-side cursor
				require.Len(t, got, 8, "%q", got)
				m := regexp.MustCompile(`^DECLARE (\w+) NO SCROLL CURSOR FOR (.*)$`).FindStringSubmatch(got[0])
				require.NotNil(t, m, got[0])
				assert.Equal(t, selUsers, m[2])
				fetch := "FETCH FORWARD 2 FROM " + m[1]
				assert.Equal(t, []string{fetch, in2, fetch, in2, fetch, selAddrsOf, "CLOSE " + m[1]}, got[1:])
				assert.Equal(t, []string{"u1:3", "u2:3", "u3:5", "u4:5", "u5:7"}, seen)
				return
			}
			assert.Equal(t, []string{selUsers, in2, in2, selAddrsOf}, got)
			assert.Equal(t, []string{"u1:2", "u2:2", "u3:3", "u4:3", "u5:4"}, seen)
		})

		t.Run("joined collection refused", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			err := base(s).Options(loading.JoinedLoad("Addresses")).YieldPer(2).Each(bg, func(*User) error { return nil })
			require.Error(t, err)
			assert.Contains(t, err.Error(), "YieldPer cannot be used with joined loading of a collection")
			assert.Contains(t, err.Error(), "Addresses")
			// Deliberate difference: refused before the SELECT (the
			// reference raises after running it)
			assert.Empty(t, f.rec.Take())
		})

		t.Run("subquery refused", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			err := base(s).Options(loading.SubqueryLoad("Addresses")).YieldPer(2).Each(bg, func(*User) error { return nil })
			require.Error(t, err)
			assert.Contains(t, err.Error(), "YieldPer cannot be used with SubqueryLoad")
			assert.Empty(t, f.rec.Take())
		})

		t.Run("joined many-to-one", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			var got []string
			err := orm.Select[Address](s).Where(f.addrs.C("id").Le(5)).OrderBy(f.addrs.C("id")).
				Options(loading.JoinedLoad("User")).YieldPer(2).Each(bg, func(a *Address) error {
				got = append(got, fmt.Sprintf("%d/%d", a.ID, a.User.ID))
				return nil
			})
			require.NoError(t, err)
			// the reference's 10e
			assert.Equal(t, []string{"1/1", "2/1", "3/1", "4/2", "5/2"}, got)
			assertStreamed(t, b, sqlOf(f.rec), "SELECT addresses.id, addresses.email, addresses.user_id, addresses.deleted, users_1.id AS id_1, users_1.name, users_1.fullname "+
				"FROM addresses LEFT OUTER JOIN users AS users_1 ON users_1.id = addresses.user_id WHERE addresses.id <= ? ORDER BY addresses.id", 3)
		})

		t.Run("callback runs statements", func(t *testing.T) {
			if b.Name == testdb.MySQL {
				t.Skip("MySQL/MariaDB cannot run a statement while the stream's rows are open (documented)")
			}
			s := newSession(f)
			defer s.Close()
			n := 0
			err := base(s).YieldPer(2).Each(bg, func(u *User) error {
				if err := s.LoadRelationship(bg, u, "Addresses"); err != nil {
					return err
				}
				n += len(u.Addresses)
				return nil
			})
			require.NoError(t, err)
			assert.Equal(t, 15, n)
		})

		t.Run("plain batches", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			var ids []int64
			err := base(s).YieldPer(2).Each(bg, func(u *User) error {
				ids = append(ids, u.ID)
				return nil
			})
			require.NoError(t, err)
			assert.Equal(t, []int64{1, 2, 3, 4, 5}, ids)
			assertStreamed(t, b, sqlOf(f.rec), selUsers, 3)
		})
	})
}

// assertStreamed checks the statements of a YieldPer stream of the query
// sel: on PostgreSQL, which always streams through a server-side cursor
// (so that the callback may run statements between batches), DECLARE,
// fetches FETCHes and CLOSE; elsewhere the query itself.
func assertStreamed(t *testing.T, b testdb.Backend, got []string, sel string, fetches int) {
	t.Helper()
	if b.Name != testdb.Postgres {
		assert.Equal(t, []string{sel}, got)
		return
	}
	require.Len(t, got, fetches+2, "%q", got)
	m := regexp.MustCompile(`^DECLARE (\w+) NO SCROLL CURSOR FOR (.*)$`).FindStringSubmatch(got[0])
	require.NotNil(t, m, got[0])
	assert.Equal(t, sel, m[2])
	for _, q := range got[1 : fetches+1] {
		assert.Equal(t, "FETCH FORWARD 2 FROM "+m[1], q)
	}
	assert.Equal(t, "CLOSE "+m[1], got[fetches+1])
}
