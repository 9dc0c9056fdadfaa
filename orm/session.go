package orm

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"unsafe"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/declarative"
	"github.com/retort-orm/retort/registry"
)

// Option configures a [Factory] or a [Session].
type Option func(*config)

type config struct {
	autoflush      bool
	expireOnCommit bool
	conn           *core.Connection
	binds          map[reflect.Type]*core.Engine
}

// WithAutoflush switches autoflush (flush before each query and each Get
// that misses the identity map) on or off; it is on by default.
func WithAutoflush(on bool) Option { return func(c *config) { c.autoflush = on } }

// WithExpireOnCommit switches expire_on_commit on or off; it is on by
// default: after Commit every object is expired, so that the next load of
// its row refreshes it from the database.
func WithExpireOnCommit(on bool) Option { return func(c *config) { c.expireOnCommit = on } }

// WithConnection joins the session to an existing connection (the pattern
// of test suites that roll back one outer transaction per test). When the
// connection is in a transaction, the session runs its own transaction as
// a SAVEPOINT inside it: Commit releases the SAVEPOINT and Rollback rolls
// back to it, and the outer transaction stays the caller's to end
// (SQLAlchemy's join_transaction_mode="create_savepoint"). Otherwise the
// session begins and ends transactions on the connection. The session
// never closes the connection.
func WithConnection(c *core.Connection) Option { return func(cf *config) { cf.conn = c } }

// WithBind sends the statements of one mapped type to another engine
// (SQLAlchemy's binds). model is a value or pointer of the mapped type.
func WithBind(model any, e *core.Engine) Option {
	return func(c *config) {
		t := reflect.TypeOf(model)
		for t != nil && t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if c.binds == nil {
			c.binds = map[reflect.Type]*core.Engine{}
		}
		c.binds[t] = e
	}
}

// Factory makes sessions with shared settings and shared session event
// listeners (SQLAlchemy's sessionmaker). It is safe for concurrent use.
type Factory struct {
	reg    *registry.Registry
	engine *core.Engine
	opts   []Option
	events *SessionEvents
}

// NewFactory returns a session factory for the registry's mappers and the
// engine.
func NewFactory(reg *registry.Registry, e *core.Engine, opts ...Option) *Factory {
	return &Factory{reg: reg, engine: e, opts: opts, events: &SessionEvents{}}
}

// Events are the session event listeners of every session the factory makes.
func (f *Factory) Events() *SessionEvents { return f.events }

// New returns a new Session; opts add to and override the factory's.
func (f *Factory) New(opts ...Option) *Session {
	s := NewSession(f.reg, f.engine, append(slices.Clone(f.opts), opts...)...)
	s.factoryEvents = f.events
	return s
}

// Session is a unit of work: it tracks the objects added to it and loaded
// through it, keeps one object per primary key (the identity map), and at
// flush writes their changes in dependency order. It begins a database
// transaction on first use (autobegin) and keeps it until Commit, Rollback
// or Close.
//
// A Session belongs to one goroutine at a time. It holds every object it
// tracks strongly until Expunge or Close.
type Session struct {
	reg           *registry.Registry
	engine        *core.Engine
	cfg           config
	events        SessionEvents
	factoryEvents *SessionEvents

	conn     *core.Connection
	tx       *core.Transaction
	ownConn  bool
	nested   []*SavePoint
	objs     objMap
	objRoom  int // the entries objs was made (or last held) for
	identity identityMap
	pending  []*instState // in Add order; entries may have left
	deleting []*instState // marked by Delete, not flushed yet
	deleted  []*instState // deleted by a flush in this transaction
	inserted []*instState // INSERTed in this transaction
	order    int32
	closed   bool
	flushing bool
	failed   error // a failed flush, until Rollback
	// the plan of the last type seen by planOf
	lastType    reflect.Type
	lastPlan    *plan
	snaps       slabs        // snapshot structs
	objSlabs    slabs        // the structs of loaded rows
	bound       []*boundConn // transactions on engines bound by WithBind
	noAutoflush int
	// relTracked: an object whose type has relationships was tracked
	// (until ExpungeAll); a flush skips the relationship work without
	relTracked bool
	// collsBound: instrumented collections were bound to the session
	// (until ExpungeAll), which must unbind them
	collsBound bool
	// stateSlab holds the instStates not handed out yet (newState)
	stateSlab  []instState
	stateChunk int
	stateWant  int // see expectRows
	// relSlab holds the relationship states not handed out yet
	// (newRelStates)
	relSlab  []relState
	relChunk int
	// made are the chunks the state, relationship-state and snapshot
	// slabs made or reused since the last ExpungeAll, recycled at Close;
	// spare those a closed session left (see recycle.go)
	made  slabChunks
	spare *slabChunks
	// recent and budget: what the closed session whose maps and chunks
	// this one took kept, and for whom (see release)
	recent int
	budget uintptr
	// calls counts the operations (a query, a load, a flush …) and the
	// calls into the program's code (event listeners, a query's callback)
	// under way: a Close from inside one (from a listener, an engine
	// event, a callback) leaves the session's maps and slabs to the
	// garbage collector rather than to the next session, since the
	// operation still holds them
	calls int32
	// scratch buffers of a relationship load (loadChildren), nil while
	// one is using them
	scratchGroups []int32
	scratchStates []*instState
	// the save-update cascade's member buffers, reused
	cascadeBufs [][]reflect.Value
	cascading   bool
	// streamed collects the objects a YieldPer batch brings into the
	// session (every load, eager loads included), when set
	streamed *[]*instState
	// newVersions are the version counter values of the UPDATEs of the
	// flush under way, set on the objects once the flush has written them
	newVersions map[*instState]any
}

