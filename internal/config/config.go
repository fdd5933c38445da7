// Package config turns the environment (and the .env file) into one validated
// Config value at start-up (SPEC §2). All defaults, accepted syntaxes and
// configuration error messages live here; nothing else in the program reads
// environment variables.
//
// Load is pure: it parses a map of variables. Environment builds that map from
// the process environment and the .env file. Creating the database file or
// listening on the address is not done here; cmd/sleep-api and the store do it.
package config

import (
	"encoding/base64"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"sleeptracker/internal/auth"
	"sleeptracker/internal/sleep"
)

// MemoryDatabase is the DatabasePath of DATABASE_URL=sqlite::memory:.
const MemoryDatabase = ":memory:"

// defaultSessionLifetime is the server-side lifetime when SESSION_TTL_HOURS
// is 0, i.e. browser-session cookies (SPEC §4.4, §4.5).
const defaultSessionLifetime = 12 * time.Hour

// Config is the validated configuration of sleep-api (SPEC §2.2). Build it
// with Load; pass it down instead of reading the environment again.
type Config struct {
	// DatabaseURL is DATABASE_URL as given (or its default), for logging.
	DatabaseURL string
	// DatabasePath is the SQLite file path from DatabaseURL, or
	// MemoryDatabase (":memory:") for sqlite::memory:. The store creates
	// missing folders and the file.
	DatabasePath string
	// AdminEmail is the trimmed login email (compared case-insensitively).
	AdminEmail string
	// AdminPasswordHash is the parsed ADMIN_PASSWORD_HASH; nil when unset,
	// in which case the stored first-run hash is used (SPEC §2.5).
	AdminPasswordHash *auth.PasswordHash
	// SessionSecret is the decoded SESSION_SECRET (≥ 32 bytes); nil when
	// unset, in which case the secret persisted in the database is used.
	SessionSecret []byte
	// CookieSecure selects __Host- cookie names and the Secure attribute.
	CookieSecure bool
	// EnableHSTS adds Strict-Transport-Security to responses.
	EnableHSTS bool
	// SessionTTLHours is 0–8760; use SessionLifetime and CookieMaxAge.
	SessionTTLHours int
	// AppTZ is the fallback user time zone name (SPEC §6.7), e.g. "UTC".
	AppTZ string
	// AppLocation is AppTZ loaded from the embedded tz database.
	AppLocation *time.Location
	// BindAddr is the validated host:port to listen on (port 0 = any free port).
	BindAddr string
	// LogLevel is the minimum level of the structured log.
	LogLevel slog.Level
	// TrustedProxies are the reverse proxies whose X-Forwarded-For is
	// believed; single addresses are stored as /32 or /128 prefixes.
	TrustedProxies []netip.Prefix
	// ImportMaxMB is IMPORT_MAX_MB, 1–16384: the largest import upload in
	// MiB (SPEC §13.4).
	ImportMaxMB int
	// BackupDir is the folder of scheduled backups (SPEC §13.2); "" = off.
	// The scheduler creates it (0700) when missing.
	BackupDir string
	// BackupIntervalHours (1–8760) is the time between scheduled backups.
	BackupIntervalHours int
	// BackupKeep (1–1000) is how many of the newest scheduled backups are kept.
	BackupKeep int
}

// SessionLifetime is how long a login session lives on the server: the TTL,
// or 12 hours when SESSION_TTL_HOURS is 0.
func (c Config) SessionLifetime() time.Duration {
	if c.SessionTTLHours == 0 {
		return defaultSessionLifetime
	}
	return time.Duration(c.SessionTTLHours) * time.Hour
}

// CookieMaxAge is the Max-Age of the session and CSRF cookies in seconds;
// 0 means "omit Max-Age" (browser-session cookies).
func (c Config) CookieMaxAge() int {
	return c.SessionTTLHours * 3600
}

// Error is a configuration error. Its message is "config: <Variable>: <Problem>"
// exactly as in SPEC §2.2, so main only prefixes "sleep-api: ".
type Error struct {
	// Variable names the culprit: an environment variable such as APP_TZ,
	// ".env" when the file cannot be read, or ".env line N" for a syntax error.
	Variable string
	// Problem is the user-facing description, e.g. `unknown time zone "X"`.
	Problem string
}

