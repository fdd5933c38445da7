package httpapi

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"sleeptracker/internal/auth"
	"sleeptracker/internal/config"
	"sleeptracker/internal/store"
)

// tokenRule is what SPEC §16 says about API tokens on a route.
type tokenRule string

const (
	// ruleIgnored: a public route that needs no identity; a bearer header is
	// not looked at.
	ruleIgnored tokenRule = "ignored"
	// ruleRead: a token of either scope may use the route.
	ruleRead tokenRule = "read"
	// ruleWrite: only a write token may use the route.
	ruleWrite tokenRule = "write"
	// ruleNever: tokens never reach the route (403 with a valid one).
	ruleNever tokenRule = "never"
)

// specTokenRules is the token column of SPEC §16, written out by hand for
// every route of §5.1 and Part II — deliberately not derived from routes.go,
// so that a route added with the wrong access fails here. Routes of Part II
// that are not in the table yet are logged, not failed; a route in the table
// that is missing here fails TestTokenRuleOfEveryRoute.
var specTokenRules = map[string]tokenRule{
	// §5.1 routes 1–6 and the aliases: public. Tokens never reach login and
	// logout; health, the document and the probe need no identity.
	"GET /api/health":       ruleIgnored,
	"GET /health":           ruleIgnored,
	"GET /api/openapi.yaml": ruleIgnored,
	"GET /api/session":      ruleIgnored,
	"GET /login":            ruleIgnored, // the login page shares the path
	"POST /api/login":       ruleNever,
	"POST /login":           ruleNever,
	"POST /api/login.json":  ruleNever,
	"POST /api/logout":      ruleNever,
	"POST /logout":          ruleNever,
	// §5.1 routes 7–26: read for the GETs, write for 8, 9, 11, 12, 16, 18,
	// 20, 21. Route 22 (friction telemetry) is in neither list.
	"GET /api/settings/timezone":                   ruleRead,
	"POST /api/settings/timezone":                  ruleWrite, // 8
	"POST /api/sleep":                              ruleWrite, // 9
	"GET /api/sleep/{id}":                          ruleRead,
	"PUT /api/sleep/{id}":                          ruleWrite, // 11
	"DELETE /api/sleep/{id}":                       ruleWrite, // 12
	"GET /api/sleep/date/{date}":                   ruleRead,
	"GET /api/sleep/recent":                        ruleRead,
	"GET /api/sleep/range":                         ruleRead,
	"POST /api/exercise":                           ruleWrite, // 16
	"GET /api/exercise/intensity":                  ruleRead,
	"POST /api/note":                               ruleWrite, // 18
	"GET /api/note":                                ruleRead,
	"PUT /api/note/{id}":                           ruleWrite, // 20
	"DELETE /api/note/{id}":                        ruleWrite, // 21
	"POST /api/personalization/friction-telemetry": ruleNever, // 22
	"GET /api/personalization/friction-backlog":    ruleRead,
	"GET /api/trends/sleep-bars":                   ruleRead,
	"GET /api/trends/summary":                      ruleRead,
	"GET /api/trends/personalization":              ruleRead,
	// Part II, routes 27–41.
	"GET /api/diary":                 ruleRead,
	"GET /api/diary/sleep-window":    ruleRead,
	"PUT /api/diary/sleep-window":    ruleWrite,
	"DELETE /api/diary/sleep-window": ruleWrite,
	"GET /api/trends/regularity":     ruleRead,
	"GET /api/export":                ruleRead,
	"GET /api/backup":                ruleNever,
	"GET /api/backups":               ruleRead,
	"POST /api/imports":              ruleWrite,
	"GET /api/imports":               ruleRead, // the job list (§13.4), a GET like route 36
	"GET /api/imports/{id}":          ruleRead,
	"POST /api/imports/{id}/commit":  ruleWrite,
	"DELETE /api/imports/{id}":       ruleWrite,
	"POST /api/tokens":               ruleNever,
	"GET /api/tokens":                ruleNever,
	"DELETE /api/tokens/{id}":        ruleNever,
}

// tableTokenRule is the token rule that routes.go gives a route.
func tableTokenRule(r route) tokenRule {
	switch {
	case !r.access.judgesBearer():
		return ruleIgnored
	case !r.access.acceptsTokens():
		return ruleNever
	case auth.ScopeRead.Allows(r.method):
		return ruleRead
	default:
		return ruleWrite
	}
}

