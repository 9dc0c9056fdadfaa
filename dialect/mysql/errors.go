package mysql

import (
	"errors"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/retort-orm/retort/core"
)

var _ core.ErrorTranslator = (*Dialect)(nil)

// TranslateError implements [core.ErrorTranslator] for
// github.com/go-sql-driver/mysql on MySQL and MariaDB. A *mysql.MySQLError
// is classified by its Number (see [ErrorKindOf] for the lists); the
// driver's own errors are:
//
//   - mysql.ErrInvalidConn (the connection broke mid-command) and every
//     error of [core.ConnectionLost] (driver.ErrBadConn, io.EOF, network
//     errors): OperationalError, disconnect;
//   - mysql.ErrPktSync, ErrPktSyncMul and ErrMalformPkt (the protocol
//     stream is out of step, the connection cannot be reused):
//     InterfaceError, disconnect;
//   - the other sentinels of the driver (ErrPktTooLarge, ErrBusyBuffer,
//     ErrNoTLS, the authentication-plugin errors): InterfaceError.
//
// A disconnect is reported for the server errors SQLAlchemy's mysql
// dialect treats as one (1927 connection killed, 2006 server gone away,
// 2013 lost connection, 2014 commands out of sync, 2045, 2055, 4031
// disconnected for inactivity).
func (d *Dialect) TranslateError(err error) (core.ErrorKind, bool) {
	var me *gomysql.MySQLError
	if errors.As(err, &me) {
		return ErrorKindOf(me.Number), isDisconnectNumber(me.Number)
	}
	switch {
	case errors.Is(err, gomysql.ErrInvalidConn):
		return core.ErrorOperational, true
	case errors.Is(err, gomysql.ErrPktSync), errors.Is(err, gomysql.ErrPktSyncMul), errors.Is(err, gomysql.ErrMalformPkt):
		return core.ErrorInterface, true
	case core.ConnectionLost(err):
		return core.ErrorOperational, true
	case errors.Is(err, gomysql.ErrPktTooLarge), errors.Is(err, gomysql.ErrBusyBuffer), errors.Is(err, gomysql.ErrNoTLS),
		errors.Is(err, gomysql.ErrCleartextPassword), errors.Is(err, gomysql.ErrNativePassword),
		errors.Is(err, gomysql.ErrOldPassword), errors.Is(err, gomysql.ErrUnknownPlugin),
		errors.Is(err, gomysql.ErrOldProtocol):
		return core.ErrorInterface, false
	}
	return core.ErrorUnknown, false
}

// ErrorKindOf classifies a MySQL or MariaDB server error number, following
// the DB-API drivers SQLAlchemy uses (mysqlclient, PyMySQL) where they
// agree with the kind of the same condition on PostgreSQL:
//
//   - IntegrityError: 1062 duplicate entry, 1022, 1169, 1586 duplicate key,
//     1451/1452 and 1216/1217 foreign key, 1557/1761/1762 foreign duplicate
//     key, 1048 column cannot be null, 1364 field has no default value
//     (a NOT NULL column left out), 3819 (MySQL) and 4025 (MariaDB) check
//     constraint;
//   - ProgrammingError: syntax (1064, 1149), unknown table, column or
//     database (1146, 1054, 1049, 1051, 1109), ambiguous column (1052),
//     wrong value counts (1058, 1136, 1222, 1241, 1242), GROUP BY misuse
//     (1055, 1056, 1111, 1140), already-existing objects (1007, 1050,
//     1060, 1061), access denied to a table or column (1142, 1143), and
//     similar mistakes in the statement;
//   - DataError: out of range (1264, 1690), truncated or incorrect values
//     (1265, 1292, 1366, 1367, 1406, 1411, 1525), division by zero in
//     strict mode (1365), 1263, 1441;
//   - OperationalError: deadlock 1213, lock wait timeout 1205, too many
//     connections 1040 and 1203, 1226, connection killed 1927 (MariaDB),
//     query interrupted 1317, statement timeouts 3024 (MySQL) and 1969
//     (MariaDB), access denied 1044/1045, out of memory or disk (1037,
//     1038, 1041, 1021, 1114), read-only (1290, 1792), server shutdown
//     1053, 4031, and the client codes 2006, 2013, 2014, 2045, 2055;
//   - NotSupportedError: 1235 not supported yet, 1286 unknown storage
//     engine, 1289 feature disabled, 1196 rollback not complete;
//   - InternalError: any number below 1000 (global and OS errors), as
//     mysqlclient does.
//
// Any other number is a DatabaseError ([core.ErrorUnknown]).
func ErrorKindOf(number uint16) core.ErrorKind {
	switch number {
	case 1022, 1062, 1169, 1586, // duplicate key / entry
		1216, 1217, 1451, 1452, // foreign key
		1557, 1761, 1762, // foreign duplicate key
		1048, 1364, // NOT NULL
		3819, 4025: // CHECK (MySQL, MariaDB)
		return core.ErrorIntegrity
	case 1064, 1149, // syntax
		1146, 1054, 1049, 1051, 1109, // no such table / column / database
		1052,                         // ambiguous column
		1058, 1136, 1222, 1241, 1242, // wrong value / column counts, subquery returns more than one row
		1055, 1056, 1111, 1140, // GROUP BY misuse
		1007, 1050, 1060, 1061, // already exists
		1091, 1093, 1102, 1103, 1110, 1112, 1113, 1166, 1179, 1210, 1247, 1305, 1630,
		1142, 1143: // table / column access denied
		return core.ErrorProgramming
	case 1263, 1264, 1265, 1292, 1365, 1366, 1367, 1406, 1411, 1441, 1525, 1690:
		return core.ErrorData
	case 1213, 1205, // deadlock, lock wait timeout
		1040, 1203, 1226, // too many connections, user limits
		1927, 1317, 3024, 1969, // killed, interrupted, timeouts
		1044, 1045, // access denied
		1037, 1038, 1041, 1021, 1114, // out of memory / disk / table full
		1290, 1792, // read-only
		1053, 1180, 1181, // shutdown, error during commit / rollback
		4031, 2006, 2013, 2014, 2045, 2055:
		return core.ErrorOperational
	case 1235, 1286, 1289, 1196:
		return core.ErrorNotSupported
	}
	if number > 0 && number < 1000 {
		return core.ErrorInternal
	}
	return core.ErrorUnknown
}

// isDisconnectNumber is SQLAlchemy's mysql is_disconnect list.
func isDisconnectNumber(number uint16) bool {
	switch number {
	case 1927, 2006, 2013, 2014, 2045, 2055, 4031:
		return true
	}
	return false
}