func (e *Error) Error() string { return "config: " + e.Variable + ": " + e.Problem }

// variable describes one environment variable: its default, its help line and
// how it is parsed into Config. The one table below drives Load and
// VariablesHelp, so the two cannot disagree.
type variable struct {
	name string
	// fallback is the value used when the variable is unset or empty;
	// "" means the Config field stays at its zero value (nil).
	fallback string
	// unsetMeaning describes the behaviour when fallback is "".
	unsetMeaning string
	help         string
	// parse stores the trimmed, non-empty value into c or returns the
	// problem (the part after "config: NAME: ").
	parse func(c *Config, value string) error
}

var variables = []variable{
	{
		name: "DATABASE_URL", fallback: "sqlite://./data/sleep.db",
		help:  "SQLite database: sqlite:PATH, sqlite://REL, sqlite:///ABS, sqlite::memory: or a plain path",
		parse: parseDatabaseURL,
	},
	{
		name: "ADMIN_EMAIL", fallback: "admin@example.com",
		help:  "login email (compared case-insensitively)",
		parse: func(c *Config, v string) error { c.AdminEmail = v; return nil },
	},
	{
		name: "ADMIN_PASSWORD_HASH", unsetMeaning: "a first-run password is generated and shown once",
		help:  "argon2id PHC string from pw-hash; in .env wrap it in 'single quotes'",
		parse: parseAdminPasswordHash,
	},
	{
		name: "SESSION_SECRET", unsetMeaning: "generated once and kept in the database",
		help:  "base64 of at least 32 random bytes (openssl rand -base64 32)",
		parse: parseSessionSecret,
	},
	{
		name: "COOKIE_SECURE", fallback: "true",
		help:  "false = plain-HTTP development mode (cookies session/csrf, no Secure); never in production",
		parse: func(c *Config, v string) error { return parseBool(&c.CookieSecure, v) },
	},
	{
		name: "ENABLE_HSTS", fallback: "false",
		help:  "send Strict-Transport-Security; only for HTTPS deployments",
		parse: func(c *Config, v string) error { return parseBool(&c.EnableHSTS, v) },
	},
	{
		name: "SESSION_TTL_HOURS", fallback: "12",
		help:  "login session lifetime in hours, 0 to 8760; 0 = browser-session cookies, 12 h on the server",
		parse: wholeNumber("hours", 0, maxSessionTTLHours, func(c *Config) *int { return &c.SessionTTLHours }),
	},
	{
		name: "APP_TZ", fallback: "UTC",
		help:  "IANA time zone used until the UI stores one, e.g. Europe/Berlin",
		parse: parseAppTZ,
	},
	{
		name: "API_BIND_ADDR", fallback: "0.0.0.0:8080",
		help:  "listen address host:port ([v6addr]:port for IPv6); port 0 picks a free port",
		parse: parseBindAddr,
	},
	{
		name: "LOG_LEVEL", fallback: "info",
		help:  "debug, info, warn or error",
		parse: parseLogLevel,
	},
	{
		name: "TRUSTED_PROXY", unsetMeaning: "none",
		help:  "comma-separated IPs/CIDR prefixes of reverse proxies whose X-Forwarded-For is believed",
		parse: parseTrustedProxies,
	},
	{
		name: "IMPORT_MAX_MB", fallback: "2048",
		help:  "largest import upload in MiB, 1 to 16384 (archives may expand to 8 times it)",
		parse: wholeNumber("MiB", 1, maxImportMB, func(c *Config) *int { return &c.ImportMaxMB }),
	},
	{
		name: "BACKUP_DIR", unsetMeaning: "no scheduled backups",
		help:  "folder for scheduled backups sleep-<UTC stamp>.db (created 0700 if missing)",
		parse: func(c *Config, v string) error { c.BackupDir = v; return nil },
	},
	{
		name: "BACKUP_INTERVAL_HOURS", fallback: "24",
		help:  "hours between scheduled backups, 1 to 8760",
		parse: wholeNumber("hours", 1, maxBackupIntervalHours, func(c *Config) *int { return &c.BackupIntervalHours }),
	},
	{
		name: "BACKUP_KEEP", fallback: "14",
		help:  "newest scheduled backups kept, 1 to 1000; older files named sleep-<UTC stamp>.db are deleted",
		parse: wholeNumber("backups", 1, maxBackupKeep, func(c *Config) *int { return &c.BackupKeep }),
	},
}

