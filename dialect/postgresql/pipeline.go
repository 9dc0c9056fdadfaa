package postgresql

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"weak"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/retort-orm/retort/core"
)

var _ core.Pipeliner = (*conn)(nil)

// maxPipeStmts bounds the statements a connection keeps prepared for
// pipelines; the least recently used one is deallocated to make room. A
// 1,000-row INSERT of 3 columns with its cached plan takes about 2.5 MB
// of the server's memory; preparing it again costs about as much as a
// pipeline saves, so the bound is set for a flush that rotates over a
// dozen tables.
const maxPipeStmts = 16

// pipeConns holds the pipeline state of each pgx connection that ran a
// pipeline: the names of the statements it prepared for them, and the
// encoder. An entry goes when its connection is collected.
var pipeConns sync.Map // weak.Pointer[pgx.Conn] → *pipeConn

// pipeConn is the pipeline state of one pgx connection, used by one
// goroutine at a time like the connection.
type pipeConn struct {
	// ok: the connection may pipeline. It runs in pgx's
	// statement-caching mode, where prepared statements are taken to live
	// as long as the connection (a pool that deallocates them behind
	// pgx's back, such as PgBouncer in transaction mode, needs another
	// mode, and then gets no pipelines), and has no pgx tracer (pipelined
	// statements go through pgconn, which pgx's tracers do not see)
	ok    bool
	stmts []pipeStmt // least recently used first
	seq   uint64     // the last statement name's number
	eqb   pgx.ExtendedQueryBuilder
}

// pipeStmt is a statement prepared for pipelines under a name of
// Retort's. pgx keeps its description (Conn.Prepare), so a DeallocateAll
// through pgx is seen and the statement prepared again.
type pipeStmt struct {
	sql, name string
	// stale: the server reported the statement missing (a DEALLOCATE
	// sent as SQL): pgx's description is dropped before it is prepared
	// again
	stale bool
}

func pipeConnOf(raw *pgx.Conn) *pipeConn {
	key := weak.Make(raw)
	if v, ok := pipeConns.Load(key); ok {
		return v.(*pipeConn)
	}
	cfg := raw.Config()
	pc := &pipeConn{ok: cfg.DefaultQueryExecMode == pgx.QueryExecModeCacheStatement && cfg.Tracer == nil}
	pipeConns.Store(key, pc)
	runtime.AddCleanup(raw, func(k weak.Pointer[pgx.Conn]) { pipeConns.Delete(k) }, key)
	return pc
}

// prepare returns the description of the statement prepared on raw for
// sql. The first time (or after pgx deallocated it) it is prepared, in
// one round trip in the open transaction; the least recently used of
// maxPipeStmts statements is deallocated to make room.
func (pc *pipeConn) prepare(ctx context.Context, raw *pgx.Conn, sql string) (*pgconn.StatementDescription, error) {
	i := slices.IndexFunc(pc.stmts, func(st pipeStmt) bool { return st.sql == sql })
	var st pipeStmt
	if i >= 0 {
		st = pc.stmts[i]
		pc.stmts = slices.Delete(pc.stmts, i, i+1)
		if st.stale {
			if err := raw.Deallocate(ctx, st.name); err != nil {
				return nil, err
			}
			st.stale = false
		}
	} else {
		if len(pc.stmts) >= maxPipeStmts {
			old := pc.stmts[0]
			pc.stmts = slices.Delete(pc.stmts, 0, 1)
			if err := raw.Deallocate(ctx, old.name); err != nil {
				return nil, err
			}
		}
		pc.seq++
		st = pipeStmt{sql: sql, name: "retort_pipe_" + strconv.FormatUint(pc.seq, 10)}
	}
	sd, err := raw.Prepare(ctx, st.name, sql)
	if err != nil {
		// pgx deallocates a statement whose description failed
		return nil, err
	}
	pc.stmts = append(pc.stmts, st)
	return sd, nil
}

// forget marks the statement of sql stale, after the server reported it
// gone (a DEALLOCATE ALL or DISCARD ALL sent as SQL) or out of date (its
// table changed shape): the next pipeline prepares it again.
func (pc *pipeConn) forget(sql string) {
	for i := range pc.stmts {
		if pc.stmts[i].sql == sql {
			pc.stmts[i].stale = true
		}
	}
}

// pipeline is a [core.DriverPipeline] on pgconn's pipeline mode. Each
// execution is sent with a flush request, so the server returns its rows
// at once while the client encodes the next one; one Sync at Close ends
// the pipeline, so every execution runs in the connection's transaction.
type pipeline struct {
	c       *conn
	ctx     context.Context
	pc      *pipeConn
	sd      *pgconn.StatementDescription
	p       *pgconn.Pipeline
	formats []int16 // result formats: the same for every execution of sd
	unread  int
}

