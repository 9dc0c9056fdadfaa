package orm

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/inheritance"
	"github.com/retort-orm/retort/registry"
)

// persistence: the statements of a planned flush.

// emit runs the statements of fp: the saves batch by batch in dependency
// order (UPDATEs, then INSERTs, of each batch, with the foreign keys
// copied from parents first), the relationship statements (post_update,
// secondary rows), then the deletes (children first). touched collects
// the objects whose fields the flush changed.
func (s *Session) emit(ctx context.Context, fp *flushPlan, touched *[]*instState) error {
	rf := fp.rel
	for i := 0; i < len(fp.saves); {
		// the works of one hierarchy's mappers next to each other are
		// written together (see insertRows)
		j := i + 1
		for j < len(fp.saves) && fp.saves[j].p.rootPlan == fp.saves[i].p.rootPlan && !inWorks(fp.saves[i:j], fp.saves[j].p) {
			j++
		}
		group := fp.saves[i:j]
		i = j
		conn, err := s.connFor(ctx, group[0].p)
		if err != nil {
			return err
		}
		for _, w := range group {
			if rf != nil {
				if err := rf.syncBatch(w); err != nil {
					return err
				}
			}
			for _, st := range w.inserts {
				if err := s.fireMapper(ctx, mBeforeInsert, conn, st); err != nil {
					return &FlushError{Phase: "before_insert", Type: st.p.name, Err: err}
				}
			}
			for _, st := range w.updates {
				if err := s.fireMapper(ctx, mBeforeUpdate, conn, st); err != nil {
					return &FlushError{Phase: "before_update", Type: st.p.name, Err: err}
				}
			}
			*touched = append(*touched, w.inserts...)
			*touched = append(*touched, w.updates...)
		}
		for _, w := range group {
			if err := s.updateRows(ctx, conn, w); err != nil {
				return err
			}
		}
		if err := s.insertRows(ctx, conn, group...); err != nil {
			return err
		}
		for _, w := range group {
			for _, st := range w.inserts {
				if err := s.fireMapper(ctx, mAfterInsert, conn, st); err != nil {
					return &FlushError{Phase: "after_insert", Type: st.p.name, Err: err}
				}
			}
			for _, st := range w.updates {
				if err := s.fireMapper(ctx, mAfterUpdate, conn, st); err != nil {
					return &FlushError{Phase: "after_update", Type: st.p.name, Err: err}
				}
			}
		}
	}
	if rf != nil {
		if err := s.emitRelations(ctx, rf); err != nil {
			return err
		}
	}
	for i := 0; i < len(fp.deletes); {
		j := i + 1
		for j < len(fp.deletes) && fp.deletes[j].p.rootPlan == fp.deletes[i].p.rootPlan && !inWorks(fp.deletes[i:j], fp.deletes[j].p) {
			j++
		}
		group := fp.deletes[i:j]
		i = j
		conn, err := s.connFor(ctx, group[0].p)
		if err != nil {
			return err
		}
		for _, w := range group {
			for _, st := range w.deletes {
				if err := s.fireMapper(ctx, mBeforeDelete, conn, st); err != nil {
					return &FlushError{Phase: "before_delete", Type: st.p.name, Err: err}
				}
			}
		}
		if err := s.deleteRows(ctx, conn, group...); err != nil {
			return err
		}
		for _, w := range group {
			for _, st := range w.deletes {
				if err := s.fireMapper(ctx, mAfterDelete, conn, st); err != nil {
					return &FlushError{Phase: "after_delete", Type: st.p.name, Err: err}
				}
			}
		}
	}
	return nil
}

// bindValue is the value bound for a field: a nil pointer is NULL, a
// pointer to a value binds the value.
func bindValue(f reflect.Value) any {
	switch f.Kind() {
	case reflect.Pointer:
		if f.IsNil() {
			return nil
		}
		return f.Elem().Interface()
	case reflect.Slice:
		if f.IsNil() && f.Type() == bytesType {
			// a []byte field maps a NOT NULL column: nil is empty
			return []byte{}
		}
	}
	return f.Interface()
}

