package sqlite

import (
	"time"

	"github.com/retort-orm/retort/core"
)

var (
	_ core.ValueConverter = (*Dialect)(nil)
	_ core.DecimalDigits  = (*Dialect)(nil)
)

// ConvertBind implements core.ValueConverter. SQLite has no date or time
// types, so as SQLAlchemy does, DateTime is stored as the text
// 'YYYY-MM-DD HH:MM:SS.ffffff' (UTC for DateTime{Timezone: true}, the wall
// clock otherwise), Date as 'YYYY-MM-DD', and Interval as the datetime
// Epoch+duration; booleans are 0/1.
func (d *Dialect) ConvertBind(t core.Type, v any) (any, bool, error) {
	switch t := t.(type) {
	case core.DateTime:
		if tm, ok := v.(time.Time); ok {
			if t.Timezone {
				tm = tm.UTC()
			}
			return tm.Format(core.DateTimeLayout), true, nil
		}
	case core.Date:
		if tm, ok := v.(time.Time); ok {
			return tm.Format(core.DateLayout), true, nil
		}
	case core.Interval:
		if dur, ok := v.(time.Duration); ok {
			return core.Epoch.Add(dur).Format(core.DateTimeLayout), true, nil
		}
	case core.Boolean:
		if b, ok := v.(bool); ok {
			if b {
				return int64(1), true, nil
			}
			return int64(0), true, nil
		}
	}
	return nil, false, nil
}

// ConvertResult implements core.ValueConverter; core's generic reading of
// text and integers covers SQLite.
func (d *Dialect) ConvertResult(t core.Type, v any) (any, bool, error) {
	return nil, false, nil
}

// DecimalDigits implements core.DecimalDigits: NUMERIC affinity keeps 15
// significant digits (values are stored as REAL), which SQLAlchemy warns
// about too.
func (d *Dialect) DecimalDigits() int { return 15 }

// BindsNullParams implements core.NullParamDialect: the driver binds an
// untyped NULL parameter to a column of any type.
func (d *Dialect) BindsNullParams() bool { return true }
