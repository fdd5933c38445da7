package httpapi

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"io/fs"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"sleeptracker/internal/auth"
	"sleeptracker/internal/config"
	"sleeptracker/internal/store"
)

// Scaffolding for the foundation tests (auth, cookies, CSRF, routing, headers,
// pages): server variants that share a base server's database and clock,
// sessions forged straight into the store, and envelope assertions.

// variantOptions says how a variant server differs from its base.
type variantOptions struct {
	config func(*config.Config) // adjusts a copy of the base configuration
	ui     fs.FS                // the embedded UI; nil serves the placeholder shell
	secret []byte               // session secret; nil seals cookies exactly like the base
	adjust func(*Server)        // last changes before the server starts serving
}

// variant starts another Server over ts's store and clock, so a session made
// on one is a row the other can find.
func (ts *testServer) variant(t testing.TB, o variantOptions) *testServer {
	t.Helper()
	cfg := ts.Cfg
	if o.config != nil {
		o.config(&cfg)
	}
	secret := o.secret
	if secret == nil {
		secret = make([]byte, 32) // replaced by the base's sealer below
	}
	api, err := New(Deps{
		Config:        cfg,
		Store:         ts.Store,
		AdminHash:     testAdminHash(t),
		SessionSecret: secret,
		UI:            o.ui,
		OpenAPI:       []byte("openapi: 3.1.0\n"),
		Now:           ts.Clock.Now,
		Logger:        discardLogger(),
	})
	if err != nil {
		t.Fatalf("new variant server: %v", err)
	}
	if o.secret == nil {
		api.sealer = ts.API.sealer
	}
	if o.adjust != nil {
		o.adjust(api)
	}
	srv := httptest.NewServer(api.Handler())
	t.Cleanup(srv.Close)
	return &testServer{Server: srv, Store: ts.Store, Clock: ts.Clock, Cfg: cfg, API: api}
}

// clone returns a client with a copy of c's cookies and CSRF token, so a case
// can change them without affecting other cases.
func (c *testClient) clone() *testClient {
	return &testClient{ts: c.ts, cookies: maps.Clone(c.cookies), csrf: c.csrf}
}

// on returns a client for another server holding c's cookies.
func (c *testClient) on(ts *testServer) *testClient {
	d := c.clone()
	d.ts = ts
	return d
}

// forgeSession stores a login session with the given CSRF token directly and
// returns a client holding its cookies, without running argon2. The session
// cookie is sealed under the active mode's name.
func (ts *testServer) forgeSession(t testing.TB, csrfToken string) (*testClient, auth.SessionID) {
	t.Helper()
	id := auth.NewSessionID()
	now := ts.Clock.Now().UTC().Truncate(time.Second)
	err := ts.Store.CreateLoginSession(context.Background(), store.LoginSession{
		IDHash: id.Hash(), CSRFToken: csrfToken, CreatedAt: now, ExpiresAt: now.Add(12 * time.Hour), LastSeenAt: now,
	})
	if err != nil {
		t.Fatalf("forge session: %v", err)
	}
	c := ts.anonymous()
	c.cookies[ts.API.cookies.session] = ts.API.sealer.Seal(ts.API.cookies.session, id)
	c.cookies[ts.API.cookies.csrf] = csrfToken
	c.csrf = csrfToken
	return c, id
}

// authenticated asks GET /api/session whether c holds a valid session.
func (c *testClient) authenticated(t testing.TB) bool {
	t.Helper()
	var probe struct{ Authenticated bool }
	c.do(t, http.MethodGet, "/api/session", nil).mustStatus(t, http.StatusOK).JSON(t, &probe)
	return probe.Authenticated
}

// sessionHash is the stored hash of the session id in c's session cookie.
func (c *testClient) sessionHash(t testing.TB) []byte {
	t.Helper()
	name := c.ts.API.cookies.session
	id, ok := c.ts.API.sealer.Unseal(name, c.cookies[name])
	if !ok {
		t.Fatalf("client holds no valid %s cookie", name)
	}
	return id.Hash()
}

// mustEnvelope asserts an error response: status, JSON content type and the
// envelope of SPEC §3.2 with exactly the given code, message and detail.
func mustEnvelope(t testing.TB, resp *testResponse, status int, code, message, detail string) {
	t.Helper()
	resp.mustStatus(t, status)
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type %q, want application/json", ct)
	}
	e := resp.errorEnvelope(t)
	if e.Code != code || e.Message != message || e.Detail != detail {
		t.Fatalf("envelope {%q, %q, detail %q}, want {%q, %q, detail %q}", e.Code, e.Message, e.Detail, code, message, detail)
	}
}

// mustHeader asserts one response header value.
func mustHeader(t testing.TB, resp *testResponse, name, want string) {
	t.Helper()
	if got := resp.Header.Get(name); got != want {
		t.Fatalf("%s = %q, want %q", name, got, want)
	}
}

// cookieNamed returns the Set-Cookie of the response with that name, or nil.
func cookieNamed(resp *testResponse, name string) *http.Cookie {
	for _, c := range resp.Cookies {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// sendRaw sends req as built by the test (no cookies or headers added) and
// reads the whole response. Use it for bodies do cannot express.
func sendRaw(t testing.TB, req *http.Request) *testResponse {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return &testResponse{StatusCode: resp.StatusCode, Header: resp.Header, Body: data, Cookies: resp.Cookies()}
}

// formBody encodes name/value pairs as an application/x-www-form-urlencoded body.
func formBody(pairs ...string) string {
	var parts []string
	for i := 0; i+1 < len(pairs); i += 2 {
		parts = append(parts, url.QueryEscape(pairs[i])+"="+url.QueryEscape(pairs[i+1]))
	}
	return strings.Join(parts, "&")
}

// The UI used by page, asset and header tests: a shell with two inline
// scripts (their hashes must appear in the CSP) and one external script, a
// hashed immutable asset and a plain asset with a gzip twin.
const (
	testThemeScript = "\n\tdocument.documentElement.dataset.theme = 'dark';\n"
	testBootScript  = "\n\t__sveltekit_test = { base: \"\" };\n"
	testShell       = "<!doctype html><html><head><script>" + testThemeScript + "</script>" +
		"<script type=\"module\" src=\"/_app/immutable/entry/start.abc123.js\"></script></head>" +
		"<body><div><script data-sveltekit-hydrate=\"x\">" + testBootScript + "</script></div></body></html>"
	testFavicon = `<svg xmlns="http://www.w3.org/2000/svg"/>`
)

func testUI(t testing.TB) fstest.MapFS {
	t.Helper()
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	_, _ = w.Write([]byte(testFavicon))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return fstest.MapFS{
		"index.html":                           {Data: []byte(testShell)},
		"favicon.svg":                          {Data: []byte(testFavicon)},
		"favicon.svg.gz":                       {Data: gz.Bytes()},
		"robots.txt":                           {Data: []byte("User-agent: *\nDisallow: /\n")},
		"_app/immutable/entry/start.abc123.js": {Data: []byte("export const start = 1;\n")},
	}
}

// scriptHashSource is the CSP source for an inline script body, computed here
// independently of the server.
func scriptHashSource(body string) string {
	sum := sha256.Sum256([]byte(body))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// cspWith is the exact policy of SPEC §3.8 with the given script sources.
func cspWith(scriptSources ...string) string {
	return "default-src 'self'; script-src " + strings.Join(append([]string{"'self'"}, scriptSources...), " ") +
		"; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
		"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
}
