package mssql

import (
	"fmt"

	"github.com/google/uuid"

	"github.com/retort-orm/retort/core"
)

var _ core.ValueConverter = (*Dialect)(nil)

// ConvertBind implements core.ValueConverter: UUIDs go to UNIQUEIDENTIFIER
// as their dashed text form (SQL Server converts it).
func (d *Dialect) ConvertBind(t core.Type, v any) (any, bool, error) {
	if _, ok := t.(core.UUID); ok {
		switch x := v.(type) {
		case uuid.UUID:
			return x.String(), true, nil
		case string:
			u, err := uuid.Parse(x)
			if err != nil {
				return nil, false, err
			}
			return u.String(), true, nil
		}
	}
	return nil, false, nil
}

// ConvertResult implements core.ValueConverter: go-mssqldb returns a
// UNIQUEIDENTIFIER as its 16 bytes in SQL Server's mixed-endian order (the
// first three groups little-endian), which is swapped back here.
func (d *Dialect) ConvertResult(t core.Type, v any) (any, bool, error) {
	if _, ok := t.(core.UUID); ok {
		if b, ok := v.([]byte); ok && len(b) == 16 {
			return UUIDFromMSSQL(b), true, nil
		}
		if b, ok := v.([]byte); ok && len(b) != 16 && len(b) != 32 && len(b) != 36 {
			return nil, false, fmt.Errorf("UNIQUEIDENTIFIER of %d bytes", len(b))
		}
	}
	return nil, false, nil
}

// UUIDFromMSSQL reorders SQL Server's mixed-endian UNIQUEIDENTIFIER bytes
// into a uuid.UUID.
func UUIDFromMSSQL(b []byte) uuid.UUID {
	var u uuid.UUID
	copy(u[:], b)
	u[0], u[1], u[2], u[3] = b[3], b[2], b[1], b[0]
	u[4], u[5] = b[5], b[4]
	u[6], u[7] = b[7], b[6]
	return u
}
