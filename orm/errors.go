package orm

import (
	"errors"
	"fmt"
)

// Sentinel errors, matched with errors.Is.
var (
	// ErrSessionClosed is returned by every call on a closed Session.
	ErrSessionClosed = errors.New("retort: orm: this Session is closed")
	// ErrUnmapped is matched by errors about an object whose type has no
	// mapper in the session's registry.
	ErrUnmapped = errors.New("retort: orm: type is not mapped")
)

// InvalidRequestError reports a call the Session cannot honour in its
// present state (SQLAlchemy's InvalidRequestError): deleting a transient
// object, adding an object already in another session, using a session
// whose last flush failed before it was rolled back.
type InvalidRequestError struct {
	Msg string
	Err error // an underlying cause, when there is one
}

func (e *InvalidRequestError) Error() string {
	if e.Err != nil {
		return "retort: orm: " + e.Msg + ": " + e.Err.Error()
	}
	return "retort: orm: " + e.Msg
}

func (e *InvalidRequestError) Unwrap() error { return e.Err }

// DetachedInstanceError reports an object that is not attached to the
// Session the call needs it in (SQLAlchemy's DetachedInstanceError).
type DetachedInstanceError struct {
	Type string // the Go type name
	Msg  string
}

func (e *DetachedInstanceError) Error() string {
	return fmt.Sprintf("retort: orm: instance of %s %s", e.Type, e.Msg)
}

// StaleDataError reports an UPDATE or DELETE that matched fewer rows than
// the objects it was for: the row was deleted, or its version counter was
// changed by someone else (SQLAlchemy's StaleDataError); or a Merge of an
// object whose version counter differs from the session's instance.
type StaleDataError struct {
	Table    string
	Op       string // "UPDATE", "DELETE", or "MERGE" (Merge of a stale version)
	Expected int64
	Matched  int64
	Versions bool // the statement checked a version counter
	// Merged and Current are, for a "MERGE", the version of the object
	// given to Merge and that of the session's instance of its row.
	Merged, Current any
}

func (e *StaleDataError) Error() string {
	if e.Op == "MERGE" {
		return fmt.Sprintf("retort: orm: Merge on table %q: version %v of the merged object does not match version %v of the session's instance (the row was changed since the object was loaded)", e.Table, e.Merged, e.Current)
	}
	s := fmt.Sprintf("retort: orm: %s statement on table %q expected to %s %d row(s); %d were matched",
		e.Op, e.Table, map[string]string{"UPDATE": "update", "DELETE": "delete"}[e.Op], e.Expected, e.Matched)
	if e.Versions {
		s += " (the version counter did not match: the row was changed or deleted by someone else)"
	}
	return s
}

// FlushError wraps the error that made a flush fail. The Session has
// rolled back its transaction (or the innermost SAVEPOINT) when it returns
// one: no row of the failed flush is written, the objects keep their
// in-memory changes, and until Rollback is called every call on the
// Session returns a *PendingRollbackError (when the outermost transaction
// was rolled back).
type FlushError struct {
	Err error
	// Phase says where the flush failed: "before_flush", "insert",
	// "update", "delete", "after_flush" or "validate".
	Phase string
	// Object is the Go type and the table of the statement that failed,
	// when the failure was a statement.
	Type, Table string
}

func (e *FlushError) Error() string {
	where := e.Phase
	if e.Type != "" {
		where += " of " + e.Type
	}
	if e.Table != "" {
		where += fmt.Sprintf(" (table %q)", e.Table)
	}
	return "retort: orm: flush failed in " + where + "; the transaction was rolled back: " + e.Err.Error()
}

func (e *FlushError) Unwrap() error { return e.Err }

// PendingRollbackError is returned by a Session whose flush failed and
// rolled back its transaction, until Session.Rollback is called
// (SQLAlchemy's PendingRollbackError).
type PendingRollbackError struct {
	Cause error
}

func (e *PendingRollbackError) Error() string {
	return "retort: orm: this Session's transaction has been rolled back due to a previous error during flush; call Rollback to begin a new transaction (original error: " + e.Cause.Error() + ")"
}

func (e *PendingRollbackError) Unwrap() error { return e.Cause }

// CircularDependencyError reports rows that depend on each other in a
// cycle of foreign keys, which no order of INSERTs (or DELETEs) can
// write; Relationships names the relationships involved, one of which
// needs post_update.
type CircularDependencyError struct {
	Relationships []string
	Msg           string
}

func (e *CircularDependencyError) Error() string { return "retort: orm: " + e.Msg }
