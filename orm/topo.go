package orm

import (
	"fmt"
	"slices"
	"strings"

	"github.com/retort-orm/retort/registry"
)

// Ordering of a flush's writes (SQLAlchemy's topological unit of work).
//
// Mappers are ordered by their relationships (a parent's rows before its
// children's) and by their tables' foreign keys; post_update
// relationships add no order. Mappers that depend on each other in a
// cycle (a self-referential relationship is the smallest one) are
// written row by row instead: their rows are grouped in levels, each
// row after the rows it takes a foreign key from, and each level is
// written in one batch per mapper, as SQLAlchemy's per-state actions
// aggregate the rows that are ready together. Deletes run in the
// reverse order: children (and rows of a deeper level) first. A cycle
// between rows cannot be written at all and is an error that names the
// relationships to mark post_update.

// order sorts fp's per-mapper work into fp.saves and fp.deletes.
func (fp *flushPlan) order(rf *relFlush) error {
	ws := fp.mappers // in table dependency order
	n := len(ws)
	idx := make(map[*plan]int, n)
	for i, w := range ws {
		idx[w.p] = i
	}
	adj := make([][]int, n)
	self := make([]bool, n)
	addEdge := func(a, b int) {
		if a == b {
			self[a] = true
			return
		}
		if !slices.Contains(adj[a], b) {
			adj[a] = append(adj[a], b)
		}
	}
	for i, w := range ws {
		rels, err := w.p.relations()
		if err != nil {
			return err
		}
		for _, rp := range rels {
			if rp.viewonly || rp.postUpdate || rp.dir == registry.ManyToMany {
				continue
			}
			pi, ok1 := idx[rp.parentPlan()]
			ci, ok2 := idx[rp.childPlan()]
			if ok1 && ok2 {
				addEdge(pi, ci)
			}
		}
		// foreign keys without a relationship keep their table order (of
		// every table a joined subtype writes; its key's reference to its
		// base's table is its own row order)
		for _, part := range w.p.parts {
			for _, fk := range part.table.ForeignKeys() {
				rt, err := fk.Referred()
				if err != nil || w.p.writesTable(rt) {
					continue
				}
				if fkOfPostUpdate(w.p, fk.Columns) {
					continue
				}
				for j, o := range ws {
					if j != i && o.p.writesTable(rt) {
						addEdge(j, i)
					}
				}
			}
		}
	}
	comps := sccs(adj)
	// order the components: Kahn's algorithm over the condensed graph
	compOf := make([]int, n)
	for c, members := range comps {
		slices.Sort(members)
		for _, v := range members {
			compOf[v] = c
		}
	}
	indeg := make([]int, len(comps))
	cadj := make([][]int, len(comps))
	for a := range adj {
		for _, b := range adj[a] {
			ca, cb := compOf[a], compOf[b]
			if ca != cb && !slices.Contains(cadj[ca], cb) {
				cadj[ca] = append(cadj[ca], cb)
				indeg[cb]++
			}
		}
	}
	var ready, sorted []int
	for c := range comps {
		if indeg[c] == 0 {
			ready = append(ready, c)
		}
	}
	// in layers, as SQLAlchemy's sort_as_subsets: every component ready
	// now (in name order), then those they made ready
	// (the mappers of one hierarchy next to each other, so that their
	// rows are written together: see insertRows)
	hier := make([]int, n)
	for i, w := range ws {
		hier[i] = i
		for j := 0; j < i; j++ {
			if ws[j].p.rootPlan == w.p.rootPlan {
				hier[i] = j
				break
			}
		}
	}
	for len(ready) > 0 {
		slices.SortFunc(ready, func(a, b int) int {
			if ha, hb := hier[comps[a][0]], hier[comps[b][0]]; ha != hb {
				return ha - hb
			}
			return comps[a][0] - comps[b][0]
		})
		sorted = append(sorted, ready...)
		var next []int
		for _, c := range ready {
			for _, d := range cadj[c] {
				if indeg[d]--; indeg[d] == 0 {
					next = append(next, d)
				}
			}
		}
		ready = next
	}
	fp.saves, fp.deletes = nil, nil
	var delGroups [][]*mapperWork
	for _, c := range sorted {
		members := comps[c]
		if len(members) == 1 && !self[members[0]] {
			w := ws[members[0]]
			if len(w.inserts) > 0 || len(w.updates) > 0 {
				fp.saves = append(fp.saves, w)
			}
			if len(w.deletes) > 0 {
				delGroups = append(delGroups, []*mapperWork{{p: w.p, deletes: w.deletes}})
			}
			continue
		}
		cw := make([]*mapperWork, len(members))
		for i, v := range members {
			cw[i] = ws[v]
		}
		saves, err := rowLevels(cw, rf, false)
		if err != nil {
			return err
		}
		fp.saves = append(fp.saves, saves...)
		dels, err := rowLevels(cw, rf, true)
		if err != nil {
			return err
		}
		if len(dels) > 0 {
			delGroups = append(delGroups, dels)
		}
	}
	for i := len(delGroups) - 1; i >= 0; i-- {
		fp.deletes = append(fp.deletes, delGroups[i]...)
	}
	return nil
}