// TestTokenRuleOfEveryRoute lists every route's token rule: a route added to
// routes.go without its line in specTokenRules fails, so nobody can forget
// to decide whether tokens reach it (GET /api/backup must say noTokens).
func TestTokenRuleOfEveryRoute(t *testing.T) {
	ts := newTestServer(t)
	served := map[string]bool{}
	for _, r := range ts.API.routes() {
		key := r.method + " " + r.pattern
		served[key] = true
		want, ok := specTokenRules[key]
		if !ok {
			t.Errorf("%s is not in specTokenRules: decide its token rule (SPEC §16) and add it", key)
			continue
		}
		if got := tableTokenRule(r); got != want {
			t.Errorf("%s: routes.go gives tokens %q (access %q), SPEC §16 says %q", key, got, r.access, want)
		}
	}
	for key := range specTokenRules {
		if !served[key] {
			t.Logf("not served yet: %s", key)
		}
	}
}

// bearerTestServer trusts the loopback proxy, so each test request can
// choose its client IP through X-Forwarded-For (SPEC §4.10) and keep the
// bearer throttle out of tests that are not about it.
func bearerTestServer(t testing.TB, options ...func(*config.Config)) *testServer {
	t.Helper()
	return newTestServer(t, append([]func(*config.Config){func(cfg *config.Config) {
		cfg.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	}}, options...)...)
}

var clientIPCounter atomic.Int64

// freshIP is a client IP no other request of the test binary used.
func freshIP() string {
	n := clientIPCounter.Add(1)
	return fmt.Sprintf("10.%d.%d.%d", n>>16&255, n>>8&255, n&255)
}

// createToken makes a token through the API with a signed-in client.
func createToken(t testing.TB, c *testClient, name, scope string, days any) (id int64, token string) {
	t.Helper()
	resp := c.do(t, http.MethodPost, "/api/tokens", map[string]any{
		"password": testPassword, "name": name, "scope": scope, "expires_in_days": days,
	}, "X-Forwarded-For", freshIP()).mustStatus(t, http.StatusCreated)
	var created struct {
		ID    int64  `json:"id"`
		Token string `json:"token"`
	}
	resp.JSON(t, &created)
	return created.ID, created.Token
}

// bearerDo sends a request with only an Authorization: Bearer header (no
// cookies) from a fresh client IP.
func bearerDo(t testing.TB, ts *testServer, token, method, path string, body any, headers ...string) *testResponse {
	t.Helper()
	headers = append([]string{"Authorization", "Bearer " + token, "X-Forwarded-For", freshIP()}, headers...)
	return ts.anonymous().do(t, method, path, body, headers...)
}

// mustInvalidToken asserts the 401 of SPEC §16 (an empty body for HEAD).
func mustInvalidToken(t testing.TB, resp *testResponse, method string) {
	t.Helper()
	mustHeader(t, resp, "WWW-Authenticate", `Bearer error="invalid_token"`)
	if method == http.MethodHead {
		resp.mustStatus(t, http.StatusUnauthorized)
		return
	}
	mustEnvelope(t, resp, http.StatusUnauthorized, "unauthorized", "authentication required", "")
}

// mustScopeRefused asserts the 403 of SPEC §16.
func mustScopeRefused(t testing.TB, resp *testResponse, method string) {
	t.Helper()
	if method == http.MethodHead {
		resp.mustStatus(t, http.StatusForbidden)
		return
	}
	mustEnvelope(t, resp, http.StatusForbidden, "forbidden", "this token's scope does not allow this request", "")
}

// mustPastAuth asserts that a request got past authentication and
// authorization: whatever the handler said, it was not 401, 403 or 429.
func mustPastAuth(t testing.TB, resp *testResponse) {
	t.Helper()
	switch resp.StatusCode {
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusTooManyRequests:
		t.Fatalf("refused: %d %s", resp.StatusCode, resp.Body)
	}
	if resp.Header.Get("WWW-Authenticate") != "" {
		t.Fatalf("WWW-Authenticate %q on an accepted request", resp.Header.Get("WWW-Authenticate"))
	}
}