// NewSession returns a Session for the registry's mappers on the engine.
// The registry is configured if it was not.
func NewSession(reg *registry.Registry, e *core.Engine, opts ...Option) *Session {
	s := &Session{reg: reg, engine: e,
		cfg: config{autoflush: true, expireOnCommit: true},
	}
	m, _ := mapPool.Get().(*sessionMaps)
	s.adopt(m)
	for _, o := range opts {
		if o != nil {
			o(&s.cfg)
		}
	}
	return s
}

// Registry is the session's registry.
func (s *Session) Registry() *registry.Registry { return s.reg }

// Engine is the session's engine.
func (s *Session) Engine() *core.Engine { return s.engine }

// Events are this session's own event listeners (the factory's run first).
func (s *Session) Events() *SessionEvents { return &s.events }

// leave ends an operation or a call into the program (see calls): the
// operation increments s.calls as it starts and defers leave.
func (s *Session) leave() { s.calls-- }

// usable reports a closed session or a pending rollback.
func (s *Session) usable() error {
	if s == nil || s.closed {
		return ErrSessionClosed
	}
	if s.failed != nil {
		return &PendingRollbackError{Cause: s.failed}
	}
	return nil
}

// plan returns the plan of obj's mapper and obj's struct value; obj must
// be a non-nil pointer to a mapped struct.
func (s *Session) planOf(obj any) (*plan, reflect.Value, error) {
	v := reflect.ValueOf(obj)
	if !v.IsValid() {
		return nil, reflect.Value{}, &InvalidRequestError{Msg: "nil object"}
	}
	if v.Kind() != reflect.Pointer || v.Type().Elem().Kind() != reflect.Struct {
		return nil, reflect.Value{}, &InvalidRequestError{Msg: fmt.Sprintf("object of type %s is not a pointer to a mapped struct; pass &obj", v.Type())}
	}
	if v.IsNil() {
		return nil, reflect.Value{}, &InvalidRequestError{Msg: fmt.Sprintf("nil %s", v.Type())}
	}
	if t := v.Type(); t == s.lastType {
		return s.lastPlan, v.Elem(), nil
	}
	if !s.reg.Configured() {
		if err := s.reg.Configure(); err != nil {
			return nil, reflect.Value{}, err
		}
	}
	m, err := s.reg.Mapper(obj)
	if err != nil {
		return nil, reflect.Value{}, &InvalidRequestError{Msg: fmt.Sprintf("cannot use an object of type %s", v.Type()), Err: errors.Join(ErrUnmapped, err)}
	}
	p := planFor(m)
	s.lastType, s.lastPlan = v.Type(), p
	return p, v.Elem(), nil
}

func keyOf(p *plan, sv reflect.Value) objKey {
	return objKey{p: unsafe.Pointer(sv.UnsafeAddr()), t: p}
}

// stateOf returns the session's state of obj, or nil.
func (s *Session) stateOf(obj any) *instState {
	v := reflect.ValueOf(obj)
	if !v.IsValid() || v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return nil
	}
	p, _, err := s.planOf(obj)
	if err != nil {
		return nil
	}
	return s.objs.get(objKey{p: v.UnsafePointer(), t: p})
}

