package registry

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/declarative"
)

// fkPair is one (foreign column, referenced column) pair of a join.
type fkPair struct{ foreign, referred *core.Column }

func fkString(fk *core.ForeignKeyConstraint) string {
	return fmt.Sprintf("%s(%s) -> %s(%s)", fk.Table().Name(), strings.Join(fk.Columns, ", "), fk.RefTable, strings.Join(fk.RefColumns, ", "))
}

// refersTo reports whether fk references table t, returning its pairs.
func refersTo(fk *core.ForeignKeyConstraint, t *core.Table) ([]fkPair, bool) {
	rt, err := fk.Referred()
	if err != nil || rt != t {
		return nil, false
	}
	var out []fkPair
	for i, c := range fk.Columns {
		out = append(out, fkPair{fk.Table().C(c), t.C(fk.RefColumns[i])})
	}
	return out, true
}

// resolveColumn resolves "Type.Field", "table.column", "Field" or "column"
// against the given mappers (in order) and extra tables.
func resolveColumn(name string, mappers []*Mapper, tables []*core.Table) (*core.Column, bool) {
	name = strings.TrimSpace(name)
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		owner, attr := name[:i], name[i+1:]
		for _, m := range mappers {
			if m.Name() == owner || m.table.Key() == owner {
				if a, ok := m.byField[attr]; ok {
					return a.column, true
				}
				if a, ok := m.byColumn[attr]; ok {
					return a.column, true
				}
				if c := m.table.C(attr); c != nil {
					return c, true
				}
			}
		}
		for _, t := range tables {
			if t.Key() == owner || t.Name() == owner {
				if c := t.C(attr); c != nil {
					return c, true
				}
			}
		}
		return nil, false
	}
	for _, m := range mappers {
		if a, ok := m.byField[name]; ok {
			return a.column, true
		}
		if a, ok := m.byColumn[name]; ok {
			return a.column, true
		}
	}
	for _, t := range tables {
		if c := t.C(name); c != nil {
			return c, true
		}
	}
	return nil, false
}

// parseJoin parses "A.X == B.Y [and C.Z == D.W]" into column pairs.
func parseJoin(expr string, mappers []*Mapper, tables []*core.Table) ([][2]*core.Column, error) {
	norm := strings.NewReplacer("&&", " and ", " AND ", " and ").Replace(expr)
	var out [][2]*core.Column
	for _, part := range strings.Split(norm, " and ") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		l, rgt, ok := strings.Cut(part, "==")
		if !ok {
			l, rgt, ok = strings.Cut(part, "=")
		}
		if !ok {
			return nil, fmt.Errorf("%q is not <A.Field> == <B.Field>", part)
		}
		lc, ok1 := resolveColumn(l, mappers, tables)
		rc, ok2 := resolveColumn(rgt, mappers, tables)
		if !ok1 {
			return nil, fmt.Errorf("%q names no mapped column", strings.TrimSpace(l))
		}
		if !ok2 {
			return nil, fmt.Errorf("%q names no mapped column", strings.TrimSpace(rgt))
		}
		out = append(out, [2]*core.Column{lc, rc})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("empty join condition")
	}
	return out, nil
}

// hasFKTo reports whether column a has a foreign key to column b.
func hasFKTo(a, b *core.Column) bool {
	if a.Table() == nil {
		return false
	}
	for _, fk := range a.Table().ForeignKeys() {
		ps, ok := refersTo(fk, b.Table())
		if !ok {
			continue
		}
		for _, p := range ps {
			if p.foreign == a && p.referred == b {
				return true
			}
		}
	}
	return false
}

