package core

import (
	"net/url"
	"strconv"
	"strings"
)

// URL is a parsed database URL, SQLAlchemy's URL object:
// scheme://user:password@host:port/database?query. Dialects use it to turn
// the URL given to [CreateEngine] into their driver's DSN.
type URL struct {
	// Scheme is the part before "://", lower case ("postgresql",
	// "mysql", "sqlite", "mssql+go-mssqldb" …).
	Scheme   string
	User     string
	Password string
	// HasPassword distinguishes an empty password from none.
	HasPassword bool
	Host        string
	// Port is 0 when the URL has none.
	Port int
	// Database is the path without its leading "/" (for SQLite, the file
	// path after "sqlite:///").
	Database string
	Query    url.Values
}

// ParseURL parses a database URL. Userinfo and query are percent-decoded.
func ParseURL(raw string) (*URL, error) {
	scheme, _, ok := strings.Cut(raw, "://")
	if !ok || scheme == "" {
		return nil, &ArgumentError{Msg: "database URL " + strconv.Quote(RedactURL(raw)) + " has no scheme (want scheme://…)"}
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, &ArgumentError{Msg: "database URL " + strconv.Quote(RedactURL(raw)) + ": " + redactErr(err)}
	}
	out := &URL{Scheme: strings.ToLower(scheme), Host: u.Hostname(), Query: u.Query()}
	if u.User != nil {
		out.User = u.User.Username()
		out.Password, out.HasPassword = u.User.Password()
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n <= 0 || n > 65535 {
			return nil, &ArgumentError{Msg: "database URL " + strconv.Quote(RedactURL(raw)) + ": bad port " + strconv.Quote(p)}
		}
		out.Port = n
	}
	out.Database = strings.TrimPrefix(u.Path, "/")
	return out, nil
}

// URLScheme returns the scheme of a database URL ("" when it has none).
func URLScheme(raw string) string {
	scheme, _, ok := strings.Cut(raw, "://")
	if !ok {
		return ""
	}
	return strings.ToLower(scheme)
}

// RedactURL returns raw with its password replaced by "***", for messages
// and logs.
func RedactURL(raw string) string {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return raw
	}
	at := strings.LastIndexByte(rest, '@')
	slash := strings.IndexByte(rest, '/')
	if at < 0 || (slash >= 0 && slash < at) {
		return raw
	}
	user, _, hasPass := strings.Cut(rest[:at], ":")
	if !hasPass {
		return raw
	}
	return scheme + "://" + user + ":***" + rest[at:]
}

func redactErr(err error) string {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err.Error()
	}
	return err.Error()
}

// Addr is host:port with the default port when the URL has none.
func (u *URL) Addr(defaultPort int) string {
	p := u.Port
	if p == 0 {
		p = defaultPort
	}
	h := u.Host
	if h == "" {
		h = "localhost"
	}
	if strings.IndexByte(h, ':') >= 0 {
		h = "[" + h + "]"
	}
	return h + ":" + strconv.Itoa(p)
}
