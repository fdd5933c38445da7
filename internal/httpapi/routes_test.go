package httpapi

import (
	"bytes"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// concretePath fills a route pattern's parameters with valid values: dates
// for {…date…}, 1 for ids and anything else.
func concretePath(pattern string) string {
	segments := strings.Split(pattern, "/")
	for i, s := range segments {
		if !isParam(s) {
			continue
		}
		if strings.Contains(s, "date") {
			segments[i] = "2025-06-01"
		} else {
			segments[i] = "1"
		}
	}
	return strings.Join(segments, "/")
}

func TestConcretePath(t *testing.T) {
	for pattern, want := range map[string]string{
		"/api/sleep/{id}":        "/api/sleep/1",
		"/api/sleep/date/{date}": "/api/sleep/date/2025-06-01",
		"/api/session":           "/api/session",
	} {
		if got := concretePath(pattern); got != want {
			t.Errorf("concretePath(%q) = %q, want %q", pattern, got, want)
		}
	}
}

// TestRouteTableAccess walks the route table: every route that needs a
// session answers 401 without one (even with a malformed body), and every
// sessionCSRF route answers 403 without the CSRF header, before any
// validation of parameters or body (SPEC §3.3).
func TestRouteTableAccess(t *testing.T) {
	ts := newTestServer(t)
	signedIn := ts.login(t)
	var protected, csrf int
	for _, r := range ts.API.routes() {
		if !r.access.needsSession() {
			continue
		}
		protected++
		path := concretePath(r.pattern)
		methods := []string{r.method}
		if r.method == http.MethodGet {
			methods = append(methods, http.MethodHead)
		}
		for _, method := range methods {
			t.Run(method+" "+r.pattern, func(t *testing.T) {
				for _, c := range []*testClient{ts.anonymous(), garbageSession(ts)} {
					resp := c.do(t, method, path, `{"malformed":`)
					if method == http.MethodHead {
						resp.mustStatus(t, http.StatusUnauthorized)
						if len(resp.Body) != 0 {
							t.Fatalf("HEAD answered with a body %q", resp.Body)
						}
						continue
					}
					mustEnvelope(t, resp, http.StatusUnauthorized, "unauthorized", "authentication required", "")
				}
				if !r.access.checksCSRF() {
					return
				}
				noToken := signedIn.clone()
				noToken.csrf = ""
				resp := noToken.do(t, method, path, `{"malformed":`)
				mustEnvelope(t, resp, http.StatusForbidden, "forbidden", "CSRF check failed", "csrf: missing header token")
				// With the token the request gets past the access checks.
				resp = signedIn.do(t, method, path, `{"malformed":`)
				if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
					t.Fatalf("with session and token: %d %s", resp.StatusCode, resp.Body)
				}
			})
		}
		if r.access.checksCSRF() {
			csrf++
			if r.method != http.MethodPost && r.method != http.MethodPut && r.method != http.MethodDelete {
				t.Errorf("%s %s is sessionCSRF but CSRF applies only to POST, PUT and DELETE", r.method, r.pattern)
			}
		} else if r.method != http.MethodGet {
			t.Errorf("%s %s changes state but is not sessionCSRF", r.method, r.pattern)
		}
	}
	if protected == 0 || csrf == 0 {
		t.Fatalf("the table has %d protected and %d CSRF routes; the walk proved nothing", protected, csrf)
	}
}

// garbageSession is a client whose session cookie does not unseal.
func garbageSession(ts *testServer) *testClient {
	c := ts.anonymous()
	c.cookies[ts.API.cookies.session] = "AAAA" + strings.Repeat("x", 80)
	c.cookies[ts.API.cookies.csrf] = strings.Repeat("y", 43)
	c.csrf = strings.Repeat("y", 43)
	return c
}