// setFieldValue stores v (a default's or a generator's value) in f,
// converting it to the field's type.
func setFieldValue(f reflect.Value, v any, what string) error {
	if v == nil {
		f.SetZero()
		return nil
	}
	if err := assignValue(f, reflect.ValueOf(v)); err != nil {
		return fmt.Errorf("%s: value %v (%T) does not fit a field of type %s", what, v, v, f.Type())
	}
	return nil
}

// assignValue sets dst (addressable) to src's value across pointer and
// named-type differences: an int64 key into a *int64 foreign key, a
// value into a sql.Null* field (through Scan), a nil pointer as the zero
// value. A pointer is copied, not shared. An integer never becomes a
// string (Go's conversion would make a character of it).
func assignValue(dst, src reflect.Value) error {
	if src.Kind() == reflect.Pointer {
		if src.IsNil() {
			dst.SetZero()
			return nil
		}
		src = src.Elem()
	}
	t := dst.Type()
	if t.Kind() == reflect.Pointer {
		v := reflect.New(t.Elem())
		if err := assignValue(v.Elem(), src); err != nil {
			return err
		}
		dst.Set(v)
		return nil
	}
	if src.Type() == t {
		dst.Set(src)
		return nil
	}
	intToString := t.Kind() == reflect.String && (src.CanInt() || src.CanUint())
	if src.Type().ConvertibleTo(t) && !intToString {
		dst.Set(src.Convert(t))
		return nil
	}
	if sc, ok := dst.Addr().Interface().(interface{ Scan(any) error }); ok {
		return sc.Scan(src.Interface())
	}
	return fmt.Errorf("a %s does not fit a %s", src.Type(), t)
}

// prepareInsert applies client-side defaults, the first version and the
// polymorphic identity to a pending object's zero fields, as SQLAlchemy
// sets them on the object.
func prepareInsert(st *instState) error {
	for _, ap := range st.p.attrs {
		if ap != st.p.polyOn && !ap.version && (ap.def == nil || ap.def.Expr != nil) {
			continue // (nothing to set: the common case, without reflection)
		}
		f := ap.field(st.sv())
		if ap == st.p.polyOn {
			if f.IsZero() {
				// the discriminator says which type the row is
				if err := setFieldValue(f, st.p.polyIdent, st.p.name+"."+ap.name+" polymorphic identity"); err != nil {
					return err
				}
				continue
			}
			if k, _ := inheritance.Key(bindValue(f)); k != st.p.polyIdent {
				// most likely a *Base pointing into a subtype's object
				// that was never added: the Session cannot see the
				// subtype from the pointer
				hint := fmt.Sprintf("leave it empty (it becomes %q)", st.p.polyIdent)
				if other, err := st.p.m.Polymorphic().LookupString(k); err == nil {
					hint = fmt.Sprintf("to save a %s, Add the *%s itself (a *%s pointing into it is saved as a %s)", other.Name(), other.Name(), st.p.name, st.p.name)
				}
				return fmt.Errorf("new %s %p has %s = %q, which is not its polymorphic identity %q; %s", st.p.name, st.object(), ap.name, k, st.p.polyIdent, hint)
			}
			continue
		}
		if ap.version && f.IsZero() {
			var v any = int64(1)
			if st.p.verGen != nil {
				v = st.p.verGen()
			}
			if err := setFieldValue(f, v, st.p.name+"."+ap.name+" version"); err != nil {
				return err
			}
			continue
		}
		if ap.def == nil || ap.def.Expr != nil || !f.IsZero() {
			continue
		}
		var v any
		if ap.def.Func != nil {
			v = ap.def.Func()
		} else {
			v = ap.def.Value
		}
		if err := setFieldValue(f, v, st.p.name+"."+ap.name+" default"); err != nil {
			return err
		}
	}
	return nil
}

// insertShape is which attributes an INSERT of st writes (a bit set,
// with an index list beyond 64 attributes) and whether it reads values
// back.
type insertMask struct {
	bits uint64
	more string
}

