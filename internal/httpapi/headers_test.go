package httpapi

import (
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"sleeptracker/internal/config"
)

// headerProbe is one kind of response the security headers must be on.
// A lean probe is a static asset that cannot act as a document (script
// module, stylesheet, text): it carries nosniff, Referrer-Policy and HSTS but
// not the CSP and X-Frame-Options, which only take effect on documents and
// workers (issue 11). Every other response carries every header of §3.8.
type headerProbe struct {
	name         string
	method, path string
	signedIn     bool
	status       int
	cacheControl string
	lean         bool
	headers      []string // extra request header name/value pairs
}

var headerProbes = []headerProbe{
	{"API 200", http.MethodGet, "/api/session", false, http.StatusOK, "no-store", false, nil},
	{"API HEAD", http.MethodHead, "/api/health", false, http.StatusOK, "no-store", false, nil},
	{"alias 200", http.MethodGet, "/health", false, http.StatusOK, "no-store", false, nil},
	{"API 401", http.MethodGet, "/api/sleep/recent", false, http.StatusUnauthorized, "no-store", false, nil},
	{"API 404", http.MethodGet, "/api/nope", false, http.StatusNotFound, "no-store", false, nil},
	{"API 405", http.MethodPut, "/api/session", false, http.StatusMethodNotAllowed, "no-store", false, nil},
	{"alias 405", http.MethodGet, "/logout", false, http.StatusMethodNotAllowed, "no-store", false, nil},
	{"logout 204", http.MethodPost, "/logout", false, http.StatusNoContent, "no-store", false, nil},
	{"page guard redirect", http.MethodGet, "/trends", false, http.StatusSeeOther, "no-store", false, nil},
	{"login page redirect", http.MethodGet, "/login?next=%2Ftrends", true, http.StatusSeeOther, "no-store", false, nil},
	{"login page", http.MethodGet, "/login", false, http.StatusOK, "no-store", false, nil},
	{"page", http.MethodGet, "/trends", true, http.StatusOK, "no-store", false, nil},
	{"page HEAD", http.MethodHead, "/", true, http.StatusOK, "no-store", false, nil},
	{"page brotli", http.MethodGet, "/trends", true, http.StatusOK, "no-store", false, []string{"Accept-Encoding", "br, gzip"}},
	{"page gzip", http.MethodGet, "/", true, http.StatusOK, "no-store", false, []string{"Accept-Encoding", "gzip"}},
	{"login page gzip", http.MethodGet, "/login", false, http.StatusOK, "no-store", false, []string{"Accept-Encoding", "gzip"}},
	{"unknown page", http.MethodGet, "/nope", true, http.StatusNotFound, "no-store", false, nil},
	{"page 405", http.MethodPost, "/trends", true, http.StatusMethodNotAllowed, "no-store", false, nil},
	{"SVG asset (a document when opened)", http.MethodGet, "/favicon.svg", false, http.StatusOK, "no-cache", false, nil},
	{"SVG asset gzip", http.MethodGet, "/favicon.svg", false, http.StatusOK, "no-cache", false, []string{"Accept-Encoding", "gzip"}},
	{"worker script", http.MethodGet, "/sw.js", false, http.StatusOK, "no-cache", false, nil},
	{"asset 304", http.MethodGet, "/favicon.svg", false, http.StatusNotModified, "no-cache", false, []string{"If-None-Match", "*"}},
	{"asset 405", http.MethodPost, "/robots.txt", false, http.StatusMethodNotAllowed, "no-store", false, nil},
	{"missing asset", http.MethodGet, "/_app/immutable/missing.js", false, http.StatusNotFound, "no-store", false, nil},
	{"text asset HEAD", http.MethodHead, "/robots.txt", false, http.StatusOK, "no-cache", true, nil},
	{"immutable asset", http.MethodGet, "/_app/immutable/entry/start.abc123.js", false, http.StatusOK, "public, max-age=31536000, immutable", true, nil},
	{"immutable asset brotli", http.MethodGet, "/_app/immutable/assets/app.css", false, http.StatusOK, "public, max-age=31536000, immutable", true, []string{"Accept-Encoding", "br"}},
	{"immutable asset range", http.MethodGet, "/_app/immutable/entry/start.abc123.js", false, http.StatusPartialContent, "public, max-age=31536000, immutable", true, []string{"Range", "bytes=0-5"}},
}

