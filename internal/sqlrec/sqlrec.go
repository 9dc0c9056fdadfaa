// Package sqlrec records the SQL of the statements an engine executes, for
// the scenario suites under tests/ that check statements in order. It
// listens to core's before-execute event, which BEGIN, COMMIT and ROLLBACK
// do not pass through; statements run with the Quiet context (a test's own
// setup and reads) are not recorded.
package sqlrec

import (
	"context"
	"sync"

	"github.com/retort-orm/retort/core"
)

// Recorder holds the statements recorded since the last Take. It is safe
// for concurrent use.
type Recorder struct {
	mu    sync.Mutex
	stmts []string
}

type quietKey struct{}

// Quiet is the context of statements the recorder leaves out.
var Quiet = context.WithValue(context.Background(), quietKey{}, true)

// Record starts recording e's statements.
func Record(e *core.Engine) *Recorder {
	r := &Recorder{}
	e.Events().OnBeforeExecute(func(ctx context.Context, c *core.Connection, stmt *core.Compiled) error {
		if ctx.Value(quietKey{}) != nil {
			return nil
		}
		r.mu.Lock()
		r.stmts = append(r.stmts, stmt.SQL)
		r.mu.Unlock()
		return nil
	})
	return r
}

// Take returns the statements recorded since the last Take and forgets
// them.
func (r *Recorder) Take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.stmts
	r.stmts = nil
	return s
}

// Reset forgets the statements recorded so far.
func (r *Recorder) Reset() { r.Take() }

// Len is the number of statements recorded since the last Take.
func (r *Recorder) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.stmts)
}