func insertShape(p *plan, st *instState, part *tablePart) (mask insertMask, fetch bool) {
	var more []byte
	for i, ap := range p.attrs {
		if ap.part != part.i {
			continue
		}
		switch {
		case ap.computed:
			fetch = true
		case (ap.autoinc || ap.serverDefault || (ap.def != nil && ap.def.Expr != nil)) && ap.field(st.sv()).IsZero():
			fetch = true
		default:
			if i < 64 {
				mask.bits |= 1 << uint(i)
			} else {
				more = strconv.AppendInt(more, int64(i), 10)
				more = append(more, ',')
			}
		}
	}
	mask.more = string(more)
	return mask, fetch
}

func (m insertMask) has(i int) bool {
	if i < 64 {
		return m.bits&(1<<uint(i)) != 0
	}
	return strings.Contains(","+m.more, ","+strconv.Itoa(i)+",")
}

// insertRows INSERTs the pending objects of ws, the works of mappers of
// one hierarchy (or one mapper): consecutive objects of one type writing
// the same columns go in one multi-VALUES batch (insertmanyvalues), with
// RETURNING of what the database made, matched back to the objects in
// input order. A hierarchy is written table by table, as SQLAlchemy
// does: the rows of its root table for every object in Add order, then
// each subtype table's rows, with the key the row above got.
func (s *Session) insertRows(ctx context.Context, conn *core.Connection, ws ...*mapperWork) error {
	var all []*instState
	depth := 0
	for _, w := range ws {
		for _, st := range w.inserts {
			if err := prepareInsert(st); err != nil {
				return &FlushError{Phase: "insert", Type: st.p.name, Table: st.p.table.Name(), Err: err}
			}
		}
		all = append(all, w.inserts...)
		depth = max(depth, len(w.p.parts))
	}
	if len(ws) > 1 {
		slices.SortStableFunc(all, func(a, b *instState) int { return int(a.order - b.order) })
	}
	// each table of the hierarchy in turn: the root's, then the subtype
	// tables in the order the types were registered, each with its rows
	// in Add order; the rows of one table are written through the plan
	// of the type that declares it (see tablePart.writer), so that
	// objects of different types batch together
	var desc []*registry.Mapper
	if depth > 1 {
		desc = ws[0].p.root.Descendants()
	}
	masks := make([]insertMask, len(all))
	fetches := make([]bool, len(all))
	writers := make([]*plan, len(all))
	for d := 0; d < depth; d++ {
		list := all
		if d > 0 {
			list = nil
			for _, st := range all {
				if len(st.p.parts) > d {
					list = append(list, st)
				}
			}
			slices.SortStableFunc(list, func(a, b *instState) int {
				return slices.Index(desc, a.p.parts[d].writer(a.p).m) - slices.Index(desc, b.p.parts[d].writer(b.p).m)
			})
		}
		for i, st := range list {
			part := st.p.parts[d]
			for _, sy := range part.sync {
				if err := assignValue(sy[0].field(st.sv()), sy[1].field(st.sv())); err != nil {
					return &FlushError{Phase: "insert", Type: st.p.name, Table: part.table.Name(), Err: err}
				}
			}
			writers[i] = part.writer(st.p)
			masks[i], fetches[i] = insertShape(writers[i], st, writers[i].parts[d])
		}
		for i := 0; i < len(list); {
			wp := writers[i]
			j := i + 1
			for j < len(list) && writers[j] == wp && masks[i] == masks[j] {
				j++
			}
			part := wp.parts[d]
			if err := s.insertGroup(ctx, conn, wp, part, list[i:j], masks[i], fetches[i]); err != nil {
				return &FlushError{Phase: "insert", Type: list[i].p.name, Table: part.table.Name(), Err: err}
			}
			i = j
		}
	}
	return nil
}

