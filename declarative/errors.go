package declarative

import (
	"strings"

	"github.com/retort-orm/retort/core"
)

// MappingError is a mistake in a model's mapping. It names the struct, the
// field and the tag when there is one, says what is wrong and, in Hint,
// what to write instead. errors.As(err, new(*core.ArgumentError)) matches
// it, so callers that only know Core's ArgumentError still recognise it.
//
// The registry reports its own mapping mistakes (a foreign key to a missing
// table, an ambiguous join path, …) with this type too.
type MappingError struct {
	Struct string // the Go type name, e.g. "User"
	Field  string // the Go field path, e.g. "Name" or "Timestamps.CreatedAt"; "" for the type itself
	Tag    string // the field's `orm` tag value, when it has one
	Msg    string // what is wrong
	Hint   string // what to write instead
}

func (e *MappingError) text() string {
	var b strings.Builder
	b.WriteString("mapping ")
	b.WriteString(e.Struct)
	if e.Field != "" {
		b.WriteString(".")
		b.WriteString(e.Field)
	}
	if e.Tag != "" {
		b.WriteString(" (tag `orm:\"")
		b.WriteString(e.Tag)
		b.WriteString("\"`)")
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	if e.Hint != "" {
		b.WriteString("; ")
		b.WriteString(e.Hint)
	}
	return b.String()
}

// Error implements error.
func (e *MappingError) Error() string { return "retort: " + e.text() }

// Unwrap returns the equivalent *core.ArgumentError, so that errors.As
// with a *core.ArgumentError target matches every mapping mistake.
func (e *MappingError) Unwrap() error { return &core.ArgumentError{Msg: e.text()} }

// levenshtein is the edit distance between a and b.
func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Closest returns the candidate nearest to s (by edit distance, ignoring
// case, '_' and '-'), or "" when none is near enough to be a likely typo.
func Closest(s string, candidates []string) string {
	norm := func(x string) string {
		return strings.NewReplacer("_", "", "-", "").Replace(strings.ToLower(x))
	}
	ns := norm(s)
	best, bestD := "", 1<<30
	for _, c := range candidates {
		d := levenshtein(ns, norm(c))
		if d < bestD {
			best, bestD = c, d
		}
	}
	limit := max(2, len(ns)/3)
	if bestD <= limit {
		return best
	}
	if len(ns) >= 3 {
		for _, c := range candidates {
			if nc := norm(c); strings.HasPrefix(nc, ns) || strings.HasPrefix(ns, nc) && len(nc) >= 3 {
				return c
			}
		}
	}
	return ""
}
