package orm

import (
	"bytes"
	"fmt"
	"reflect"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/registry"
)

// plan is what the Session needs of one mapper, computed once per mapper:
// field accessors, comparators and the column sets of each statement kind.
// Plans are immutable and shared by every session.
type plan struct {
	m        *registry.Mapper
	root     *registry.Mapper // the identity map's key mapper (hierarchy root)
	rootPlan *plan
	typ      reflect.Type // the struct type
	ptr      reflect.Type // *struct
	// ptrWord is *struct's type word in an interface value (see at)
	ptrWord unsafe.Pointer
	// copier copies a struct of the type without reflection (nil when
	// the type holds something it does not copy)
	copier structCopier
	table  *core.Table
	name   string

	attrs []*attrPlan // in table column order
	pk    []*attrPlan
	// pkInt64 is the key attribute when the key is one int64 field read
	// at an offset (the common case), else nil
	pkInt64 *attrPlan
	version *attrPlan
	verGen  func() any
	// polyOn is the discriminator a new object's zero field is set to
	// the type's polymorphic identity in (polyIdent), or nil
	polyOn    *attrPlan
	polyIdent string

	// load is the attributes loaded by default (not deferred), in the
	// order of the SELECT columns
	load     []*attrPlan
	loadCols []core.SelectItem
	// props are the column_property attributes loaded by default
	props []*propLoad
	// plain is the node that loads p.load with the mapping's strategies,
	// for the session's own SELECTs (by primary key, relationship loads)
	plain *loadNode
	// byPK is SELECT <load> FROM t WHERE pk = :pk0 AND …, built once
	byPK *core.SelectStmt
	// deep reports that some attribute's snapshot needs a deep copy
	deep    bool
	deepIdx []int // indexes in attrs
	// serverGen are the attributes whose value the database may make on
	// INSERT (autoincrement, identity, sequence, server default,
	// computed)
	serverGen bool
	// serverUpd are the attributes the database changes on UPDATE
	// (server_onupdate, computed)
	serverUpd []*attrPlan
	writable  bool
	// abstract: a polymorphic_abstract type, never instantiated
	abstract bool

	// relationships: hasRels says the mapper has any; relsBuilt holds
	// them once built (see relations); orphans lists the delete-orphan
	// relationships that target this mapper
	hasRels      bool
	relsBuilt    atomic.Pointer[relPlans]
	relsBuilding *relPlans
	orphans      atomic.Pointer[[]*relPlan]

	// inheritance (see inherit.go): the tables an object is written to
	// (root first), where each base's struct sits in the struct, and the
	// join of a joined subtype's tables
	parts     []*tablePart
	ancestors []ancestorView
	joinFrom  core.FromClause
	// discWhere is a single-table subtype's discriminator IN (its
	// identities and its subtypes'), nil for other mappers
	discWhere core.Expr

	basesOnce sync.Once
	bases     []reflect.Type
	baseIdx   [][]int
}

// attrPlan is one mapped column attribute.
type attrPlan struct {
	a     *registry.Attribute
	i     int // position in plan.attrs
	col   *core.Column
	name  string // Go field path, for messages
	index []int
	typ   reflect.Type
	st    reflect.Type // the struct type index is a path in
	eq    func(a, b reflect.Value) bool
	deep  bool
	pk    bool
	// autoinc: the database generates the value when the field is zero
	autoinc bool
	// serverDefault: a server default, identity or sequence fills a zero field
	serverDefault bool
	computed      bool
	def           *core.ColumnDefault
	onUpdate      *core.ColumnDefault
	serverOnUpd   bool
	version       bool
	mutable       bool
	nullable      bool
	// nullCapable: the field's Go type can hold NULL (a pointer, an
	// interface, a driver.Valuer), see isNull
	nullCapable bool
	hasDefault  bool // any default: the column may be left out of INSERT
	deferred    bool
	ownTable    bool // the column belongs to plan.table
	part        int  // the index of the plan's tablePart holding the column
	// off is the field's offset in the struct when its index path goes
	// through no pointer (offOK); ptrKind picks a typed pointer for it
	// (see ptrAt)
	off     uintptr
	offOK   bool
	ptrKind uint8
}

// bind is the value bound for the attribute's field of st's object (see
// bindValue), read at its offset for the common types.
func (ap *attrPlan) bind(st *instState) any {
	if ap.offOK {
		p := unsafe.Add(st.ptr, ap.off)
		switch ap.ptrKind {
		case ptrInt64:
			return *(*int64)(p)
		case ptrString:
			return *(*string)(p)
		case ptrBool:
			return *(*bool)(p)
		case ptrFloat64:
			return *(*float64)(p)
		case ptrInt:
			return *(*int)(p)
		case ptrTime:
			return *(*time.Time)(p)
		}
	}
	return bindValue(ap.field(st.sv()))
}

