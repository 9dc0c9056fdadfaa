package orm

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/retort-orm/retort/core"
)

// persistence of relationships: foreign keys copied before each batch,
// post_update UPDATEs, secondary-table rows.

// syncBatch copies the parents' keys into the foreign keys of w's rows
// just before they are written (the parents were written before), and
// clears the post_update references of new rows (set by the UPDATE that
// follows the INSERTs).
func (rf *relFlush) syncBatch(w *mapperWork) error {
	for _, list := range [][]*instState{w.updates, w.inserts} {
		for _, st := range list {
			for _, r := range rf.syncs[st] {
				if err := rf.applySync(st, r); err != nil {
					return err
				}
			}
		}
	}
	if len(rf.postUpd) > 0 {
		if rf.postChild == nil {
			rf.postChild = map[*instState][]*relPlan{}
			for _, pr := range rf.postUpd {
				rf.postChild[pr.child] = append(rf.postChild[pr.child], pr.rp)
			}
		}
		for _, st := range w.inserts {
			for _, rp := range rf.postChild[st] {
				for _, ap := range rp.fkAttrs {
					ap.field(st.sv()).SetZero()
				}
			}
		}
	}
	return nil
}

// emitRelations runs, after the saves, the post_update UPDATEs and the
// secondary-table DELETEs and INSERTs, then the UPDATEs that clear
// post_update references of rows about to be deleted.
func (s *Session) emitRelations(ctx context.Context, rf *relFlush) error {
	// one executemany per relationship
	byRel := func(a, b postRec) int { return strings.Compare(a.rp.name, b.rp.name) }
	slices.SortStableFunc(rf.postUpd, byRel)
	slices.SortStableFunc(rf.postNull, byRel)
	secByRel := func(a, b secRow) int { return strings.Compare(a.rp.name, b.rp.name) }
	slices.SortStableFunc(rf.secIns, secByRel)
	slices.SortStableFunc(rf.secDel, secByRel)
	if err := s.postUpdate(ctx, rf.postUpd); err != nil {
		return err
	}
	if err := s.secondaryRows(ctx, rf.secDel, false); err != nil {
		return err
	}
	if err := s.secondaryRows(ctx, rf.secIns, true); err != nil {
		return err
	}
	return s.postUpdate(ctx, rf.postNull)
}

// postUpdate sets the foreign keys of post_update relationships with one
// UPDATE … WHERE <primary key> per row, grouped per relationship as an
// executemany.
func (s *Session) postUpdate(ctx context.Context, recs []postRec) error {
	for i := 0; i < len(recs); {
		j := i + 1
		for j < len(recs) && recs[j].rp == recs[i].rp {
			j++
		}
		rp := recs[i].rp
		p := recs[i].child.p
		vals := map[string]any{}
		for k, ap := range rp.fkAttrs {
			vals[ap.col.Name()] = core.Param("v"+strconv.Itoa(k), ap.col.Type())
		}
		var where []core.Expr
		for k, ap := range p.pk {
			where = append(where, ap.col.Eq(core.Param("k"+strconv.Itoa(k), ap.col.Type())))
		}
		stmt := core.Update(p.table).Values(vals).Where(where...)
		rows := make([]map[string]any, 0, j-i)
		for _, r := range recs[i:j] {
			row := map[string]any{}
			for k, ap := range rp.fkAttrs {
				f := ap.field(r.child.sv())
				if r.ref == nil {
					f.SetZero()
				} else if err := assignValue(f, rp.refAttrs[k].field(r.ref.sv())); err != nil {
					return &FlushError{Phase: "post_update", Type: p.name, Table: p.table.Name(), Err: err}
				}
				row["v"+strconv.Itoa(k)] = bindValue(f)
			}
			for k, ap := range p.pk {
				row["k"+strconv.Itoa(k)] = bindValue(ap.field(r.child.snapOrSelf()))
			}
			rows = append(rows, row)
		}
		conn, err := s.connFor(ctx, p)
		if err != nil {
			return err
		}
		if len(rows) == 1 {
			res, err := conn.Execute(ctx, stmt, rows[0])
			if err != nil {
				return &FlushError{Phase: "post_update", Type: p.name, Table: p.table.Name(), Err: err}
			}
			res.Close()
		} else if _, err := conn.ExecuteMany(ctx, stmt, rows); err != nil {
			return &FlushError{Phase: "post_update", Type: p.name, Table: p.table.Name(), Err: err}
		}
		i = j
	}
	return nil
}

// secondaryRows INSERTs (one multi-row statement per relationship) or
// DELETEs (an executemany by both keys) many-to-many rows.
func (s *Session) secondaryRows(ctx context.Context, rows []secRow, insert bool) error {
	for i := 0; i < len(rows); {
		j := i + 1
		for j < len(rows) && rows[j].rp == rows[i].rp {
			j++
		}
		rp := rows[i].rp
		t := rp.secondary
		conn, err := s.connFor(ctx, rp.owner)
		if err != nil {
			return err
		}
		phase := "secondary delete"
		if insert {
			phase = "secondary insert"
		}
		fail := func(err error) error {
			return &FlushError{Phase: phase, Type: rp.name, Table: t.Name(), Err: err}
		}
		cols := append(append([]*core.Column{}, rp.ownerCols...), rp.targetCols...)
		if insert {
			vals := make([][]any, 0, j-i)
			for _, r := range rows[i:j] {
				row := make([]any, 0, len(cols))
				for _, ap := range rp.ownerAttrs {
					row = append(row, bindValue(ap.field(r.owner.sv())))
				}
				for _, ap := range rp.targetAttrs {
					row = append(row, bindValue(ap.field(r.target.sv())))
				}
				vals = append(vals, row)
			}
			res, err := conn.InsertRows(ctx, t, cols, vals)
			if err != nil {
				return fail(err)
			}
			res.Close()
			i = j
			continue
		}
		var where []core.Expr
		for k, c := range cols {
			where = append(where, c.Eq(core.Param("c"+strconv.Itoa(k), c.Type())))
		}
		stmt := core.Delete(t).Where(where...)
		params := make([]map[string]any, 0, j-i)
		for _, r := range rows[i:j] {
			m := make(map[string]any, len(cols))
			k := 0
			for _, ap := range rp.ownerAttrs {
				m["c"+strconv.Itoa(k)] = bindValue(ap.field(r.owner.snapOrSelf()))
				k++
			}
			for _, ap := range rp.targetAttrs {
				m["c"+strconv.Itoa(k)] = bindValue(ap.field(r.target.snapOrSelf()))
				k++
			}
			params = append(params, m)
		}
		var matched int64
		if len(params) == 1 {
			res, err := conn.Execute(ctx, stmt, params[0])
			if err != nil {
				return fail(err)
			}
			matched = res.RowsAffected()
			res.Close()
		} else {
			r, err := conn.ExecuteMany(ctx, stmt, params)
			if err != nil {
				return fail(err)
			}
			matched = r.RowsAffected
		}
		if matched >= 0 && matched != int64(len(params)) {
			return fail(&StaleDataError{Table: t.Name(), Op: "DELETE", Expected: int64(len(params)), Matched: matched})
		}
		i = j
	}
	return nil
}
