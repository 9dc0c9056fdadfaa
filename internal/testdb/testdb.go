// Package testdb is the one place where Retort's tests find their database
// backends.
//
// A test asks for a backend by name ([SQLite], [Postgres], [MySQL], [MSSQL],
// [Oracle]) with [URL], or runs once per backend with [Each]. The URL comes
// from the backend's environment variable, falling back to a local default for
// PostgreSQL and MySQL/MariaDB only:
//
//	backend   variable              default
//	sqlite    none                  "" (an in-memory database)
//	postgres  RETORT_POSTGRES_URL   postgres://postgres@127.0.0.1:5432/test?sslmode=disable
//	mysql     RETORT_MYSQL_URL      root@tcp(127.0.0.1:3306)/test?parseTime=true
//	mssql     RETORT_MSSQL_URL      none
//	oracle    RETORT_ORACLE_URL     none
//
// Before handing a URL out, the package checks that the server answers: it
// opens a TCP (or Unix socket) connection to the address in the URL, with a
// one-second timeout, and closes it. A backend that does not answer skips the
// test with one line naming the variable to set, unless the comma-separated
// RETORT_REQUIRE variable lists it: then the test fails, so a CI run that
// requires a server can never pass by skipping. CI sets
// RETORT_REQUIRE=postgres,mysql (see .ci/run).
//
// testdb imports no database driver and no Retort package, so any package's
// tests may use it without pulling a dialect in. It does not open database
// connections, create schemas or clean up tables: that belongs to the tests
// and to the scenario suites under tests/. A probe result is cached for the
// life of the test binary, so a whole package pays for each probe once.
package testdb

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Backend names, as used in RETORT_REQUIRE and as subtest names in [Each].
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
	MySQL    = "mysql"
	MSSQL    = "mssql"
	Oracle   = "oracle"
)

// RequireEnv is the environment variable listing, comma-separated, the
// backends whose absence fails a test instead of skipping it.
const RequireEnv = "RETORT_REQUIRE"

// probeTimeout bounds the reachability check of one address.
const probeTimeout = time.Second

// Backend is one database a test can run against.
type Backend struct {
	// Name is one of "sqlite", "postgres", "mysql", "mssql", "oracle".
	Name string
	// Env is the environment variable that holds the URL; empty for SQLite.
	Env string
	// URL is the connection URL or DSN in the form the backend's driver
	// takes; empty for SQLite, which means an in-memory database.
	URL string
}

type spec struct {
	name, env, fallback string
}

// specs lists the backends in the order [Names] and [Each] use.
var specs = []spec{
	{SQLite, "", ""},
	{Postgres, "RETORT_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"},
	{MySQL, "RETORT_MYSQL_URL", "root@tcp(127.0.0.1:3306)/test?parseTime=true"},
	{MSSQL, "RETORT_MSSQL_URL", ""},
	{Oracle, "RETORT_ORACLE_URL", ""},
}

// dial opens and closes one connection; tests replace it.
var dial = func(network, addr string, timeout time.Duration) error {
	c, err := net.DialTimeout(network, addr, timeout)
	if err != nil {
		return err
	}
	return c.Close()
}

func lookup(name string) (spec, bool) {
	for _, s := range specs {
		if s.name == name {
			return s, true
		}
	}
	return spec{}, false
}

// Names returns the names of all five backends, SQLite first.
func Names() []string {
	names := make([]string, len(specs))
	for i, s := range specs {
		names[i] = s.name
	}
	return names
}

// Required reports whether RETORT_REQUIRE lists the backend name. Entries are
// separated by commas; case and surrounding spaces are ignored.
func Required(name string) bool {
	for _, n := range requireList() {
		if n == name {
			return true
		}
	}
	return false
}

func requireList() []string {
	var names []string
	for _, n := range strings.Split(os.Getenv(RequireEnv), ",") {
		if n = strings.ToLower(strings.TrimSpace(n)); n != "" {
			names = append(names, n)
		}
	}
	return names
}