// Add places obj in the session: a new object becomes pending and is
// INSERTed at the next flush; an object already in the session is left as
// it is (an object marked for deletion is un-marked, as SQLAlchemy does).
// obj must be a non-nil pointer to a mapped struct.
//
// The session cannot know whether a plain struct came from another
// session: an object it does not track is always new. Use [Merge] to copy
// an object loaded elsewhere onto this session's instance of its row.
func (s *Session) Add(obj any) error {
	if err := s.usable(); err != nil {
		return err
	}
	s.calls++
	defer s.leave()
	p, sv, err := s.planOf(obj)
	if err != nil {
		return err
	}
	if !p.writable {
		return &InvalidRequestError{Msg: fmt.Sprintf("%s is mapped onto a select or a join and is read-only; it cannot be added", p.name)}
	}
	if p.abstract {
		if st := s.objs.get(keyOf(p, sv)); st == nil || st.p == p {
			return &InvalidRequestError{Msg: fmt.Sprintf("%s is polymorphic_abstract: it is never instantiated; add an object of one of its subtypes", p.name)}
		}
	}
	k := keyOf(p, sv)
	if st := s.objs.get(k); st != nil {
		if st.deleting {
			st.deleting = false
			s.deleting = removeState(s.deleting, st)
		}
		return nil
	}
	st, err := s.addState(obj, p, sv)
	if err != nil {
		return err
	}
	if p.hasRels {
		// save-update cascade: what the object refers to is added too
		// (and again at flush, for what is assigned later)
		if _, err := s.cascadeAdd(st, nil); err != nil {
			return err
		}
	}
	return nil
}

// AddAll adds each object; it stops at the first error, leaving the
// objects before it added.
func (s *Session) AddAll(objs ...any) error {
	if n := len(objs); n > 64 && n > s.objs.len() && s.objs.len()+n > s.objRoom && !s.closed {
		// size the object map once for many new objects
		s.objs.index()
		m := make(map[unsafe.Pointer]*instState, len(s.objs.m)+n)
		for k, v := range s.objs.m {
			m[k] = v
		}
		s.objs.m = m
		s.objRoom = len(m) + n
		s.pending = slices.Grow(s.pending, n)
	}
	for _, o := range objs {
		if err := s.Add(o); err != nil {
			return err
		}
	}
	return nil
}

// Delete marks a persistent object for deletion at the next flush. A
// pending object is expunged instead (never written), as in SQLAlchemy.
// Deleting an object the session does not track is an error.
func (s *Session) Delete(obj any) error {
	if err := s.usable(); err != nil {
		return err
	}
	s.calls++
	defer s.leave()
	p, _, err := s.planOf(obj)
	if err != nil {
		return err
	}
	st := s.stateOf(obj)
	if st == nil {
		return &InvalidRequestError{Msg: fmt.Sprintf("instance of %s is not persisted in this Session (it is transient, or detached from another session): only objects loaded or flushed through this Session can be deleted; use Merge to bring an object from elsewhere in first", p.name)}
	}
	switch st.st {
	case Pending:
		s.forget(st, Transient)
		return nil
	case Deleted:
		return nil
	}
	if !st.deleting {
		st.deleting = true
		s.deleting = append(s.deleting, st)
	}
	if p.hasRels {
		// delete cascade over what is loaded; the flush completes it,
		// loading what it needs
		s.cascade(st, declarative.CascadeDelete, func(ms *instState) { _ = s.deleteState(ms) })
	}
	return nil
}

// Expunge removes obj from the session: it becomes detached (or transient
// if it was pending). Its changes are no longer tracked.
func (s *Session) Expunge(obj any) error {
	if s.closed {
		return ErrSessionClosed
	}
	st := s.stateOf(obj)
	if st == nil {
		p, _, err := s.planOf(obj)
		if err != nil {
			return err
		}
		return &InvalidRequestError{Msg: fmt.Sprintf("instance of %s is not present in this Session", p.name)}
	}
	var also []*instState
	if st.p.hasRels {
		s.cascade(st, declarative.CascadeExpunge, func(ms *instState) { also = append(also, ms) })
	}
	for _, x := range append([]*instState{st}, also...) {
		to := Detached
		if x.st == Pending {
			to = Transient
		}
		s.forget(x, to)
	}
	return nil
}

// ExpungeAll removes every object from the session.
func (s *Session) ExpungeAll() {
	s.expungeAll()
	// (the chunks their states came from are not recycled at Close: only
	// the session's own are known to be unreferenced then)
	s.made = slabChunks{}
}