// pairsFromJoin orients each (l, r) pair of an explicit join as (foreign,
// referred), using foreign_keys when given, the schema's foreign keys
// otherwise.
func pairsFromJoin(raw [][2]*core.Column, foreign []*core.Column) ([]fkPair, error) {
	var out []fkPair
	for _, p := range raw {
		l, r := p[0], p[1]
		switch {
		case len(foreign) > 0 && slices.Contains(foreign, l):
			out = append(out, fkPair{l, r})
		case len(foreign) > 0 && slices.Contains(foreign, r):
			out = append(out, fkPair{r, l})
		case len(foreign) > 0:
			return nil, fmt.Errorf("neither %s.%s nor %s.%s is among foreign_keys", l.Table().Name(), l.Name(), r.Table().Name(), r.Name())
		case hasFKTo(l, r):
			out = append(out, fkPair{l, r})
		case hasFKTo(r, l):
			out = append(out, fkPair{r, l})
		default:
			return nil, fmt.Errorf("no foreign key links %s.%s and %s.%s", l.Table().Name(), l.Name(), r.Table().Name(), r.Name())
		}
	}
	return out, nil
}

func (r *Registry) buildRelationship(m *Mapper, d *declarative.Relationship, s *state) (*Relationship, error) {
	e := func(msg, hint string) error { return merr(m.decl, d.Path, d.Tag, msg, hint) }
	target, ok := s.byType[d.Target]
	if !ok {
		return nil, e(fmt.Sprintf("relationship target %s is not a mapped type of this registry", d.Target), fmt.Sprintf("register it: reg.Register(&%s{})", d.Target.Name()))
	}
	if d.TargetName != "" {
		if _, ok := s.byName[d.TargetName]; !ok {
			return nil, e(fmt.Sprintf("rel names %q, which is not a mapped type", d.TargetName), "register it, or write just rel")
		}
	}
	rel := &Relationship{decl: d, parent: m, target: target}
	// cascades
	c := d.Cascade
	if c.Has(declarative.CascadeDeleteOrphan) {
		if !c.Has(declarative.CascadeDelete) {
			return nil, e("cascade delete-orphan without delete", "write cascade:all,delete-orphan")
		}
		if d.Secondary != "" && !d.SingleParent {
			return nil, e("delete-orphan cascade on a MANYTOMANY relationship", "delete-orphan belongs on the one-to-many side of an association object; or add single_parent")
		}
	}
	// order_by
	for _, o := range d.OrderBy {
		a, ok := target.byField[o.Attr]
		if !ok {
			a, ok = target.byColumn[o.Attr]
		}
		if !ok {
			names := make([]string, 0, len(target.attrs))
			for _, x := range target.attrs {
				names = append(names, x.field)
			}
			hint := "known: " + strings.Join(names, ", ")
			if cl := declarative.Closest(o.Attr, names); cl != "" {
				hint = fmt.Sprintf("did you mean %s?", cl)
			}
			return nil, e(fmt.Sprintf("order_by names %q, which is not a column attribute of %s", o.Attr, target.Name()), hint)
		}
		if !d.Many {
			return nil, e("order_by on a scalar relationship", "order_by applies to collections only")
		}
		rel.orderBy = append(rel.orderBy, OrderBy{Attr: a, Desc: o.Desc})
	}
	// collection:map(<KeyField>)
	if d.CollectionKey != "" {
		a, ok := target.byField[d.CollectionKey]
		if !ok {
			return nil, e(fmt.Sprintf("collection key %q is not a mapped column attribute of %s", d.CollectionKey, target.Name()), attrHint(target, d.CollectionKey, "collection:map(%s)"))
		}
		rel.collKey = a
	}
	// ordering:<Field> (SQLAlchemy's ordering_list)
	if d.Ordering != "" {
		if d.Secondary != "" {
			return nil, e("ordering on a many-to-many relationship: the position would live on the target row, which several parents share", "map an association object that holds the position, and put ordering on the one-to-many to it")
		}
		a, ok := target.byField[d.Ordering]
		if !ok {
			return nil, e(fmt.Sprintf("ordering names %q, which is not a mapped column attribute of %s", d.Ordering, target.Name()), attrHint(target, d.Ordering, "ordering:%s"))
		}
		if !isInteger(a.goType) {
			return nil, e(fmt.Sprintf("ordering names %s.%s of Go type %s; a position must be an integer", target.Name(), d.Ordering, a.goType), "name an int field of "+target.Name()+" that holds each member's position")
		}
		rel.ordering = a
		if len(rel.orderBy) == 0 {
			rel.orderBy = []OrderBy{{Attr: a}}
		}
	}
	mappers := []*Mapper{m, target}
	if target == m {
		mappers = mappers[:1]
	}
	// foreign_keys
	var foreign []*core.Column
	for _, n := range d.ForeignKeys {
		var tables []*core.Table
		if sec, ok := r.md.Table(d.Secondary); ok {
			tables = append(tables, sec)
		}
		c, ok := resolveColumn(n, mappers, tables)
		if !ok {
			return nil, e(fmt.Sprintf("foreign_keys names %q, which is not a mapped column of %s or %s", n, m.Name(), target.Name()), "write foreign_keys:<Type>.<Field> (e.g. Address.UserID)")
		}
		foreign = append(foreign, c)
	}
	pt, tt := m.table, target.table
	if d.Secondary != "" {
		if err := r.manyToMany(rel, d, foreign, e); err != nil {
			return nil, err
		}
	} else {
		var pairs []fkPair
		if d.PrimaryJoin != "" {
			raw, err := parseJoin(d.PrimaryJoin, mappers, nil)
			if err != nil {
				return nil, e("bad primaryjoin: "+err.Error(), "write primaryjoin:<Target>.<Field> == <Parent>.<Field>[ and …]")
			}
			pairs, err = pairsFromJoin(raw, foreign)
			if err != nil {
				return nil, e("primaryjoin: "+err.Error(), "add foreign_keys:<Type>.<Field> naming the foreign key column")
			}
		} else {
			// candidate foreign key paths
			type path struct {
				fk    *core.ForeignKeyConstraint
				pairs []fkPair
			}
			var cands []path
			seen := map[*core.ForeignKeyConstraint]bool{}
			// a joined subtype's rows are in its base's tables too
			ptabs, ttabs := m.tableChain(), target.tableChain()
			for _, t := range append(slices.Clone(ttabs), ptabs...) {
				for _, fk := range t.ForeignKeys() {
					if seen[fk] || isInheritFK(fk, ptabs) || isInheritFK(fk, ttabs) {
						continue
					}
					var others []*core.Table
					if slices.Contains(ttabs, t) {
						others = append(others, ptabs...)
					}
					if slices.Contains(ptabs, t) {
						others = append(others, ttabs...)
					}
					var ps []fkPair
					ok := false
					for _, o := range others {
						if ps, ok = refersTo(fk, o); ok {
							break
						}
					}
					if !ok {
						continue
					}
					if len(foreign) > 0 {
						all := true
						for _, p := range ps {
							if !slices.Contains(foreign, p.foreign) {
								all = false
							}
						}
						if !all {
							continue
						}
					}
					seen[fk] = true
					cands = append(cands, path{fk, ps})
				}
			}
			switch len(cands) {
			case 0:
				if len(foreign) > 0 {
					return nil, e(fmt.Sprintf("foreign_keys %v is not a foreign key between %q and %q", d.ForeignKeys, pt.Name(), tt.Name()), "name the column that has fk: to the other table")
				}
				return nil, e(fmt.Sprintf("no foreign key links tables %q and %q", pt.Name(), tt.Name()), fmt.Sprintf("add fk:%s.<column> to the column of %s (or %s) that refers to the other, or give primaryjoin", pt.Name(), target.Name(), m.Name()))
			case 1:
				pairs = cands[0].pairs
			default:
				var list []string
				for _, c := range cands {
					list = append(list, fkString(c.fk))
				}
				return nil, e(fmt.Sprintf("ambiguous foreign keys: there are %d foreign key paths between %q and %q: %s", len(cands), pt.Name(), tt.Name(), strings.Join(list, "; ")),
					"add foreign_keys:<Type>.<Field> naming the column this relationship uses (SQLAlchemy's AmbiguousForeignKeysError)")
			}
		}
		// direction (by the tables of each side's rows: a joined
		// subtype's include its bases')
		ptabs, ttabs := m.tableChain(), target.tableChain()
		ft, rt := pairs[0].foreign.Table(), pairs[0].referred.Table()
		ftT, ftP := slices.Contains(ttabs, ft), slices.Contains(ptabs, ft)
		rtT, rtP := slices.Contains(ttabs, rt), slices.Contains(ptabs, rt)
		switch {
		case pt != tt && ftT && !ftP, pt != tt && ftT && ftP && rtP && !rtT:
			rel.dir = OneToMany
		case pt != tt && ftP && !ftT, pt != tt && ftT && ftP && rtT && !rtP:
			rel.dir = ManyToOne
		case pt == tt || ftT && ftP:
			if len(d.RemoteSide) == 0 {
				if !d.Many {
					ref := pairs[0].referred.Name()
					if a, ok := m.byColumn[ref]; ok {
						ref = a.field
					}
					return nil, e("a self-referential scalar relationship needs remote_side", fmt.Sprintf("add remote_side:%s for the many-to-one (parent) side, or make the field a slice for the children", ref))
				}
				rel.dir = OneToMany
				break
			}
			var remoteRef, remoteFor bool
			for _, n := range d.RemoteSide {
				c, ok := resolveColumn(n, mappers, nil)
				if !ok {
					return nil, e(fmt.Sprintf("remote_side names %q, which is not a mapped column", n), "name the remote column's field, e.g. remote_side:ID")
				}
				for _, p := range pairs {
					remoteRef = remoteRef || p.referred == c
					remoteFor = remoteFor || p.foreign == c
				}
			}
			switch {
			case remoteRef:
				rel.dir = ManyToOne
			case remoteFor:
				rel.dir = OneToMany
			default:
				return nil, e(fmt.Sprintf("remote_side %v names no column of the join", d.RemoteSide), "name the referenced key (ID) for many-to-one, or the foreign key column for one-to-many")
			}
		default:
			return nil, e("the join's foreign key is on neither table", "check primaryjoin")
		}
		for _, p := range pairs {
			rel.foreign = append(rel.foreign, p.foreign)
			if rel.dir == OneToMany {
				rel.pairs = append(rel.pairs, ColumnPair{Local: p.referred, Remote: p.foreign})
			} else {
				rel.pairs = append(rel.pairs, ColumnPair{Local: p.foreign, Remote: p.referred})
			}
		}
		if rel.dir == ManyToOne && d.Many {
			return nil, e(fmt.Sprintf("many-to-one relationship on a collection field of type %s", d.GoType), fmt.Sprintf("declare the field as *%s, or put the relationship on the other side", target.Name()))
		}
	}
	if d.PostUpdate && rel.dir != ManyToMany {
		for _, c := range rel.foreign {
			if !c.Nullable() {
				return nil, e(fmt.Sprintf("post_update on %s.%s needs a nullable foreign key: %s.%s is NOT NULL (the row is inserted with NULL, then updated)", m.Name(), d.Path, c.Table().Name(), c.Name()),
					fmt.Sprintf("make %s.%s nullable (a pointer field, or the nullable option), or remove post_update", c.Table().Name(), c.Name()))
			}
		}
	}
	if c := d.Cascade; c.Has(declarative.CascadeDeleteOrphan) && (rel.dir == ManyToOne) && !d.SingleParent {
		return nil, e(fmt.Sprintf("delete-orphan cascade on a %s relationship", rel.dir), "delete-orphan belongs on the one-to-many side; or add single_parent")
	}
	return rel, nil
}

