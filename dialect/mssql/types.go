package mssql

import (
	"strconv"

	"github.com/retort-orm/retort/core"
)

// TypeSQL implements core.Dialect with SQL Server's names (the same in DDL
// and CAST): VARCHAR(max) for a String without a length and for Text,
// NVARCHAR for National strings, BIT, DATETIME / DATETIMEOFFSET, DATETIME
// for Interval, VARBINARY(max), NVARCHAR(max) for JSON, UNIQUEIDENTIFIER
// for UUID. ARRAY is an error.
func (d *Dialect) TypeSQL(c *core.Compiler, t core.Type, forCast bool) (string, error) {
	switch x := t.(type) {
	case core.String:
		kw := "VARCHAR"
		if x.National {
			kw = "NVARCHAR"
		}
		n := "max"
		if x.Length > 0 {
			n = strconv.Itoa(x.Length)
		}
		return mssqlCollate(kw+"("+n+")", x.Collation)
	case core.Text:
		return mssqlCollate("VARCHAR(max)", x.Collation)
	case core.Boolean:
		return "BIT", nil
	case core.DateTime:
		if x.Timezone {
			return "DATETIMEOFFSET", nil
		}
		return "DATETIME", nil
	case core.Time:
		return "TIME", nil
	case core.Interval:
		return "DATETIME", nil
	case core.LargeBinary:
		if x.Length > 0 {
			return "VARBINARY(" + strconv.Itoa(x.Length) + ")", nil
		}
		return "VARBINARY(max)", nil
	case core.JSON:
		return "NVARCHAR(max)", nil
	case core.UUID:
		return "UNIQUEIDENTIFIER", nil
	case core.Enum:
		x.Native = false
		return core.GenericTypeSQL(c, x)
	case core.Array:
		return "", c.Unsupported("ARRAY type")
	}
	return core.GenericTypeSQL(c, t)
}

// mssqlCollate appends COLLATE name; SQL Server collation names are not
// quoted (SQLAlchemy's quote_case_sensitive_collations=False).
func mssqlCollate(s, coll string) (string, error) {
	if coll == "" {
		return s, nil
	}
	for i := 0; i < len(coll); i++ {
		ch := coll[i]
		if !(ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')) {
			return "", &core.ArgumentError{Msg: "collation " + coll + " is not a collation name"}
		}
	}
	return s + " COLLATE " + coll, nil
}
