package testdb

import (
	"errors"
	"fmt"
	"net"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestAddress(t *testing.T) {
	cases := []struct {
		name, backend, url string
		wantNet, wantAddr  string
	}{
		// PostgreSQL URLs and key=value strings.
		{"pg default", Postgres, "postgres://postgres@127.0.0.1:5432/test?sslmode=disable", "tcp", "127.0.0.1:5432"},
		{"pg postgresql scheme", Postgres, "postgresql://u:p@db.example:6543/x", "tcp", "db.example:6543"},
		{"pg no port", Postgres, "postgres://u@db.example/x", "tcp", "db.example:5432"},
		{"pg no host", Postgres, "postgres:///test", "tcp", "localhost:5432"},
		{"pg ipv6", Postgres, "postgres://u@[::1]:5433/x", "tcp", "[::1]:5433"},
		{"pg password with at and slash", Postgres, "postgres://u:p%40ss%2Fw@h:5432/x", "tcp", "h:5432"},
		{"pg multi host takes first", Postgres, "postgres://u@h1,h2/x", "tcp", "h1:5432"},
		{"pg socket in query", Postgres, "postgres:///test?host=/run/postgresql", "unix", "/run/postgresql/.s.PGSQL.5432"},
		{"pg port in query", Postgres, "postgres://h/test?port=5499", "tcp", "h:5499"},
		{"pg keywords", Postgres, "host=db port=5433 user=postgres dbname=test", "tcp", "db:5433"},
		{"pg keywords quoted", Postgres, `user='a b\'c' host='h' dbname=x`, "tcp", "h:5432"},
		{"pg keywords socket", Postgres, "host=/var/run/postgresql/ dbname=x", "unix", "/var/run/postgresql/.s.PGSQL.5432"},
		{"pg keywords no host", Postgres, "dbname=x", "tcp", "localhost:5432"},

		// go-sql-driver/mysql DSNs and URLs.
		{"mysql default", MySQL, "root@tcp(127.0.0.1:3306)/test?parseTime=true", "tcp", "127.0.0.1:3306"},
		{"mysql password", MySQL, "u:secret@tcp(db:3307)/x", "tcp", "db:3307"},
		{"mysql password with at and slash", MySQL, "u:p@s/s@tcp(db:3307)/x", "tcp", "db:3307"},
		{"mysql no port", MySQL, "u@tcp(db)/x", "tcp", "db:3306"},
		{"mysql ipv6", MySQL, "u@tcp([::1]:3306)/x", "tcp", "[::1]:3306"},
		{"mysql ipv6 no port", MySQL, "u@tcp([::1])/x", "tcp", "[::1]:3306"},
		{"mysql no address", MySQL, "u@/x", "tcp", "127.0.0.1:3306"},
		{"mysql bare", MySQL, "/x", "tcp", "127.0.0.1:3306"},
		{"mysql tcp empty", MySQL, "u@tcp()/x", "tcp", "127.0.0.1:3306"},
		{"mysql unix", MySQL, "root@unix(/run/mysqld/mysqld.sock)/test", "unix", "/run/mysqld/mysqld.sock"},
		{"mysql url", MySQL, "mysql://root@db:3308/test", "tcp", "db:3308"},
		{"mariadb url no port", MySQL, "mariadb://root@db/test", "tcp", "db:3306"},

		// SQL Server and Oracle URLs.
		{"mssql", MSSQL, "sqlserver://sa:Passw0rd@127.0.0.1:1433?database=test", "tcp", "127.0.0.1:1433"},
		{"mssql no port", MSSQL, "sqlserver://sa:pw@db/instance", "tcp", "db:1433"},
		{"mssql scheme", MSSQL, "mssql://sa:pw@db:14330", "tcp", "db:14330"},
		{"oracle", Oracle, "oracle://system:pw@127.0.0.1:1521/FREEPDB1", "tcp", "127.0.0.1:1521"},
		{"oracle no port", Oracle, "oracle://system:pw@db/XE", "tcp", "db:1521"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			network, addr, err := address(c.backend, c.url)
			if err != nil {
				t.Fatalf("address(%q, %q): %v", c.backend, c.url, err)
			}
			if network != c.wantNet || addr != c.wantAddr {
				t.Errorf("address(%q, %q) = %s %s, want %s %s",
					c.backend, c.url, network, addr, c.wantNet, c.wantAddr)
			}
		})
	}
}

