package sqlite

import "github.com/retort-orm/retort/core"

// TypeSQL implements core.Dialect with SQLite's names (the same in DDL and
// CAST): DATETIME for DateTime (with or without zone) and Interval, TIME,
// BLOB, DOUBLE, CHAR(32) for UUID, JSON, and VARCHAR(n) for every Enum.
// ARRAY is an error.
func (d *Dialect) TypeSQL(c *core.Compiler, t core.Type, forCast bool) (string, error) {
	switch x := t.(type) {
	case core.DateTime, core.Interval:
		return "DATETIME", nil
	case core.Time:
		return "TIME", nil
	case core.LargeBinary:
		return "BLOB", nil
	case core.Double:
		return "DOUBLE", nil
	case core.UUID:
		return "CHAR(32)", nil
	case core.Enum:
		x.Native = false
		return core.GenericTypeSQL(c, x)
	case core.Array:
		return "", c.Unsupported("ARRAY type")
	}
	return core.GenericTypeSQL(c, t)
}
