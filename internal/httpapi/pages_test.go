package httpapi

import (
	"net/http"
	"strconv"
	"testing"
)

func TestPageGuardWithoutSession(t *testing.T) {
	ts := newTestServer(t).variant(t, variantOptions{ui: testUI(t)})
	cases := []struct {
		method, path, location string
	}{
		{http.MethodGet, "/", "/login"},
		{http.MethodHead, "/", "/login"},
		{http.MethodGet, "/trends", "/login?next=%2Ftrends"},
		{http.MethodHead, "/trends", "/login?next=%2Ftrends"},
		{http.MethodGet, "/day/2025-06-01", "/login?next=%2Fday%2F2025-06-01"},
		{http.MethodGet, "/sleep/7/edit?from=day", "/login?next=%2Fsleep%2F7%2Fedit%3Ffrom%3Dday"},
		{http.MethodGet, "/?tab=week", "/login?next=%2F%3Ftab%3Dweek"},
		{http.MethodGet, "/diary", "/login?next=%2Fdiary"},
		{http.MethodGet, "/data", "/login?next=%2Fdata"},
		{http.MethodGet, "/settings", "/login?next=%2Fsettings"},
		{http.MethodGet, "/no-such-page", "/login?next=%2Fno-such-page"},
		{http.MethodGet, "/api", "/login?next=%2Fapi"}, // only /api/… is the API
	}
	for _, tc := range cases {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			resp := ts.anonymous().do(t, tc.method, tc.path, nil)
			resp.mustStatus(t, http.StatusSeeOther)
			mustHeader(t, resp, "Location", tc.location)
			mustHeader(t, resp, "Cache-Control", "no-store")
			if len(resp.Body) != 0 {
				t.Fatalf("a guarded page sent a body: %q", resp.Body)
			}
		})
	}
	t.Run("login page", func(t *testing.T) {
		for _, path := range []string{"/login", "/login?next=%2Ftrends"} {
			resp := ts.anonymous().do(t, http.MethodGet, path, nil).mustStatus(t, http.StatusOK)
			mustShell(t, resp)
		}
	})
}

// mustShell asserts a full HTML shell response.
func mustShell(t testing.TB, resp *testResponse) {
	t.Helper()
	mustHeader(t, resp, "Content-Type", "text/html; charset=utf-8")
	mustHeader(t, resp, "Cache-Control", "no-store")
	if string(resp.Body) != testShell {
		t.Fatalf("body %q, want the embedded shell", resp.Body)
	}
}

func TestPageGuardWithSession(t *testing.T) {
	ts := newTestServer(t).variant(t, variantOptions{ui: testUI(t)})
	c := ts.login(t)
	for _, path := range []string{"/", "/trends", "/day/2025-06-01", "/day/not-a-date", "/sleep/new", "/sleep/12/edit", "/trends?x=1", "/diary", "/data", "/settings"} {
		mustShell(t, c.do(t, http.MethodGet, path, nil).mustStatus(t, http.StatusOK))
	}
	for _, path := range []string{"/nope", "/trends/", "/sleep", "/sleep/12", "/day", "/day/", "/api"} {
		mustShell(t, c.do(t, http.MethodGet, path, nil).mustStatus(t, http.StatusNotFound))
	}
	head := c.do(t, http.MethodHead, "/trends", nil).mustStatus(t, http.StatusOK)
	mustHeader(t, head, "Content-Length", strconv.Itoa(len(testShell)))
	if len(head.Body) != 0 {
		t.Fatalf("HEAD body %q", head.Body)
	}

	logins := []struct{ path, location string }{
		{"/login", "/"},
		{"/login?next=%2Ftrends", "/trends"},
		{"/login?next=%2Fday%2F2025-06-01%3Fx%3D1", "/day/2025-06-01?x=1"},
		{"/login?next=%2F%2Fevil.example", "/"},
		{"/login?next=https%3A%2F%2Fevil.example", "/"},
		{"/login?next=%2Fapi%2Fsession", "/"},
	}
	for _, l := range logins {
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			resp := c.do(t, method, l.path, nil).mustStatus(t, http.StatusSeeOther)
			mustHeader(t, resp, "Location", l.location)
			mustHeader(t, resp, "Cache-Control", "no-store")
		}
	}
}