func TestAddressErrors(t *testing.T) {
	cases := []struct {
		name, backend, url, wantErr string
	}{
		{"pg wrong scheme", Postgres, "mysql://h/x", "scheme"},
		{"pg bad port", Postgres, "postgres://h:99999/x", "bad port"},
		{"pg garbage", Postgres, "not a dsn", "key=value"},
		{"pg unterminated quote", Postgres, "host='h", "unterminated"},
		{"mysql no slash", MySQL, "root@tcp(127.0.0.1:3306)", `no "/"`},
		{"mysql unclosed", MySQL, "root@tcp(127.0.0.1:3306/x", "closing parenthesis"},
		{"mysql bad network", MySQL, "root@udp(h:1)/x", "network"},
		{"mysql bad port", MySQL, "root@tcp(h:x)/x", "bad port"},
		{"mssql wrong scheme", MSSQL, "postgres://h", "scheme"},
		{"oracle not a url", Oracle, "system/pw@db:1521/XE", "scheme"},
		{"sqlite", SQLite, "", "no server"},
		{"unknown", "db2", "db2://h", "unknown backend"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := address(c.backend, c.url)
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("address(%q, %q) error = %v, want one containing %q", c.backend, c.url, err, c.wantErr)
			}
		})
	}
}

func TestNames(t *testing.T) {
	want := []string{"sqlite", "postgres", "mysql", "mssql", "oracle"}
	if got := Names(); !slices.Equal(got, want) {
		t.Fatalf("Names() = %v, want %v", got, want)
	}
	Names()[0] = "changed"
	if Names()[0] != "sqlite" {
		t.Fatal("Names returned shared storage")
	}
}

func TestRequired(t *testing.T) {
	cases := []struct {
		env  string
		want []string
	}{
		{"", nil},
		{"postgres,mysql", []string{"postgres", "mysql"}},
		{" Postgres , MYSQL ,", []string{"postgres", "mysql"}},
		{"oracle", []string{"oracle"}},
		{"postgresql", nil}, // not a backend name: no match (and URL fails the test)
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%q", c.env), func(t *testing.T) {
			t.Setenv(RequireEnv, c.env)
			for _, n := range Names() {
				if got, want := Required(n), slices.Contains(c.want, n); got != want {
					t.Errorf("Required(%q) = %v, want %v", n, got, want)
				}
			}
		})
	}
}

