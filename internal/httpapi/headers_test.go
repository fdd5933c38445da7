package httpapi

import (
	"net/http"
	"strings"
	"testing"

	"sleeptracker/internal/config"
)

// headerProbe is one kind of response every security header must be on.
type headerProbe struct {
	name         string
	method, path string
	signedIn     bool
	status       int
	cacheControl string
}

var headerProbes = []headerProbe{
	{"API 200", http.MethodGet, "/api/session", false, http.StatusOK, "no-store"},
	{"API HEAD", http.MethodHead, "/api/health", false, http.StatusOK, "no-store"},
	{"alias 200", http.MethodGet, "/health", false, http.StatusOK, "no-store"},
	{"API 401", http.MethodGet, "/api/sleep/recent", false, http.StatusUnauthorized, "no-store"},
	{"API 404", http.MethodGet, "/api/nope", false, http.StatusNotFound, "no-store"},
	{"API 405", http.MethodPut, "/api/session", false, http.StatusMethodNotAllowed, "no-store"},
	{"alias 405", http.MethodGet, "/logout", false, http.StatusMethodNotAllowed, "no-store"},
	{"logout 204", http.MethodPost, "/logout", false, http.StatusNoContent, "no-store"},
	{"page guard redirect", http.MethodGet, "/trends", false, http.StatusSeeOther, "no-store"},
	{"login page redirect", http.MethodGet, "/login?next=%2Ftrends", true, http.StatusSeeOther, "no-store"},
	{"login page", http.MethodGet, "/login", false, http.StatusOK, "no-store"},
	{"page", http.MethodGet, "/trends", true, http.StatusOK, "no-store"},
	{"page HEAD", http.MethodHead, "/", true, http.StatusOK, "no-store"},
	{"unknown page", http.MethodGet, "/nope", true, http.StatusNotFound, "no-store"},
	{"page 405", http.MethodPost, "/trends", true, http.StatusMethodNotAllowed, "no-store"},
	{"asset", http.MethodGet, "/favicon.svg", false, http.StatusOK, "no-cache"},
	{"asset HEAD", http.MethodHead, "/robots.txt", false, http.StatusOK, "no-cache"},
	{"immutable asset", http.MethodGet, "/_app/immutable/entry/start.abc123.js", false, http.StatusOK, "public, max-age=31536000, immutable"},
	{"missing asset", http.MethodGet, "/_app/immutable/missing.js", false, http.StatusNotFound, "no-store"},
}

func TestSecurityHeaders(t *testing.T) {
	wantCSP := cspWith(scriptHashSource(testThemeScript), scriptHashSource(testBootScript))
	for _, hsts := range []bool{false, true} {
		t.Run(map[bool]string{false: "without HSTS", true: "with HSTS"}[hsts], func(t *testing.T) {
			ts := newTestServer(t).variant(t, variantOptions{
				ui:     testUI(t),
				config: func(c *config.Config) { c.EnableHSTS = hsts },
			})
			signedIn := ts.login(t)
			for _, p := range headerProbes {
				t.Run(p.name, func(t *testing.T) {
					c := ts.anonymous()
					if p.signedIn {
						c = signedIn
					}
					resp := c.do(t, p.method, p.path, nil)
					resp.mustStatus(t, p.status)
					mustHeader(t, resp, "X-Content-Type-Options", "nosniff")
					mustHeader(t, resp, "X-Frame-Options", "DENY")
					mustHeader(t, resp, "Referrer-Policy", "strict-origin-when-cross-origin")
					mustHeader(t, resp, "Content-Security-Policy", wantCSP)
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
