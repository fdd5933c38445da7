package config

import (
	"bytes"
	"errors"
	"log/slog"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"
)

// A real pw-hash/argon2-CLI style hash (password "correct horse").
const validHash = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzYWx0$ivZxBeJ8BBYLN7Nz1nLTB5NjJ3CLuH+h6Gzw8wVSOKg"

func TestLoadDefaults(t *testing.T) {
	c, err := Load(map[string]string{})
	if err != nil {
		t.Fatal(err)
	}
	if c.DatabaseURL != "sqlite://./data/sleep.db" || c.DatabasePath != "./data/sleep.db" {
		t.Errorf("database = %q → %q", c.DatabaseURL, c.DatabasePath)
	}
	if c.AdminEmail != "admin@example.com" || c.AdminPasswordHash != nil || c.SessionSecret != nil {
		t.Errorf("admin/secret defaults = %q %v %v", c.AdminEmail, c.AdminPasswordHash, c.SessionSecret)
	}
	if !c.CookieSecure || c.EnableHSTS || c.SessionTTLHours != 12 {
		t.Errorf("cookie defaults = secure %v hsts %v ttl %d", c.CookieSecure, c.EnableHSTS, c.SessionTTLHours)
	}
	if c.AppTZ != "UTC" || c.AppLocation == nil || c.AppLocation.String() != "UTC" {
		t.Errorf("time zone = %q %v", c.AppTZ, c.AppLocation)
	}
	if c.BindAddr != "0.0.0.0:8080" || c.LogLevel != slog.LevelInfo || c.TrustedProxies != nil {
		t.Errorf("bind/log/proxy defaults = %q %v %v", c.BindAddr, c.LogLevel, c.TrustedProxies)
	}
	if c.SessionLifetime() != 12*time.Hour || c.CookieMaxAge() != 43200 {
		t.Errorf("lifetime %v max-age %d; want 12h 43200", c.SessionLifetime(), c.CookieMaxAge())
	}
}

// loadCase sets one variable; check inspects the result of a valid value,
// wantErr is the full error message of an invalid one.
type loadCase struct {
	value   string
	check   func(Config) bool
	wantErr string
}