// TestBearerScopeMatrix sends every route of the table (GET routes also as
// HEAD) with no token, a read token, a write token and a revoked token, and
// checks each answer against SPEC §16. The routes come from routes(), so new
// routes are covered as they land; their rule comes from specTokenRules.
func TestBearerScopeMatrix(t *testing.T) {
	ts := bearerTestServer(t)
	owner := ts.login(t)
	_, readToken := createToken(t, owner, "dashboard", "read", nil)
	_, writeToken := createToken(t, owner, "shortcut", "write", 30)
	revokedID, revokedToken := createToken(t, owner, "old cron", "write", nil)
	// Use it once so it sits in the token cache, then revoke it: it must be
	// refused at once anyway.
	mustPastAuth(t, bearerDo(t, ts, revokedToken, http.MethodGet, "/api/settings/timezone", nil))
	owner.do(t, http.MethodDelete, fmt.Sprintf("/api/tokens/%d", revokedID), nil).mustStatus(t, http.StatusNoContent)

	checked := 0
	for _, r := range ts.API.routes() {
		rule, ok := specTokenRules[r.method+" "+r.pattern]
		if !ok {
			continue // TestTokenRuleOfEveryRoute reports it
		}
		methods := []string{r.method}
		if r.method == http.MethodGet {
			methods = append(methods, http.MethodHead)
		}
		for _, method := range methods {
			path := concretePath(r.pattern)
			t.Run(method+" "+r.pattern, func(t *testing.T) {
				checked++
				// No token, no cookies: only the public routes answer.
				resp := ts.anonymous().do(t, method, path, `{}`, "X-Forwarded-For", freshIP())
				if r.access.needsSession() {
					resp.mustStatus(t, http.StatusUnauthorized)
					if got := resp.Header.Get("WWW-Authenticate"); got != "" {
						t.Fatalf("a cookie 401 carries WWW-Authenticate %q", got)
					}
				} else {
					mustPastAuth(t, resp)
				}

				for _, tc := range []struct {
					name, token string
					allowed     bool
				}{
					{"read", readToken, rule == ruleRead || rule == ruleIgnored},
					{"write", writeToken, rule == ruleRead || rule == ruleWrite || rule == ruleIgnored},
				} {
					resp := bearerDo(t, ts, tc.token, method, path, `{}`)
					if tc.allowed {
						mustPastAuth(t, resp)
					} else {
						mustScopeRefused(t, resp, method)
					}
				}

				resp = bearerDo(t, ts, revokedToken, method, path, `{}`)
				if rule == ruleIgnored {
					mustPastAuth(t, resp)
				} else {
					mustInvalidToken(t, resp, method)
				}
			})
		}
	}
	if checked < 40 {
		t.Fatalf("checked %d method/route pairs; the table walk proved little", checked)
	}
}

// TestInvalidBearerTokens covers every way a token can be missing or bad:
// all are 401 with WWW-Authenticate, never judged by the cookies that come
// along.
func TestInvalidBearerTokens(t *testing.T) {
	ts := bearerTestServer(t)
	owner := ts.login(t)
	_, good := createToken(t, owner, "good", "write", nil)
	unknown, _ := auth.NewToken()
	for name, header := range map[string]string{
		"empty":            "Bearer",
		"blank":            "Bearer   ",
		"not a token":      "Bearer hello",
		"wrong prefix":     "Bearer xx_" + good[3:],
		"one char short":   "Bearer " + good[:len(good)-1],
		"one char more":    "Bearer " + good + "A",
		"unknown":          "Bearer " + unknown,
		"a changed char":   "Bearer " + good[:10] + flip(good[10]) + good[11:],
		"two tokens":       "Bearer " + good + " " + good,
		"lower-case known": "Bearer " + strings.ToLower(good),
	} {
		t.Run(name, func(t *testing.T) {
			// The owner's valid cookies and CSRF token come along and change nothing.
			resp := owner.do(t, http.MethodGet, "/api/settings/timezone", nil, "Authorization", header, "X-Forwarded-For", freshIP())
			mustInvalidToken(t, resp, http.MethodGet)
			resp = owner.do(t, http.MethodPost, "/api/note", map[string]string{"date": "2025-06-01", "body": "x"},
				"Authorization", header, "X-Forwarded-For", freshIP())
			mustInvalidToken(t, resp, http.MethodPost)
		})
	}
	// The scheme name is case-insensitive.
	mustPastAuth(t, owner.do(t, http.MethodGet, "/api/settings/timezone", nil, "Authorization", "bearer "+good))
	notes := owner.do(t, http.MethodGet, "/api/note?from=2025-06-01&to=2025-06-01", nil).mustStatus(t, http.StatusOK)
	if string(bytes.TrimSpace(notes.Body)) != "[]" {
		t.Fatalf("a refused bearer request stored a note: %s", notes.Body)
	}
}

func flip(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}

func TestExpiredTokenIsRefused(t *testing.T) {
	ts := bearerTestServer(t)
	owner := ts.login(t)
	_, token := createToken(t, owner, "one day", "read", 1)
	ts.Clock.Advance(24*time.Hour - time.Second)
	mustPastAuth(t, bearerDo(t, ts, token, http.MethodGet, "/api/settings/timezone", nil))
	ts.Clock.Advance(time.Second)
	mustInvalidToken(t, bearerDo(t, ts, token, http.MethodGet, "/api/settings/timezone", nil), http.MethodGet)
	// A refused use is not a use.
	ts.Clock.Advance(time.Hour)
	mustInvalidToken(t, bearerDo(t, ts, token, http.MethodGet, "/api/settings/timezone", nil), http.MethodGet)
	tokens, err := ts.Store.APITokens(t.Context())
	if err != nil || len(tokens) != 1 || tokens[0].LastUsedAt == nil || !tokens[0].LastUsedAt.Equal(time.Date(2025, 6, 21, 7, 59, 59, 0, time.UTC)) {
		t.Fatalf("last_used_at after expiry: %+v %v", tokens, err)
	}
}