// fakeTB records the outcome of one URL call. Skip and Fatal end the calling
// goroutine as the real ones do; any other testing.TB method panics on the
// nil embedded interface, which would show that URL used something unexpected.
type fakeTB struct {
	testing.TB
	skipped, failed bool
	msg             string
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Skip(args ...any) {
	f.skipped, f.msg = true, fmt.Sprint(args...)
	runtime.Goexit()
}

func (f *fakeTB) Skipf(format string, args ...any) { f.Skip(fmt.Sprintf(format, args...)) }

func (f *fakeTB) Fatal(args ...any) {
	f.failed, f.msg = true, fmt.Sprint(args...)
	runtime.Goexit()
}

func (f *fakeTB) Fatalf(format string, args ...any) { f.Fatal(fmt.Sprintf(format, args...)) }

// callURL runs URL(f, name) on its own goroutine, so that Skip and Fatal can
// end it, and returns the URL and the recorded outcome.
func callURL(name string) (string, *fakeTB) {
	f := &fakeTB{}
	var got string
	done := make(chan struct{})
	go func() {
		defer close(done)
		got = URL(f, name)
	}()
	<-done
	return got, f
}

// fakeNet replaces dial for one test: addresses in down fail, others answer.
// It clears the probe cache before and after, and counts dials per address.
func fakeNet(t *testing.T, down ...string) map[string]int {
	t.Helper()
	var mu sync.Mutex
	calls := map[string]int{}
	clearProbes()
	old := dial
	dial = func(network, addr string, _ time.Duration) error {
		mu.Lock()
		defer mu.Unlock()
		calls[network+" "+addr]++
		if slices.Contains(down, addr) {
			return &net.OpError{Op: "dial", Net: network, Err: errors.New("connect: connection refused")}
		}
		return nil
	}
	t.Cleanup(func() {
		dial = old
		clearProbes()
	})
	return calls
}

func clearProbes() {
	probeMu.Lock()
	clear(probeCache)
	probeMu.Unlock()
}

// clearEnv unsets every RETORT_ variable for the test.
func clearEnv(t *testing.T) {
	t.Setenv(RequireEnv, "")
	for _, s := range specs {
		if s.env != "" {
			t.Setenv(s.env, "")
		}
	}
}

func TestURL(t *testing.T) {
	const (
		pgDefault = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
		myDefault = "root@tcp(127.0.0.1:3306)/test?parseTime=true"
	)
	cases := []struct {
		name    string
		backend string
		env     map[string]string
		down    []string // addresses that refuse connections
		want    string   // URL returned when the test goes on
		skip    bool
		fail    bool
		msg     []string // substrings of the skip or failure message
		dials   []string // network+" "+addr expected to be probed
	}{
		{
			name: "sqlite is always there", backend: SQLite,
			down: []string{"127.0.0.1:5432", "127.0.0.1:3306"}, want: "",
		},
		{
			name: "postgres default", backend: Postgres,
			want: pgDefault, dials: []string{"tcp 127.0.0.1:5432"},
		},
		{
			name: "mysql default", backend: MySQL,
			want: myDefault, dials: []string{"tcp 127.0.0.1:3306"},
		},
		{
			name: "postgres from env", backend: Postgres,
			env:  map[string]string{"RETORT_POSTGRES_URL": "postgres://u@db:6000/x"},
			want: "postgres://u@db:6000/x", dials: []string{"tcp db:6000"},
		},
		{
			name: "mysql from env", backend: MySQL,
			env:  map[string]string{"RETORT_MYSQL_URL": "u:p@tcp(db:3310)/x"},
			want: "u:p@tcp(db:3310)/x", dials: []string{"tcp db:3310"},
		},
		{
			name: "mssql from env", backend: MSSQL,
			env:  map[string]string{"RETORT_MSSQL_URL": "sqlserver://sa:pw@db:1433"},
			want: "sqlserver://sa:pw@db:1433", dials: []string{"tcp db:1433"},
		},
		{
			name: "oracle from env", backend: Oracle,
			env:  map[string]string{"RETORT_ORACLE_URL": "oracle://s:pw@db:1521/XE"},
			want: "oracle://s:pw@db:1521/XE", dials: []string{"tcp db:1521"},
		},
		{
			name: "postgres down skips", backend: Postgres,
			down: []string{"127.0.0.1:5432"}, skip: true,
			msg:   []string{"postgres: not reachable (set RETORT_POSTGRES_URL): 127.0.0.1:5432: ", "connection refused"},
			dials: []string{"tcp 127.0.0.1:5432"},
		},
		{
			name: "mysql down skips", backend: MySQL,
			down: []string{"127.0.0.1:3306"}, skip: true,
			msg: []string{"mysql: not reachable (set RETORT_MYSQL_URL): 127.0.0.1:3306: "},
		},
		{
			name: "postgres down but required fails", backend: Postgres,
			env:  map[string]string{RequireEnv: "postgres,mysql"},
			down: []string{"127.0.0.1:5432"}, fail: true,
			msg: []string{"postgres: not reachable (set RETORT_POSTGRES_URL; RETORT_REQUIRE lists it", "127.0.0.1:5432"},
		},
		{
			name: "mysql required elsewhere does not make postgres required", backend: Postgres,
			env:  map[string]string{RequireEnv: "mysql"},
			down: []string{"127.0.0.1:5432"}, skip: true,
			msg: []string{"set RETORT_POSTGRES_URL"},
		},
		{
			name: "required and up", backend: MySQL,
			env:  map[string]string{RequireEnv: "postgres,mysql"},
			want: myDefault,
		},
		{
			name: "mssql without URL skips without dialling", backend: MSSQL,
			skip: true, msg: []string{"mssql: not reachable (set RETORT_MSSQL_URL): no URL given"},
		},
		{
			name: "oracle without URL skips", backend: Oracle,
			skip: true, msg: []string{"oracle: not reachable (set RETORT_ORACLE_URL): no URL given"},
		},
		{
			name: "mssql without URL but required fails", backend: MSSQL,
			env:  map[string]string{RequireEnv: "mssql"},
			fail: true, msg: []string{"mssql: not reachable (set RETORT_MSSQL_URL; RETORT_REQUIRE lists it"},
		},
		{
			name: "blank variable means default", backend: Postgres,
			env:  map[string]string{"RETORT_POSTGRES_URL": "   "},
			want: pgDefault,
		},
		{
			name: "unparseable URL fails even when not required", backend: MySQL,
			env:  map[string]string{"RETORT_MYSQL_URL": "root@tcp(127.0.0.1:3306)"},
			fail: true, msg: []string{"testdb: mysql: cannot parse RETORT_MYSQL_URL"},
		},
		{
			name: "unknown backend fails", backend: "postgresql",
			fail: true, msg: []string{`testdb: unknown backend "postgresql"`},
		},
		{
			name: "misspelt RETORT_REQUIRE fails", backend: SQLite,
			env:  map[string]string{RequireEnv: "postgres,mysq"},
			fail: true, msg: []string{`RETORT_REQUIRE lists unknown backend "mysq"`},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			clearEnv(t)
			for k, v := range c.env {
				t.Setenv(k, v)
			}
			calls := fakeNet(t, c.down...)
			got, f := callURL(c.backend)

			switch {
			case c.skip && !f.skipped, c.fail && !f.failed,
				!c.skip && !c.fail && (f.skipped || f.failed):
				t.Fatalf("URL(%q): skipped=%v failed=%v msg=%q; want skip=%v fail=%v",
					c.backend, f.skipped, f.failed, f.msg, c.skip, c.fail)
			}
			if !c.skip && !c.fail && got != c.want {
				t.Errorf("URL(%q) = %q, want %q", c.backend, got, c.want)
			}
			for _, m := range c.msg {
				if !strings.Contains(f.msg, m) {
					t.Errorf("message %q does not contain %q", f.msg, m)
				}
			}
			if strings.Contains(f.msg, "\n") {
				t.Errorf("message is not one line: %q", f.msg)
			}
			if c.dials != nil {
				var got []string
				for k := range calls {
					got = append(got, k)
				}
				slices.Sort(got)
				if !slices.Equal(got, c.dials) {
					t.Errorf("dialled %v, want %v", got, c.dials)
				}
			}
			if c.backend == SQLite || (c.backend == MSSQL && c.env["RETORT_MSSQL_URL"] == "") {
				if len(calls) != 0 {
					t.Errorf("dialled %v, want nothing", calls)
				}
			}
		})
	}
}

