package httpapi

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"sleeptracker/internal/auth"
	"sleeptracker/internal/config"
)

const (
	formType    = "application/x-www-form-urlencoded"
	htmlAccept  = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	loginFormCT = "Content-Type must be application/json or application/x-www-form-urlencoded"
)

// credentials is a JSON login body.
func credentials(email, password string) map[string]string {
	return map[string]string{"email": email, "password": password}
}

func TestJSONLogin(t *testing.T) {
	ts := newTestServer(t)
	for _, path := range []string{"/api/login", "/login", "/api/login.json"} {
		t.Run(path, func(t *testing.T) {
			c := ts.anonymous()
			resp := c.do(t, http.MethodPost, path, credentials(testEmail, testPassword))
			resp.mustStatus(t, http.StatusOK)
			if got := strings.TrimSpace(string(resp.Body)); got != `{"ok":true}` {
				t.Fatalf("body %s, want {\"ok\":true}", got)
			}
			mustHeader(t, resp, "Content-Type", "application/json")
			mustHeader(t, resp, "Cache-Control", "no-store")
			if !c.authenticated(t) {
				t.Fatal("the cookies of a successful login are not a session")
			}
		})
	}
}

func TestLoginCredentialCheck(t *testing.T) {
	ts := newTestServer(t)
	cases := []struct {
		name            string
		email, password string
		want            int
	}{
		{"email trimmed and case-insensitive", "  OWNER@Example.COM\t", testPassword, http.StatusOK},
		{"password is not trimmed (leading space)", testEmail, " " + testPassword, http.StatusUnauthorized},
		{"password is not trimmed (trailing space)", testEmail, testPassword + " ", http.StatusUnauthorized},
		{"password is case-sensitive", testEmail, strings.ToUpper(testPassword), http.StatusUnauthorized},
		{"wrong email, right password", "someone@example.com", testPassword, http.StatusUnauthorized},
		{"empty password", testEmail, "", http.StatusUnauthorized},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := ts.anonymous().do(t, http.MethodPost, "/api/login", credentials(tc.email, tc.password))
			if tc.want == http.StatusOK {
				resp.mustStatus(t, http.StatusOK)
				return
			}
			mustEnvelope(t, resp, http.StatusUnauthorized, "unauthorized", "invalid email or password", "")
			if len(resp.Cookies) != 0 {
				t.Fatalf("a failed login set cookies: %v", resp.Header.Values("Set-Cookie"))
			}
		})
	}
}

func TestFormLoginRedirects(t *testing.T) {
	ts := newTestServer(t)
	cases := []struct {
		name     string
		path     string // request path, possibly with ?next=
		next     string // form field; "" leaves it out
		want     string // Location
		password string
		accept   string
	}{
		{"no next", "/login", "", "/", testPassword, htmlAccept},
		{"safe next with a query", "/login", "/ok?x=1", "/ok?x=1", testPassword, htmlAccept},
		{"next kept as written", "/api/login", "/day/../trends", "/day/../trends", testPassword, ""},
		{"unsafe next", "/login", "//evil.example", "/", testPassword, htmlAccept},
		{"next from the query", "/login?next=%2Ftrends", "", "/trends", testPassword, htmlAccept},
		{"form next beats the query", "/login?next=%2Ftrends", "/day/2025-06-01", "/day/2025-06-01", testPassword, htmlAccept},
		{"unsafe form next falls back to the query", "/login?next=%2Ftrends", "http://evil", "/trends", testPassword, htmlAccept},
		{"failure, browser", "/login", "", "/login?error=invalid_credentials", "wrong", htmlAccept},
		{"failure, browser, safe next", "/login", "/ok?x=1", "/login?error=invalid_credentials&next=%2Fok%3Fx%3D1", "wrong", "text/html"},
		{"failure, browser, unsafe next", "/login", "/api/sleep", "/login?error=invalid_credentials", "wrong", htmlAccept},
		{"failure, browser, next from the query", "/api/login?next=%2Ftrends", "", "/login?error=invalid_credentials&next=%2Ftrends", "wrong", htmlAccept},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pairs := []string{"email", testEmail, "password", tc.password}
			if tc.next != "" {
				pairs = append(pairs, "next", tc.next)
			}
			c := ts.anonymous()
			resp := c.do(t, http.MethodPost, tc.path, formBody(pairs...), "Content-Type", formType, "Accept", tc.accept)
			resp.mustStatus(t, http.StatusSeeOther)
			mustHeader(t, resp, "Location", tc.want)
			mustHeader(t, resp, "Cache-Control", "no-store")
			succeeded := tc.password == testPassword
			if got := c.authenticated(t); got != succeeded {
				t.Fatalf("signed in = %v after the redirect, want %v", got, succeeded)
			}
		})
	}
	t.Run("failure without text/html is a 401 envelope", func(t *testing.T) {
		resp := ts.anonymous().do(t, http.MethodPost, "/login", formBody("email", testEmail, "password", "wrong"),
			"Content-Type", formType, "Accept", "application/json")
		mustEnvelope(t, resp, http.StatusUnauthorized, "unauthorized", "invalid email or password", "")
	})
}

