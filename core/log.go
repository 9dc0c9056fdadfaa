package core

import (
	"context"
	"log/slog"
)

// Echo logs statements through log/slog, SQLAlchemy's echo: the SQL text
// at debug level, with the parameters unless HideParameters is set (for
// logs that must not carry user data). A nil Logger logs nothing; the cost
// of a disabled logger is one Enabled call.
type Echo struct {
	Logger         *slog.Logger
	HideParameters bool
}

// Log writes one statement with its arguments.
func (e Echo) Log(ctx context.Context, c Compiled) {
	if e.Logger == nil || !e.Logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	if e.HideParameters {
		e.Logger.LogAttrs(ctx, slog.LevelDebug, "retort: sql", slog.String("sql", c.SQL), slog.Int("params", len(c.Args)), slog.String("args", "[hidden]"))
		return
	}
	e.Logger.LogAttrs(ctx, slog.LevelDebug, "retort: sql", slog.String("sql", c.SQL), slog.Any("args", c.Args))
}
