package orm

import (
	"context"
	"fmt"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/loading"
)

// Streaming (yield_per). The rows are read batch by batch; each batch's
// eager loads run for it alone, and once the callback has seen the batch,
// the objects the stream brought into the session that have no change to
// write are expunged again. Memory is then bounded by the batch size, and
// no change the program made is lost.
//
// Loads after a batch, and whatever the callback runs, need a second
// statement while the stream's rows are still open. PostgreSQL cannot run
// one on the same connection, so there the stream reads through a
// server-side cursor (DECLARE … CURSOR, FETCH FORWARD n) inside the
// session's transaction; SQLite and Oracle run it beside the open rows;
// MySQL, MariaDB and SQL Server (without MARS) can do neither, so a
// stream with post loads is an error there, and a stream without them
// reads the rows as they arrive (its callback must not run statements on
// the session until the stream ends).

var cursorSeq uint64

func (q *Query[T]) stream(ctx context.Context, c *core.Connection, bq *built, mode loadMode, fn func(*T) error) error {
	s := q.s
	if bq.b.uniq {
		return &InvalidRequestError{Msg: fmt.Sprintf("YieldPer cannot be used with joined loading of a collection (%s): one object's rows may span batches; use SelectInLoad", joinedCollName(bq.root))}
	}
	if hasSubquery(bq.root) {
		return &InvalidRequestError{Msg: "YieldPer cannot be used with SubqueryLoad, which repeats the whole query; use SelectInLoad"}
	}
	post := anyPostLoads(bq.b)
	dialect := c.Engine().Dialect().Name()
	// PostgreSQL always streams through a cursor: the callback may then
	// run other statements of the session between batches
	useCursor := dialect == "postgresql"
	if post && !useCursor && dialect != "sqlite" && dialect != "oracle" {
		return &InvalidRequestError{Msg: fmt.Sprintf("YieldPer with loads after each batch (selectin, immediate, noload) needs a second statement while the rows are open, which %s cannot run on one connection; load the relationship after the stream, or page by key", dialect)}
	}
	batch := q.yieldPer
	var res *core.Result
	var err error
	var fetch func() (*core.Result, error)
	if useCursor {
		cp, err := c.Prepare(bq.stmt)
		if err != nil {
			return err
		}
		cursorSeq++
		name := fmt.Sprintf("retort_c%d", cursorSeq)
		decl := cp
		decl.SQL = "DECLARE " + name + " NO SCROLL CURSOR FOR " + cp.SQL
		decl.Columns = nil
		dres, err := c.ExecuteCompiled(ctx, decl, cp.Args, false)
		if err != nil {
			return err
		}
		dres.Close()
		defer func() {
			if r, err := c.Execute(ctx, core.Raw("CLOSE "+name, nil)); err == nil {
				r.Close()
			}
		}()
		fc := core.Compiled{SQL: fmt.Sprintf("FETCH FORWARD %d FROM %s", batch, name), Columns: cp.Columns}
		fetch = func() (*core.Result, error) { return c.ExecuteCompiled(ctx, fc, nil, true) }
	} else {
		res, err = c.Execute(ctx, bq.stmt)
		if err != nil {
			return err
		}
		defer res.Close()
	}
	var r *rowReader
	var brought []*instState
	s.streamed = &brought
	defer func() { s.streamed = nil }()
	for {
		if fetch != nil {
			if res, err = fetch(); err != nil {
				return err
			}
		}
		if r == nil {
			r = newRowReader(s, mode, bq.b.slots, nil)
		}
		// objects already in the session stay; the ones this batch brings
		// in may go again once seen
		// a FETCH returns one batch, read whole (its result must be done
		// before the batch's loads run on the connection)
		n := batch
		if fetch != nil {
			n = 0
		}
		roots, err := s.readRoots(ctx, res, bq, mode, n, r)
		if err != nil {
			return err
		}
		if err := q.hand(roots, fn); err != nil {
			return err
		}
		// the batch's objects, and what their eager loads brought, leave
		// the session unless they have a change to write
		for _, st := range brought {
			if st.st == Persistent && !st.deleting && !st.isDirty() && (!st.p.hasRels || !st.relsDirty()) {
				s.forget(st, Detached)
			}
		}
		brought = brought[:0]
		r.reset()
		if len(roots) < batch {
			return nil
		}
	}
}

// anyPostLoads reports a slot whose node loads something after the rows.
func anyPostLoads(b *shape) bool {
	for _, sl := range b.slots {
		if sl.poly != nil {
			// rows of subtypes whose columns or relationships load after
			// the rows
			for _, sp := range sl.poly.plans {
				if sp == sl.n.p {
					continue
				}
				if sl.n.polyNode(sp, sl.poly.copyFor(sp), sl.inline).polyMissing || sl.n.subNode(sp).eager {
					return true
				}
			}
		}
		for _, st := range sl.n.strat {
			switch st {
			case loading.LazySelectIn, loading.LazyImmediate, loading.LazySubquery:
				return true
			}
		}
	}
	return false
}

func hasSubquery(n *loadNode) bool {
	for i, st := range n.strat {
		if st == loading.LazySubquery {
			return true
		}
		if k := n.kids[i]; k != nil && hasSubquery(k) {
			return true
		}
	}
	return false
}

func joinedCollName(n *loadNode) string {
	rels, _ := n.p.relations()
	for _, rp := range rels {
		if n.strat[rp.i] == loading.LazyJoined && rp.coll != nil {
			return rp.name
		}
		if k := n.kids[rp.i]; k != nil && n.strat[rp.i] == loading.LazyJoined {
			if name := joinedCollName(k); name != "" {
				return name
			}
		}
	}
	return ""
}