// TestBearerIgnoresCookiesAndOtherSchemes: with a Bearer header the cookies
// count for nothing (in either direction); with another scheme the cookies
// decide as usual.
func TestBearerIgnoresCookiesAndOtherSchemes(t *testing.T) {
	ts := bearerTestServer(t)
	owner := ts.login(t)
	_, readToken := createToken(t, owner, "read", "read", nil)

	// A read token refuses a write, although the cookies and CSRF header
	// would allow it.
	resp := owner.do(t, http.MethodPost, "/api/settings/timezone", map[string]string{"timezone": "Asia/Tokyo"},
		"Authorization", "Bearer "+readToken)
	mustScopeRefused(t, resp, http.MethodPost)
	tz := owner.do(t, http.MethodGet, "/api/settings/timezone", nil).mustStatus(t, http.StatusOK)
	if bytes.Contains(tz.Body, []byte("Asia/Tokyo")) {
		t.Fatalf("a refused bearer request changed the time zone: %s", tz.Body)
	}
	// The session probe does not see the session behind a Bearer header.
	var probe struct{ Authenticated bool }
	owner.do(t, http.MethodGet, "/api/session", nil, "Authorization", "Bearer "+readToken).mustStatus(t, http.StatusOK).JSON(t, &probe)
	if probe.Authenticated {
		t.Fatal("/api/session reported the cookie session of a bearer request")
	}

	// Basic credentials (a reverse proxy's) are not ours: the cookies decide.
	basic := "Basic " + "dXNlcjpwYXNzd29yZA=="
	mustPastAuth(t, owner.do(t, http.MethodGet, "/api/settings/timezone", nil, "Authorization", basic))
	resp = ts.anonymous().do(t, http.MethodGet, "/api/settings/timezone", nil, "Authorization", basic)
	mustEnvelope(t, resp, http.StatusUnauthorized, "unauthorized", "authentication required", "")
	if got := resp.Header.Get("WWW-Authenticate"); got != "" {
		t.Fatalf("a cookie 401 carries WWW-Authenticate %q", got)
	}
	// ... including the CSRF check: Basic does not exempt a write.
	noCSRF := owner.clone()
	noCSRF.csrf = ""
	resp = noCSRF.do(t, http.MethodPost, "/api/note", map[string]string{"date": "2025-06-01", "body": "x"}, "Authorization", basic)
	mustEnvelope(t, resp, http.StatusForbidden, "forbidden", "CSRF check failed", "csrf: missing header token")
}

// TestCSRFExemptionOnlyForBearer: a write token writes without any CSRF
// material (even with a cross-site Sec-Fetch-Site); the same request with
// cookies and no CSRF header is refused.
func TestCSRFExemptionOnlyForBearer(t *testing.T) {
	ts := bearerTestServer(t)
	owner := ts.login(t)
	_, writeToken := createToken(t, owner, "write", "write", nil)
	body := map[string]string{"date": "2025-06-01", "body": "from a script"}

	noCSRF := owner.clone()
	noCSRF.csrf = ""
	resp := noCSRF.do(t, http.MethodPost, "/api/note", body)
	mustEnvelope(t, resp, http.StatusForbidden, "forbidden", "CSRF check failed", "csrf: missing header token")
	resp = noCSRF.do(t, http.MethodPost, "/api/note", body, "Sec-Fetch-Site", "cross-site")
	mustEnvelope(t, resp, http.StatusForbidden, "forbidden", "CSRF check failed", "csrf: cross-site request rejected")

	bearerDo(t, ts, writeToken, http.MethodPost, "/api/note", body).mustStatus(t, http.StatusCreated)
	bearerDo(t, ts, writeToken, http.MethodPost, "/api/note", body, "Sec-Fetch-Site", "cross-site").mustStatus(t, http.StatusCreated)
	var notes []map[string]any
	bearerDo(t, ts, writeToken, http.MethodGet, "/api/note?from=2025-06-01&to=2025-06-01", nil).mustStatus(t, http.StatusOK).JSON(t, &notes)
	if len(notes) != 2 {
		t.Fatalf("%d notes stored, want the 2 bearer writes", len(notes))
	}
}

