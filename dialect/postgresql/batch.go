package postgresql

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/retort-orm/retort/core"
)

var _ core.BatchExecer = (*conn)(nil)

// ExecBatch implements [core.BatchExecer] with a pgx batch: every
// execution of sql is queued and sent in one round trip, in the open
// transaction if there is one (pgx runs a batch outside a transaction in
// an implicit one).
func (c *conn) ExecBatch(ctx context.Context, sql string, args [][]any) (core.ExecResult, int, error) {
	if c.beginErr != nil {
		return core.ExecResult{}, 0, c.txErr()
	}
	b := &pgx.Batch{}
	begin := c.pending
	if begin {
		// the transaction's BEGIN goes first, in the same round trip
		b.BeginTx(c.txOpts)
		c.pending = false
	}
	for _, a := range args {
		b.Queue(sql, a...)
	}
	var br pgx.BatchResults
	if c.tx != nil {
		br = c.tx.SendBatch(ctx, b)
	} else {
		br = c.raw.SendBatch(ctx, b)
	}
	if begin {
		c.tx = br.Tx()
		if _, err := br.Exec(); err != nil {
			_ = br.Close()
			c.tx, c.beginErr = nil, withCtxErr(ctx, err)
			return core.ExecResult{}, 0, c.beginErr
		}
	}
	var total core.ExecResult
	for i := range args {
		tag, err := br.Exec()
		if err != nil {
			_ = br.Close()
			return total, i, withCtxErr(ctx, err)
		}
		total.RowsAffected += tag.RowsAffected()
	}
	if err := br.Close(); err != nil {
		return total, len(args) - 1, withCtxErr(ctx, err)
	}
	return total, -1, nil
}
