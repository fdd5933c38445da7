package httpapi

import (
	"bytes"
	"context"
	"net/http"
	"testing"
	"time"

	"sleeptracker/internal/config"
)

// protectedReadPath is a concrete path of the first GET route of the table
// that needs a session, so these tests follow the table as it grows.
func protectedReadPath(t testing.TB, ts *testServer) string {
	t.Helper()
	for _, r := range ts.API.routes() {
		if r.access == session && r.method == http.MethodGet {
			return concretePath(r.pattern)
		}
	}
	t.Fatal("the route table has no GET route that needs a session")
	return ""
}

// mustSignedIn asserts what every session consumer says about c: the probe,
// a protected read route and the page guard.
func mustSignedIn(t testing.TB, c *testClient, want bool) {
	t.Helper()
	if got := c.authenticated(t); got != want {
		t.Fatalf("GET /api/session authenticated=%v, want %v", got, want)
	}
	read := c.do(t, http.MethodGet, protectedReadPath(t, c.ts), nil)
	page := c.do(t, http.MethodGet, "/trends", nil)
	if want {
		if read.StatusCode == http.StatusUnauthorized || page.StatusCode != http.StatusOK {
			t.Fatalf("signed in, yet protected read %d, page %d", read.StatusCode, page.StatusCode)
		}
		return
	}
	mustEnvelope(t, read, http.StatusUnauthorized, "unauthorized", "authentication required", "")
	page.mustStatus(t, http.StatusSeeOther)
}

func TestLogoutRevokesTheSession(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	stolen := c.clone() // what an attacker copied before logout
	hash := c.sessionHash(t)
	c.do(t, http.MethodPost, "/api/logout", nil).mustStatus(t, http.StatusNoContent)
	if _, ok, _ := ts.Store.LoginSessionByHash(context.Background(), hash); ok {
		t.Fatal("logout left the session record in the database")
	}
	mustSignedIn(t, stolen, false)
	// Replaying logout with the dead cookie is the no-session case: 204, no CSRF check.
	resp := stolen.do(t, http.MethodPost, "/logout", nil, "X-CSRF-Token", "")
	resp.mustStatus(t, http.StatusNoContent)
	if len(resp.Cookies) != 2 {
		t.Fatalf("want both removal cookies, got %q", resp.Header.Values("Set-Cookie"))
	}
}

func TestLogoutWithoutSession(t *testing.T) {
	ts := newTestServer(t)
	garbage := ts.anonymous()
	garbage.cookies["session"] = "not-a-sealed-value"
	for name, c := range map[string]*testClient{"no cookie": ts.anonymous(), "garbage cookie": garbage} {
		for _, path := range []string{"/api/logout", "/logout"} {
			// A body of any type is ignored.
			resp := c.do(t, http.MethodPost, path, "ignored", "Content-Type", "text/plain", "Sec-Fetch-Site", "cross-site")
			resp.mustStatus(t, http.StatusNoContent)
			if len(resp.Body) != 0 || cookieNamed(resp, "session") == nil || cookieNamed(resp, "csrf") == nil {
				t.Fatalf("%s, %s: body %q, cookies %q; want no body and both removal cookies",
					name, path, resp.Body, resp.Header.Values("Set-Cookie"))
			}
		}
	}
}

func TestLogoutWithoutCSRFKeepsTheSession(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	resp := c.do(t, http.MethodPost, "/api/logout", nil, "X-CSRF-Token", "")
	mustEnvelope(t, resp, http.StatusForbidden, "forbidden", "CSRF check failed", "csrf: missing header token")
	if len(resp.Cookies) != 0 {
		t.Fatalf("a refused logout touched cookies: %q", resp.Header.Values("Set-Cookie"))
	}
	mustSignedIn(t, c, true)
}

func TestSessionExpiry(t *testing.T) {
	cases := []struct {
		name     string
		ttlHours int
		lifetime time.Duration
	}{
		{"default 12 h", 12, 12 * time.Hour},
		{"TTL 0 still ends after 12 h", 0, 12 * time.Hour},
		{"TTL 1 h", 1, time.Hour},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t, func(c *config.Config) { c.SessionTTLHours = tc.ttlHours })
			c := ts.login(t)
			ts.Clock.Advance(tc.lifetime - time.Second)
			mustSignedIn(t, c, true) // activity does not extend it
			ts.Clock.Advance(time.Second)
			mustSignedIn(t, c, false)
		})
	}
}