// Pipeline implements [core.Pipeliner]. It pipelines only inside a
// transaction (a BEGIN still pending is sent first, on its own), on a
// connection in pgx's statement-caching mode with no pgx tracer. sql is
// prepared once per connection under a name of Retort's; a connection
// keeps at most maxPipeStmts such statements.
func (c *conn) Pipeline(ctx context.Context, sql string) (core.DriverPipeline, bool, error) {
	if c.beginErr != nil {
		return nil, false, c.txErr()
	}
	if !c.pending && c.tx == nil {
		// in autocommit each execution is its own transaction; a
		// pipeline would make them one
		return nil, false, nil
	}
	pc := pipeConnOf(c.raw)
	if !pc.ok {
		return nil, false, nil
	}
	if c.pending {
		c.sendBegin(ctx)
		if c.beginErr != nil {
			return nil, false, c.txErr()
		}
	}
	sd, err := pc.prepare(ctx, c.raw, sql)
	if err != nil {
		return nil, false, withCtxErr(ctx, err)
	}
	p := &pipeline{c: c, ctx: ctx, pc: pc, sd: sd}
	p.p = c.raw.PgConn().StartPipeline(ctx)
	return p, true, nil
}

// Send implements [core.DriverPipeline]. Once the pipeline's context is
// done it sends nothing more (a cancel request stops only the statement
// running when it arrives, so the later ones would still run).
func (p *pipeline) Send(args []any) error {
	if err := p.ctx.Err(); err != nil {
		return &notSentError{err}
	}
	eqb := &p.pc.eqb
	if err := eqb.Build(p.c.raw.TypeMap(), p.sd, args); err != nil {
		return err
	}
	if p.formats == nil {
		// SendQueryStatement keeps the slice until the rows are read,
		// and eqb reuses its array
		p.formats = append([]int16{}, eqb.ResultFormats...)
	}
	p.p.SendQueryStatement(p.sd, eqb.ParamValues, eqb.ParamFormats, p.formats)
	p.p.SendFlushRequest()
	if err := p.p.Flush(); err != nil {
		return withCtxErr(p.ctx, err)
	}
	p.unread++
	return nil
}

// next returns the result of the oldest execution not read yet.
func (p *pipeline) next() (*pgconn.ResultReader, error) {
	if p.unread == 0 {
		return nil, errors.New("postgresql: pipeline: no execution left to read")
	}
	p.unread--
	res, err := p.p.GetResults()
	if err != nil {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && (pgErr.Code == "26000" || pgErr.Code == "0A000") {
			p.pc.forget(p.sd.SQL)
		}
		return nil, withCtxErr(p.ctx, err)
	}
	rr, ok := res.(*pgconn.ResultReader)
	if !ok {
		return nil, fmt.Errorf("postgresql: pipeline: a %T where a result was expected", res)
	}
	return rr, nil
}

// Rows implements [core.DriverPipeline].
func (p *pipeline) Rows() (core.DriverRows, error) {
	rr, err := p.next()
	if err != nil {
		return nil, err
	}
	p.c.rows = rows{r: pgx.RowsFromResultReader(p.c.raw.TypeMap(), rr), ctx: p.ctx, c: p.c}
	return &p.c.rows, nil
}

// Exec implements [core.DriverPipeline].
func (p *pipeline) Exec() (core.ExecResult, error) {
	rr, err := p.next()
	if err != nil {
		return core.ExecResult{}, err
	}
	tag, err := rr.Close()
	if err != nil {
		return core.ExecResult{}, withCtxErr(p.ctx, err)
	}
	return core.ExecResult{RowsAffected: tag.RowsAffected()}, nil
}

// Close implements [core.DriverPipeline]. An error the server reported
// for an execution (already returned by Rows, or not read) leaves the
// connection usable, its transaction failed; Close reports only the
// errors that broke the connection.
func (p *pipeline) Close() error {
	if p.p == nil {
		return nil
	}
	pp := p.p
	p.p = nil
	if r := p.c.rows.r; r != nil {
		r.Close()
		p.c.rows.r = nil
	}
	err := pp.Sync()
	if cerr := pp.Close(); err == nil {
		err = cerr
	}
	if err != nil && !p.c.raw.IsClosed() {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) {
			err = nil
		}
	}
	return withCtxErr(p.ctx, err)
}

// notSentError is the error of an execution not sent because the
// pipeline's context was done. It wraps the context's error; nothing
// reached the server, so the connection is intact (SafeToRetry, as pgx
// says of a statement refused for a done context).
type notSentError struct{ err error }

func (e *notSentError) Error() string {
	return "postgresql: the statement was not sent: " + e.err.Error()
}
func (e *notSentError) Unwrap() error     { return e.err }
func (e *notSentError) SafeToRetry() bool { return true }
