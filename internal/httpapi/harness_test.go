package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"sleeptracker/internal/auth"
	"sleeptracker/internal/config"
	"sleeptracker/internal/store"
)

// Shared test harness: a real Server over a real SQLite file in a temp folder,
// served by httptest, with a controllable clock and a client that keeps the
// session and CSRF cookies by hand (so secure-mode __Host- cookies work over
// plain-HTTP httptest too).

const (
	testEmail    = "owner@example.com"
	testPassword = "correct horse battery staple"
)

var (
	testHashOnce sync.Once
	testHash     auth.PasswordHash
)

// testAdminHash hashes testPassword once per test binary (argon2 is slow on purpose).
func testAdminHash(t testing.TB) auth.PasswordHash {
	testHashOnce.Do(func() {
		phc, err := auth.HashPassword(testPassword)
		if err != nil {
			panic(err)
		}
		testHash, err = auth.ParsePasswordHash(phc)
		if err != nil {
			panic(err)
		}
	})
	return testHash
}

// fakeClock is a settable clock shared by the server and the test.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

type testServer struct {
	*httptest.Server
	Store *store.Store
	Clock *fakeClock
	Cfg   config.Config
	API   *Server
}

// testConfig is a valid development-mode configuration; options adjust it.
func testConfig(t testing.TB) config.Config {
	return config.Config{
		DatabasePath:    filepath.Join(t.TempDir(), "sleep.db"),
		AdminEmail:      testEmail,
		CookieSecure:    false,
		SessionTTLHours: 12,
		AppTZ:           "UTC",
		AppLocation:     time.UTC,
		BindAddr:        "127.0.0.1:0",
	}
}

// newTestServer starts a server on a fresh database file. Options may change
// the configuration before the server is built.
func newTestServer(t testing.TB, options ...func(*config.Config)) *testServer {
	t.Helper()
	cfg := testConfig(t)
	for _, option := range options {
		option(&cfg)
	}
	st, err := store.Open(context.Background(), cfg.DatabasePath)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	clock := &fakeClock{now: time.Date(2025, 6, 20, 8, 0, 0, 0, time.UTC)}
	api, err := New(Deps{
		Config:        cfg,
		Store:         st,
		AdminHash:     testAdminHash(t),
		SessionSecret: bytes.Repeat([]byte{7}, 32),
		OpenAPI:       []byte("openapi: 3.1.0\n"),
		Now:           clock.Now,
		Logger:        discardLogger(),
	})
	if err != nil {
		t.Fatalf("new server: %v", err)
	}
	srv := httptest.NewServer(api.Handler())
	t.Cleanup(srv.Close)
	return &testServer{Server: srv, Store: st, Clock: clock, Cfg: cfg, API: api}
}

// testClient sends requests with the cookies it was given at login.
type testClient struct {
	ts      *testServer
	cookies map[string]string // name -> value
	csrf    string
}

// anonymous returns a client without cookies.
func (ts *testServer) anonymous() *testClient {
	return &testClient{ts: ts, cookies: map[string]string{}}
}

// login signs in with the test credentials and returns a client holding the
// session and CSRF cookies.
func (ts *testServer) login(t testing.TB) *testClient {
	t.Helper()
	c := ts.anonymous()
	resp := c.do(t, http.MethodPost, "/api/login", map[string]string{"email": testEmail, "password": testPassword})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("login: status %d, body %s", resp.StatusCode, resp.Body)
	}
	return c
}

// testResponse is a fully read response.
type testResponse struct {
	StatusCode int
	Header     http.Header
	Body       []byte
	Cookies    []*http.Cookie
}

// JSON decodes the body into v, failing the test on error.
func (r *testResponse) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %q: %v", r.Body, err)
	}
}

// errorEnvelope decodes the body as the JSON error envelope.
func (r *testResponse) errorEnvelope(t testing.TB) apiError {
	t.Helper()
	var e apiError
	r.JSON(t, &e)
	return e
}

// do sends a request. A string or []byte body is sent as is with a JSON
// content type; any other non-nil body is JSON-encoded. Extra headers are
// name/value pairs and override the defaults (including the CSRF header).
func (c *testClient) do(t testing.TB, method, path string, body any, headers ...string) *testResponse {
	t.Helper()
	var reader io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		reader = strings.NewReader(b)
	case []byte:
		reader = bytes.NewReader(b)
	default:
		encoded, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		reader = bytes.NewReader(encoded)
	}
	req, err := http.NewRequest(method, c.ts.URL+path, reader)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.csrf != "" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	for name, value := range c.cookies {
		req.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] == "" {
			req.Header.Del(headers[i])
			continue
		}
		req.Header.Set(headers[i], headers[i+1])
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	for _, ck := range resp.Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" {
			delete(c.cookies, ck.Name)
			continue
		}
		c.cookies[ck.Name] = ck.Value
		if ck.Name == c.ts.API.cookies.csrf {
			c.csrf = ck.Value
		}
	}
	checkResponseAgainstContract(t, req, resp.StatusCode, resp.Header, data)
	return &testResponse{StatusCode: resp.StatusCode, Header: resp.Header, Body: data, Cookies: resp.Cookies()}
}

// mustStatus fails the test unless the response has the wanted status.
func (r *testResponse) mustStatus(t testing.TB, want int) *testResponse {
	t.Helper()
	if r.StatusCode != want {
		t.Fatalf("status %d, want %d; body %s", r.StatusCode, want, r.Body)
	}
	return r
}