// insertGroup INSERTs objects of p that write the same columns (mask):
// in multi-VALUES batches with RETURNING of what the database makes, or,
// when values must be read back and the dialect has no RETURNING, one by
// one.
func (s *Session) insertGroup(ctx context.Context, conn *core.Connection, p *plan, part *tablePart, group []*instState, mask insertMask, readBack bool) error {
	var cols []*core.Column
	var attrs, fetch []*attrPlan
	for k, ap := range p.attrs {
		if ap.part != part.i {
			continue
		}
		if mask.has(k) {
			cols = append(cols, ap.col)
			attrs = append(attrs, ap)
		} else {
			fetch = append(fetch, ap)
		}
	}
	if readBack && !conn.Engine().Dialect().Features().Has(core.FeatReturningInsert) {
		return s.insertOneByOne(ctx, conn, p, part, group, attrs, fetch)
	}
	return s.insertBatch(ctx, conn, p, part, group, cols, attrs, fetch)
}

// markInserted moves an object just INSERTed to the persistent state: its
// identity, a snapshot, the identity map, the transaction's inserted list.
func (s *Session) markInserted(st *instState, from State) {
	key, _ := st.p.keyOfStruct(st.sv())
	st.setKey(key)
	st.keyd = true
	st.st = Persistent
	st.setSnap(s.snapshot(st))
	st.insertedTx = true
	s.identity.put(key, st)
	s.inserted = append(s.inserted, st)
	s.transition(st, from, Persistent)
}

func (s *Session) insertBatch(ctx context.Context, conn *core.Connection, p *plan, part *tablePart, group []*instState, cols []*core.Column, attrs, fetch []*attrPlan) error {
	var ret []core.Expr
	for _, ap := range fetch {
		ret = append(ret, ap.col)
	}
	if len(cols) == 0 {
		// every column left to the database: one DEFAULT VALUES per row
		return s.insertOneByOne(ctx, conn, p, part, group, attrs, fetch)
	}
	// the values go from the objects straight into the batches' argument
	// buffer
	res, err := conn.InsertRowsFunc(ctx, part.table, cols, len(group), func(i int, row []any) error {
		st := group[i]
		for k, ap := range attrs {
			row[k] = ap.bind(st)
		}
		return nil
	}, ret...)
	if err != nil {
		return err
	}
	if len(ret) == 0 {
		return res.Close()
	}
	defer res.Close()
	dest := make([]any, len(fetch))
	genPK := false
	for _, ap := range fetch {
		genPK = genPK || ap.pk
	}
	n := 0
	for {
		// each row straight into the next object's fields (typed
		// pointers: the driver decodes without boxing where it can)
		if n < len(group) {
			st := group[n]
			for k, ap := range fetch {
				if ap.offOK {
					dest[k] = ap.ptrAt(st.ptr)
				} else {
					dest[k] = ap.field(st.sv()).Addr().Interface()
				}
			}
		} else {
			for k, ap := range fetch {
				dest[k] = reflect.New(ap.typ).Interface()
			}
		}
		more, err := res.NextScan(dest...)
		if err != nil {
			return err
		}
		if !more {
			break
		}
		if n >= len(group) {
			return fmt.Errorf("INSERT … RETURNING returned more rows than the %d inserted", len(group))
		}
		if genPK {
			group[n].genPK = true
		}
		n++
	}
	if err := res.Err(); err != nil {
		return err
	}
	if n != len(group) {
		return fmt.Errorf("INSERT … RETURNING returned %d rows for the %d inserted", n, len(group))
	}
	return nil
}