// attrHint is the hint for a name that is not a column attribute of m:
// the closest attribute in the option's syntax (format has one %s), or the
// list of attributes.
func attrHint(m *Mapper, name, format string) string {
	names := make([]string, 0, len(m.attrs))
	for _, x := range m.attrs {
		names = append(names, x.field)
	}
	if cl := declarative.Closest(name, names); cl != "" && cl != name {
		return "did you mean " + fmt.Sprintf(format, cl) + "?"
	}
	return "name a column field of " + m.Name() + "; known: " + strings.Join(names, ", ")
}

// isInteger reports a Go integer type.
func isInteger(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	}
	return false
}

func (r *Registry) manyToMany(rel *Relationship, d *declarative.Relationship, foreign []*core.Column, e func(string, string) error) error {
	m, target := rel.parent, rel.target
	sec, ok := r.md.Table(d.Secondary)
	if !ok {
		var names []string
		for _, t := range r.md.Tables() {
			names = append(names, t.Key())
		}
		hint := "define it in the registry's MetaData (registry.New(registry.WithMetaData(md))) or map an association model"
		if cl := declarative.Closest(d.Secondary, names); cl != "" {
			hint = fmt.Sprintf("did you mean secondary:%s?", cl)
		}
		return e(fmt.Sprintf("secondary table %q not found", d.Secondary), hint)
	}
	rel.secondary = sec
	rel.dir = ManyToMany
	mappers := []*Mapper{m, target}
	var pp, tp []fkPair
	if d.PrimaryJoin != "" || d.SecondaryJoin != "" {
		if d.PrimaryJoin == "" || d.SecondaryJoin == "" {
			return e("a many-to-many relationship with an explicit join needs both primaryjoin and secondaryjoin", "add the missing one")
		}
		raw, err := parseJoin(d.PrimaryJoin, mappers[:1], []*core.Table{sec})
		if err == nil {
			pp, err = pairsFromJoin(raw, foreign)
		}
		if err != nil {
			return e("bad primaryjoin: "+err.Error(), fmt.Sprintf("write primaryjoin:%s.<Field> == %s.<column>", m.Name(), sec.Name()))
		}
		raw, err = parseJoin(d.SecondaryJoin, mappers[1:], []*core.Table{sec})
		if err == nil {
			tp, err = pairsFromJoin(raw, foreign)
		}
		if err != nil {
			return e("bad secondaryjoin: "+err.Error(), fmt.Sprintf("write secondaryjoin:%s.<Field> == %s.<column>", target.Name(), sec.Name()))
		}
	} else {
		if m.table == target.table {
			return e("a self-referential many-to-many relationship needs primaryjoin and secondaryjoin", fmt.Sprintf("write primaryjoin:%s.ID == %s.<left_id>;secondaryjoin:%s.ID == %s.<right_id>", m.Name(), sec.Name(), m.Name(), sec.Name()))
		}
		find := func(t *core.Table) ([]fkPair, error) {
			var found [][]fkPair
			var list []string
			for _, fk := range sec.ForeignKeys() {
				ps, ok := refersTo(fk, t)
				if !ok {
					continue
				}
				if len(foreign) > 0 && !slices.Contains(foreign, ps[0].foreign) {
					continue
				}
				found = append(found, ps)
				list = append(list, fkString(fk))
			}
			switch len(found) {
			case 0:
				return nil, e(fmt.Sprintf("secondary table %q has no foreign key to table %q", sec.Name(), t.Name()), fmt.Sprintf("give %s a column with a foreign key to %s", sec.Name(), t.Name()))
			case 1:
				return found[0], nil
			}
			return nil, e(fmt.Sprintf("ambiguous foreign keys: secondary table %q has %d foreign keys to %q: %s", sec.Name(), len(found), t.Name(), strings.Join(list, "; ")), "add foreign_keys naming the secondary's columns, or primaryjoin/secondaryjoin")
		}
		var err error
		if pp, err = find(m.table); err != nil {
			return err
		}
		if tp, err = find(target.table); err != nil {
			return err
		}
	}
	for _, p := range pp {
		if p.foreign.Table() != sec {
			return e("primaryjoin must join the parent to the secondary table", "check primaryjoin")
		}
		rel.pairs = append(rel.pairs, ColumnPair{Local: p.referred, Remote: p.foreign})
		rel.foreign = append(rel.foreign, p.foreign)
	}
	for _, p := range tp {
		if p.foreign.Table() != sec {
			return e("secondaryjoin must join the target to the secondary table", "check secondaryjoin")
		}
		rel.secPairs = append(rel.secPairs, ColumnPair{Local: p.referred, Remote: p.foreign})
		rel.foreign = append(rel.foreign, p.foreign)
	}
	return nil
}