func TestSafeNext(t *testing.T) {
	cases := []struct {
		next string
		safe bool
	}{
		{"/", true},
		{"/trends", true},
		{"/ok?x=1", true},
		{"/day/2025-06-01#top", true},
		{"/api", true}, // only "/api/…" is refused
		{"", false},
		{"trends", false},
		{"//evil.example", false},
		{"///evil.example", false},
		{"/\\evil.example", false},
		{"/ok\\..\\evil", false},
		{"/api/x", false},
		{"/api/", false},
		{"http://x", false},
		{"https://evil.example/", false},
		{"javascript:alert(1)", false},
		{"/ok\x00", false},
		{"/ok\r\nSet-Cookie: a=b", false},
		{"/tab\there", false},
		{"/del\x7f", false},
	}
	for _, tc := range cases {
		got := safeNext(tc.next)
		if tc.safe && got != tc.next {
			t.Errorf("safeNext(%q) = %q, want it kept", tc.next, got)
		}
		if !tc.safe && got != "" {
			t.Errorf("safeNext(%q) = %q, want it refused", tc.next, got)
		}
	}
}

func TestLoginRequestErrors(t *testing.T) {
	ts := newTestServer(t)
	cases := []struct {
		name        string
		path        string
		body        string
		contentType string
		status      int
		code        string
		message     string
	}{
		{"text/plain", "/api/login", `{}`, "text/plain", 415, "unsupported_media_type", loginFormCT},
		{"alias, text/plain", "/login", `{}`, "text/plain", 415, "unsupported_media_type", loginFormCT},
		{"multipart", "/api/login", "x", "multipart/form-data; boundary=x", 415, "unsupported_media_type", loginFormCT},
		{"login.json refuses forms", "/api/login.json", formBody("email", testEmail, "password", testPassword), formType,
			415, "unsupported_media_type", "Content-Type must be application/json"},
		{"both missing", "/api/login", `{}`, "application/json", 400, "bad_request", "email is required"},
		{"email missing", "/api/login", `{"password":"x"}`, "application/json", 400, "bad_request", "email is required"},
		{"email null", "/api/login", `{"email":null,"password":"x"}`, "application/json", 400, "bad_request", "email is required"},
		{"password missing", "/api/login", `{"email":"x"}`, "application/json", 400, "bad_request", "password is required"},
		{"email not a string", "/api/login", `{"email":1,"password":"x"}`, "application/json", 400, "bad_request", "email must be a string"},
		{"password not a string", "/api/login.json", `{"email":"x","password":true}`, "application/json", 400, "bad_request", "password must be a string"},
		{"not JSON", "/api/login", `{"email":`, "application/json", 400, "bad_request", "request body is not valid JSON"},
		{"not an object", "/api/login", `["x"]`, "application/json", 400, "bad_request", "request body must be a JSON object"},
		{"form, both missing", "/login", "", formType, 400, "bad_request", "email is required"},
		{"form, password missing", "/login", formBody("email", testEmail), formType, 400, "bad_request", "password is required"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := ts.anonymous().do(t, http.MethodPost, tc.path, tc.body, "Content-Type", tc.contentType, "Accept", htmlAccept)
			mustEnvelope(t, resp, tc.status, tc.code, tc.message, "")
		})
	}
	t.Run("JSON with parameters and a +json type", func(t *testing.T) {
		for _, ct := range []string{"application/json; charset=utf-8", "Application/JSON", "application/vnd.sleep+json"} {
			ts.anonymous().do(t, http.MethodPost, "/api/login", credentials(testEmail, testPassword), "Content-Type", ct).
				mustStatus(t, http.StatusOK)
		}
	})
}

func TestLoginSecFetchSite(t *testing.T) {
	ts := newTestServer(t)
	for _, site := range []string{"cross-site", "Cross-Site", " CROSS-SITE "} {
		for _, path := range []string{"/api/login", "/login", "/api/login.json"} {
			// Checked first: even an unreadable body gets the 403.
			resp := ts.anonymous().do(t, http.MethodPost, path, `{"email":`, "Sec-Fetch-Site", site)
			mustEnvelope(t, resp, http.StatusForbidden, "forbidden", "CSRF check failed", "csrf: cross-site request rejected")
		}
	}
	for _, site := range []string{"none", "same-site", "same-origin"} {
		ts.anonymous().do(t, http.MethodPost, "/api/login", credentials(testEmail, testPassword), "Sec-Fetch-Site", site).
			mustStatus(t, http.StatusOK)
	}
}

