package httpapi

import (
	"net/http"
	"strings"
	"testing"
	"testing/fstest"
)

// TestInstallableAppFiles: the manifest and the service worker of SPEC §15.2
// are public static files, /sw.js is the build's service-worker.js with
// Cache-Control: no-cache, and the CSP they carry needs no 'unsafe-inline'
// for scripts.
func TestInstallableAppFiles(t *testing.T) {
	ui := testUI(t)
	ui["service-worker.js"] = &fstest.MapFile{Data: []byte("self.addEventListener('fetch', () => {});\n")}
	ui["manifest.webmanifest"] = &fstest.MapFile{Data: []byte(`{"name":"SleepTracker","short_name":"Sleep"}` + "\n")}
	ui["icon-192.png"] = &fstest.MapFile{Data: []byte("\x89PNG\r\n\x1a\n")}
	ts := newTestServer(t).variant(t, variantOptions{ui: ui})
	anon := ts.anonymous()

	cases := []struct {
		path, contentType, body string
		csp                     bool
	}{
		{"/sw.js", "text/javascript; charset=utf-8", "self.addEventListener", true},
		{"/manifest.webmanifest", "application/manifest+json", `"short_name":"Sleep"`, false},
		{"/icon-192.png", "image/png", "PNG", false},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			resp := anon.do(t, http.MethodGet, tc.path, nil)
			resp.mustStatus(t, http.StatusOK)
			if got := resp.Header.Get("Content-Type"); got != tc.contentType {
				t.Errorf("Content-Type %q, want %q", got, tc.contentType)
			}
			if got := resp.Header.Get("Cache-Control"); got != "no-cache" {
				t.Errorf("Cache-Control %q, want no-cache", got)
			}
			if !strings.Contains(string(resp.Body), tc.body) {
				t.Errorf("body %q lacks %q", resp.Body, tc.body)
			}
			csp := resp.Header.Get("Content-Security-Policy")
			if tc.csp && (csp == "" || strings.Contains(csp, "script-src 'self' 'unsafe-inline'")) {
				t.Errorf("worker CSP %q", csp)
			}
		})
	}
	// The build's own name is not served: the worker has exactly one URL.
	if resp := anon.do(t, http.MethodGet, "/service-worker.js", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("/service-worker.js: %d, want the page guard's 303", resp.StatusCode)
	}
}
