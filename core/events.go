package core

import (
	"context"
	"sync"
	"sync/atomic"
)

// listeners is a copy-on-write list of listener functions: adding and
// removing take a lock, firing reads one atomic pointer. An empty list is a
// nil pointer, so dispatch with no listeners costs one load and a compare.
type listeners[F any] struct {
	mu   sync.Mutex
	next uint64
	p    atomic.Pointer[[]listener[F]]
}

type listener[F any] struct {
	id uint64
	fn F
}

func (l *listeners[F]) add(fn F) (remove func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.next++
	id := l.next
	var cur []listener[F]
	if p := l.p.Load(); p != nil {
		cur = *p
	}
	n := make([]listener[F], len(cur), len(cur)+1)
	copy(n, cur)
	n = append(n, listener[F]{id: id, fn: fn})
	l.p.Store(&n)
	var once sync.Once
	return func() {
		once.Do(func() {
			l.mu.Lock()
			defer l.mu.Unlock()
			p := l.p.Load()
			if p == nil {
				return
			}
			out := make([]listener[F], 0, len(*p))
			for _, x := range *p {
				if x.id != id {
					out = append(out, x)
				}
			}
			if len(out) == 0 {
				l.p.Store(nil)
			} else {
				l.p.Store(&out)
			}
		})
	}
}

// list returns the current listeners (nil when there are none).
func (l *listeners[F]) list() []listener[F] {
	if p := l.p.Load(); p != nil {
		return *p
	}
	return nil
}

// Events are an [Engine]'s listener lists, SQLAlchemy's Core events. Each
// On… method adds a listener and returns a function that removes it.
// Listeners run in the order they were added, on the goroutine doing the
// work; a listener that returns an error stops the operation with it.
// Dispatch checks the list length before building anything, so events cost
// nothing when unused.
type Events struct {
	connect       listeners[func(ctx context.Context, c DriverConn) error]
	checkout      listeners[func(ctx context.Context, c DriverConn) error]
	checkin       listeners[func(c DriverConn)]
	beforeExecute listeners[func(ctx context.Context, c *Connection, stmt *Compiled) error]
	afterExecute  listeners[func(ctx context.Context, c *Connection, stmt Compiled, err error)]
	handleError   listeners[func(ctx context.Context, c *Connection, err *DBError) error]
	begin         listeners[func(ctx context.Context, c *Connection)]
	commit        listeners[func(ctx context.Context, c *Connection)]
	rollback      listeners[func(ctx context.Context, c *Connection)]
	beforeCreate  listeners[func(ctx context.Context, c *Connection, md *MetaData) error]
	afterCreate   listeners[func(ctx context.Context, c *Connection, md *MetaData) error]
	beforeDrop    listeners[func(ctx context.Context, c *Connection, md *MetaData) error]
	afterDrop     listeners[func(ctx context.Context, c *Connection, md *MetaData) error]
}

// OnConnect listens for a new database connection, the first time it is
// checked out (PoolEvents.connect). It fires for pools the dialect opened
// ([CreateEngine]); a Driver that cannot tell new connections from old
// ones never fires it.
func (ev *Events) OnConnect(fn func(ctx context.Context, c DriverConn) error) (remove func()) {
	return ev.connect.add(fn)
}

// OnCheckout listens for each checkout of a connection from the pool; an
// error discards the connection and fails the checkout.
func (ev *Events) OnCheckout(fn func(ctx context.Context, c DriverConn) error) (remove func()) {
	return ev.checkout.add(fn)
}

// OnCheckin listens for each return of a connection to the pool.
func (ev *Events) OnCheckin(fn func(c DriverConn)) (remove func()) { return ev.checkin.add(fn) }

// OnBeforeExecute listens before each statement runs; the listener may
// rewrite stmt (its SQL and Args) or stop the execution with an error.
func (ev *Events) OnBeforeExecute(fn func(ctx context.Context, c *Connection, stmt *Compiled) error) (remove func()) {
	return ev.beforeExecute.add(fn)
}

// OnAfterExecute listens after each statement ran (err is its error, nil on
// success; for a query, the rows are still to be read).
func (ev *Events) OnAfterExecute(fn func(ctx context.Context, c *Connection, stmt Compiled, err error)) (remove func()) {
	return ev.afterExecute.add(fn)
}

// OnHandleError listens for each database error (SQLAlchemy's
// handle_error); returning a non-nil error replaces the error returned.
func (ev *Events) OnHandleError(fn func(ctx context.Context, c *Connection, err *DBError) error) (remove func()) {
	return ev.handleError.add(fn)
}

// OnBegin listens for the start of each (outermost) transaction.
func (ev *Events) OnBegin(fn func(ctx context.Context, c *Connection)) (remove func()) {
	return ev.begin.add(fn)
}

// OnCommit listens for each commit of an outermost transaction.
func (ev *Events) OnCommit(fn func(ctx context.Context, c *Connection)) (remove func()) {
	return ev.commit.add(fn)
}

// OnRollback listens for each rollback of an outermost transaction.
func (ev *Events) OnRollback(fn func(ctx context.Context, c *Connection)) (remove func()) {
	return ev.rollback.add(fn)
}

// OnBeforeCreate listens before [Engine.CreateAll] runs its DDL.
func (ev *Events) OnBeforeCreate(fn func(ctx context.Context, c *Connection, md *MetaData) error) (remove func()) {
	return ev.beforeCreate.add(fn)
}

// OnAfterCreate listens after [Engine.CreateAll] ran its DDL.
func (ev *Events) OnAfterCreate(fn func(ctx context.Context, c *Connection, md *MetaData) error) (remove func()) {
	return ev.afterCreate.add(fn)
}

// OnBeforeDrop listens before [Engine.DropAll] runs its DDL.
func (ev *Events) OnBeforeDrop(fn func(ctx context.Context, c *Connection, md *MetaData) error) (remove func()) {
	return ev.beforeDrop.add(fn)
}

// OnAfterDrop listens after [Engine.DropAll] ran its DDL.
func (ev *Events) OnAfterDrop(fn func(ctx context.Context, c *Connection, md *MetaData) error) (remove func()) {
	return ev.afterDrop.add(fn)
}

// ---------------------------------------------------------------- dispatch

func fireConnLevel(ls []listener[func(ctx context.Context, c *Connection)], ctx context.Context, c *Connection) {
	for _, l := range ls {
		l.fn(ctx, c)
	}
}

func fireMD(ls []listener[func(ctx context.Context, c *Connection, md *MetaData) error], ctx context.Context, c *Connection, md *MetaData) error {
	for _, l := range ls {
		if err := l.fn(ctx, c, md); err != nil {
			return err
		}
	}
	return nil
}

func firePool(ls []listener[func(ctx context.Context, c DriverConn) error], ctx context.Context, c DriverConn) error {
	for _, l := range ls {
		if err := l.fn(ctx, c); err != nil {
			return err
		}
	}
	return nil
}