// Load parses and validates the variables of SPEC §2.2 from env (typically
// the result of Environment). Values are trimmed; empty counts as unset. It
// reads nothing else, so tests can pass any map. The error is an *Error.
func Load(env map[string]string) (Config, error) {
	var c Config
	for _, v := range variables {
		value := strings.TrimSpace(env[v.name])
		if value == "" {
			value = v.fallback
		}
		if value == "" {
			continue
		}
		if err := v.parse(&c, value); err != nil {
			return Config{}, &Error{Variable: v.name, Problem: err.Error()}
		}
	}
	return c, nil
}

// VariablesHelp lists the environment variables with their defaults, for
// "sleep-api --help" (SPEC §9.1). The text ends with a newline.
func VariablesHelp() string {
	var b strings.Builder
	b.WriteString("Environment variables (the process environment wins over .env in the working directory):\n")
	for _, v := range variables {
		def := v.fallback
		if def == "" {
			def = "unset: " + v.unsetMeaning
		}
		fmt.Fprintf(&b, "  %-20s %s\n  %-20s default: %s\n", v.name, v.help, "", def)
	}
	return b.String()
}

// parseDatabaseURL implements the forms of SPEC §2.3. A query string (such as
// ?mode=rwc from older configurations) is ignored in every form.
func parseDatabaseURL(c *Config, value string) error {
	c.DatabaseURL = value
	location, _, _ := strings.Cut(value, "?")
	scheme, rest, hasScheme := cutScheme(location)
	switch {
	case !hasScheme:
		c.DatabasePath = location
	case !strings.EqualFold(scheme, "sqlite"):
		return fmt.Errorf("unsupported scheme %q", scheme)
	case rest == MemoryDatabase:
		c.DatabasePath = MemoryDatabase
	default:
		// sqlite://REL and sqlite:///ABS drop the "//"; sqlite:PATH keeps PATH.
		c.DatabasePath = strings.TrimPrefix(rest, "//")
	}
	if c.DatabasePath == "" {
		return fmt.Errorf("no database file path in %q", value)
	}
	return nil
}

