package httpapi

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"sleeptracker/internal/config"
)

// cookieModes are the cookie configurations of SPEC §4.4.
var cookieModes = []struct {
	name                string
	secure              bool
	ttlHours            int
	sessionName, csrf   string
	otherSession, other string // the other mode's names
	maxAge              string // "" means Max-Age must be absent
}{
	{"secure, default TTL", true, 12, "__Host-session", "__Host-csrf", "session", "csrf", "Max-Age=43200"},
	{"secure, TTL 0", true, 0, "__Host-session", "__Host-csrf", "session", "csrf", ""},
	{"secure, TTL 1", true, 1, "__Host-session", "__Host-csrf", "session", "csrf", "Max-Age=3600"},
	{"development", false, 12, "session", "csrf", "__Host-session", "__Host-csrf", "Max-Age=43200"},
}

// mustCookieAttributes checks the attributes shared by set and removal cookies.
func mustCookieAttributes(t testing.TB, c *http.Cookie, secure, httpOnly bool) {
	t.Helper()
	if c.Secure != secure || c.HttpOnly != httpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Domain != "" {
		t.Fatalf("cookie %q: Secure=%v HttpOnly=%v SameSite=%v Path=%q Domain=%q; want Secure=%v HttpOnly=%v Lax, /, no Domain",
			c.Raw, c.Secure, c.HttpOnly, c.SameSite, c.Path, c.Domain, secure, httpOnly)
	}
	if strings.Contains(strings.ToLower(c.Raw), "domain=") {
		t.Fatalf("cookie %q has a Domain attribute", c.Raw)
	}
}

func TestCookiesOnLoginAndLogout(t *testing.T) {
	for _, mode := range cookieModes {
		t.Run(mode.name, func(t *testing.T) {
			ts := newTestServer(t, func(c *config.Config) {
				c.CookieSecure, c.SessionTTLHours = mode.secure, mode.ttlHours
			})
			c := ts.anonymous()
			resp := c.do(t, http.MethodPost, "/api/login", credentials(testEmail, testPassword)).mustStatus(t, http.StatusOK)
			if n := len(resp.Header.Values("Set-Cookie")); n != 2 {
				t.Fatalf("%d Set-Cookie headers, want 2: %q", n, resp.Header.Values("Set-Cookie"))
			}
			session, csrf := cookieNamed(resp, mode.sessionName), cookieNamed(resp, mode.csrf)
			if session == nil || csrf == nil {
				t.Fatalf("want cookies %s and %s, got %q", mode.sessionName, mode.csrf, resp.Header.Values("Set-Cookie"))
			}
			mustCookieAttributes(t, session, mode.secure, true)
			mustCookieAttributes(t, csrf, mode.secure, false)
			for _, ck := range []*http.Cookie{session, csrf} {
				hasMaxAge := strings.Contains(ck.Raw, "Max-Age=")
				if mode.maxAge == "" && hasMaxAge || mode.maxAge != "" && !strings.Contains(ck.Raw, mode.maxAge) {
					t.Fatalf("cookie %q: want %q", ck.Raw, mode.maxAge)
				}
				if strings.Contains(ck.Raw, "Expires=") {
					t.Fatalf("cookie %q: a login cookie has no Expires", ck.Raw)
				}
			}
			if raw, err := base64.RawURLEncoding.DecodeString(csrf.Value); len(csrf.Value) != 43 || err != nil || len(raw) != 32 {
				t.Fatalf("CSRF cookie %q is not 32 bytes of base64url without padding", csrf.Value)
			}

			// Logout: both removal cookies with the same attributes.
			resp = c.do(t, http.MethodPost, "/api/logout", nil).mustStatus(t, http.StatusNoContent)
			for _, removal := range []struct {
				name     string
				httpOnly bool
			}{{mode.sessionName, true}, {mode.csrf, false}} {
				ck := cookieNamed(resp, removal.name)
				if ck == nil {
					t.Fatalf("logout did not remove %s: %q", removal.name, resp.Header.Values("Set-Cookie"))
				}
				mustCookieAttributes(t, ck, mode.secure, removal.httpOnly)
				if ck.Value != "" || !strings.Contains(ck.Raw, "Max-Age=0") ||
					ck.Expires.IsZero() || !ck.Expires.Before(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)) {
					t.Fatalf("removal cookie %q: want an empty value, Max-Age=0 and an Expires date in the past", ck.Raw)
				}
			}
		})
	}
}

// TestOnlyActiveModeCookiesAreRead: a cookie under the other mode's name is
// ignored even when it is sealed for that name and refers to a live session.
func TestOnlyActiveModeCookiesAreRead(t *testing.T) {
	for _, mode := range cookieModes {
		t.Run(mode.name, func(t *testing.T) {
			ts := newTestServer(t, func(c *config.Config) { c.CookieSecure = mode.secure })
			active, id := ts.forgeSession(t, strings.Repeat("k", 43))
			if !active.authenticated(t) {
				t.Fatal("control: the active-mode cookie is not accepted")
			}
			other := ts.anonymous()
			other.cookies[mode.otherSession] = ts.API.sealer.Seal(mode.otherSession, id)
			other.cookies[mode.other] = active.csrf
			if other.authenticated(t) {
				t.Fatalf("a %s cookie was read in this mode", mode.otherSession)
			}
			// The CSRF cookie of the other mode does not count either.
			mixed := active.clone()
			delete(mixed.cookies, mode.csrf)
			mixed.cookies[mode.other] = active.csrf
			mustEnvelope(t, mixed.do(t, http.MethodPost, "/api/logout", nil),
				http.StatusForbidden, "forbidden", "CSRF check failed", "csrf: missing cookie")
		})
	}
}