// pairBack links rel with the relationship its back_populates names.
func pairBack(rel *Relationship) error {
	d := rel.decl
	if d.BackPopulates == "" {
		return nil
	}
	if rel.origin != nil {
		// a subtype's copy pairs as its base's relationship does
		rel.back = rel.origin.back
		return nil
	}
	e := func(msg, hint string) error { return merr(rel.parent.decl, d.Path, d.Tag, msg, hint) }
	t := rel.target
	other, ok := t.relBy[d.BackPopulates]
	if !ok {
		if a, isCol := t.byField[d.BackPopulates]; isCol {
			return e(fmt.Sprintf("back_populates names %s.%s, which is a column (%s), not a relationship", t.Name(), d.BackPopulates, a.goType), fmt.Sprintf("name the relationship field of %s that points back to %s", t.Name(), rel.parent.Name()))
		}
		var names []string
		for _, x := range t.rels {
			names = append(names, x.decl.Field)
		}
		hint := fmt.Sprintf("add a field `… `orm:\"rel;back_populates:%s\"`` to %s", d.Field, t.Name())
		if cl := declarative.Closest(d.BackPopulates, names); cl != "" {
			hint = fmt.Sprintf("did you mean back_populates:%s?", cl)
		}
		return e(fmt.Sprintf("back_populates names %s.%s, which does not exist", t.Name(), d.BackPopulates), hint)
	}
	if other.target != rel.parent {
		return e(fmt.Sprintf("back_populates names %s.%s, a relationship to %s, not to %s", t.Name(), d.BackPopulates, other.target.Name(), rel.parent.Name()), fmt.Sprintf("name a relationship of %s whose target is %s", t.Name(), rel.parent.Name()))
	}
	if other.decl.BackPopulates != "" && other.decl.BackPopulates != d.Field && other.decl.BackPopulates != d.Path {
		return e(fmt.Sprintf("back_populates names %s.%s, whose own back_populates is %q, not %q", t.Name(), d.BackPopulates, other.decl.BackPopulates, d.Field), fmt.Sprintf("write back_populates:%s on %s.%s", d.Field, t.Name(), d.BackPopulates))
	}
	okDir := rel.dir == ManyToMany && other.dir == ManyToMany && rel.secondary == other.secondary ||
		rel.dir == OneToMany && other.dir == ManyToOne || rel.dir == ManyToOne && other.dir == OneToMany
	if !okDir {
		return e(fmt.Sprintf("back_populates pairs a %s relationship with %s.%s, which is %s", rel.dir, t.Name(), d.BackPopulates, other.dir), "the two sides must be one-to-many/many-to-one, or many-to-many through the same secondary")
	}
	rel.back = other
	other.back = rel
	return nil
}

// tableChain is the tables m's rows are in: its table and, for a joined
// subtype, its bases' tables.
func (m *Mapper) tableChain() []*core.Table {
	out := []*core.Table{m.table}
	for _, x := range m.TableMappers() {
		if !slices.Contains(out, x.table) {
			out = append(out, x.table)
		}
	}
	return out
}

// isInheritFK reports the join of a joined subtype's rows to its base's
// in a chain of tables (see tableChain): a foreign key from a table's
// whole primary key to another table of the chain, not a relationship.
func isInheritFK(fk *core.ForeignKeyConstraint, chain []*core.Table) bool {
	t := fk.Table()
	rt, err := fk.Referred()
	if err != nil || rt == t || !slices.Contains(chain, t) || !slices.Contains(chain, rt) {
		return false
	}
	pk := t.PrimaryKeyColumns()
	if len(pk) == 0 || len(pk) != len(fk.Columns) {
		return false
	}
	for _, c := range pk {
		if !slices.Contains(fk.Columns, c.Name()) {
			return false
		}
	}
	return true
}