// cutScheme splits "scheme:rest" when value starts with a URL scheme
// (a letter, then letters, digits, "+", "-" or "."). A plain path whose first
// segment contains ":" is therefore read as a scheme; write "./a:b.db".
func cutScheme(value string) (scheme, rest string, ok bool) {
	scheme, rest, ok = strings.Cut(value, ":")
	if !ok || scheme == "" || strings.Contains(scheme, "/") {
		return "", value, false
	}
	for i, r := range scheme {
		letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !letter && (i == 0 || !(r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.')) {
			return "", value, false
		}
	}
	return scheme, rest, true
}

func parseAdminPasswordHash(c *Config, value string) error {
	h, err := auth.ParsePasswordHash(value)
	if err != nil {
		return err
	}
	c.AdminPasswordHash = &h
	return nil
}

// sessionSecretEncodings are the four accepted base64 forms: standard or
// URL-safe alphabet, padded or not.
var sessionSecretEncodings = []*base64.Encoding{
	base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding,
}

const minSessionSecretBytes = 32

func parseSessionSecret(c *Config, value string) error {
	for _, enc := range sessionSecretEncodings {
		secret, err := enc.DecodeString(value)
		if err != nil {
			continue
		}
		if len(secret) < minSessionSecretBytes {
			return fmt.Errorf("decodes to %d bytes; at least %d are required", len(secret), minSessionSecretBytes)
		}
		c.SessionSecret = secret
		return nil
	}
	return fmt.Errorf("not valid base64")
}

// parseBool accepts the words of SPEC §2.2.1, case-insensitively.
func parseBool(dst *bool, value string) error {
	switch strings.ToLower(value) {
	case "1", "true", "yes", "on":
		*dst = true
	case "0", "false", "no", "off":
		*dst = false
	default:
		return fmt.Errorf("want one of 1,true,yes,on,0,false,no,off; got %q", value)
	}
	return nil
}

const maxSessionTTLHours = 8760 // one year

const maxBackupIntervalHours = 8760

const maxBackupKeep = 1000

// wholeNumber parses a whole number of unit in [lo, hi] into the field dst
// picks; anything else, signs and spaces included, is refused.
func wholeNumber(unit string, lo, hi int, dst func(*Config) *int) func(*Config, string) error {
	return func(c *Config, value string) error {
		n, err := parseDigits(value)
		if err != nil || n < lo || n > hi {
			return fmt.Errorf("want a whole number of %s from %d to %d; got %q", unit, lo, hi, value)
		}
		*dst(c) = n
		return nil
	}
}

// parseDigits parses a non-empty string of ASCII digits only: no sign, no
// spaces, no underscores (which strconv.Atoi would partly accept).
func parseDigits(s string) (int, error) {
	if s == "" || strings.Trim(s, "0123456789") != "" {
		return 0, fmt.Errorf("not digits: %q", s)
	}
	return strconv.Atoi(s)
}

func parseAppTZ(c *Config, value string) error {
	loc, err := sleep.LoadZone(value)
	if err != nil {
		return fmt.Errorf("unknown time zone %q", value)
	}
	c.AppTZ, c.AppLocation = value, loc
	return nil
}

// parseBindAddr checks host:port syntax only; whether the address can be
// bound is found out at listen time ("listen: <reason>").
func parseBindAddr(c *Config, value string) error {
	host, port, err := net.SplitHostPort(value)
	bad := err != nil || strings.ContainsAny(host, " \t/")
	if !bad {
		n, portErr := parseDigits(port)
		bad = portErr != nil || n > 65535
	}
	if !bad && strings.HasPrefix(value, "[") {
		ip, ipErr := netip.ParseAddr(host)
		bad = ipErr != nil || !ip.Is6()
	}
	if bad {
		return fmt.Errorf("want host:port; got %q", value)
	}
	c.BindAddr = value
	return nil
}

const maxImportMB = 16384

func parseLogLevel(c *Config, value string) error {
	switch strings.ToLower(value) {
	case "debug":
		c.LogLevel = slog.LevelDebug
	case "info":
		c.LogLevel = slog.LevelInfo
	case "warn":
		c.LogLevel = slog.LevelWarn
	case "error":
		c.LogLevel = slog.LevelError
	default:
		return fmt.Errorf("want debug, info, warn or error; got %q", value)
	}
	return nil
}

// parseTrustedProxies reads comma-separated addresses and CIDR prefixes.
// Empty entries (a trailing comma) are skipped; IPv4-mapped IPv6 addresses
// are unmapped because peers are reported in their IPv4 form.
func parseTrustedProxies(c *Config, value string) error {
	for _, entry := range strings.Split(value, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		prefix, err := parseProxyEntry(entry)
		if err != nil {
			return fmt.Errorf("%q is not an IP address or CIDR prefix", entry)
		}
		c.TrustedProxies = append(c.TrustedProxies, prefix)
	}
	return nil
}

func parseProxyEntry(entry string) (netip.Prefix, error) {
	if strings.Contains(entry, "/") {
		prefix, err := netip.ParsePrefix(entry)
		return prefix.Masked(), err
	}
	addr, err := netip.ParseAddr(entry)
	if err != nil {
		return netip.Prefix{}, err
	}
	if addr.Zone() != "" {
		return netip.Prefix{}, fmt.Errorf("zoned address %q", entry)
	}
	addr = addr.Unmap()
	return netip.PrefixFrom(addr, addr.BitLen()), nil
}