// insertOneByOne INSERTs each object alone, reading an autoincrement key
// from the driver's last insert id, then any other database-made value
// with a SELECT by primary key (where RETURNING is missing).
func (s *Session) insertOneByOne(ctx context.Context, conn *core.Connection, p *plan, part *tablePart, group []*instState, attrs, fetch []*attrPlan) error {
	returning := conn.Engine().Dialect().Features().Has(core.FeatReturningInsert)
	for _, st := range group {
		vals := make(map[string]any, len(attrs))
		for _, ap := range attrs {
			vals[ap.col.Name()] = bindValue(ap.field(st.sv()))
		}
		ins := core.Insert(part.table).Values(vals)
		if returning && len(fetch) > 0 {
			var ret []core.SelectItem
			for _, ap := range fetch {
				ret = append(ret, ap.col)
			}
			res, err := conn.Execute(ctx, ins.Returning(ret...))
			if err != nil {
				return err
			}
			dest := make([]any, len(fetch))
			for k, ap := range fetch {
				dest[k] = ap.field(st.sv()).Addr().Interface()
			}
			if !res.Next() {
				res.Close()
				if err := res.Err(); err != nil {
					return err
				}
				return fmt.Errorf("INSERT … RETURNING returned no row")
			}
			err = res.Scan(dest...)
			res.Close()
			if err != nil {
				return err
			}
			for _, ap := range fetch {
				if ap.pk {
					st.genPK = true
				}
			}
			continue
		}
		res, err := conn.Execute(ctx, ins)
		if err != nil {
			return err
		}
		var rest []*attrPlan
		for _, ap := range fetch {
			if ap.pk && ap.autoinc {
				id, ok := res.LastInsertID()
				if !ok {
					return fmt.Errorf("the driver reported no last insert id for %s", colName(ap))
				}
				if err := setFieldValue(ap.field(st.sv()), id, p.name+"."+ap.name); err != nil {
					return err
				}
				st.genPK = true
				continue
			}
			rest = append(rest, ap)
		}
		if len(rest) > 0 {
			if err := s.fetchColumns(ctx, conn, st, part, rest); err != nil {
				return err
			}
		}
	}
	return nil
}

// fetchColumns reads attrs of st's row by primary key into its fields
// (server-made values where RETURNING is missing: eager defaults).
func (s *Session) fetchColumns(ctx context.Context, conn *core.Connection, st *instState, part *tablePart, attrs []*attrPlan) error {
	cols := make([]core.SelectItem, len(attrs))
	for i, ap := range attrs {
		cols[i] = ap.col
	}
	var where []core.Expr
	for _, ap := range part.pk {
		where = append(where, ap.col.Eq(bindValue(ap.field(st.sv()))))
	}
	res, err := conn.Execute(ctx, core.Select(cols...).From(part.table).Where(where...))
	if err != nil {
		return err
	}
	defer res.Close()
	if !res.Next() {
		if err := res.Err(); err != nil {
			return err
		}
		return fmt.Errorf("%s: the row just written was not found to read its server-generated values", st.p.name)
	}
	dest := make([]any, len(attrs))
	for i, ap := range attrs {
		dest[i] = ap.field(st.sv()).Addr().Interface()
	}
	return res.Scan(dest...)
}

// ---------------------------------------------------------------- UPDATE

// updateStmt is UPDATE t SET <attrs> = :u<i> WHERE pk = :w<i> [AND version = :wv]
// for the part's table.
func (p *plan) updateStmt(part *tablePart, attrs []*attrPlan, ver bool) *core.UpdateStmt {
	vals := make(map[string]any, len(attrs))
	for _, ap := range attrs {
		vals[ap.col.Name()] = core.Param("u"+strconv.Itoa(ap.i), ap.col.Type())
	}
	var where []core.Expr
	for i, ap := range part.pk {
		where = append(where, ap.col.Eq(core.Param("w"+strconv.Itoa(i), ap.col.Type())))
	}
	if ver {
		where = append(where, p.version.col.Eq(core.Param("wv", p.version.col.Type())))
	}
	return core.Update(part.table).Values(vals).Where(where...)
}

// nextVersion is the version after old: the generator's value
// (version_func), or old+1 for a counter, as a value of the field's type.
func (p *plan) nextVersion(old any) (any, error) {
	var nv any
	if p.verGen != nil {
		nv = p.verGen()
	} else {
		nv = reflect.ValueOf(old).Convert(reflect.TypeFor[int64]()).Int() + 1
	}
	f := reflect.New(p.version.typ).Elem()
	if err := setFieldValue(f, nv, p.name+"."+p.version.name+" version"); err != nil {
		return nil, err
	}
	return f.Interface(), nil
}