// wrongLogin sends a JSON login with a wrong password.
func wrongLogin(t testing.TB, ts *testServer) *testResponse {
	t.Helper()
	return ts.anonymous().do(t, http.MethodPost, "/api/login", credentials(testEmail, "wrong password"))
}

// mustThrottled asserts the 429 answer of a blocked login.
func mustThrottled(t testing.TB, resp *testResponse, seconds string) {
	t.Helper()
	mustEnvelope(t, resp, http.StatusTooManyRequests, "too_many_requests",
		"too many failed login attempts; try again later", "retry after "+seconds+" seconds")
	mustHeader(t, resp, "Retry-After", seconds)
}

func TestLoginThrottling(t *testing.T) {
	ts := newTestServer(t)
	for i := 1; i <= 5; i++ {
		mustEnvelope(t, wrongLogin(t, ts), http.StatusUnauthorized, "unauthorized", "invalid email or password", "")
	}
	right := func() *testResponse {
		return ts.anonymous().do(t, http.MethodPost, "/api/login", credentials(testEmail, testPassword))
	}
	mustThrottled(t, right(), "60")
	// Checked before the body: a malformed request is 429 too, not 400/415.
	mustThrottled(t, ts.anonymous().do(t, http.MethodPost, "/api/login.json", "nonsense", "Content-Type", "text/plain"), "60")

	ts.Clock.Advance(59*time.Second + 500*time.Millisecond)
	mustThrottled(t, right(), "1") // rounded up

	browser := func(path string, pairs ...string) *testResponse {
		return ts.anonymous().do(t, http.MethodPost, path, formBody(pairs...), "Content-Type", formType, "Accept", htmlAccept)
	}
	cases := []struct {
		name, path string
		pairs      []string
		location   string
	}{
		{"plain", "/login", []string{"email", testEmail, "password", testPassword},
			"/login?error=too_many_attempts"},
		{"safe next in the form", "/login", []string{"email", testEmail, "password", testPassword, "next", "/trends"},
			"/login?error=too_many_attempts&next=%2Ftrends"},
		{"safe next in the query", "/login?next=%2Fday%2F2025-06-01", []string{"email", testEmail, "password", testPassword},
			"/login?error=too_many_attempts&next=%2Fday%2F2025-06-01"},
		{"unsafe next", "/login", []string{"email", testEmail, "password", testPassword, "next", "//evil"},
			"/login?error=too_many_attempts"},
	}
	for _, tc := range cases {
		t.Run("browser form while blocked, "+tc.name, func(t *testing.T) {
			resp := browser(tc.path, tc.pairs...)
			resp.mustStatus(t, http.StatusSeeOther)
			mustHeader(t, resp, "Location", tc.location)
			mustHeader(t, resp, "Retry-After", "1")
			if len(resp.Cookies) != 0 {
				t.Fatal("a blocked login set cookies")
			}
		})
	}

	ts.Clock.Advance(500 * time.Millisecond)
	right().mustStatus(t, http.StatusOK)

	// The success cleared the state: five more failures are needed, and the
	// next block starts again at the first level.
	for i := 1; i <= 5; i++ {
		wrongLogin(t, ts).mustStatus(t, http.StatusUnauthorized)
	}
	mustThrottled(t, wrongLogin(t, ts), "60")
}

func TestLoginThrottleEscalates(t *testing.T) {
	ts := newTestServer(t)
	for i := 1; i <= 5; i++ {
		wrongLogin(t, ts).mustStatus(t, http.StatusUnauthorized)
	}
	mustThrottled(t, wrongLogin(t, ts), "60")
	ts.Clock.Advance(60 * time.Second)
	// Still five failures within 15 minutes: one more blocks for 120 s.
	wrongLogin(t, ts).mustStatus(t, http.StatusUnauthorized)
	mustThrottled(t, wrongLogin(t, ts), "120")
	ts.Clock.Advance(120 * time.Second)
	wrongLogin(t, ts).mustStatus(t, http.StatusUnauthorized)
	mustThrottled(t, wrongLogin(t, ts), "240")
}