func TestURLProbesOnce(t *testing.T) {
	clearEnv(t)
	calls := fakeNet(t, "127.0.0.1:3306")
	for range 3 {
		callURL(Postgres)
		callURL(MySQL)
	}
	want := map[string]int{"tcp 127.0.0.1:5432": 1, "tcp 127.0.0.1:3306": 1}
	if fmt.Sprint(calls) != fmt.Sprint(want) {
		t.Errorf("dials = %v, want %v", calls, want)
	}
}

// TestURLRealDial checks the real probe against a listener of our own and
// against a port nobody listens on.
func TestURLRealDial(t *testing.T) {
	clearEnv(t)
	clearProbes()
	t.Cleanup(clearProbes)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	up := "postgres://postgres@" + ln.Addr().String() + "/test?sslmode=disable"
	t.Setenv("RETORT_POSTGRES_URL", up)
	if got, f := callURL(Postgres); f.skipped || f.failed || got != up {
		t.Fatalf("listening server: URL = %q, skipped=%v failed=%v msg=%q", got, f.skipped, f.failed, f.msg)
	}

	// Close a second listener to get a port that refuses connections.
	ln2, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln2.Addr().String()
	ln2.Close()
	ln.Close()
	t.Setenv("RETORT_MYSQL_URL", "root@tcp("+addr+")/test")
	start := time.Now()
	_, f := callURL(MySQL)
	if !f.skipped || !strings.HasPrefix(f.msg, "mysql: not reachable (set RETORT_MYSQL_URL): "+addr+": ") {
		t.Fatalf("closed port: skipped=%v failed=%v msg=%q", f.skipped, f.failed, f.msg)
	}
	if d := time.Since(start); d > 2*probeTimeout {
		t.Errorf("probe took %v, want at most about %v", d, probeTimeout)
	}
}

func TestEach(t *testing.T) {
	clearEnv(t)
	t.Setenv("RETORT_MSSQL_URL", "sqlserver://sa:pw@mssql.test:1433")
	// Oracle has no URL and PostgreSQL refuses: both subtests are skipped
	// (they show as SKIP in -v output), and fn never sees them.
	fakeNet(t, "127.0.0.1:5432")

	var got []Backend
	Each(t, func(t *testing.T, b Backend) {
		if want := strings.Split(t.Name(), "/")[1]; b.Name != want {
			t.Errorf("subtest %s got backend %q", t.Name(), b.Name)
		}
		got = append(got, b)
	})
	want := []Backend{
		{Name: "sqlite"},
		{Name: "mysql", Env: "RETORT_MYSQL_URL", URL: "root@tcp(127.0.0.1:3306)/test?parseTime=true"},
		{Name: "mssql", Env: "RETORT_MSSQL_URL", URL: "sqlserver://sa:pw@mssql.test:1433"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("Each ran fn with\n%+v\nwant\n%+v", got, want)
	}
}

func TestMySQLURL(t *testing.T) {
	for dsn, want := range map[string]string{
		"root@tcp(127.0.0.1:3306)/test?parseTime=true": "mysql://root@127.0.0.1:3306/test?parseTime=true",
		"u:p@tcp(db:3307)/x":                           "mysql://u:p@db:3307/x",
		"mysql://root@h/db":                            "mysql://root@h/db",
	} {
		if got := MySQLURL(dsn); got != want {
			t.Errorf("MySQLURL(%q) = %q, want %q", dsn, got, want)
		}
	}
}