// resolveKeyed maps the placeholders of the unit of work's statements to
// their sources: u<i> the new value of attribute i, w<k> the database's
// value of key column k, wv the version checked, k<i> the i-th argument.
func (p *plan) resolveKeyed(names []string) []argSrc { return p.resolvePart(p.parts[0])(names) }

// resolvePart is resolveKeyed for statements on one table of the plan
// (w<k> is that table's key column k).
func (p *plan) resolvePart(part *tablePart) func(names []string) []argSrc {
	return func(names []string) []argSrc { return p.resolveIn(part, names) }
}

func (p *plan) resolveIn(part *tablePart, names []string) []argSrc {
	src := make([]argSrc, len(names))
	for i, n := range names {
		if n == "" {
			continue
		}
		if n == "wv" {
			src[i] = argSrc{kind: srcOldVersion}
			continue
		}
		if strings.HasPrefix(n, "pk") {
			if k, err := strconv.Atoi(n[2:]); err == nil {
				src[i] = argSrc{kind: srcArg, i: k}
			}
			continue
		}
		k, err := strconv.Atoi(n[1:])
		if err != nil {
			continue
		}
		switch n[0] {
		case 'u':
			ap := p.attrs[k]
			if ap.version {
				src[i] = argSrc{kind: srcNewVersion, ap: ap}
			} else {
				src[i] = argSrc{kind: srcField, ap: ap}
			}
		case 'w':
			src[i] = argSrc{kind: srcSnap, ap: part.pk[k]}
		case 'k':
			src[i] = argSrc{kind: srcArg, i: k}
		}
	}
	return src
}

// bindArgs builds the arguments of pr for one object.
func (pr *prepared) bindArgs(st *instState, oldVer, newVer any, args []any) []any {
	out := make([]any, len(pr.src))
	for i, sr := range pr.src {
		switch sr.kind {
		case srcConst:
			out[i] = sr.v
		case srcField:
			out[i] = sr.ap.bind(st)
		case srcSnap:
			out[i] = bindValue(sr.ap.field(st.snapOrSelf()))
		case srcOldVersion:
			out[i] = oldVer
		case srcNewVersion:
			out[i] = newVer
		case srcArg:
			out[i] = args[sr.i]
		}
	}
	return out
}

// attrMask is the shape key of a set of attributes: a bit set when the
// mapper has at most 64, their positions written out otherwise.
func attrMask(p *plan, attrs []*attrPlan) (uint64, string) {
	if len(p.attrs) <= 64 {
		var m uint64
		for _, ap := range attrs {
			m |= 1 << uint(ap.i)
		}
		return m, ""
	}
	var b []byte
	for _, ap := range attrs {
		b = strconv.AppendInt(b, int64(ap.i), 10)
		b = append(b, ',')
	}
	return 0, string(b)
}