// pointer kinds of ptrAt
const (
	ptrReflect uint8 = iota
	ptrInt64
	ptrString
	ptrBool
	ptrFloat64
	ptrInt
	ptrTime
)

// ptrAt returns the address of the attribute's field in the struct at
// base as a typed pointer, without reflection for the common types.
func (ap *attrPlan) ptrAt(base unsafe.Pointer) any {
	p := unsafe.Add(base, ap.off)
	switch ap.ptrKind {
	case ptrInt64:
		return (*int64)(p)
	case ptrString:
		return (*string)(p)
	case ptrBool:
		return (*bool)(p)
	case ptrFloat64:
		return (*float64)(p)
	case ptrInt:
		return (*int)(p)
	case ptrTime:
		return (*time.Time)(p)
	}
	return reflect.NewAt(ap.typ, p).Interface()
}

// scanPtrAt is ptrAt for a row's scan: an int field (64 bits here) is
// read through an *int64, which drivers decode without conversion.
func (ap *attrPlan) scanPtrAt(base unsafe.Pointer) any {
	if ap.ptrKind == ptrInt && strconv.IntSize == 64 {
		return (*int64)(unsafe.Add(base, ap.off))
	}
	return ap.ptrAt(base)
}

// directKind is the kind a row's column is read into the attribute's
// field as straight from the driver (core.DirectField), or DirectNone
// when the field is not one of those types at a known offset.
func (ap *attrPlan) directKind() core.DirectKind {
	if !ap.offOK {
		return core.DirectNone
	}
	switch ap.ptrKind {
	case ptrInt64:
		return core.DirectInt64
	case ptrInt:
		if strconv.IntSize == 64 {
			return core.DirectInt64
		}
	case ptrString:
		return core.DirectString
	case ptrBool:
		return core.DirectBool
	case ptrFloat64:
		return core.DirectFloat64
	}
	return core.DirectNone
}

// scansAsInt64 reports a narrow-integer field that scanPtrAt reads
// directly (an int of 64 bits at a known offset).
func (ap *attrPlan) scansAsInt64() bool {
	return ap.offOK && ap.ptrKind == ptrInt && strconv.IntSize == 64
}

var plans sync.Map // *registry.Mapper -> *plan

func planFor(m *registry.Mapper) *plan {
	if p, ok := plans.Load(m); ok {
		return p.(*plan)
	}
	p := buildPlan(m)
	if p.root == m {
		p.rootPlan = p
	} else {
		p.rootPlan = planFor(p.root)
	}
	actual, _ := plans.LoadOrStore(m, p)
	return actual.(*plan)
}