func TestUnknownAPIPathIs404(t *testing.T) {
	ts := newTestServer(t)
	paths := []string{"/api/", "/api/nope", "/api/session/", "/api/sleep/", "/api/sleep/1/", "/api/health/x", "/api//session", "/api/SESSION"}
	methods := []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch, http.MethodOptions}
	for name, c := range map[string]*testClient{"anonymous": ts.anonymous(), "signed in": ts.login(t)} {
		for _, path := range paths {
			for _, method := range methods {
				resp := c.do(t, method, path, nil)
				if method == http.MethodHead {
					resp.mustStatus(t, http.StatusNotFound)
					mustHeader(t, resp, "Cache-Control", "no-store")
					continue
				}
				mustEnvelope(t, resp, http.StatusNotFound, "not_found", "not found", "")
				mustHeader(t, resp, "Cache-Control", "no-store")
				if resp.Header.Get("Allow") != "" {
					t.Fatalf("%s %s %s: a 404 with Allow %q", name, method, path, resp.Header.Get("Allow"))
				}
			}
		}
	}
}

func TestWrongMethodIs405(t *testing.T) {
	ts := newTestServer(t)
	signedIn := ts.login(t)
	cases := []struct {
		method, path, allow string
	}{
		{http.MethodPut, "/api/session", "GET, HEAD"},
		{http.MethodPost, "/api/session", "GET, HEAD"},
		{http.MethodOptions, "/api/session", "GET, HEAD"},
		{http.MethodPatch, "/api/session", "GET, HEAD"},
		{http.MethodDelete, "/api/health", "GET, HEAD"},
		{http.MethodPost, "/health", "GET, HEAD"},
		{http.MethodGet, "/api/login", "POST"},
		{http.MethodHead, "/api/login.json", "POST"},
		{http.MethodGet, "/api/logout", "POST"},
		{http.MethodGet, "/logout", "POST"},
		{http.MethodPut, "/login", "GET, HEAD, POST"},
		{http.MethodOptions, "/login", "GET, HEAD, POST"},
		// A static segment beats a parameter: never an id called "recent".
		{http.MethodPut, "/api/sleep/recent", "GET, HEAD"},
		{http.MethodPost, "/api/sleep/recent", "GET, HEAD"},
		{http.MethodDelete, "/api/sleep/range", "GET, HEAD"},
		{http.MethodPatch, "/api/sleep/1", "GET, HEAD, PUT, DELETE"},
	}
	for _, tc := range cases {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			// The method check comes before the session check.
			for _, c := range []*testClient{ts.anonymous(), signedIn} {
				resp := c.do(t, tc.method, tc.path, nil)
				if tc.method == http.MethodHead {
					resp.mustStatus(t, http.StatusMethodNotAllowed)
				} else {
					mustEnvelope(t, resp, http.StatusMethodNotAllowed, "method_not_allowed", "method not allowed", "")
				}
				mustHeader(t, resp, "Allow", tc.allow)
				mustHeader(t, resp, "Cache-Control", "no-store")
			}
		})
	}
}

// TestAllowListsEveryTableMethod derives the expected Allow header of every
// path of the table from the table itself.
func TestAllowListsEveryTableMethod(t *testing.T) {
	ts := newTestServer(t)
	methodsByPath := map[string][]string{}
	for _, r := range ts.API.routes() {
		methodsByPath[r.pattern] = append(methodsByPath[r.pattern], r.method)
	}
	for pattern, methods := range methodsByPath {
		resp := ts.anonymous().do(t, http.MethodPatch, concretePath(pattern), nil)
		resp.mustStatus(t, http.StatusMethodNotAllowed)
		allow := strings.Split(resp.Header.Get("Allow"), ", ")
		for _, m := range methods {
			if !slices.Contains(allow, m) || (m == http.MethodGet && !slices.Contains(allow, http.MethodHead)) {
				t.Errorf("%s: Allow %q misses %s", pattern, resp.Header.Get("Allow"), m)
			}
		}
	}
}

// jsonLoginOfSize is a JSON login body of exactly n bytes with a wrong password.
func jsonLoginOfSize(n int) []byte {
	head, tail := `{"email":"`+testEmail+`","password":"`, `"}`
	return []byte(head + strings.Repeat("p", n-len(head)-len(tail)) + tail)
}

