package postgresql

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shopspring/decimal"

	"github.com/retort-orm/retort/core"
)

var (
	_ core.ValueConverter = (*Dialect)(nil)
	_ core.ScanHolder     = (*Dialect)(nil)
)

// ConvertBind implements core.ValueConverter for pgx: decimals go as
// binary numerics (exact), UUIDs as native uuid, durations as native
// interval. Everything else pgx takes as it is.
func (d *Dialect) ConvertBind(t core.Type, v any) (any, bool, error) {
	switch t.(type) {
	case core.Numeric:
		if x, ok := v.(decimal.Decimal); ok {
			return pgtype.Numeric{Int: x.Coefficient(), Exp: x.Exponent(), Valid: true}, true, nil
		}
	case core.UUID:
		switch x := v.(type) {
		case uuid.UUID:
			return pgtype.UUID{Bytes: x, Valid: true}, true, nil
		case string:
			u, err := uuid.Parse(x)
			if err != nil {
				return nil, false, err
			}
			return pgtype.UUID{Bytes: u, Valid: true}, true, nil
		}
	case core.Interval:
		if x, ok := v.(time.Duration); ok {
			return pgtype.Interval{Microseconds: x.Microseconds(), Valid: true}, true, nil
		}
	case core.DateTime:
		return v, true, nil // pgx keeps the instant for timestamptz, the wall clock for timestamp
	}
	return nil, false, nil
}

// ConvertResult implements core.ValueConverter for the values pgx decodes
// into an *any: pgtype.Numeric, pgtype.Interval (months count 30 days, as
// psycopg does), pgtype.Time and [16]byte UUIDs.
func (d *Dialect) ConvertResult(t core.Type, v any) (any, bool, error) {
	switch x := v.(type) {
	case pgtype.Numeric:
		dec, err := numericToDecimal(x)
		if err != nil {
			return nil, false, err
		}
		if _, isNumeric := t.(core.Numeric); isNumeric || isNull(t) {
			return dec, true, nil
		}
		out, err := core.GenericResult(t, dec)
		return out, true, err
	case pgtype.Interval:
		if !x.Valid {
			return nil, true, nil
		}
		dur := time.Duration(x.Microseconds)*time.Microsecond +
			time.Duration(x.Days)*24*time.Hour + time.Duration(x.Months)*30*24*time.Hour
		return dur, true, nil
	case map[string]any, []any, bool, float64, string:
		if _, isJSON := t.(core.JSON); isJSON {
			b, err := json.Marshal(x) // decoded by pgx into an *any: encode again
			return json.RawMessage(b), err == nil, err
		}
	case pgtype.Time:
		if !x.Valid {
			return nil, true, nil
		}
		return time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(x.Microseconds) * time.Microsecond), true, nil
	}
	return nil, false, nil
}

func isNull(t core.Type) bool {
	_, ok := t.(core.NullType)
	return ok
}

func numericToDecimal(n pgtype.Numeric) (decimal.Decimal, error) {
	if !n.Valid {
		return decimal.Decimal{}, fmt.Errorf("NULL numeric")
	}
	if n.NaN || n.InfinityModifier != pgtype.Finite {
		return decimal.Decimal{}, fmt.Errorf("numeric %v has no decimal.Decimal value", n)
	}
	if n.Int == nil {
		return decimal.Zero, nil
	}
	return decimal.NewFromBigInt(n.Int, n.Exp), nil
}

// ScanHolder implements core.ScanHolder: JSON columns are received as raw
// bytes (pgx hands an sql.Scanner a copy), so Retort decodes them itself into
// the caller's destination, and big numbers inside documents are not rounded
// through float64. The holder also accepts an already decoded document (rows
// buffered by core), which it encodes again.
func (d *Dialect) ScanHolder(t core.Type) (any, func() any, bool) {
	if _, ok := t.(core.JSON); !ok {
		return nil, nil, false
	}
	h := &jsonHolder{}
	return h, func() any {
		v := h.v
		h.v = nil
		return v
	}, true
}

// jsonHolder receives a JSON column.
type jsonHolder struct{ v any }

// Scan implements sql.Scanner.
func (h *jsonHolder) Scan(src any) error {
	switch x := src.(type) {
	case nil:
		h.v = nil
	case []byte:
		h.v = json.RawMessage(bytes.Clone(x))
	case string:
		h.v = json.RawMessage(x)
	case json.RawMessage:
		h.v = x
	default:
		b, err := json.Marshal(x)
		if err != nil {
			return err
		}
		h.v = json.RawMessage(b)
	}
	return nil
}

// BindsNullParams implements core.NullParamDialect: the driver binds an
// untyped NULL parameter to a column of any type.
func (d *Dialect) BindsNullParams() bool { return true }