func buildPlan(m *registry.Mapper) *plan {
	p := &plan{m: m, typ: m.Type(), table: m.Table(), name: m.Name()}
	if p.typ.Kind() == reflect.Pointer {
		p.typ = p.typ.Elem()
	}
	p.ptr = reflect.PointerTo(p.typ)
	probe := reflect.New(p.typ).Interface()
	p.ptrWord = (*eface)(unsafe.Pointer(&probe)).typ
	p.copier = newStructCopier(p.typ)
	p.root = m
	for p.root.Inherits() != nil && p.root.InheritanceKind() != "concrete" {
		p.root = p.root.Inherits()
	}
	p.writable = !m.ReadOnly()
	p.abstract = m.PolymorphicAbstract()
	p.hasRels = len(m.Relationships()) > 0
	pkSet := map[*registry.Attribute]bool{}
	for _, a := range m.PrimaryKey() {
		pkSet[a] = true
	}
	ver := m.Version()
	for i, a := range m.Attributes() {
		col := a.Column()
		ap := &attrPlan{a: a, i: i, col: col, name: a.Path(), index: a.Index(), typ: a.GoType(), st: p.typ}
		ap.pk = pkSet[a]
		ap.ownTable = col.Table() == p.table
		ap.nullable = col.Nullable()
		switch ap.typ.Kind() {
		case reflect.Pointer, reflect.Interface:
			ap.nullCapable = true
		case reflect.Map, reflect.Slice:
		default:
			ap.nullCapable = implementsValuer(ap.typ)
		}
		ap.def = col.Default()
		ap.onUpdate = col.OnUpdateDefault()
		ap.serverOnUpd = col.ServerOnUpdate() != nil
		ap.computed = col.Computed() != nil
		ap.serverDefault = col.ServerDefault() != nil || col.Identity() != nil || col.Sequence() != nil
		ap.autoinc = ap.pk && col.IsAutoincrement()
		ap.hasDefault = ap.def != nil || ap.serverDefault || ap.autoinc || ap.computed
		ap.mutable = a.Mutable()
		ap.deferred = a.Deferred()
		ap.version = ver != nil && a == ver
		ap.eq, ap.deep = comparer(ap.typ, ap.mutable)
		ap.off, ap.offOK = fieldOffset(p.typ, ap.index)
		switch ap.typ {
		case reflect.TypeFor[int64]():
			ap.ptrKind = ptrInt64
		case reflect.TypeFor[string]():
			ap.ptrKind = ptrString
		case reflect.TypeFor[bool]():
			ap.ptrKind = ptrBool
		case reflect.TypeFor[float64]():
			ap.ptrKind = ptrFloat64
		case reflect.TypeFor[int]():
			ap.ptrKind = ptrInt
		case timeType:
			ap.ptrKind = ptrTime
		}
		if ap.deep {
			p.deep = true
			p.deepIdx = append(p.deepIdx, i)
		}
		if ap.autoinc || ap.serverDefault || ap.computed {
			p.serverGen = true
		}
		if ap.serverOnUpd || ap.computed {
			p.serverUpd = append(p.serverUpd, ap)
		}
		p.attrs = append(p.attrs, ap)
		if ap.version {
			p.version = ap
		}
		if pa := m.PolymorphicOn(); pa != nil && pa == a && m.PolymorphicIdentity() != "" {
			p.polyOn, p.polyIdent = ap, m.PolymorphicIdentity()
		}
		if !ap.deferred {
			p.load = append(p.load, ap)
			p.loadCols = append(p.loadCols, col)
		}
	}
	for _, a := range m.PrimaryKey() {
		for _, ap := range p.attrs {
			if ap.a == a {
				p.pk = append(p.pk, ap)
			}
		}
	}
	if len(p.pk) == 1 && p.pk[0].offOK && p.pk[0].typ == reflect.TypeFor[int64]() {
		p.pkInt64 = p.pk[0]
	}
	p.verGen = m.VersionGenerator()
	for _, pr := range m.Properties() {
		if !pr.QueryExpression() && !pr.Deferred() && pr.Expr() != nil {
			p.props = append(p.props, newPropLoad(pr, pr.Expr()))
		}
	}
	for _, pl := range p.props {
		p.loadCols = append(p.loadCols, pl.item(nil))
	}
	p.plain = &loadNode{p: p, cols: p.load, props: p.props, path: p.name}
	p.buildParts()
	if len(p.loadCols) > 0 {
		var where []core.Expr
		for i, ap := range p.pk {
			name := fmt.Sprintf("pk%d", i)
			where = append(where, ap.col.Eq(core.Param(name, ap.col.Type())))
		}
		if p.discWhere != nil {
			where = append(where, p.discWhere)
		}
		p.byPK = core.Select(p.loadCols...).From(p.from()).Where(where...)
	}
	return p
}

// from is what the mapper selects from: its table, or the selectable it
// is mapped onto.
func (p *plan) from() core.FromClause {
	if f := p.m.From(); f != nil {
		return f
	}
	if p.joinFrom != nil {
		return p.joinFrom
	}
	return p.table
}

// field returns the attribute's field in the struct value sv (addressable).
func (ap *attrPlan) field(sv reflect.Value) reflect.Value {
	if sv.Type() != ap.st {
		// a subtype's struct, which holds its base's at its start
		sv = reflect.NewAt(ap.st, sv.Addr().UnsafePointer()).Elem()
	}
	if len(ap.index) == 1 {
		return sv.Field(ap.index[0])
	}
	return fieldByIndexAlloc(sv, ap.index)
}

// fieldByIndexAlloc walks index, allocating nil embedded pointers.
func fieldByIndexAlloc(v reflect.Value, index []int) reflect.Value {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v
}

var (
	timeType  = reflect.TypeFor[time.Time]()
	bytesType = reflect.TypeFor[[]byte]()
)