// TestTokenLifecycle: create (shown once), list (newest first, never the
// token, last use), revoke (idempotent, refused at once).
func TestTokenLifecycle(t *testing.T) {
	ts := bearerTestServer(t)
	owner := ts.login(t)
	resp := owner.do(t, http.MethodPost, "/api/tokens", map[string]any{
		"password": testPassword, "name": "  phone shortcut  ", "scope": "write", "expires_in_days": 365,
	}).mustStatus(t, http.StatusCreated)
	var created struct {
		ID        int64   `json:"id"`
		Name      string  `json:"name"`
		Scope     string  `json:"scope"`
		CreatedAt string  `json:"created_at"`
		ExpiresAt *string `json:"expires_at"`
		Token     string  `json:"token"`
	}
	resp.JSON(t, &created)
	if !regexp.MustCompile(`^st_[A-Za-z0-9_-]{43}$`).MatchString(created.Token) {
		t.Fatalf("token %q", created.Token)
	}
	if created.Name != "phone shortcut" || created.Scope != "write" || created.CreatedAt != "2025-06-20T08:00:00Z" ||
		created.ExpiresAt == nil || *created.ExpiresAt != "2026-06-20T08:00:00Z" {
		t.Fatalf("created %+v", created)
	}
	stored, ok, err := ts.Store.APITokenByHash(t.Context(), func() []byte { h := auth.HashToken(created.Token); return h[:] }())
	if err != nil || !ok || stored.ID != created.ID {
		t.Fatalf("the SHA-256 of the token is not what was stored: %v %v", ok, err)
	}

	ts.Clock.Advance(time.Minute)
	_, second := createToken(t, owner, "dashboard", "read", nil)

	type listed struct {
		ID         int64   `json:"id"`
		Name       string  `json:"name"`
		Scope      string  `json:"scope"`
		CreatedAt  string  `json:"created_at"`
		ExpiresAt  *string `json:"expires_at"`
		LastUsedAt *string `json:"last_used_at"`
	}
	list := func() []listed {
		resp := owner.do(t, http.MethodGet, "/api/tokens", nil).mustStatus(t, http.StatusOK)
		if bytes.Contains(resp.Body, []byte(created.Token)) || bytes.Contains(resp.Body, []byte(second)) ||
			bytes.Contains(resp.Body, []byte(`"token"`)) {
			t.Fatalf("the list shows a token: %s", resp.Body)
		}
		var out []listed
		resp.JSON(t, &out)
		return out
	}
	tokens := list()
	if len(tokens) != 2 || tokens[0].Name != "dashboard" || tokens[1].ID != created.ID {
		t.Fatalf("list %+v, want newest first", tokens)
	}
	if tokens[0].ExpiresAt != nil || tokens[1].LastUsedAt != nil {
		t.Fatalf("list %+v: want no expiry on the second and no use of the first", tokens)
	}

	// last_used_at: written on first use, then at most once a minute.
	bearerDo(t, ts, created.Token, http.MethodGet, "/api/settings/timezone", nil).mustStatus(t, http.StatusOK)
	if got := list()[1].LastUsedAt; got == nil || *got != "2025-06-20T08:01:00Z" {
		t.Fatalf("last_used_at %v after the first use", got)
	}
	ts.Clock.Advance(30 * time.Second)
	bearerDo(t, ts, created.Token, http.MethodGet, "/api/settings/timezone", nil).mustStatus(t, http.StatusOK)
	if got := list()[1].LastUsedAt; *got != "2025-06-20T08:01:00Z" {
		t.Fatalf("last_used_at %v: written again within a minute", *got)
	}
	ts.Clock.Advance(31 * time.Second)
	bearerDo(t, ts, created.Token, http.MethodGet, "/api/settings/timezone", nil).mustStatus(t, http.StatusOK)
	if got := list()[1].LastUsedAt; *got != "2025-06-20T08:02:01Z" {
		t.Fatalf("last_used_at %v, want the use a minute later", *got)
	}

	// Revocation is immediate (the token was just cached) and idempotent.
	path := fmt.Sprintf("/api/tokens/%d", created.ID)
	owner.do(t, http.MethodDelete, path, nil).mustStatus(t, http.StatusNoContent)
	mustInvalidToken(t, bearerDo(t, ts, created.Token, http.MethodGet, "/api/settings/timezone", nil), http.MethodGet)
	owner.do(t, http.MethodDelete, path, nil).mustStatus(t, http.StatusNoContent)
	owner.do(t, http.MethodDelete, "/api/tokens/999", nil).mustStatus(t, http.StatusNoContent)
	mustEnvelope(t, owner.do(t, http.MethodDelete, "/api/tokens/abc", nil), http.StatusBadRequest, "bad_request", "invalid id", "")
	if tokens := list(); len(tokens) != 1 || tokens[0].Name != "dashboard" {
		t.Fatalf("after revoking: %+v", tokens)
	}
	mustPastAuth(t, bearerDo(t, ts, second, http.MethodGet, "/api/settings/timezone", nil))
}

