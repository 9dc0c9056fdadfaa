package postgresql

import "github.com/retort-orm/retort/core"

// TypeSQL implements core.Dialect: the generic names (which are
// PostgreSQL's), a native [core.Enum] by its type name, ARRAY as item[].
// DDL and CAST spellings are the same.
func (d *Dialect) TypeSQL(c *core.Compiler, t core.Type, forCast bool) (string, error) {
	if e, ok := t.(core.Enum); ok && e.Native {
		if e.Name == "" {
			return "", &core.ArgumentError{Msg: "native Enum " + e.TypeName() + " needs a Name (the PostgreSQL type name)"}
		}
		return string(d.AppendIdent(nil, e.Name)), nil
	}
	return core.GenericTypeSQL(c, t)
}