// updateRows UPDATEs w's changed objects, only their changed columns:
// consecutive objects changing the same columns run as one executemany
// (one round trip where the driver batches). The rows matched must equal
// the objects, or the flush fails with a StaleDataError.
func (s *Session) updateRows(ctx context.Context, conn *core.Connection, w *mapperWork) error {
	if len(w.updates) == 0 {
		return nil
	}
	p := w.p
	type upd struct {
		st   *instState
		pr   *prepared
		part *tablePart
		args []any
	}
	fail := func(table string, err error) error {
		return &FlushError{Phase: "update", Type: p.name, Table: table, Err: err}
	}
	list := make([]upd, 0, len(w.updates))
	var attrs []*attrPlan
	for i, st := range w.updates {
		// before_update listeners may have changed more fields
		ch := st.modified(w.changed[i][:0])
		w.changed[i] = ch
		if len(ch) == 0 {
			continue
		}
		writes := false
		for _, ap := range ch {
			if ap.part >= 0 && !ap.computed && !ap.version {
				writes = true
			}
		}
		if !writes {
			continue
		}
		var oldVer, newVer any
		if p.version != nil {
			oldVer = p.version.field(st.snapOrSelf()).Interface()
			var err error
			if newVer, err = p.nextVersion(oldVer); err != nil {
				return fail(p.table.Name(), err)
			}
			if s.newVersions == nil {
				s.newVersions = map[*instState]any{}
			}
			s.newVersions[st] = newVer
		}
		// one UPDATE per table with changes (a joined subtype's base
		// table first); the version counter's table is updated whenever
		// any table is, as SQLAlchemy bumps it
		for _, part := range p.parts {
			attrs = attrs[:0]
			for _, ap := range ch {
				if ap.part == part.i && !ap.computed && !ap.version {
					attrs = append(attrs, ap)
				}
			}
			ver := part.version != nil
			if len(attrs) == 0 && !ver {
				continue
			}
			// client-side onupdate values for the columns not set by hand
			for _, ap := range part.attrs {
				if ap.onUpdate == nil || ap.onUpdate.Expr != nil || containsAttr(attrs, ap) {
					continue
				}
				var v any
				if ap.onUpdate.Func != nil {
					v = ap.onUpdate.Func()
				} else {
					v = ap.onUpdate.Value
				}
				if err := setFieldValue(ap.field(st.sv()), v, p.name+"."+ap.name+" onupdate"); err != nil {
					return fail(part.table.Name(), err)
				}
				attrs = append(attrs, ap)
			}
			if ver {
				attrs = append(attrs, p.version)
			}
			mask, extra := attrMask(p, attrs)
			set := attrs // (build runs now, before attrs is reused)
			pt := part
			pr, err := prepare(conn, preparedKey{p: p, kind: prepUpdate, part: part.i, mask: mask, extra: extra, ver: ver},
				func() (core.Statement, bool) { return p.updateStmt(pt, set, ver), false }, p.resolvePart(part))
			if err != nil {
				return fail(part.table.Name(), err)
			}
			list = append(list, upd{st: st, pr: pr, part: part, args: pr.bindArgs(st, oldVer, newVer, nil)})
		}
	}
	// (a joined subtype's objects run table by table: the statements of
	// the base table for every object, then the next table's)
	slices.SortStableFunc(list, func(a, b upd) int { return a.part.i - b.part.i })
	for i := 0; i < len(list); {
		j := i + 1
		for j < len(list) && list[j].pr == list[i].pr {
			j++
		}
		pr, part := list[i].pr, list[i].part
		var matched int64
		if j-i == 1 {
			res, err := conn.ExecuteCompiled(ctx, pr.c, list[i].args, false)
			if err != nil {
				return fail(part.table.Name(), err)
			}
			matched = res.RowsAffected()
			res.Close()
		} else {
			rows := make([][]any, 0, j-i)
			for _, u := range list[i:j] {
				rows = append(rows, u.args)
			}
			r, err := conn.ExecuteManyCompiled(ctx, pr.c, rows)
			if err != nil {
				return fail(part.table.Name(), err)
			}
			matched = r.RowsAffected
		}
		if matched != int64(j-i) {
			return fail(part.table.Name(), &StaleDataError{Table: part.table.Name(), Op: "UPDATE", Expected: int64(j - i), Matched: matched, Versions: part.version != nil})
		}
		var upd []*attrPlan
		for _, ap := range p.serverUpd {
			if ap.part == part.i {
				upd = append(upd, ap)
			}
		}
		if len(upd) > 0 {
			for _, u := range list[i:j] {
				if err := s.fetchColumns(ctx, conn, u.st, part, upd); err != nil {
					return fail(part.table.Name(), err)
				}
			}
		}
		i = j
	}
	return nil
}

func containsAttr(list []*attrPlan, ap *attrPlan) bool {
	for _, x := range list {
		if x == ap {
			return true
		}
	}
	return false
}

// ---------------------------------------------------------------- DELETE

// deleteChunk bounds the keys of one DELETE … WHERE pk IN (…).
const deleteChunk = 500