// TestCreateTokenValidation walks the messages of POST /api/tokens in check
// order; nothing is stored by a refused request.
func TestCreateTokenValidation(t *testing.T) {
	ts := bearerTestServer(t)
	owner := ts.login(t)
	long := strings.Repeat("é", 101)
	for _, tc := range []struct {
		name    string
		body    any
		status  int
		message string
	}{
		{"not an object", `[]`, 400, "request body must be a JSON object"},
		{"no password", map[string]any{"name": "x", "scope": "read"}, 400, "password is required"},
		{"null password", map[string]any{"password": nil, "name": "x", "scope": "read"}, 400, "password is required"},
		{"password not a string", map[string]any{"password": 1, "name": "x", "scope": "read"}, 400, "password must be a string"},
		// The password is checked before the other fields.
		{"wrong password, bad fields", map[string]any{"password": "nope", "name": "", "scope": "admin"}, 403, "password is incorrect"},
		{"password with a space", map[string]any{"password": testPassword + " ", "name": "x", "scope": "read"}, 403, "password is incorrect"},
		{"no name", map[string]any{"password": testPassword, "scope": "read"}, 400, "name is required"},
		{"name not a string", map[string]any{"password": testPassword, "name": 5, "scope": "read"}, 400, "name must be a string"},
		{"empty name", map[string]any{"password": testPassword, "name": "", "scope": "read"}, 400, "name must be 1-100 characters"},
		{"blank name", map[string]any{"password": testPassword, "name": "   ", "scope": "read"}, 400, "name must be 1-100 characters"},
		{"long name", map[string]any{"password": testPassword, "name": long, "scope": "read"}, 400, "name must be 1-100 characters"},
		{"no scope", map[string]any{"password": testPassword, "name": "x"}, 400, "scope is required"},
		{"scope not a string", map[string]any{"password": testPassword, "name": "x", "scope": true}, 400, "scope must be a string"},
		{"unknown scope", map[string]any{"password": testPassword, "name": "x", "scope": "admin"}, 400, "scope must be one of read, write"},
		{"upper-case scope", map[string]any{"password": testPassword, "name": "x", "scope": "READ"}, 400, "scope must be one of read, write"},
		{"expiry 0", map[string]any{"password": testPassword, "name": "x", "scope": "read", "expires_in_days": 0}, 400, "expires_in_days must be between 1 and 3650"},
		{"expiry 3651", map[string]any{"password": testPassword, "name": "x", "scope": "read", "expires_in_days": 3651}, 400, "expires_in_days must be between 1 and 3650"},
		{"expiry fraction", map[string]any{"password": testPassword, "name": "x", "scope": "read", "expires_in_days": 1.5}, 400, "expires_in_days must be an integer"},
		{"expiry text", map[string]any{"password": testPassword, "name": "x", "scope": "read", "expires_in_days": "7"}, 400, "expires_in_days must be an integer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := owner.do(t, http.MethodPost, "/api/tokens", tc.body, "X-Forwarded-For", freshIP())
			code := "bad_request"
			if tc.status == 403 {
				code = "forbidden"
			}
			mustEnvelope(t, resp, tc.status, code, tc.message, "")
		})
	}
	tokens, err := ts.Store.APITokens(t.Context())
	if err != nil || len(tokens) != 0 {
		t.Fatalf("refused requests stored %d tokens (%v)", len(tokens), err)
	}
	// The edges are accepted: 100 characters, 1 and 3650 days.
	for _, days := range []int{1, 3650} {
		owner.do(t, http.MethodPost, "/api/tokens", map[string]any{
			"password": testPassword, "name": strings.Repeat("é", 100), "scope": "read", "expires_in_days": days,
		}).mustStatus(t, http.StatusCreated)
	}
	// Session and CSRF come first.
	mustEnvelope(t, ts.anonymous().do(t, http.MethodPost, "/api/tokens", `{}`), 401, "unauthorized", "authentication required", "")
	noCSRF := owner.clone()
	noCSRF.csrf = ""
	mustEnvelope(t, noCSRF.do(t, http.MethodPost, "/api/tokens", `{}`), 403, "forbidden", "CSRF check failed", "csrf: missing header token")
}

// TestTokenPasswordRecheckUsesTheLoginThrottle: wrong passwords on
// POST /api/tokens count as failed logins; five of them block both.
func TestTokenPasswordRecheckUsesTheLoginThrottle(t *testing.T) {
	ts := bearerTestServer(t)
	owner := ts.login(t)
	ip := freshIP()
	wrong := map[string]any{"password": "wrong", "name": "x", "scope": "read"}
	for range 5 {
		mustEnvelope(t, owner.do(t, http.MethodPost, "/api/tokens", wrong, "X-Forwarded-For", ip), 403, "forbidden", "password is incorrect", "")
	}
	right := map[string]any{"password": testPassword, "name": "x", "scope": "read"}
	resp := owner.do(t, http.MethodPost, "/api/tokens", right, "X-Forwarded-For", ip)
	mustEnvelope(t, resp, 429, "too_many_requests", "too many failed login attempts; try again later", "retry after 60 seconds")
	mustHeader(t, resp, "Retry-After", "60")
	login := ts.anonymous().do(t, http.MethodPost, "/api/login", map[string]string{"email": testEmail, "password": testPassword}, "X-Forwarded-For", ip)
	login.mustStatus(t, http.StatusTooManyRequests)
	// Another IP is not affected.
	owner.do(t, http.MethodPost, "/api/tokens", right, "X-Forwarded-For", freshIP()).mustStatus(t, http.StatusCreated)
}