// headerTestUI is the test UI plus a worker script at the root and a
// stylesheet with a brotli twin (the bytes need not be real brotli: the
// server sends twins as they are).
func headerTestUI(t testing.TB) fstest.MapFS {
	ui := testUI(t)
	ui["sw.js"] = &fstest.MapFile{Data: []byte("self.addEventListener('fetch', () => {});\n")}
	ui["_app/immutable/assets/app.css"] = &fstest.MapFile{Data: []byte("body{margin:0}")}
	ui["_app/immutable/assets/app.css.br"] = &fstest.MapFile{Data: []byte("brotli bytes")}
	return ui
}

func TestSecurityHeaders(t *testing.T) {
	wantCSP := cspWith(scriptHashSource(testThemeScript), scriptHashSource(testBootScript))
	for _, hsts := range []bool{false, true} {
		t.Run(map[bool]string{false: "without HSTS", true: "with HSTS"}[hsts], func(t *testing.T) {
			ts := newTestServer(t).variant(t, variantOptions{
				ui:     headerTestUI(t),
				config: func(c *config.Config) { c.EnableHSTS = hsts },
			})
			signedIn := ts.login(t)
			for _, p := range headerProbes {
				t.Run(p.name, func(t *testing.T) {
					c := ts.anonymous()
					if p.signedIn {
						c = signedIn
					}
					resp := c.do(t, p.method, p.path, nil, p.headers...)
					resp.mustStatus(t, p.status)
					mustHeader(t, resp, "X-Content-Type-Options", "nosniff")
					mustHeader(t, resp, "Referrer-Policy", "strict-origin-when-cross-origin")
					if p.lean {
						mustHeader(t, resp, "X-Frame-Options", "")
						mustHeader(t, resp, "Content-Security-Policy", "")
					} else {
						mustHeader(t, resp, "X-Frame-Options", "DENY")
						mustHeader(t, resp, "Content-Security-Policy", wantCSP)
					}
					mustHeader(t, resp, "Cache-Control", p.cacheControl)
					wantHSTS := ""
					if hsts {
						wantHSTS = "max-age=31536000; includeSubDomains"
					}
					mustHeader(t, resp, "Strict-Transport-Security", wantHSTS)
				})
			}
		})
	}
}

func TestContentSecurityPolicy(t *testing.T) {
	cases := []struct {
		name  string
		shell string
		want  string
	}{
		{"no inline script", `<html><script src="/a.js"></script></html>`, cspWith()},
		{"placeholder shell", string(placeholderShell), cspWith()},
		{"inline scripts in document order", `<!doctype html><html><head>
<script>one()</script>
<script type="module" src="/_app/x.js"></script>
<SCRIPT type="text/javascript">
  two();
</SCRIPT >
</head><body><div><script data-src="not-an-src">three()</script></div>
<script nonce=x>{ four }</script></body></html>`,
			cspWith(scriptHashSource("one()"), scriptHashSource("\n  two();\n"),
				scriptHashSource("three()"), scriptHashSource("{ four }"))},
		{"empty inline script", `<script></script>`, cspWith(scriptHashSource(""))},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := contentSecurityPolicy([]byte(tc.shell))
			if got != tc.want {
				t.Fatalf("CSP\n got %s\nwant %s", got, tc.want)
			}
			scriptSrc := strings.SplitN(strings.SplitN(got, "script-src ", 2)[1], ";", 2)[0]
			for _, banned := range []string{"'unsafe-inline'", "'unsafe-eval'", "http:", "https:", "*"} {
				if strings.Contains(scriptSrc, banned) {
					t.Fatalf("script-src %q contains %s", scriptSrc, banned)
				}
			}
		})
	}
}