func TestLoginThrottleIgnoresEarlyRejections(t *testing.T) {
	ts := newTestServer(t)
	// 400, 403 and 415 answers are not failures.
	for range 6 {
		ts.anonymous().do(t, http.MethodPost, "/api/login", `{}`).mustStatus(t, http.StatusBadRequest)
		ts.anonymous().do(t, http.MethodPost, "/api/login", `{}`, "Content-Type", "text/plain").mustStatus(t, http.StatusUnsupportedMediaType)
		ts.anonymous().do(t, http.MethodPost, "/api/login", `{}`, "Sec-Fetch-Site", "cross-site").mustStatus(t, http.StatusForbidden)
	}
	for i := 1; i <= 4; i++ {
		wrongLogin(t, ts).mustStatus(t, http.StatusUnauthorized)
	}
	ts.anonymous().do(t, http.MethodPost, "/api/login", credentials(testEmail, testPassword)).mustStatus(t, http.StatusOK)
}

func TestLoginPasswordCheckQueueFull(t *testing.T) {
	ts := newTestServer(t).variant(t, variantOptions{adjust: func(s *Server) {
		// No slot ever frees up: every login waits out the (short) limit.
		s.verifiers = auth.NewVerifierSlots(0, time.Millisecond)
	}})
	for range 6 {
		resp := ts.anonymous().do(t, http.MethodPost, "/api/login", credentials(testEmail, "wrong password"))
		mustEnvelope(t, resp, http.StatusServiceUnavailable, "unavailable", "service unavailable", "")
		mustHeader(t, resp, "Retry-After", "5")
	}
	// Not failures: the IP is not blocked.
	if wait := ts.API.throttle.RetryAfter("127.0.0.1"); wait != 0 {
		t.Fatalf("503 answers were counted as failures (retry after %v)", wait)
	}
}

func TestLoginCreatesIndependentSessions(t *testing.T) {
	ts := newTestServer(t)
	phone, laptop := ts.login(t), ts.login(t)
	if phone.csrf == laptop.csrf {
		t.Fatal("two logins share a CSRF token")
	}
	phone.do(t, http.MethodPost, "/api/logout", nil).mustStatus(t, http.StatusNoContent)
	if !laptop.authenticated(t) {
		t.Fatal("logging out one session ended the other")
	}
}

func TestLoginStoresSessionRecord(t *testing.T) {
	ts := newTestServer(t, func(c *config.Config) { c.SessionTTLHours = 2 })
	agent := strings.Repeat("é", 300)
	c := ts.anonymous()
	c.do(t, http.MethodPost, "/api/login", credentials(testEmail, testPassword), "User-Agent", agent).mustStatus(t, http.StatusOK)
	ls, ok, err := ts.Store.LoginSessionByHash(t.Context(), c.sessionHash(t))
	if err != nil || !ok {
		t.Fatalf("no record for the session cookie: %v", err)
	}
	now := ts.Clock.Now()
	if !ls.CreatedAt.Equal(now) || !ls.ExpiresAt.Equal(now.Add(2*time.Hour)) || !ls.LastSeenAt.Equal(now) {
		t.Fatalf("record times %v / %v / %v, want created=last seen=%v, expires 2 h later", ls.CreatedAt, ls.ExpiresAt, ls.LastSeenAt, now)
	}
	if ls.CSRFToken != c.csrf {
		t.Fatalf("stored CSRF token %q, cookie %q", ls.CSRFToken, c.csrf)
	}
	if ls.UserAgent != strings.Repeat("é", 256) {
		t.Fatalf("stored User-Agent has %d characters, want the first 256", len([]rune(ls.UserAgent)))
	}
}

// TestLoginStormIsThrottledWhileQueued: parallel wrong logins all pass the
// early throttle check and queue for the two password-check slots. Once five
// have failed, the queued rest must be refused as blocked (429) without
// running argon2, instead of each getting its own verification and a 401.
func TestLoginStormIsThrottledWhileQueued(t *testing.T) {
	ts := newTestServer(t)
	const attempts = 20
	statuses := make(chan int, attempts)
	var wg sync.WaitGroup
	for range attempts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.Post(ts.URL+"/api/login", "application/json", strings.NewReader(`{"email":"x@example.com","password":"wrong"}`))
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			statuses <- resp.StatusCode
		}()
	}
	wg.Wait()
	close(statuses)
	counts := map[int]int{}
	for s := range statuses {
		counts[s]++
	}
	// Five failures block the IP; at most one more verification was already
	// running in the second slot at that moment.
	if counts[http.StatusUnauthorized] < 5 || counts[http.StatusUnauthorized] > 6 ||
		counts[http.StatusUnauthorized]+counts[http.StatusTooManyRequests] != attempts {
		t.Fatalf("statuses %v; want 5 or 6 × 401 and the rest 429", counts)
	}
}
