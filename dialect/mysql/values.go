package mysql

import (
	"github.com/retort-orm/retort/core"
)

var _ core.ValueConverter = (*Dialect)(nil)

// ConvertBind implements core.ValueConverter. go-sql-driver/mysql takes
// core's generic values as they are: bool as 0/1 for BOOL (TINYINT(1)),
// time.Time converted to the connection's loc (UTC by default, so
// DateTime{Timezone: true} keeps the instant), decimals and UUIDs as text,
// Interval as the DATETIME Epoch+duration.
func (d *Dialect) ConvertBind(t core.Type, v any) (any, bool, error) {
	return nil, false, nil
}

// ConvertResult implements core.ValueConverter. The driver returns text,
// DECIMAL, JSON, ENUM and TIME as []byte, which core turns into strings,
// decimals, JSON documents and times of day; DATE and DATETIME are
// time.Time with parseTime=true and text otherwise, both read by core.
func (d *Dialect) ConvertResult(t core.Type, v any) (any, bool, error) {
	return nil, false, nil
}

// BindsNullParams implements core.NullParamDialect: the driver binds an
// untyped NULL parameter to a column of any type.
func (d *Dialect) BindsNullParams() bool { return true }