func (s *Session) expungeAll() {
	if s.collsBound || s.hasTransitionHooks() {
		// (otherwise nothing needs to see each object go)
		for st := range s.objs.all {
			to := Detached
			if st.st == Pending {
				to = Transient
			}
			if st.p.hasInstrumented() {
				unbindCollections(st)
			}
			s.transition(st, st.st, to)
		}
	}
	s.collsBound = false
	s.objs.reset()
	s.identity.reset()
	s.pending, s.deleting, s.deleted, s.inserted = nil, nil, nil, nil
	s.snaps, s.objSlabs = slabs{made: &s.made, spare: s.spare}, slabs{}
	s.relTracked = false
	s.cascadeBufs, s.stateSlab, s.stateWant = nil, nil, 0 // (they may hold objects)
	s.relSlab, s.relChunk = nil, 0
}

// forget removes st from every list of the session.
func (s *Session) forget(st *instState, to State) {
	from := st.st
	if st.p.hasInstrumented() {
		unbindCollections(st)
	}
	s.objs.del(objKey{p: unsafe.Pointer(st.sv().UnsafeAddr()), t: st.p})
	if st.keyd && s.identity.is(st.key(), st) {
		s.identity.del(st.key())
	}
	if st.deleting {
		st.deleting = false
		s.deleting = removeState(s.deleting, st)
	}
	if from == Pending {
		s.pending = removeState(s.pending, st)
	}
	st.st = to
	s.transition(st, from, to)
}

func removeState(list []*instState, st *instState) []*instState {
	for i, x := range list {
		if x == st {
			return append(list[:i], list[i+1:]...)
		}
	}
	return list
}

// MakeTransient removes obj from the session and forgets its identity: a
// later Add inserts it as a new row (SQLAlchemy's make_transient).
func (s *Session) MakeTransient(obj any) error {
	if s.closed {
		return ErrSessionClosed
	}
	if st := s.stateOf(obj); st != nil {
		s.forget(st, Transient)
	}
	return nil
}

// Contains reports whether obj is tracked by the session.
func (s *Session) Contains(obj any) bool { return s.stateOf(obj) != nil }

// StateOf returns obj's state in this session: Transient for an object the
// session does not track. A plain struct carries no session state, so an
// object detached from a session (Expunge, Close, a committed deletion)
// is, to every session, indistinguishable from a new one: Detached is only
// ever reported through transition events.
func (s *Session) StateOf(obj any) State {
	if st := s.stateOf(obj); st != nil {
		if st.deleting {
			return Persistent
		}
		return st.st
	}
	return Transient
}

// notPersistent is the error for a call that needs obj persistent in s.
func (s *Session) notPersistent(obj any, what string) error {
	p, _, err := s.planOf(obj)
	if err != nil {
		return err
	}
	return &InvalidRequestError{Msg: fmt.Sprintf("instance of %s is not persistent within this Session (it is transient, or detached: expunged, or from another or a closed session); %s needs an object loaded or flushed through this Session", p.name, what)}
}

// Inspect describes obj as the session sees it.
func (s *Session) Inspect(obj any) Info {
	st := s.stateOf(obj)
	if st == nil {
		return Info{State: Transient}
	}
	in := Info{State: st.st, Expired: st.expired}
	if st.keyd {
		for _, ap := range st.p.pk {
			in.Identity = append(in.Identity, ap.field(st.sv()).Interface())
		}
	}
	if st.st == Persistent || st.st == Pending {
		for _, ap := range st.modified(nil) {
			in.Modified = append(in.Modified, ap.name)
		}
	}
	return in
}

// IsModified reports whether a persistent object has a field changed since
// it was loaded or last flushed, or whether obj is pending.
func (s *Session) IsModified(obj any) bool {
	st := s.stateOf(obj)
	if st == nil {
		return false
	}
	if st.st == Pending {
		return true
	}
	return len(st.modified(nil)) > 0
}

// Dirty returns the persistent objects with changes to flush.
func (s *Session) Dirty() []any {
	var out []any
	for _, st := range s.sortedPersistent() {
		if !st.deleting && len(st.modified(nil)) > 0 {
			out = append(out, st.object())
		}
	}
	return out
}

// New returns the pending objects, in the order they were added.
func (s *Session) New() []any {
	out := make([]any, 0, len(s.pending))
	for _, st := range s.pending {
		out = append(out, st.object())
	}
	return out
}