// deleteRows DELETEs w's objects: with a single-column key and no version
// counter, DELETE … WHERE pk IN (…) in chunks; otherwise one statement per
// row by key (and version), run as an executemany whose matched row count
// must equal the objects when a version counter is checked.
func (s *Session) deleteRows(ctx context.Context, conn *core.Connection, ws ...*mapperWork) error {
	// a hierarchy's rows table by table: the deepest subtype tables'
	// first, the root table's last
	depth := 0
	for _, w := range ws {
		depth = max(depth, len(w.p.parts))
	}
	for d := depth - 1; d >= 0; d-- {
		for _, w := range ws {
			if len(w.p.parts) > d && len(w.deletes) > 0 {
				if err := s.deletePart(ctx, conn, w, w.p.parts[d]); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// deletePart DELETEs w's objects' rows of one table.
func (s *Session) deletePart(ctx context.Context, conn *core.Connection, w *mapperWork, part *tablePart) error {
	p := w.p
	fail := func(err error) error {
		return &FlushError{Phase: "delete", Type: p.name, Table: part.table.Name(), Err: err}
	}
	if len(part.pk) == 1 && part.version == nil {
		col := part.pk[0]
		for i := 0; i < len(w.deletes); i += deleteChunk {
			end := min(i+deleteChunk, len(w.deletes))
			n := end - i
			pr, err := prepare(conn, preparedKey{p: p, kind: prepDeleteIn, part: part.i, n: n}, func() (core.Statement, bool) {
				if n == 1 {
					return core.Delete(part.table).Where(col.col.Eq(core.Param("k0", col.col.Type()))), false
				}
				keys := make([]any, n)
				for k := range keys {
					keys[k] = core.Param("k"+strconv.Itoa(k), col.col.Type())
				}
				return core.Delete(part.table).Where(col.col.In(keys...)), false
			}, p.resolvePart(part))
			if err != nil {
				return fail(err)
			}
			keys := make([]any, 0, n)
			for _, st := range w.deletes[i:end] {
				keys = append(keys, bindValue(col.field(st.snapOrSelf())))
			}
			res, err := conn.ExecuteCompiled(ctx, pr.c, pr.bindArgs(nil, nil, nil, keys), false)
			if err != nil {
				return fail(err)
			}
			res.Close()
		}
		return nil
	}
	ver := part.version != nil
	pr, err := prepare(conn, preparedKey{p: p, kind: prepDelete, part: part.i, ver: ver}, func() (core.Statement, bool) {
		var where []core.Expr
		for i, ap := range part.pk {
			where = append(where, ap.col.Eq(core.Param("w"+strconv.Itoa(i), ap.col.Type())))
		}
		if ver {
			where = append(where, p.version.col.Eq(core.Param("wv", p.version.col.Type())))
		}
		return core.Delete(part.table).Where(where...), false
	}, p.resolvePart(part))
	if err != nil {
		return fail(err)
	}
	rows := make([][]any, 0, len(w.deletes))
	for _, st := range w.deletes {
		var old any
		if ver {
			old = p.version.field(st.snapOrSelf()).Interface()
		}
		rows = append(rows, pr.bindArgs(st, old, nil, nil))
	}
	var matched int64
	if len(rows) == 1 {
		res, err := conn.ExecuteCompiled(ctx, pr.c, rows[0], false)
		if err != nil {
			return fail(err)
		}
		matched = res.RowsAffected()
		res.Close()
	} else {
		r, err := conn.ExecuteManyCompiled(ctx, pr.c, rows)
		if err != nil {
			return fail(err)
		}
		matched = r.RowsAffected
	}
	if ver && matched != int64(len(rows)) {
		return fail(&StaleDataError{Table: part.table.Name(), Op: "DELETE", Expected: int64(len(rows)), Matched: matched, Versions: true})
	}
	return nil
}

// snapOrSelf is the snapshot (the row as the database has it), or the
// object itself when there is none.
func (st *instState) snapOrSelf() reflect.Value {
	if st.snap().IsValid() {
		return st.snap()
	}
	return st.sv()
}

// inWorks reports whether one of ws is p's (a mapper written row by row
// has a work per level, which stay apart).
func inWorks(ws []*mapperWork, p *plan) bool {
	for _, w := range ws {
		if w.p == p {
			return true
		}
	}
	return false
}