func TestBodyLimit(t *testing.T) {
	ts := newTestServer(t)
	post := func(path string, body io.Reader, contentType string) *testResponse {
		req, err := http.NewRequest(http.MethodPost, ts.URL+path, body)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", contentType)
		return sendRaw(t, req)
	}
	tooLarge := func(t *testing.T, resp *testResponse) {
		t.Helper()
		mustEnvelope(t, resp, http.StatusRequestEntityTooLarge, "payload_too_large", "request body exceeds 64 KiB", "")
	}
	t.Run("announced Content-Length over 64 KiB", func(t *testing.T) {
		tooLarge(t, post("/api/login", bytes.NewReader(jsonLoginOfSize(64<<10+1)), "application/json"))
	})
	t.Run("chunked body over 64 KiB", func(t *testing.T) {
		// io.MultiReader has no known length, so the client sends it chunked.
		body := io.MultiReader(bytes.NewReader(jsonLoginOfSize(70 << 10)))
		tooLarge(t, post("/api/login.json", body, "application/json"))
	})
	t.Run("form body over 64 KiB", func(t *testing.T) {
		form := formBody("email", testEmail, "password", strings.Repeat("p", 64<<10))
		tooLarge(t, post("/login", io.MultiReader(strings.NewReader(form)), formType))
	})
	t.Run("exactly 64 KiB is read", func(t *testing.T) {
		resp := post("/api/login", bytes.NewReader(jsonLoginOfSize(64<<10)), "application/json")
		mustEnvelope(t, resp, http.StatusUnauthorized, "unauthorized", "invalid email or password", "")
	})
}

func TestHealth(t *testing.T) {
	ts := newTestServer(t)
	for _, path := range []string{"/api/health", "/health"} {
		resp := ts.anonymous().do(t, http.MethodGet, path, nil).mustStatus(t, http.StatusOK)
		if got := strings.TrimSpace(string(resp.Body)); got != `{"status":"ok"}` {
			t.Fatalf("%s: body %s", path, got)
		}
		mustHeader(t, resp, "Content-Type", "application/json")
		mustHeader(t, resp, "Cache-Control", "no-store")
		head := ts.anonymous().do(t, http.MethodHead, path, nil).mustStatus(t, http.StatusOK)
		if len(head.Body) != 0 || head.Header.Get("Content-Type") != "application/json" {
			t.Fatalf("HEAD %s: body %q, Content-Type %q", path, head.Body, head.Header.Get("Content-Type"))
		}
	}

	ts.Store.Close()
	for _, path := range []string{"/api/health", "/health"} {
		resp := ts.anonymous().do(t, http.MethodGet, path, nil).mustStatus(t, http.StatusServiceUnavailable)
		var body map[string]string
		resp.JSON(t, &body)
		want := map[string]string{"status": "unavailable", "code": "unavailable", "message": "database unavailable"}
		if len(body) != len(want) {
			t.Fatalf("%s: body %s, want %v", path, resp.Body, want)
		}
		for k, v := range want {
			if body[k] != v {
				t.Fatalf("%s: body %s, want %v", path, resp.Body, want)
			}
		}
		ts.anonymous().do(t, http.MethodHead, path, nil).mustStatus(t, http.StatusServiceUnavailable)
	}
	// A closed database is "no session", never a 500.
	if ts.anonymous().authenticated(t) {
		t.Fatal("authenticated with a closed database")
	}
}

func TestOpenAPIDocument(t *testing.T) {
	ts := newTestServer(t)
	resp := ts.anonymous().do(t, http.MethodGet, "/api/openapi.yaml", nil).mustStatus(t, http.StatusOK)
	mustHeader(t, resp, "Content-Type", "application/yaml")
	if string(resp.Body) != "openapi: 3.1.0\n" {
		t.Fatalf("body %q, want the document given to the server", resp.Body)
	}
	head := ts.anonymous().do(t, http.MethodHead, "/api/openapi.yaml", nil).mustStatus(t, http.StatusOK)
	if len(head.Body) != 0 {
		t.Fatalf("HEAD body %q", head.Body)
	}
}
