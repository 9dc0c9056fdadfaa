package oracle

import (
	"strconv"

	"github.com/retort-orm/retort/core"
)

// TypeSQL implements core.Dialect with Oracle's names: NUMBER(19) for
// BigInteger, VARCHAR2(n CHAR) (NVARCHAR2(n) for National), CLOB, SMALLINT
// for Boolean, DATE for DateTime, INTERVAL DAY TO SECOND, BLOB, CHAR(32)
// for UUID. Deliberate differences from SQLAlchemy, which emits DDL the
// server rejects or that silently loses data:
//   - a String without a length is an error in DDL (VARCHAR2 needs one);
//   - DateTime{Timezone: true} is TIMESTAMP WITH TIME ZONE (SQLAlchemy
//     writes DATE, dropping the zone and fractional seconds);
//   - Time is an error (Oracle has no TIME type; SQLAlchemy writes TIME).
//
// JSON and ARRAY are errors, as in SQLAlchemy.
func (d *Dialect) TypeSQL(c *core.Compiler, t core.Type, forCast bool) (string, error) {
	switch x := t.(type) {
	case core.BigInteger:
		return "NUMBER(19)", nil
	case core.String:
		if x.National {
			if x.Length <= 0 {
				if forCast {
					return "NVARCHAR2", nil
				}
				return "", &core.CompileError{Msg: "NVARCHAR2 requires a length on dialect oracle"}
			}
			return "NVARCHAR2(" + strconv.Itoa(x.Length) + ")", nil
		}
		if x.Length <= 0 {
			if forCast {
				return "VARCHAR2", nil
			}
			return "", &core.CompileError{Msg: "VARCHAR2 requires a length on dialect oracle"}
		}
		return "VARCHAR2(" + strconv.Itoa(x.Length) + " CHAR)", nil
	case core.Text:
		return "CLOB", nil
	case core.Boolean:
		return "SMALLINT", nil
	case core.DateTime:
		if x.Timezone {
			return "TIMESTAMP WITH TIME ZONE", nil
		}
		return "DATE", nil
	case core.Time:
		return "", c.Unsupported("TIME type (Oracle has none; use DateTime or Interval)")
	case core.Interval:
		return "INTERVAL DAY TO SECOND", nil
	case core.LargeBinary:
		return "BLOB", nil
	case core.JSON:
		return "", c.Unsupported("JSON type")
	case core.UUID:
		return "CHAR(32)", nil
	case core.Enum:
		return "VARCHAR(" + strconv.Itoa(x.EnumLength()) + " CHAR)", nil
	case core.Array:
		return "", c.Unsupported("ARRAY type")
	}
	return core.GenericTypeSQL(c, t)
}