// fkOfPostUpdate reports foreign key columns written by a post_update
// relationship of p (they add no order).
func fkOfPostUpdate(p *plan, cols []string) bool {
	rels, _ := p.relations()
	for _, rp := range rels {
		if !rp.postUpdate || rp.dir != registry.ManyToOne {
			continue
		}
		for _, ap := range rp.fkAttrs {
			if slices.Contains(cols, ap.col.Name()) {
				return true
			}
		}
	}
	return false
}

// rowLevels orders the saves (or the deletes) of mappers in a dependency
// cycle row by row: level by level, one mapperWork per mapper and level.
func rowLevels(ws []*mapperWork, rf *relFlush, deletes bool) ([]*mapperWork, error) {
	var rows []*instState
	changed := map[*instState][]*attrPlan{}
	for _, w := range ws {
		if deletes {
			rows = append(rows, w.deletes...)
			continue
		}
		for i, st := range w.updates {
			rows = append(rows, st)
			changed[st] = w.changed[i]
		}
		rows = append(rows, w.inserts...)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	pos := make(map[*instState]int, len(rows))
	for i, st := range rows {
		pos[st] = i
	}
	var deps []rowDep
	if rf != nil {
		deps = rf.saveDeps
		if deletes {
			deps = rf.delDeps
		}
	}
	adj := make([][]int, len(rows))
	via := map[[2]int]*relPlan{}
	indeg := make([]int, len(rows))
	for _, d := range deps {
		a, ok1 := pos[d.before]
		b, ok2 := pos[d.after]
		if !ok1 || !ok2 || a == b {
			continue
		}
		if _, dup := via[[2]int{a, b}]; dup {
			continue
		}
		via[[2]int{a, b}] = d.rp
		adj[a] = append(adj[a], b)
		indeg[b]++
	}
	level := make([]int, len(rows))
	var queue []int
	for i := range rows {
		if indeg[i] == 0 {
			queue = append(queue, i)
		}
	}
	seen := 0
	maxLevel := 0
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		seen++
		for _, u := range adj[v] {
			level[u] = max(level[u], level[v]+1)
			maxLevel = max(maxLevel, level[u])
			if indeg[u]--; indeg[u] == 0 {
				queue = append(queue, u)
			}
		}
	}
	if seen < len(rows) {
		return nil, cycleError(rows, indeg, adj, via)
	}
	var out []*mapperWork
	for l := 0; l <= maxLevel; l++ {
		for _, w := range ws {
			lw := &mapperWork{p: w.p}
			for i, st := range rows {
				if level[i] != l || st.p != w.p {
					continue
				}
				switch {
				case deletes:
					lw.deletes = append(lw.deletes, st)
				case st.st == Pending:
					lw.inserts = append(lw.inserts, st)
				default:
					lw.updates = append(lw.updates, st)
					lw.changed = append(lw.changed, changed[st])
				}
			}
			if len(lw.inserts)+len(lw.updates)+len(lw.deletes) > 0 {
				out = append(out, lw)
			}
		}
	}
	return out, nil
}

// cycleError describes rows that depend on each other in a cycle.
func cycleError(rows []*instState, indeg []int, adj [][]int, via map[[2]int]*relPlan) error {
	var names []string
	var objs []string
	for a := range rows {
		if indeg[a] == 0 {
			continue
		}
		objs = append(objs, fmt.Sprintf("%s %p", rows[a].p.name, rows[a].object()))
		for _, b := range adj[a] {
			if indeg[b] > 0 {
				if rp := via[[2]int{a, b}]; rp != nil && !slices.Contains(names, rp.name) {
					names = append(names, rp.name)
				}
			}
		}
	}
	if len(objs) > 6 {
		objs = append(objs[:6], "…")
	}
	return &CircularDependencyError{Relationships: names, Msg: fmt.Sprintf("circular dependency between rows: %s depend on each other through %s, so no INSERT order can satisfy the foreign keys; set post_update on one of these relationships (the row is written first without the reference, then UPDATEd)", strings.Join(objs, ", "), strings.Join(names, ", "))}
}

// sccs returns the strongly connected components of a graph (Tarjan).
func sccs(adj [][]int) [][]int {
	n := len(adj)
	index := make([]int, n)
	low := make([]int, n)
	on := make([]bool, n)
	for i := range index {
		index[i] = -1
	}
	var stack []int
	var out [][]int
	next := 0
	var visit func(v int)
	visit = func(v int) {
		index[v], low[v] = next, next
		next++
		stack = append(stack, v)
		on[v] = true
		for _, w := range adj[v] {
			if index[w] < 0 {
				visit(w)
				low[v] = min(low[v], low[w])
			} else if on[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] == index[v] {
			var comp []int
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				on[w] = false
				comp = append(comp, w)
				if w == v {
					break
				}
			}
			out = append(out, comp)
		}
	}
	for v := 0; v < n; v++ {
		if index[v] < 0 {
			visit(v)
		}
	}
	return out
}
