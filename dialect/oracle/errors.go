package oracle

import (
	"errors"

	"github.com/retort-orm/retort/core"
	"github.com/sijms/go-ora/v2/network"
)

var _ core.ErrorTranslator = (*Dialect)(nil)

// TranslateError implements [core.ErrorTranslator] for
// github.com/sijms/go-ora/v2: a *network.OracleError is classified by its
// ErrCode, the number of its ORA- code ([ErrorKindOf]), and reports a
// disconnect for the codes of [IsDisconnectCode]. network.ErrConnReset
// (go-ora broke the connection on a context timeout) and the errors of
// [core.ConnectionLost] (driver.ErrBadConn, io.EOF, network errors) are
// OperationalErrors with a disconnect.
func (d *Dialect) TranslateError(err error) (core.ErrorKind, bool) {
	var oe *network.OracleError
	if errors.As(err, &oe) {
		return ErrorKindOf(oe.ErrCode), IsDisconnectCode(oe.ErrCode)
	}
	if errors.Is(err, network.ErrConnReset) || core.ConnectionLost(err) {
		return core.ErrorOperational, true
	}
	return core.ErrorUnknown, false
}

// ErrorKindOf classifies an Oracle error number (1 for ORA-00001):
//
//   - IntegrityError: ORA-00001 unique constraint, 02291/02292 foreign key
//     (parent key not found, child record found), 01400/01407 NULL into or
//     to a NOT NULL column, 02290 check constraint, 21525 attribute
//     constraint;
//   - ProgrammingError: ORA-00900 to 00999 (invalid SQL: 00933 not properly
//     ended, 00936 missing expression, 00942 table or view does not exist,
//     00904 invalid identifier, 00918 ambiguous column, 00955 name already
//     used, …), 01008/01006/01036 bind variables, 01031 insufficient
//     privileges, 01427 single-row subquery returns more than one row,
//     01747, 01756, 01789, 02289 sequence does not exist, 04043 object does
//     not exist, 06550 PL/SQL compilation error, DDL mistakes (01408,
//     01418, 01430, 01442, 01451, 02260, 02264, 02275, 02443, 02449);
//   - DataError: 01438 value larger than precision, 12899 value too large
//     for column, 01401, 01722 invalid number, 01476 divisor is zero, 01426
//     numeric overflow, 01455, 06502, 01481, 01489, 01428, 01410, and the
//     datetime conversions (01830, 01839, 01840, 01841, 01843, 01847,
//     01850–01852, 01858, 01861, 01873, 01878);
//   - OperationalError: 00060 deadlock, 00054 and 30006 resource busy,
//     00051, 02049 lock timeouts, 01013 cancelled, 01555 snapshot too old,
//     08177 cannot serialize access, 01017/01045 login refused, 00018/00020
//     sessions or processes exhausted, 02391, 04031, space (01536, 01652,
//     01653, 01654, 30036), 16000 read-only, the TNS errors (12154, 12505,
//     12514, 12516, 12519, 12520, 12521, 12526, 12527, 12528, 12537, 12541,
//     12543, 12545, 12547, 12560, 12170, 12571) and every code of
//     [IsDisconnectCode];
//   - InternalError: ORA-00600 and ORA-07445;
//   - NotSupportedError: ORA-03001 unimplemented feature.
//
// Any other code is a DatabaseError ([core.ErrorUnknown]).
func ErrorKindOf(code int) core.ErrorKind {
	switch code {
	case 1, 2291, 2292, 1400, 1407, 2290, 21525:
		return core.ErrorIntegrity
	case 942, 1008, 1006, 1036, 1031, 1427, 1747, 1756, 1789, 2289, 4043, 6550,
		1408, 1418, 1430, 1442, 1451, 2260, 2264, 2275, 2443, 2449:
		return core.ErrorProgramming
	case 1438, 12899, 1401, 1722, 1476, 1426, 1455, 6502, 1481, 1489, 1428, 1410,
		1830, 1839, 1840, 1841, 1843, 1847, 1850, 1851, 1852, 1858, 1861, 1873, 1878:
		return core.ErrorData
	case 60, 54, 30006, 51, 2049, 1013, 1555, 8177, 1017, 1045, 18, 20, 2391, 4031,
		1536, 1652, 1653, 1654, 30036, 16000,
		12154, 12505, 12514, 12516, 12519, 12520, 12521, 12526, 12527, 12528, 12537, 12541,
		12543, 12545, 12547, 12560, 12170, 12571:
		return core.ErrorOperational
	case 600, 7445:
		return core.ErrorInternal
	case 3001:
		return core.ErrorNotSupported
	}
	switch {
	case code >= 900 && code <= 999:
		return core.ErrorProgramming
	case IsDisconnectCode(code):
		return core.ErrorOperational
	}
	return core.ErrorUnknown
}

// IsDisconnectCode reports whether an Oracle error number means the
// session is gone. It is the union of SQLAlchemy's oracle dialect list
// (ORA-00028 session killed, 01033 initialisation or shutdown in progress,
// 02396 idle time exceeded, 03113 end-of-file on communication channel,
// 03114 not connected, 03135 connection lost contact), go-ora's own
// OracleError.Bad list (01012 not logged on, 01034 not available, 01089
// immediate shutdown, 12528, 12537) and 01092 instance terminated, 06413
// connection not open, 12170 connect timeout, 12514 and 12541 no listener
// or service, 12547 lost contact, 12560 protocol adapter error, 12571
// packet writer failure, 28547 connection failed.
func IsDisconnectCode(code int) bool {
	switch code {
	case 28, 1033, 2396, 3113, 3114, 3135,
		1012, 1034, 1089, 12528, 12537,
		1092, 6413, 12170, 12514, 12541, 12547, 12560, 12571, 28547:
		return true
	}
	return false
}