// checkRequireList returns an error naming the first entry of RETORT_REQUIRE
// that is no backend, so that a misspelt name cannot silently require nothing.
func checkRequireList() error {
	for _, n := range requireList() {
		if _, ok := lookup(n); !ok {
			return fmt.Errorf("%s lists unknown backend %q (known: %s)",
				RequireEnv, n, strings.Join(Names(), ", "))
		}
	}
	return nil
}

// URL returns the URL of the named backend: the value of its environment
// variable, or the default for PostgreSQL and MySQL, or "" for SQLite.
//
// Unless the backend is SQLite, URL first checks that its server accepts
// connections. If it does not, or no URL is known for it, the test is skipped
// with one line naming the variable to set, or fails when RETORT_REQUIRE lists
// the backend. An unknown backend name, a URL that cannot be parsed and an
// unknown name in RETORT_REQUIRE fail the test.
func URL(t testing.TB, name string) string {
	t.Helper()
	b, err := resolve(name)
	var down unreachable
	switch {
	case err == nil:
		return b.URL
	case errors.As(err, &down) && !Required(name):
		t.Skip(down.Error())
	case errors.As(err, &down):
		t.Fatal(down.Error())
	default:
		t.Fatalf("testdb: %v", err)
	}
	return ""
}

// Each runs fn as a subtest, named after the backend, for each of the five
// backends in [Names] order. Each subtest first calls [URL], so an unreachable
// backend's subtest is skipped (or fails, when required) before fn runs; SQLite
// is always reachable.
func Each(t *testing.T, fn func(t *testing.T, b Backend)) {
	t.Helper()
	for _, s := range specs {
		t.Run(s.name, func(t *testing.T) {
			t.Helper()
			u := URL(t, s.name)
			fn(t, Backend{Name: s.name, Env: s.env, URL: u})
		})
	}
}

// resolve finds the backend's URL and probes its server. It returns an
// [unreachable] error when the server does not answer or no URL is known, and
// any other error for a mistake in the configuration or in the caller's code.
func resolve(name string) (Backend, error) {
	if err := checkRequireList(); err != nil {
		return Backend{}, err
	}
	s, ok := lookup(name)
	if !ok {
		return Backend{}, fmt.Errorf("unknown backend %q (known: %s)", name, strings.Join(Names(), ", "))
	}
	b := Backend{Name: s.name, Env: s.env}
	if s.name == SQLite {
		return b, nil
	}
	b.URL = strings.TrimSpace(os.Getenv(s.env))
	if b.URL == "" {
		b.URL = s.fallback
	}
	if b.URL == "" {
		return b, unreachable{b, "", errors.New("no URL given")}
	}
	network, addr, err := address(s.name, b.URL)
	if err != nil {
		return b, fmt.Errorf("%s: cannot parse %s: %v", s.name, s.env, err)
	}
	if err := probe(network, addr); err != nil {
		return b, unreachable{b, addr, err}
	}
	return b, nil
}

// unreachable is the error resolve returns for a backend whose server does not
// answer; URL turns it into a skip or, when required, a failure.
type unreachable struct {
	b    Backend
	addr string
	err  error
}

func (u unreachable) Error() string {
	// One line: a dial error never holds a newline, but be sure of it.
	reason := strings.ReplaceAll(u.err.Error(), "\n", " ")
	if u.addr != "" {
		reason = u.addr + ": " + reason
	}
	if Required(u.b.Name) {
		return fmt.Sprintf("%s: not reachable (set %s; %s lists it, so it must be up): %s",
			u.b.Name, u.b.Env, RequireEnv, reason)
	}
	return fmt.Sprintf("%s: not reachable (set %s): %s", u.b.Name, u.b.Env, reason)
}

var (
	probeMu    sync.Mutex
	probeCache = map[string]error{}
)

// probe dials network/addr once per test binary and remembers the answer.
func probe(network, addr string) error {
	key := network + " " + addr
	probeMu.Lock()
	defer probeMu.Unlock()
	if err, ok := probeCache[key]; ok {
		return err
	}
	err := dial(network, addr, probeTimeout)
	probeCache[key] = err
	return err
}

