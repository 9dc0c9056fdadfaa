package orm

import (
	"sync"

	"github.com/retort-orm/retort/core"
)

// Statements of the unit of work and of loading by key are built once per
// mapper and shape, compiled once per dialect, and bound positionally: a
// flush of many objects builds no statement, no parameter map and no
// cache key per object.

type preparedKey struct {
	p     *plan
	kind  uint8 // prepSelectPK, prepUpdate, prepDeleteIn, prepDelete
	mask  uint64
	ver   bool
	part  int    // the table of a joined subtype's statement (tablePart.i)
	n     int    // keys in a DELETE … IN
	extra string // the shape of a mask wider than 64 attributes
	d     core.Dialect
}

const (
	prepSelectPK uint8 = iota
	prepUpdate
	prepDeleteIn
	prepDelete
)

// prepared is a compiled statement and, for each placeholder, the name
// of the Param it takes ("" for a value fixed by the statement).
type prepared struct {
	c     core.Compiled
	names []string
	query bool
	// src is filled by the user of the shape: where each placeholder's
	// value comes from
	src []argSrc
}

type argSrc struct {
	kind uint8 // srcConst, srcField, srcSnap, srcOldVersion, srcNewVersion, srcArg
	ap   *attrPlan
	i    int
	v    any
}

const (
	srcConst uint8 = iota
	srcField       // the object's field
	srcSnap        // the snapshot's field (the row as the database has it)
	srcOldVersion
	srcNewVersion
	srcArg // the i-th caller value
)

var preparedCache sync.Map // preparedKey -> *prepared

// prepare returns the prepared statement of key, building and compiling
// it with build on first use; resolve fills src from the param names.
func prepare(conn *core.Connection, key preparedKey, build func() (core.Statement, bool), resolve func(names []string) []argSrc) (*prepared, error) {
	key.d = conn.Engine().Dialect()
	if v, ok := preparedCache.Load(key); ok {
		return v.(*prepared), nil
	}
	stmt, query := build()
	c, err := conn.Prepare(stmt)
	if err != nil {
		return nil, err
	}
	pr := &prepared{c: c, query: query, names: make([]string, len(c.Args))}
	for i, a := range c.Args {
		if np, ok := a.(core.NamedParam); ok {
			pr.names[i] = np.Name
		}
	}
	pr.src = resolve(pr.names)
	for i, s := range pr.src {
		if s.kind == srcConst {
			pr.src[i].v = c.Args[i]
		}
	}
	actual, _ := preparedCache.LoadOrStore(key, pr)
	return actual.(*prepared), nil
}