func TestPagePathsAcceptOnlyGetAndHead(t *testing.T) {
	ts := newTestServer(t).variant(t, variantOptions{ui: testUI(t)})
	c := ts.login(t)
	cases := []struct{ method, path, allow string }{
		{http.MethodPost, "/trends", "GET, HEAD"},
		{http.MethodPut, "/", "GET, HEAD"},
		{http.MethodDelete, "/nope", "GET, HEAD"},
		{http.MethodOptions, "/trends", "GET, HEAD"},
		{http.MethodPost, "/favicon.svg", "GET, HEAD"},
		{http.MethodGet, "/logout", "POST"},
		{http.MethodPut, "/health", "GET, HEAD"},
	}
	for _, tc := range cases {
		for _, client := range []*testClient{ts.anonymous(), c} {
			resp := client.do(t, tc.method, tc.path, nil)
			mustEnvelope(t, resp, http.StatusMethodNotAllowed, "method_not_allowed", "method not allowed", "")
			mustHeader(t, resp, "Allow", tc.allow)
		}
	}
}

func TestStaticAssets(t *testing.T) {
	ts := newTestServer(t).variant(t, variantOptions{ui: testUI(t)})
	anon := ts.anonymous()

	plain := anon.do(t, http.MethodGet, "/favicon.svg", nil, "Accept-Encoding", "identity").mustStatus(t, http.StatusOK)
	mustHeader(t, plain, "Content-Type", "image/svg+xml")
	mustHeader(t, plain, "Cache-Control", "no-cache")
	mustHeader(t, plain, "Vary", "Accept-Encoding")
	mustHeader(t, plain, "Content-Encoding", "")
	etag := plain.Header.Get("ETag")
	if etag == "" || string(plain.Body) != testFavicon {
		t.Fatalf("ETag %q, body %q; want an ETag and the file", etag, plain.Body)
	}

	gz := testUI(t)["favicon.svg.gz"].Data
	zipped := anon.do(t, http.MethodGet, "/favicon.svg", nil, "Accept-Encoding", "br, gzip").mustStatus(t, http.StatusOK)
	mustHeader(t, zipped, "Content-Encoding", "gzip")
	if string(zipped.Body) != string(gz) {
		t.Fatal("gzip-accepting client did not get the precompressed twin")
	}
	refused := anon.do(t, http.MethodGet, "/favicon.svg", nil, "Accept-Encoding", "gzip;q=0").mustStatus(t, http.StatusOK)
	mustHeader(t, refused, "Content-Encoding", "")

	anon.do(t, http.MethodGet, "/favicon.svg", nil, "If-None-Match", etag, "Accept-Encoding", "identity").
		mustStatus(t, http.StatusNotModified)

	immutable := anon.do(t, http.MethodGet, "/_app/immutable/entry/start.abc123.js", nil).mustStatus(t, http.StatusOK)
	mustHeader(t, immutable, "Cache-Control", "public, max-age=31536000, immutable")
	mustHeader(t, immutable, "Content-Type", "text/javascript; charset=utf-8")

	head := anon.do(t, http.MethodHead, "/robots.txt", nil).mustStatus(t, http.StatusOK)
	if len(head.Body) != 0 || head.Header.Get("Content-Length") == "0" {
		t.Fatalf("HEAD asset: body %q, Content-Length %q", head.Body, head.Header.Get("Content-Length"))
	}

	for _, path := range []string{"/_app/immutable/missing.js", "/_app/", "/_app/version.json"} {
		mustEnvelope(t, anon.do(t, http.MethodGet, path, nil), http.StatusNotFound, "not_found", "not found", "")
	}
	// The shell is not an asset: /index.html goes through the page guard.
	anon.do(t, http.MethodGet, "/index.html", nil).mustStatus(t, http.StatusSeeOther)
}
