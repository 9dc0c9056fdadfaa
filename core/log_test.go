package core

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
)

func TestEchoLogsSQLAndHidesParameters(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := Compiled{SQL: "SELECT 1 WHERE x = $1", Args: []any{"secret-value"}}
	Echo{Logger: logger}.Log(context.Background(), c)
	if !strings.Contains(buf.String(), "SELECT 1 WHERE x = $1") || !strings.Contains(buf.String(), "secret-value") {
		t.Fatalf("echo output: %s", buf.String())
	}
	buf.Reset()
	Echo{Logger: logger, HideParameters: true}.Log(context.Background(), c)
	if strings.Contains(buf.String(), "secret-value") || !strings.Contains(buf.String(), "[hidden]") {
		t.Fatalf("parameters not hidden: %s", buf.String())
	}
	buf.Reset()
	quiet := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
	Echo{Logger: quiet}.Log(context.Background(), c)
	Echo{}.Log(context.Background(), c)
	if buf.Len() != 0 {
		t.Fatalf("disabled logger wrote: %s", buf.String())
	}
}