// address returns the network ("tcp" or "unix") and address that the named
// backend's URL connects to, without contacting it. It understands:
//
//   - postgres: postgres:// and postgresql:// URLs, and key=value
//     connection strings (host=... port=...); a host that starts with "/" is
//     a Unix socket directory, as in libpq;
//   - mysql: go-sql-driver DSNs, user:pass@tcp(host:port)/db?params and
//     user@unix(/path)/db, and mysql:// or mariadb:// URLs;
//   - mssql: sqlserver:// and mssql:// URLs;
//   - oracle: oracle://user:pass@host:port/service URLs.
//
// A missing port is the backend's standard one (5432, 3306, 1433, 1521).
func address(name, rawURL string) (network, addr string, err error) {
	switch name {
	case Postgres:
		if strings.Contains(rawURL, "://") {
			return urlAddress(rawURL, "5432", "postgres", "postgresql")
		}
		return pgKeywordAddress(rawURL)
	case MySQL:
		if strings.Contains(rawURL, "://") {
			return urlAddress(rawURL, "3306", "mysql", "mariadb")
		}
		return mysqlDSNAddress(rawURL)
	case MSSQL:
		return urlAddress(rawURL, "1433", "sqlserver", "mssql")
	case Oracle:
		return urlAddress(rawURL, "1521", "oracle")
	case SQLite:
		return "", "", errors.New("sqlite has no server address")
	}
	return "", "", fmt.Errorf("unknown backend %q", name)
}

// urlAddress parses scheme://[userinfo@]host[:port][/path][?query].
func urlAddress(raw, defPort string, schemes ...string) (string, string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", "", err
	}
	if !matchScheme(u.Scheme, schemes) {
		return "", "", fmt.Errorf("scheme %q, want %s://", u.Scheme, strings.Join(schemes, ":// or "))
	}
	host, port := u.Hostname(), u.Port()
	if i := strings.IndexByte(host, ','); i >= 0 { // libpq multi-host: try the first
		host = host[:i]
	}
	if schemes[0] == "postgres" {
		// libpq lets the query name the host and port, e.g. a socket directory.
		if h := u.Query().Get("host"); h != "" {
			host = h
		}
		if p := u.Query().Get("port"); p != "" {
			port = p
		}
		return pgAddress(host, port)
	}
	if host == "" {
		host = "127.0.0.1"
	}
	if port == "" {
		port = defPort
	}
	if err := checkPort(port); err != nil {
		return "", "", err
	}
	return "tcp", net.JoinHostPort(host, port), nil
}

func matchScheme(s string, schemes []string) bool {
	for _, want := range schemes {
		if strings.EqualFold(s, want) {
			return true
		}
	}
	return false
}

// pgKeywordAddress parses a libpq key=value connection string. Values may be
// single-quoted with backslash escapes.
func pgKeywordAddress(dsn string) (string, string, error) {
	var host, port string
	rest := strings.TrimSpace(dsn)
	for rest != "" {
		eq := strings.IndexByte(rest, '=')
		if eq <= 0 {
			return "", "", fmt.Errorf("not a URL and not key=value pairs: %q", rest)
		}
		key := strings.TrimSpace(rest[:eq])
		rest = strings.TrimLeft(rest[eq+1:], " \t")
		var val string
		if strings.HasPrefix(rest, "'") {
			var b strings.Builder
			i := 1
			for ; i < len(rest) && rest[i] != '\''; i++ {
				if rest[i] == '\\' && i+1 < len(rest) {
					i++
				}
				b.WriteByte(rest[i])
			}
			if i >= len(rest) {
				return "", "", errors.New("unterminated quoted value")
			}
			val, rest = b.String(), rest[i+1:]
		} else {
			end := strings.IndexAny(rest, " \t")
			if end < 0 {
				end = len(rest)
			}
			val, rest = rest[:end], rest[end:]
		}
		rest = strings.TrimLeft(rest, " \t")
		switch key {
		case "host":
			host = val
		case "port":
			port = val
		}
	}
	if i := strings.IndexByte(host, ','); i >= 0 {
		host = host[:i]
	}
	if i := strings.IndexByte(port, ','); i >= 0 {
		port = port[:i]
	}
	return pgAddress(host, port)
}