func runLoadCases(t *testing.T, name string, cases []loadCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(name+"="+tc.value, func(t *testing.T) {
			c, err := Load(map[string]string{name: tc.value})
			if tc.wantErr != "" {
				var cfgErr *Error
				if err == nil || err.Error() != tc.wantErr || !errors.As(err, &cfgErr) || cfgErr.Variable != name {
					t.Fatalf("Load error = %v; want *Error %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if !tc.check(c) {
				t.Errorf("unexpected config for %s=%q: %+v", name, tc.value, c)
			}
		})
	}
}

func TestLoadDatabaseURL(t *testing.T) {
	path := func(want string) func(Config) bool {
		return func(c Config) bool { return c.DatabasePath == want }
	}
	runLoadCases(t, "DATABASE_URL", []loadCase{
		{value: "sqlite::memory:", check: path(":memory:")},
		{value: "sqlite::memory:?cache=shared", check: path(":memory:")},
		{value: "sqlite:sleep.db", check: path("sleep.db")},
		{value: "sqlite:/srv/sleep.db", check: path("/srv/sleep.db")},
		{value: "sqlite://./data/sleep.db", check: path("./data/sleep.db")},
		{value: "sqlite://data/sleep.db", check: path("data/sleep.db")},
		{value: "sqlite:///data/sleep.db", check: path("/data/sleep.db")},
		{value: "SQLite:///data/sleep.db", check: path("/data/sleep.db")},
		{value: "sqlite://./data/sleep.db?mode=rwc", check: path("./data/sleep.db")},
		{value: "./sleep.db", check: path("./sleep.db")},
		{value: "/var/lib/sleeptracker/sleep.db", check: path("/var/lib/sleeptracker/sleep.db")},
		{value: "sleep.db", check: path("sleep.db")},
		{value: "  ./spaced.db \t", check: func(c Config) bool {
			return c.DatabasePath == "./spaced.db" && c.DatabaseURL == "./spaced.db"
		}},
		{value: "postgres://u:p@db/sleep", wantErr: `config: DATABASE_URL: unsupported scheme "postgres"`},
		{value: "mysql:sleep", wantErr: `config: DATABASE_URL: unsupported scheme "mysql"`},
		{value: "sqlite3://./x.db", wantErr: `config: DATABASE_URL: unsupported scheme "sqlite3"`},
		{value: "sqlite:", wantErr: `config: DATABASE_URL: no database file path in "sqlite:"`},
		{value: "sqlite://?mode=rwc", wantErr: `config: DATABASE_URL: no database file path in "sqlite://?mode=rwc"`},
	})
}

func TestLoadAdminEmail(t *testing.T) {
	runLoadCases(t, "ADMIN_EMAIL", []loadCase{
		{value: " Me@Example.org ", check: func(c Config) bool { return c.AdminEmail == "Me@Example.org" }},
		{value: "   ", check: func(c Config) bool { return c.AdminEmail == "admin@example.com" }},
	})
}

func TestLoadAdminPasswordHash(t *testing.T) {
	runLoadCases(t, "ADMIN_PASSWORD_HASH", []loadCase{
		{value: validHash, check: func(c Config) bool {
			return c.AdminPasswordHash != nil && c.AdminPasswordHash.String() == validHash
		}},
		{value: " " + validHash + "\n", check: func(c Config) bool { return c.AdminPasswordHash != nil }},
		{value: "", check: func(c Config) bool { return c.AdminPasswordHash == nil }},
		{value: "=19=19456,t=2,p=1", wantErr: "config: ADMIN_PASSWORD_HASH: not an argon2 PHC string (quote it with single quotes in .env)"},
		{value: "v=19$m=19456,t=2,p=1", wantErr: "config: ADMIN_PASSWORD_HASH: not an argon2 PHC string (quote it with single quotes in .env)"},
		{value: strings.Replace(validHash, "argon2id", "argon2d", 1), wantErr: "config: ADMIN_PASSWORD_HASH: argon2d is not supported; generate an argon2id hash with pw-hash"},
		{value: strings.Replace(validHash, "t=2", "t=17", 1), wantErr: "config: ADMIN_PASSWORD_HASH: t=17 is out of bounds; want 1 to 16"},
		{value: strings.Replace(validHash, "v=19", "v=16", 1), wantErr: `config: ADMIN_PASSWORD_HASH: unsupported version "v=16"; only v=19 is supported`},
	})
}

func TestLoadSessionSecret(t *testing.T) {
	raw := bytes.Repeat([]byte{0xfb, 0xff, 0xfe}, 11)[:32] // bytes whose base64 uses + / or - _
	secret := func(c Config) bool { return bytes.Equal(c.SessionSecret, raw) }
	runLoadCases(t, "SESSION_SECRET", []loadCase{
		{value: "+//++//++//++//++//++//++//++//++//++//++/8=", check: secret}, // standard, padded
		{value: "+//++//++//++//++//++//++//++//++//++//++/8", check: secret},  // standard, unpadded
		{value: "-__--__--__--__--__--__--__--__--__--__--_8=", check: secret}, // URL-safe, padded
		{value: "-__--__--__--__--__--__--__--__--__--__--_8", check: secret},  // URL-safe, unpadded
		{value: "not base64!", wantErr: "config: SESSION_SECRET: not valid base64"},
		{value: "+/-_AAAA", wantErr: "config: SESSION_SECRET: not valid base64"}, // mixed alphabets
		{value: "c2hvcnQ=", wantErr: "config: SESSION_SECRET: decodes to 5 bytes; at least 32 are required"},
		{value: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", wantErr: "config: SESSION_SECRET: decodes to 31 bytes; at least 32 are required"},
	})
}

func TestLoadBooleans(t *testing.T) {
	for _, name := range []string{"COOKIE_SECURE", "ENABLE_HSTS"} {
		field := func(c Config) bool {
			if name == "COOKIE_SECURE" {
				return c.CookieSecure
			}
			return c.EnableHSTS
		}
		isTrue := field
		isFalse := func(c Config) bool { return !field(c) }
		var cases []loadCase
		for _, v := range []string{"1", "true", "yes", "on", "TRUE", "Yes", "ON", " on "} {
			cases = append(cases, loadCase{value: v, check: isTrue})
		}
		for _, v := range []string{"0", "false", "no", "off", "FALSE", "No", "Off"} {
			cases = append(cases, loadCase{value: v, check: isFalse})
		}
		for _, v := range []string{"maybe", "2", "y", "enabled"} {
			cases = append(cases, loadCase{value: v, wantErr: "config: " + name + `: want one of 1,true,yes,on,0,false,no,off; got "` + v + `"`})
		}
		runLoadCases(t, name, cases)
	}
}

func TestLoadSessionTTL(t *testing.T) {
	hours := func(want int, lifetime time.Duration, maxAge int) func(Config) bool {
		return func(c Config) bool {
			return c.SessionTTLHours == want && c.SessionLifetime() == lifetime && c.CookieMaxAge() == maxAge
		}
	}
	bad := func(v string) loadCase {
		return loadCase{value: v, wantErr: `config: SESSION_TTL_HOURS: want a whole number of hours from 0 to 8760; got "` + v + `"`}
	}
	runLoadCases(t, "SESSION_TTL_HOURS", []loadCase{
		{value: "0", check: hours(0, 12*time.Hour, 0)},
		{value: "1", check: hours(1, time.Hour, 3600)},
		{value: "24", check: hours(24, 24*time.Hour, 86400)},
		{value: "8760", check: hours(8760, 8760*time.Hour, 31536000)},
		{value: "007", check: hours(7, 7*time.Hour, 25200)},
		bad("8761"), bad("-1"), bad("+5"), bad("1.5"), bad("12h"), bad("1_000"), bad("99999999999999999999999"),
	})
}

func TestLoadAppTZ(t *testing.T) {
	runLoadCases(t, "APP_TZ", []loadCase{
		{value: "Europe/Berlin", check: func(c Config) bool {
			return c.AppTZ == "Europe/Berlin" && c.AppLocation.String() == "Europe/Berlin"
		}},
		{value: "America/New_York", check: func(c Config) bool { return c.AppLocation != nil }},
		{value: "Not/AZone", wantErr: `config: APP_TZ: unknown time zone "Not/AZone"`},
		{value: "Local", wantErr: `config: APP_TZ: unknown time zone "Local"`},
		{value: "europe/berlin", wantErr: `config: APP_TZ: unknown time zone "europe/berlin"`},
	})
}

func TestLoadBindAddr(t *testing.T) {
	addr := func(want string) func(Config) bool { return func(c Config) bool { return c.BindAddr == want } }
	bad := func(v string) loadCase {
		return loadCase{value: v, wantErr: `config: API_BIND_ADDR: want host:port; got "` + v + `"`}
	}
	runLoadCases(t, "API_BIND_ADDR", []loadCase{
		{value: "127.0.0.1:8080", check: addr("127.0.0.1:8080")},
		{value: "localhost:0", check: addr("localhost:0")},
		{value: ":65535", check: addr(":65535")},
		{value: "[::1]:8080", check: addr("[::1]:8080")},
		{value: "[::]:80", check: addr("[::]:80")},
		bad("8080"), bad("localhost"), bad("localhost:65536"), bad("localhost:http"), bad("localhost:"),
		bad("::1:8080"), bad("[::1]"), bad("[localhost]:80"), bad("http://localhost:8080"), bad("host:-1"),
	})
}

func TestLoadLogLevel(t *testing.T) {
	level := func(want slog.Level) func(Config) bool { return func(c Config) bool { return c.LogLevel == want } }
	runLoadCases(t, "LOG_LEVEL", []loadCase{
		{value: "debug", check: level(slog.LevelDebug)},
		{value: "INFO", check: level(slog.LevelInfo)},
		{value: "Warn", check: level(slog.LevelWarn)},
		{value: "error", check: level(slog.LevelError)},
		{value: "warning", wantErr: `config: LOG_LEVEL: want debug, info, warn or error; got "warning"`},
		{value: "trace", wantErr: `config: LOG_LEVEL: want debug, info, warn or error; got "trace"`},
	})
}

func TestLoadTrustedProxy(t *testing.T) {
	prefixes := func(want ...string) func(Config) bool {
		return func(c Config) bool {
			var got []string
			for _, p := range c.TrustedProxies {
				got = append(got, p.String())
			}
			return reflect.DeepEqual(got, want)
		}
	}
	runLoadCases(t, "TRUSTED_PROXY", []loadCase{
		{value: "127.0.0.1", check: prefixes("127.0.0.1/32")},
		{value: "::1", check: prefixes("::1/128")},
		{value: "10.0.0.0/8, 192.168.1.7 ,fd00::/8,", check: prefixes("10.0.0.0/8", "192.168.1.7/32", "fd00::/8")},
		{value: "10.1.2.3/8", check: prefixes("10.0.0.0/8")},
		{value: "::ffff:10.0.0.1", check: prefixes("10.0.0.1/32")},
		{value: "proxy.local", wantErr: `config: TRUSTED_PROXY: "proxy.local" is not an IP address or CIDR prefix`},
		{value: "10.0.0.1,10.0.0.300", wantErr: `config: TRUSTED_PROXY: "10.0.0.300" is not an IP address or CIDR prefix`},
		{value: "10.0.0.0/33", wantErr: `config: TRUSTED_PROXY: "10.0.0.0/33" is not an IP address or CIDR prefix`},
		{value: "fe80::1%eth0", wantErr: `config: TRUSTED_PROXY: "fe80::1%eth0" is not an IP address or CIDR prefix`},
	})
	c, _ := Load(map[string]string{"TRUSTED_PROXY": "10.0.0.0/8"})
	if !c.TrustedProxies[0].Contains(netip.MustParseAddr("10.9.8.7")) {
		t.Error("10.0.0.0/8 does not contain 10.9.8.7")
	}
}

func TestLoadReportsFirstInvalidVariableOnly(t *testing.T) {
	_, err := Load(map[string]string{"APP_TZ": "Nowhere", "LOG_LEVEL": "loud"})
	if err == nil || strings.Count(err.Error(), "config:") != 1 || strings.Contains(err.Error(), "\n") {
		t.Fatalf("error = %v; want exactly one one-line config error", err)
	}
}

func TestVariablesHelpListsEveryVariableWithDefault(t *testing.T) {
	help := VariablesHelp()
	for _, want := range []string{
		"DATABASE_URL", "sqlite://./data/sleep.db", "ADMIN_EMAIL", "admin@example.com",
		"ADMIN_PASSWORD_HASH", "SESSION_SECRET", "COOKIE_SECURE", "ENABLE_HSTS", "SESSION_TTL_HOURS",
		"APP_TZ", "UTC", "API_BIND_ADDR", "0.0.0.0:8080", "LOG_LEVEL", "TRUSTED_PROXY",
	} {
		if !strings.Contains(help, want) {
			t.Errorf("VariablesHelp lacks %q:\n%s", want, help)
		}
	}
	if !strings.HasSuffix(help, "\n") {
		t.Error("VariablesHelp does not end with a newline")
	}
}