// TestTokenLimit: at most 50 tokens; revoking one frees a place.
func TestTokenLimit(t *testing.T) {
	ts := bearerTestServer(t)
	owner := ts.login(t)
	for i := range store.MaxAPITokens - 1 {
		_, hash := auth.NewToken()
		if _, err := ts.Store.CreateAPIToken(t.Context(), store.APIToken{Hash: hash[:], Name: fmt.Sprint(i), Scope: "read", CreatedAt: ts.Clock.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	id50, _ := createToken(t, owner, "fiftieth", "read", nil)
	body := map[string]any{"password": testPassword, "name": "one too many", "scope": "read"}
	mustEnvelope(t, owner.do(t, http.MethodPost, "/api/tokens", body), 400, "bad_request", "at most 50 tokens may exist", "")
	owner.do(t, http.MethodDelete, fmt.Sprintf("/api/tokens/%d", id50), nil).mustStatus(t, http.StatusNoContent)
	owner.do(t, http.MethodPost, "/api/tokens", body).mustStatus(t, http.StatusCreated)
}

// TestBearerThrottle: 20 failed bearer requests from one IP block its bearer
// requests (even with a valid token) for 60 s; logins and cookie requests
// from that IP are unaffected, and so are other IPs.
func TestBearerThrottle(t *testing.T) {
	ts := bearerTestServer(t)
	owner := ts.login(t)
	_, good := createToken(t, owner, "good", "read", nil)
	ip := freshIP()
	stale, _ := auth.NewToken()
	for range 20 {
		resp := ts.anonymous().do(t, http.MethodGet, "/api/sleep/recent", nil, "Authorization", "Bearer "+stale, "X-Forwarded-For", ip)
		mustInvalidToken(t, resp, http.MethodGet)
	}
	for _, token := range []string{stale, good} {
		resp := ts.anonymous().do(t, http.MethodGet, "/api/sleep/recent", nil, "Authorization", "Bearer "+token, "X-Forwarded-For", ip)
		mustEnvelope(t, resp, 429, "too_many_requests", "too many failed login attempts; try again later", "retry after 60 seconds")
		mustHeader(t, resp, "Retry-After", "60")
	}
	// The owner is not locked out: cookie requests and logins still work.
	owner.do(t, http.MethodGet, "/api/sleep/recent", nil, "X-Forwarded-For", ip).mustStatus(t, http.StatusOK)
	wrong := ts.anonymous().do(t, http.MethodPost, "/api/login", map[string]string{"email": testEmail, "password": "wrong"}, "X-Forwarded-For", ip)
	mustEnvelope(t, wrong, 401, "unauthorized", "invalid email or password", "")
	ts.anonymous().do(t, http.MethodPost, "/api/login", map[string]string{"email": testEmail, "password": testPassword}, "X-Forwarded-For", ip).
		mustStatus(t, http.StatusOK)
	// Another IP's bearer requests pass.
	mustPastAuth(t, bearerDo(t, ts, good, http.MethodGet, "/api/sleep/recent", nil))
	// The block ends after 60 s; the next failure blocks for 120 s.
	ts.Clock.Advance(60 * time.Second)
	ts.anonymous().do(t, http.MethodGet, "/api/sleep/recent", nil, "Authorization", "Bearer "+good, "X-Forwarded-For", ip).mustStatus(t, http.StatusOK)
	ts.anonymous().do(t, http.MethodGet, "/api/sleep/recent", nil, "Authorization", "Bearer "+stale, "X-Forwarded-For", ip).mustStatus(t, http.StatusUnauthorized)
	resp := ts.anonymous().do(t, http.MethodGet, "/api/sleep/recent", nil, "Authorization", "Bearer "+good, "X-Forwarded-For", ip)
	mustHeader(t, resp, "Retry-After", "120")
}

// TestLoginFailuresDoNotBlockBearer: the throttles are separate both ways.
func TestLoginFailuresDoNotBlockBearer(t *testing.T) {
	ts := bearerTestServer(t)
	owner := ts.login(t)
	_, good := createToken(t, owner, "good", "read", nil)
	ip := freshIP()
	for range 5 {
		ts.anonymous().do(t, http.MethodPost, "/api/login", map[string]string{"email": testEmail, "password": "wrong"}, "X-Forwarded-For", ip)
	}
	ts.anonymous().do(t, http.MethodPost, "/api/login", map[string]string{"email": testEmail, "password": testPassword}, "X-Forwarded-For", ip).
		mustStatus(t, http.StatusTooManyRequests)
	ts.anonymous().do(t, http.MethodGet, "/api/sleep/recent", nil, "Authorization", "Bearer "+good, "X-Forwarded-For", ip).mustStatus(t, http.StatusOK)
}

// TestTokenNeverLoggedNorShownAgain runs a token's whole life through a
// server whose request log is captured: the token appears in exactly one
// response (its creation) and never in the log.
func TestTokenNeverLoggedNorShownAgain(t *testing.T) {
	var logBuf lockedBuffer
	ts := bearerTestServer(t).variant(t, variantOptions{adjust: func(s *Server) {
		s.log = slog.New(slog.NewTextHandler(&logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}})

	owner := ts.login(t)
	id, token := createToken(t, owner, "secret", "write", nil)
	secret := token[len(auth.TokenPrefix):]
	var later []*testResponse
	later = append(later,
		bearerDo(t, ts, token, http.MethodGet, "/api/sleep/recent", nil),
		bearerDo(t, ts, token, http.MethodPost, "/api/note", map[string]string{"date": "2025-06-01", "body": "x"}),
		bearerDo(t, ts, token, http.MethodGet, "/api/tokens", nil),
		bearerDo(t, ts, token, http.MethodPost, "/api/login", map[string]string{"email": testEmail, "password": testPassword}),
		bearerDo(t, ts, token+"x", http.MethodGet, "/api/sleep/recent", nil),
		owner.do(t, http.MethodGet, "/api/tokens", nil),
		owner.do(t, http.MethodGet, "/api/session", nil),
		owner.do(t, http.MethodDelete, fmt.Sprintf("/api/tokens/%d", id), nil),
		bearerDo(t, ts, token, http.MethodGet, "/api/sleep/recent", nil),
	)
	for i, resp := range later {
		if bytes.Contains(resp.Body, []byte(secret)) {
			t.Errorf("response %d shows the token: %s", i, resp.Body)
		}
		for name, values := range resp.Header {
			if strings.Contains(strings.Join(values, " "), secret) {
				t.Errorf("response %d header %s shows the token", i, name)
			}
		}
	}
	log := logBuf.String()
	if !strings.Contains(log, "path=/api/tokens") || strings.Count(log, "msg=request") < len(later) {
		t.Fatalf("the request log was not captured:\n%s", log)
	}
	if strings.Contains(log, secret) {
		t.Fatalf("the request log shows the token:\n%s", log)
	}
}

// BenchmarkRangeReadAuth compares a 62-day range read over ten years of
// nights authenticated by the session cookie with the same read
// authenticated by a bearer token (SPEC §16 asks for the bearer read to be
// within 10% of the cookie one). Both go through the full handler chain,
// and both credentials are served from their one-second caches between
// database lookups, as in a burst of real requests. Run with
//
//	go test -run '^$' -bench RangeReadAuth -benchmem ./internal/httpapi/
func BenchmarkRangeReadAuth(b *testing.B) {
	path := tenYearsOfNights(b)
	ts := newTestServer(b, func(cfg *config.Config) { cfg.DatabasePath = path })
	client := ts.login(b)
	_, token := createToken(b, client, "bench", "read", nil)
	handler := ts.API.Handler()
	target := "/api/sleep/range?from=2025-04-19&to=" + benchLastNight

	for _, bc := range []struct {
		name    string
		prepare func(*http.Request)
	}{
		{"cookie", func(req *http.Request) {
			for name, value := range client.cookies {
				req.AddCookie(&http.Cookie{Name: name, Value: value})
			}
		}},
		{"bearer", func(req *http.Request) { req.Header.Set("Authorization", "Bearer "+token) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, target, nil)
				bc.prepare(req)
				rec := httptest.NewRecorder()
				handler.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("GET %s: status %d, body %s", target, rec.Code, rec.Body)
				}
			}
		})
	}
}

// BenchmarkCredentialCheck isolates what differs between the two reads of
// BenchmarkRangeReadAuth: validating the cookie session (unseal, hash, cache)
// against validating the bearer token (shape check, hash, cache).
func BenchmarkCredentialCheck(b *testing.B) {
	ts := newTestServer(b)
	client := ts.login(b)
	_, token := createToken(b, client, "bench", "read", nil)
	b.Run("cookie", func(b *testing.B) {
		req := httptest.NewRequest(http.MethodGet, "/api/sleep/recent", nil)
		for name, value := range client.cookies {
			req.AddCookie(&http.Cookie{Name: name, Value: value})
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, ok := ts.API.currentSession(req); !ok {
				b.Fatal("no session")
			}
		}
	})
	b.Run("bearer", func(b *testing.B) {
		req := httptest.NewRequest(http.MethodGet, "/api/sleep/recent", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		b.ReportAllocs()
		for b.Loop() {
			credential, _ := auth.BearerCredentials(req.Header)
			if _, ok, err := ts.API.validToken(req.Context(), credential); !ok || err != nil {
				b.Fatal("token refused", err)
			}
		}
	})
}