func TestExpiredSessionsArePruned(t *testing.T) {
	prunes := []struct {
		name  string
		prune func(t *testing.T, ts *testServer, gone func() bool)
	}{
		{"PruneLoginSessions", func(t *testing.T, ts *testServer, _ func() bool) {
			n, err := ts.Store.PruneLoginSessions(context.Background(), ts.Clock.Now())
			if err != nil || n != 1 {
				t.Fatalf("PruneLoginSessions = %d, %v; want 1 row", n, err)
			}
		}},
		{"PruneSessionsEvery", func(t *testing.T, ts *testServer, gone func() bool) {
			// It prunes at once, then every interval until its context ends.
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { ts.API.PruneSessionsEvery(ctx, time.Hour); close(done) }()
			for deadline := time.Now().Add(10 * time.Second); !gone() && time.Now().Before(deadline); {
				time.Sleep(5 * time.Millisecond)
			}
			cancel()
			<-done
		}},
	}
	for _, p := range prunes {
		t.Run(p.name, func(t *testing.T) {
			ts := newTestServer(t)
			old := ts.login(t)
			ts.Clock.Advance(6 * time.Hour)
			young := ts.login(t)
			ts.Clock.Advance(6 * time.Hour) // old has just expired; young has 6 h left
			found := func(c *testClient) bool {
				_, ok, err := ts.Store.LoginSessionByHash(context.Background(), c.sessionHash(t))
				if err != nil {
					t.Fatal(err)
				}
				return ok
			}
			p.prune(t, ts, func() bool { return !found(old) })
			if found(old) {
				t.Fatal("the expired session was not pruned")
			}
			if !found(young) {
				t.Fatal("a live session was pruned")
			}
			mustSignedIn(t, young, true)
		})
	}
}

func TestLastSeenIsWrittenAtMostOncePerMinute(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	start := ts.Clock.Now()
	lastSeen := func() time.Time {
		ls, _, err := ts.Store.LoginSessionByHash(context.Background(), c.sessionHash(t))
		if err != nil {
			t.Fatal(err)
		}
		return ls.LastSeenAt
	}
	ts.Clock.Advance(59 * time.Second)
	c.authenticated(t)
	if got := lastSeen(); !got.Equal(start) {
		t.Fatalf("last_seen_at %v after 59 s, want the login time %v", got, start)
	}
	ts.Clock.Advance(time.Second)
	c.authenticated(t)
	if got, want := lastSeen(), start.Add(time.Minute); !got.Equal(want) {
		t.Fatalf("last_seen_at %v after a minute, want %v", got, want)
	}
}

func TestTamperedSessionCookie(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	value := c.cookies["session"]
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	for i := range len(value) {
		// Replace one character by its neighbour in the base64url alphabet.
		j := (bytes.IndexByte([]byte(alphabet), value[i]) + 1) % len(alphabet)
		tampered := c.clone()
		tampered.cookies["session"] = value[:i] + alphabet[j:j+1] + value[i+1:]
		if tampered.authenticated(t) {
			t.Fatalf("cookie with character %d changed still authenticates", i)
		}
	}
	for name, v := range map[string]string{"truncated": value[:len(value)-2], "empty": "", "garbage": "%%%"} {
		tampered := c.clone()
		tampered.cookies["session"] = v
		if tampered.authenticated(t) {
			t.Fatalf("%s cookie authenticates", name)
		}
	}
	mustSignedIn(t, c, true) // control
}

func TestCookieSealedUnderAnotherSecret(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	rotated := ts.variant(t, variantOptions{secret: bytes.Repeat([]byte{9}, 32)})
	// Same database, same session row, but the key changed (SESSION_SECRET rotated).
	if c.on(rotated).authenticated(t) {
		t.Fatal("a cookie sealed under the old secret still authenticates")
	}
	mustSignedIn(t, c, true) // control: the original server still accepts it
}

// TestCookieValueUnderTheOtherModesName: the cookie name is the sealing's
// associated data, so a development cookie value does not work as a
// __Host-session value, even on a server sharing the database and the key.
func TestCookieValueUnderTheOtherModesName(t *testing.T) {
	dev := newTestServer(t)
	secure := dev.variant(t, variantOptions{config: func(c *config.Config) { c.CookieSecure = true }})
	c := dev.login(t)
	moved := secure.anonymous()
	moved.cookies["__Host-session"] = c.cookies["session"]
	moved.cookies["__Host-csrf"] = c.csrf
	if moved.authenticated(t) {
		t.Fatal("a value sealed for \"session\" was accepted as __Host-session")
	}
	// Control: the same id sealed for __Host-session is accepted there.
	id, _ := dev.API.sealer.Unseal("session", c.cookies["session"])
	resealed := secure.anonymous()
	resealed.cookies["__Host-session"] = secure.API.sealer.Seal("__Host-session", id)
	if !resealed.authenticated(t) {
		t.Fatal("control: the resealed cookie is not accepted by the secure server")
	}
}

func TestSessionProbeNeverTouchesCookies(t *testing.T) {
	ts := newTestServer(t)
	expired := ts.login(t)
	ts.Clock.Advance(11 * time.Hour)
	fresh := ts.login(t)
	ts.Clock.Advance(2 * time.Hour) // 13 h after the first login, 2 h after the second
	cases := []struct {
		name string
		c    *testClient
		want bool
	}{{"anonymous", ts.anonymous(), false}, {"expired", expired, false}, {"fresh", fresh, true}}
	for _, tc := range cases {
		resp := tc.c.do(t, http.MethodGet, "/api/session", nil).mustStatus(t, http.StatusOK)
		var probe map[string]any
		resp.JSON(t, &probe)
		if len(probe) != 1 || probe["authenticated"] != tc.want {
			t.Fatalf("%s: body %s, want {\"authenticated\":%v}", tc.name, resp.Body, tc.want)
		}
		if len(resp.Cookies) != 0 {
			t.Fatalf("%s: GET /api/session set cookies %q", tc.name, resp.Header.Values("Set-Cookie"))
		}
		mustHeader(t, resp, "Cache-Control", "no-store")
	}
}