// comparer returns the equality used for change detection of a field of
// type t, and whether the snapshot must copy the value deeply (it holds
// a pointer, slice or map the program could change in place).
func comparer(t reflect.Type, mutable bool) (func(a, b reflect.Value) bool, bool) {
	if mutable {
		return func(a, b reflect.Value) bool {
			return !registry.JSONChanged(b.Interface(), a.Interface())
		}, true
	}
	switch {
	case t == timeType:
		return func(a, b reflect.Value) bool {
			if a.CanAddr() && b.CanAddr() {
				return (*time.Time)(a.Addr().UnsafePointer()).Equal(*(*time.Time)(b.Addr().UnsafePointer()))
			}
			return a.Interface().(time.Time).Equal(b.Interface().(time.Time))
		}, false
	case t == bytesType:
		return func(a, b reflect.Value) bool {
			if a.IsNil() != b.IsNil() {
				return false
			}
			return bytes.Equal(a.Bytes(), b.Bytes())
		}, true
	}
	if m, ok := t.MethodByName("Equal"); ok && m.Type.NumIn() == 2 && m.Type.In(1) == t && m.Type.NumOut() == 1 && m.Type.Out(0).Kind() == reflect.Bool {
		// decimal.Decimal, civil types …
		return func(a, b reflect.Value) bool {
			return a.Method(m.Index).Call([]reflect.Value{b})[0].Bool()
		}, t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map
	}
	switch t.Kind() {
	case reflect.Bool:
		return func(a, b reflect.Value) bool { return a.Bool() == b.Bool() }, false
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return func(a, b reflect.Value) bool { return a.Int() == b.Int() }, false
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return func(a, b reflect.Value) bool { return a.Uint() == b.Uint() }, false
	case reflect.Float32, reflect.Float64:
		return func(a, b reflect.Value) bool { return a.Float() == b.Float() }, false
	case reflect.String:
		return func(a, b reflect.Value) bool { return a.String() == b.String() }, false
	case reflect.Pointer:
		inner, _ := comparer(t.Elem(), false)
		return func(a, b reflect.Value) bool {
			if a.IsNil() || b.IsNil() {
				return a.IsNil() == b.IsNil()
			}
			return inner(a.Elem(), b.Elem())
		}, true
	case reflect.Slice, reflect.Map, reflect.Interface:
		return func(a, b reflect.Value) bool { return reflect.DeepEqual(a.Interface(), b.Interface()) }, true
	}
	if t.Comparable() {
		return func(a, b reflect.Value) bool { return a.Equal(b) }, false
	}
	return func(a, b reflect.Value) bool { return reflect.DeepEqual(a.Interface(), b.Interface()) }, true
}

// deepCopy returns a copy of v that shares no memory the program can
// change in place: pointers to fresh values, cloned slices and maps.
func deepCopy(v reflect.Value, mutable bool) reflect.Value {
	if mutable {
		c := reflect.New(v.Type()).Elem()
		if s := registry.JSONSnapshot(v.Interface()); s != nil {
			c.Set(reflect.ValueOf(s))
		}
		return c
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		n := reflect.New(v.Type().Elem())
		n.Elem().Set(deepCopy(v.Elem(), false))
		return n
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		n := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := 0; i < v.Len(); i++ {
			n.Index(i).Set(deepCopy(v.Index(i), false))
		}
		return n
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		n := reflect.MakeMapWithSize(v.Type(), v.Len())
		it := v.MapRange()
		for it.Next() {
			n.SetMapIndex(it.Key(), deepCopy(it.Value(), false))
		}
		return n
	}
	return v
}

// fieldOffset is the byte offset of the field at index in t, false when
// the path goes through a pointer (an embedded *Mixin).
func fieldOffset(t reflect.Type, index []int) (uintptr, bool) {
	var off uintptr
	for _, i := range index {
		if t.Kind() != reflect.Struct {
			return 0, false
		}
		f := t.Field(i)
		off += f.Offset
		t = f.Type
	}
	return off, true
}

// eface is the layout of an interface value: its type word and its data
// word (a pointer-shaped value is its own data word).
type eface struct {
	typ, data unsafe.Pointer
}

// iface is the *T at ptr as an interface value, made without reflection.
func (p *plan) iface(ptr unsafe.Pointer) any {
	var x any
	e := (*eface)(unsafe.Pointer(&x))
	e.typ, e.data = p.ptrWord, ptr
	return x
}

// at is the *T at ptr as a reflect.Value: reflect.NewAt(p.typ, ptr)
// without its pointer-type lookup on every call (objects, snapshots and
// views are reached this way many times per flush and per load).
func (p *plan) at(ptr unsafe.Pointer) reflect.Value { return reflect.ValueOf(p.iface(ptr)) }