// pgAddress applies libpq's rules: no host means localhost, and a host
// starting with "/" is the directory holding the socket .s.PGSQL.<port>.
func pgAddress(host, port string) (string, string, error) {
	if port == "" {
		port = "5432"
	}
	if err := checkPort(port); err != nil {
		return "", "", err
	}
	if strings.HasPrefix(host, "/") {
		return "unix", strings.TrimSuffix(host, "/") + "/.s.PGSQL." + port, nil
	}
	if host == "" {
		host = "localhost"
	}
	return "tcp", net.JoinHostPort(host, port), nil
}

// mysqlDSNAddress parses [user[:password]@][net[(addr)]]/dbname[?params] the
// way go-sql-driver/mysql's ParseDSN does: the last "/" ends the address part
// and the last "@" before it ends the user part, so a password may hold either.
func mysqlDSNAddress(dsn string) (string, string, error) {
	slash := strings.LastIndexByte(dsn, '/')
	if slash < 0 {
		return "", "", errors.New(`DSN has no "/" before the database name`)
	}
	left := dsn[:slash]
	if at := strings.LastIndexByte(left, '@'); at >= 0 {
		left = left[at+1:]
	}
	network, addr := left, ""
	if open := strings.IndexByte(left, '('); open >= 0 {
		if !strings.HasSuffix(left, ")") {
			return "", "", fmt.Errorf("address %q lacks its closing parenthesis", left)
		}
		network, addr = left[:open], left[open+1:len(left)-1]
	}
	if network == "" {
		network = "tcp"
	}
	switch network {
	case "tcp", "tcp4", "tcp6":
		if addr == "" {
			addr = "127.0.0.1:3306"
		}
		host, port, err := net.SplitHostPort(addr)
		if err != nil { // no port: the driver adds the default
			host, port = strings.Trim(addr, "[]"), "3306"
		}
		if err := checkPort(port); err != nil {
			return "", "", err
		}
		return network, net.JoinHostPort(host, port), nil
	case "unix":
		if addr == "" {
			addr = "/tmp/mysql.sock"
		}
		return "unix", addr, nil
	}
	return "", "", fmt.Errorf("network %q, want tcp or unix", network)
}

func checkPort(p string) error {
	if n, err := strconv.Atoi(p); err != nil || n <= 0 || n > 65535 {
		return fmt.Errorf("bad port %q", p)
	}
	return nil
}

// EngineURL returns the URL core.CreateEngine takes for b: "sqlite://"
// (an in-memory database) for SQLite, b.URL for PostgreSQL, and for
// MySQL/MariaDB the go-sql-driver DSN turned into a mysql:// URL. For a
// backend it has no form for (SQL Server, Oracle) it skips the test.
func EngineURL(t testing.TB, b Backend) string {
	t.Helper()
	switch b.Name {
	case SQLite:
		return "sqlite://"
	case MySQL:
		return MySQLURL(b.URL)
	case Postgres:
		return b.URL
	}
	t.Skipf("no engine URL for %s", b.Name)
	return ""
}

// MySQLURL turns a go-sql-driver DSN (user[:pass]@tcp(host:port)/db?params)
// into the mysql:// URL form; a URL is returned as it is.
func MySQLURL(dsn string) string {
	if strings.Contains(dsn, "://") {
		return dsn
	}
	user, rest, _ := strings.Cut(dsn, "@")
	addr := ""
	if strings.HasPrefix(rest, "tcp(") {
		end := strings.IndexByte(rest, ')')
		addr, rest = rest[4:end], rest[end+1:]
	}
	return "mysql://" + user + "@" + addr + rest
}