// Deleted returns the objects marked for deletion at the next flush.
func (s *Session) Deleted() []any {
	out := make([]any, 0, len(s.deleting))
	for _, st := range s.deleting {
		out = append(out, st.object())
	}
	return out
}

// Len is the number of objects the session tracks.
func (s *Session) Len() int { return s.objs.len() }

// engineFor is the engine for a mapper's statements.
func (s *Session) engineFor(p *plan) *core.Engine {
	if s.cfg.binds != nil {
		if e, ok := s.cfg.binds[p.typ]; ok {
			return e
		}
	}
	return s.engine
}

// Connection returns the session's connection, beginning the session's
// transaction if it has not begun (autobegin). Statements run on it are
// part of the session's transaction.
func (s *Session) Connection(ctx context.Context) (*core.Connection, error) {
	if err := s.usable(); err != nil {
		return nil, err
	}
	return s.connection(ctx)
}

func (s *Session) connection(ctx context.Context) (*core.Connection, error) {
	if s.conn != nil {
		return s.conn, nil
	}
	var conn *core.Connection
	var err error
	if s.cfg.conn != nil {
		conn = s.cfg.conn
		if conn.InTransaction() {
			s.tx, err = conn.BeginNested(ctx)
		} else {
			s.tx, err = conn.Begin(ctx)
		}
		if err != nil {
			return nil, err
		}
	} else {
		if s.engine == nil {
			return nil, &InvalidRequestError{Msg: "the Session has no engine and no connection"}
		}
		conn, err = s.engine.Connect(ctx)
		if err != nil {
			return nil, err
		}
		if s.tx, err = conn.Begin(ctx); err != nil {
			conn.Close()
			return nil, err
		}
		s.ownConn = true
	}
	s.conn = conn
	if err := s.fireConn(ctx, evAfterBegin, conn); err != nil {
		s.endTransaction(ctx, false)
		return nil, err
	}
	return conn, nil
}

// InTransaction reports whether the session has begun a transaction.
func (s *Session) InTransaction() bool { return s.conn != nil || len(s.bound) > 0 }

// boundConn is the session's transaction on an engine bound to some
// mapped types (WithBind).
type boundConn struct {
	e    *core.Engine
	conn *core.Connection
	tx   *core.Transaction
}

