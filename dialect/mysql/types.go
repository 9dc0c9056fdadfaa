package mysql

import (
	"strconv"

	"github.com/retort-orm/retort/core"
)

// TypeSQL implements core.Dialect. In DDL: BOOL, VARCHAR(n) (a String
// without a length is an error: MySQL requires one), DOUBLE, DATETIME for
// DateTime (MySQL keeps no zone) and Interval, BLOB, CHAR(32) for UUID, a
// native Enum inline as ENUM('a','b'). In CAST, MySQL's own spellings:
// SIGNED INTEGER, CHAR[(n)], DECIMAL(p, s), DATETIME, BINARY; a CAST to
// Boolean, UUID or Enum is an error (SQLAlchemy silently drops it).
// ARRAY is an error.
func (d *Dialect) TypeSQL(c *core.Compiler, t core.Type, forCast bool) (string, error) {
	if forCast {
		return d.castTypeSQL(c, t)
	}
	switch x := t.(type) {
	case core.Boolean:
		return "BOOL", nil
	case core.String:
		if x.Length <= 0 {
			return "", &core.CompileError{Msg: "VARCHAR requires a length on dialect mysql"}
		}
		s := "VARCHAR(" + strconv.Itoa(x.Length) + ")"
		if x.National {
			s = "NATIONAL " + s
		}
		return ddlWithCollation(s, x.Collation)
	case core.Text:
		return ddlWithCollation("TEXT", x.Collation)
	case core.Double:
		return "DOUBLE", nil
	case core.DateTime, core.Interval:
		return "DATETIME", nil
	case core.Time:
		return "TIME", nil
	case core.LargeBinary:
		// LargeBinary is unbounded, and MySQL's BLOB holds only 64 KiB:
		// LONGBLOB (SQLAlchemy writes BLOB); a Length lets MySQL pick the
		// smallest BLOB type that holds it.
		if x.Length > 0 {
			return "BLOB(" + strconv.Itoa(x.Length) + ")", nil
		}
		return "LONGBLOB", nil
	case core.UUID:
		return "CHAR(32)", nil
	case core.Enum:
		if !x.Native {
			return core.GenericTypeSQL(c, x)
		}
		b := []byte("ENUM(")
		for i, v := range x.Values {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = d.AppendLiteral(b, v, core.String{}); err != nil {
				return "", err
			}
		}
		return string(append(b, ')')), nil
	case core.Array:
		return "", c.Unsupported("ARRAY type")
	}
	return core.GenericTypeSQL(c, t)
}

func (d *Dialect) castTypeSQL(c *core.Compiler, t core.Type) (string, error) {
	switch x := t.(type) {
	case core.TypeDecorator:
		return d.castTypeSQL(c, x.Impl())
	case core.Integer, core.BigInteger, core.SmallInteger:
		return "SIGNED INTEGER", nil
	case core.String:
		if x.Length > 0 {
			return "CHAR(" + strconv.Itoa(x.Length) + ")", nil
		}
		return "CHAR", nil
	case core.Text:
		return "CHAR", nil
	case core.Numeric:
		if x.Precision > 0 {
			return "DECIMAL(" + strconv.Itoa(x.Precision) + ", " + strconv.Itoa(x.Scale) + ")", nil
		}
		return "DECIMAL", nil
	case core.Float:
		return "FLOAT", nil
	case core.Double:
		return "DOUBLE", nil
	case core.DateTime, core.Interval:
		return "DATETIME", nil
	case core.Date:
		return "DATE", nil
	case core.Time:
		return "TIME", nil
	case core.LargeBinary:
		return "BINARY", nil
	case core.JSON:
		return "JSON", nil
	case core.Boolean:
		return "", c.Unsupported("CAST to Boolean")
	case core.UUID:
		return "", c.Unsupported("CAST to UUID")
	case core.Enum:
		return "", c.Unsupported("CAST to Enum")
	case core.Array:
		return "", c.Unsupported("ARRAY type")
	}
	return core.GenericTypeSQL(c, t)
}

func ddlWithCollation(s, coll string) (string, error) {
	if coll == "" {
		return s, nil
	}
	if !ddlIsWord(coll) {
		return "", &core.ArgumentError{Msg: "collation " + coll + " is not a collation name"}
	}
	return s + " COLLATE " + coll, nil
}

func ddlIsWord(s string) bool {
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if !(ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')) {
			return false
		}
	}
	return s != ""
}