// connFor returns the connection for p's statements: the bound engine's
// (begun on first use, with the SAVEPOINTs open at the time), or the
// session's own.
func (s *Session) connFor(ctx context.Context, p *plan) (*core.Connection, error) {
	e := s.engineFor(p)
	if e == nil || e == s.engine {
		return s.connection(ctx)
	}
	for _, b := range s.bound {
		if b.e == e {
			return b.conn, nil
		}
	}
	conn, err := e.Connect(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := conn.Begin(ctx)
	if err != nil {
		conn.Close()
		return nil, err
	}
	b := &boundConn{e: e, conn: conn, tx: tx}
	s.bound = append(s.bound, b)
	if err := s.fireConn(ctx, evAfterBegin, conn); err != nil {
		s.endTransaction(ctx, false)
		return nil, err
	}
	for _, sp := range s.nested {
		ntx, err := conn.BeginNested(ctx)
		if err != nil {
			return nil, err
		}
		sp.bound = append(sp.bound, ntx)
	}
	return conn, nil
}

// ConnectionFor returns the connection that statements of model's mapped
// type run on (its bound engine's, see WithBind), beginning the session's
// transaction there if needed.
func (s *Session) ConnectionFor(ctx context.Context, model any) (*core.Connection, error) {
	if err := s.usable(); err != nil {
		return nil, err
	}
	p, _, err := s.planOf(model)
	if err != nil {
		return nil, err
	}
	return s.connFor(ctx, p)
}

// endTransaction commits or rolls back the session's transaction and
// releases its connection.
//
// With several engines (WithBind) each is committed in the order it was
// first used; there is no two-phase commit, so a failure committing a
// later one leaves the earlier ones committed (the error says so).
func (s *Session) endTransaction(ctx context.Context, commit bool) error {
	var err error
	committed := 0
	end := func(tx *core.Transaction) {
		if tx == nil || !tx.IsActive() {
			return
		}
		if commit && err == nil {
			if err = tx.Commit(ctx); err == nil {
				committed++
			} else if committed > 0 {
				err = fmt.Errorf("retort: orm: commit failed after %d of the session's engines committed (no two-phase commit): %w", committed, err)
			}
			return
		}
		if rerr := tx.Rollback(ctx); err == nil {
			err = rerr
		}
	}
	if s.conn != nil {
		end(s.tx)
		if s.ownConn {
			if cerr := s.conn.Close(); err == nil && !commit {
				err = cerr
			}
		}
	}
	for _, b := range s.bound {
		end(b.tx)
		b.conn.Close()
	}
	s.conn, s.tx, s.ownConn, s.bound = nil, nil, false, nil
	s.nested = nil
	return err
}

// Commit flushes, commits the transaction and expires every object (unless
// expire_on_commit is off). Without a transaction it only flushes.
func (s *Session) Commit(ctx context.Context) error {
	if err := s.usable(); err != nil {
		return err
	}
	if err := s.fire(ctx, evBeforeCommit); err != nil {
		return err
	}
	if err := s.Flush(ctx); err != nil {
		return err
	}
	if !s.InTransaction() {
		return nil
	}
	if err := s.endTransaction(ctx, true); err != nil {
		// the commit failed: the database rolled back
		s.afterRollback(ctx)
		return err
	}
	// SQLAlchemy fires after_commit before it expires the objects and
	// detaches the deleted ones (SessionTransaction.commit, then
	// _remove_snapshot).
	ferr := s.fire(ctx, evAfterCommit)
	s.afterCommitState()
	return ferr
}

// afterCommitState moves the objects to their committed states.
func (s *Session) afterCommitState() {
	for _, st := range s.deleted {
		s.forget(st, Detached)
	}
	s.deleted, s.inserted = nil, nil
	for st := range s.objs.all {
		st.genPK, st.insertedTx = false, false
		if st.st != Persistent {
			continue
		}
		st.committedP = st.snapP
		if s.cfg.expireOnCommit {
			st.expire()
		}
	}
}

// Rollback rolls the transaction back and restores the objects: those
// INSERTed or added in it become transient again (keys made by the
// database are zeroed), those deleted become persistent, and persistent
// objects get back the field values they had at the last commit (or load)
// and are expired. It also clears a failed flush.
func (s *Session) Rollback(ctx context.Context) error {
	if s == nil || s.closed {
		return ErrSessionClosed
	}
	had := s.InTransaction()
	err := s.endTransaction(ctx, false)
	s.failed = nil
	// after_rollback comes before the objects are restored, as in
	// SQLAlchemy's SessionTransaction.rollback (then _restore_snapshot).
	if had {
		if ferr := s.fire(ctx, evAfterRollback); ferr != nil && err == nil {
			err = ferr
		}
	}
	s.restoreAfterRollback()
	if ferr := s.fire(ctx, evAfterSoftRollback); ferr != nil && err == nil {
		err = ferr
	}
	return err
}

// afterRollback restores state after the database rolled back on its own.
func (s *Session) afterRollback(ctx context.Context) {
	s.conn, s.tx, s.ownConn, s.nested = nil, nil, false, nil
	_ = s.fire(ctx, evAfterRollback)
	s.restoreAfterRollback()
	_ = s.fire(ctx, evAfterSoftRollback)
}

func (s *Session) restoreAfterRollback() {
	for _, st := range slices.Clone(s.inserted) {
		st.zeroGeneratedKey()
		st.insertedTx = false
		if st.st == Persistent || st.st == Deleted {
			s.forget(st, Transient)
		}
	}
	for _, st := range slices.Clone(s.pending) {
		s.forget(st, Transient)
	}
	for _, st := range s.deleted {
		if st.st == Deleted {
			st.st = Persistent
			if st.keyd {
				s.identity.put(st.key(), st)
			}
			s.transition(st, Deleted, Persistent)
		}
	}
	for _, st := range slices.Clone(s.deleting) {
		st.deleting = false
	}
	s.inserted, s.deleted, s.deleting, s.pending = nil, nil, nil, nil
	for st := range s.objs.all {
		if st.st != Persistent || !st.committed().IsValid() {
			continue
		}
		st.sv().Set(st.committed())
		st.setSnap(st.takeSnapshot())
		st.committedP = st.snapP
		st.expire()
		if st.rels != nil {
			// the relationship fields are back as they were: so is
			// what the session knows of them
			rels, _ := st.p.relations()
			for _, rp := range rels {
				rp.snapshotRel(st.sv(), &st.relSlice()[rp.i])
			}
		}
	}
}

// Close rolls back any transaction, releases the connection and expunges
// every object. A closed session returns ErrSessionClosed from every call.
//
// The objects stay the program's, detached, with their values. What the
// session kept about them (its maps, the objects' states and snapshots)
// is cleared and serves the next session, which then allocates none of
// it for the same amount of work; a session closed while one of its
// operations runs (from an event listener or a query's callback) leaves
// it to the garbage collector instead.
func (s *Session) Close() error {
	if s == nil || s.closed {
		return nil
	}
	m, err := s.shut()
	if m != nil {
		mapPool.Put(m)
	}
	return err
}

// shut is Close, which returns the maps and slab chunks the session
// leaves for the next (see release).
func (s *Session) shut() (*sessionMaps, error) {
	var err error
	if s.InTransaction() {
		err = s.endTransaction(context.Background(), false)
	}
	used := max(s.objs.len(), s.identity.len())
	room := max(used, s.identity.room(), s.objRoom)
	small := room <= 1<<14
	s.recent = max(used, s.recent/2)
	if len(s.made.states) > 0 {
		s.made.statesLeft = len(s.stateSlab)
	}
	if len(s.made.rels) > 0 {
		s.made.relsLeft = len(s.relSlab)
	}
	s.expungeAll()
	s.closed = true
	s.objRoom = room
	return s.release(small), err
}

// release empties the closed session and returns its maps and slab
// chunks for a new session (nil: none to keep). The emptied maps serve
// the next session, which then grows none of its maps for the same amount
// of work; its slab chunks, cleared, give it its states (see recycle.go).
// A session that tracked a great many objects (not small) does not pin
// their room, and a session closed from inside a call into the program
// keeps nothing: the operation that called out still holds them.
//
// What is kept follows the recent sessions, not the largest ever: a map
// made for more than four times the recent peak (the objects this
// session tracked, or half the previous recent peak) is dropped, since
// clearing and reusing a large map costs a small session more than
// growing a new one; the slab chunks kept are bounded the same way (see
// chunkBudget). One large session's room so serves the next few, then
// goes.
func (s *Session) release(small bool) *sessionMaps {
	var m *sessionMaps
	if small && s.objs.m != nil && s.calls == 0 {
		keep := 4 * max(s.recent, 64)
		m = &sessionMaps{recent: s.recent, groups: s.scratchGroups, states: s.scratchStates}
		if s.objRoom <= keep {
			m.objs, m.room = s.objs, s.objRoom
		}
		ints := s.identity.spare[:0]
		for _, r := range s.identity.spare {
			if r.m.room() <= keep {
				ints = append(ints, r)
			}
		}
		clear(s.identity.spare[len(ints):])
		m.ints = ints
		m.budget = chunkBudget(s.made.bytes, s.budget)
		m.chunks = s.made.recycle(s.spare, m.budget)
	}
	s.made, s.spare, s.snaps = slabChunks{}, nil, slabs{}
	s.objs, s.identity = objMap{}, identityMap{}
	s.scratchGroups, s.scratchStates = nil, nil
	return m
}

// adopt takes a closed session's maps and slab chunks (m nil: makes new
// maps).
func (s *Session) adopt(m *sessionMaps) {
	if m != nil {
		s.objs, s.identity.spare = m.objs, m.ints
		s.objRoom = m.room
		s.scratchGroups, s.scratchStates = m.groups, m.states
		s.spare = m.chunks
		s.recent, s.budget = m.recent, m.budget
	}
	if s.objs.m == nil {
		s.objs = objMap{m: map[unsafe.Pointer]*instState{}}
	}
	s.snaps.made, s.snaps.spare = &s.made, s.spare
}

// sessionMaps are the maps of a closed session, kept for a new one.
type sessionMaps struct {
	room int // the most entries they held
	objs objMap
	ints []rootInts // emptied integer identity maps
	// the scratch buffers of relationship loads (states cleared)
	groups []int32
	states []*instState
	// the cleared chunks of the state slabs (see recycle.go), and the
	// bytes of them the closed session could keep
	chunks *slabChunks
	budget uintptr
	// recent is the recent sessions' peak of tracked objects, halved by
	// each session that tracked fewer (see release)
	recent int
}

var mapPool sync.Pool

// Transaction runs fn in the session's transaction and commits if fn
// returns nil; if fn returns an error or panics, it rolls back (and
// re-panics).
func (s *Session) Transaction(ctx context.Context, fn func(s *Session) error) (err error) {
	if err := s.usable(); err != nil {
		return err
	}
	done := false
	defer func() {
		if !done {
			_ = s.Rollback(ctx)
		}
	}()
	if err = fn(s); err != nil {
		done = true
		if rerr := s.Rollback(ctx); rerr != nil {
			return errors.Join(err, rerr)
		}
		return err
	}
	done = true
	if err = s.Commit(ctx); err != nil {
		_ = s.Rollback(ctx)
	}
	return err
}

// Execute runs a Core statement in the session's transaction, after an
// autoflush. Rows it returns are not ORM objects (see [Select] for those).
func (s *Session) Execute(ctx context.Context, stmt core.Statement, params ...map[string]any) (*core.Result, error) {
	if err := s.usable(); err != nil {
		return nil, err
	}
	if err := s.autoflush(ctx); err != nil {
		return nil, err
	}
	c, err := s.connection(ctx)
	if err != nil {
		return nil, err
	}
	return c.Execute(ctx, stmt, params...)
}

// NoAutoflush runs fn with autoflush off (SQLAlchemy's no_autoflush).
func (s *Session) NoAutoflush(fn func() error) error {
	s.noAutoflush++
	defer func() { s.noAutoflush-- }()
	return fn()
}

func (s *Session) autoflush(ctx context.Context) error {
	if !s.cfg.autoflush || s.noAutoflush > 0 || s.flushing {
		return nil
	}
	return s.Flush(ctx)
}

// Expire marks obj expired: the next load of its row (a query, Get, or
// Refresh) overwrites its fields with the database's values, keeping only
// fields changed since. Go cannot intercept a field read, so expiring
// never loads by itself; call Refresh to reload now.
func (s *Session) Expire(obj any) error {
	if s.closed {
		return ErrSessionClosed
	}
	st := s.stateOf(obj)
	if st == nil || st.st != Persistent {
		return s.notPersistent(obj, "Expire")
	}
	list := []*instState{st}
	if st.p.hasRels {
		// refresh-expire cascade over what is loaded
		s.cascade(st, declarative.CascadeRefreshExpire, func(ms *instState) {
			if ms.st == Persistent {
				list = append(list, ms)
			}
		})
	}
	for _, x := range list {
		x.expire()
		if err := s.fireInstance(context.Background(), instExpire, x); err != nil {
			return err
		}
	}
	return nil
}

// expire marks st expired: its next load refreshes its columns, and its
// relationships count as unloaded (their fields keep what they hold until
// loaded again).
func (st *instState) expire() {
	st.expired = true
	st.unloadRels()
}

// unloadRels marks st's relationships unloaded.
func (st *instState) unloadRels() {
	if st.rels == nil {
		return
	}
	rels, _ := st.p.relations()
	for _, rp := range rels {
		st.markLoaded(st.relSlice(), rp, false)
	}
}

// ExpireAll expires every persistent object.
func (s *Session) ExpireAll() error {
	if s.closed {
		return ErrSessionClosed
	}
	for st := range s.objs.all {
		if st.st == Persistent {
			st.expire()
			if err := s.fireInstance(context.Background(), instExpire, st); err != nil {
				return err
			}
		}
	}
	return nil
}

// Refresh reloads obj's row now, overwriting every field (pending changes
// included) with the database's values. A row that no longer exists is
// core.ErrNoResultFound.
func (s *Session) Refresh(ctx context.Context, obj any) error {
	if err := s.usable(); err != nil {
		return err
	}
	s.calls++
	defer s.leave()
	st := s.stateOf(obj)
	if st == nil || st.st != Persistent {
		return s.notPersistent(obj, "Refresh")
	}
	list := []*instState{st}
	if st.p.hasRels {
		// refresh-expire cascade over what is loaded
		s.cascade(st, declarative.CascadeRefreshExpire, func(ms *instState) {
			if ms.st == Persistent {
				list = append(list, ms)
			}
		})
	}
	for _, x := range list {
		pk := x.pkValues()
		n, err := s.loadByPK(ctx, x.p, pk, loadRefresh)
		if err != nil {
			return err
		}
		if n == nil {
			return fmt.Errorf("retort: orm: could not refresh instance of %s: its row %v is gone: %w", x.p.name, pk, core.ErrNoResultFound)
		}
		// relationships are loaded again on request
		x.unloadRels()
	}
	return nil
}

// sortedPersistent returns the persistent objects in a stable order.
func (s *Session) sortedPersistent() []*instState {
	out := make([]*instState, 0, s.identity.len())
	for st := range s.identity.all {
		if st.st == Persistent {
			out = append(out, st)
		}
	}
	sortByKey(out)
	return out
}
