package httpapi

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"
)

// gunzip decodes a gzip body, failing the test when it is not gzip.
func gunzip(t testing.TB, body []byte) []byte {
	t.Helper()
	r, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("not gzip: %v (%q…)", err, body[:min(len(body), 20)])
	}
	plain, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("gzip body does not decode: %v", err)
	}
	return plain
}

func gzipped(t testing.TB, s string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	_, _ = w.Write([]byte(s))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// mustVaryOnEncoding asserts that Vary lists Accept-Encoding exactly once.
func mustVaryOnEncoding(t testing.TB, resp *testResponse) {
	t.Helper()
	n := 0
	for _, v := range resp.Header.Values("Vary") {
		for _, field := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(field), "Accept-Encoding") {
				n++
			}
		}
	}
	if n != 1 {
		t.Fatalf("Vary %q lists Accept-Encoding %d times, want once", resp.Header.Values("Vary"), n)
	}
}

// The test client sets Accept-Encoding itself in these tests, so Go's
// transport neither adds gzip nor decodes: the raw bytes are what we check.

func TestJSONResponsesAreCompressedAboveOneKiB(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	for day := 1; day <= 20; day++ {
		createdID(t, c.do(t, http.MethodPost, "/api/sleep",
			sleepBody(fmt.Sprintf("2025-06-%02d", day), "23:00", "07:00")))
	}
	const big = "/api/sleep/range?from=2025-06-01&to=2025-06-30"

	plain := c.do(t, http.MethodGet, big, nil, "Accept-Encoding", "identity").mustStatus(t, http.StatusOK)
	if len(plain.Body) <= compressMinBytes {
		t.Fatalf("range body is %d bytes; the test needs more than %d", len(plain.Body), compressMinBytes)
	}
	mustHeader(t, plain, "Content-Encoding", "")
	mustVaryOnEncoding(t, plain)

	for _, accept := range []string{"gzip", "br, gzip, zstd", "gzip;q=0.5, identity;q=1", "*"} {
		t.Run(accept, func(t *testing.T) {
			zipped := c.do(t, http.MethodGet, big, nil, "Accept-Encoding", accept).mustStatus(t, http.StatusOK)
			mustHeader(t, zipped, "Content-Encoding", "gzip")
			mustHeader(t, zipped, "Content-Type", "application/json")
			mustHeader(t, zipped, "Cache-Control", "no-store")
			mustVaryOnEncoding(t, zipped)
			if got := gunzip(t, zipped.Body); !bytes.Equal(got, plain.Body) {
				t.Fatalf("decoded body differs from the identity body:\n%s\n%s", got, plain.Body)
			}
			if len(zipped.Body)*2 > len(plain.Body) {
				t.Fatalf("gzip body %d bytes for %d plain bytes: hardly compressed", len(zipped.Body), len(plain.Body))
			}
		})
	}

	refused := c.do(t, http.MethodGet, big, nil, "Accept-Encoding", "gzip;q=0").mustStatus(t, http.StatusOK)
	mustHeader(t, refused, "Content-Encoding", "")
	if !bytes.Equal(refused.Body, plain.Body) {
		t.Fatal("gzip;q=0 did not get the plain body")
	}

	small := c.do(t, http.MethodGet, "/api/session", nil, "Accept-Encoding", "gzip").mustStatus(t, http.StatusOK)
	mustHeader(t, small, "Content-Encoding", "")
	if len(small.Body) >= compressMinBytes || !bytes.HasPrefix(small.Body, []byte("{")) {
		t.Fatalf("small body %q was changed", small.Body)
	}
	errResp := c.do(t, http.MethodGet, "/api/nope", nil, "Accept-Encoding", "gzip")
	mustEnvelope(t, errResp, http.StatusNotFound, "not_found", "not found", "")
}

// shellUI is the test UI with a shell large enough to compress, with and
// without build twins.
func shellUI(t testing.TB, twins bool) (fstest.MapFS, string) {
	shell := strings.Replace(testShell, "</body>", "<p>"+strings.Repeat("padding ", 400)+"</p></body>", 1)
	if shell == testShell {
		shell = testShell + "<!--" + strings.Repeat("padding ", 400) + "-->"
	}
	ui := testUI(t)
	ui["index.html"] = &fstest.MapFile{Data: []byte(shell)}
	if twins {
		ui["index.html.br"] = &fstest.MapFile{Data: []byte("brotli twin of the shell")}
		ui["index.html.gz"] = &fstest.MapFile{Data: gzipped(t, shell)}
	}
	return ui, shell
}

func TestShellCompression(t *testing.T) {
	t.Run("build twins", func(t *testing.T) {
		ui, shell := shellUI(t, true)
		ts := newTestServer(t).variant(t, variantOptions{ui: ui})
		c := ts.login(t)
		wantCSP := contentSecurityPolicy([]byte(shell))
		cases := []struct {
			method, path, accept, coding string
			want                         []byte
			status                       int
		}{
			{http.MethodGet, "/", "br, gzip", "br", ui["index.html.br"].Data, http.StatusOK},
			{http.MethodGet, "/trends", "gzip, deflate, br, zstd", "br", ui["index.html.br"].Data, http.StatusOK},
			{http.MethodGet, "/trends", "gzip;q=1, br;q=0.5", "gzip", ui["index.html.gz"].Data, http.StatusOK},
			{http.MethodGet, "/", "gzip", "gzip", ui["index.html.gz"].Data, http.StatusOK},
			{http.MethodGet, "/nope", "br", "br", ui["index.html.br"].Data, http.StatusNotFound},
			{http.MethodGet, "/", "identity", "", []byte(shell), http.StatusOK},
			{http.MethodGet, "/", "br;q=0, gzip;q=0", "", []byte(shell), http.StatusOK},
			{http.MethodHead, "/", "br", "br", nil, http.StatusOK},
		}
		for _, tc := range cases {
			t.Run(tc.method+" "+tc.path+" "+tc.accept, func(t *testing.T) {
				resp := c.do(t, tc.method, tc.path, nil, "Accept-Encoding", tc.accept).mustStatus(t, tc.status)
				mustHeader(t, resp, "Content-Encoding", tc.coding)
				mustHeader(t, resp, "Content-Type", "text/html; charset=utf-8")
				mustHeader(t, resp, "Cache-Control", "no-store")
				mustHeader(t, resp, "Content-Security-Policy", wantCSP)
				mustVaryOnEncoding(t, resp)
				if !bytes.Equal(resp.Body, tc.want) {
					t.Fatalf("body %q…, want %q…", resp.Body[:min(len(resp.Body), 30)], tc.want[:min(len(tc.want), 30)])
				}
				if tc.method == http.MethodHead {
					mustHeader(t, resp, "Content-Length", strconv.Itoa(len(ui["index.html.br"].Data)))
				}
			})
		}
		login := ts.anonymous().do(t, http.MethodGet, "/login", nil, "Accept-Encoding", "gzip").mustStatus(t, http.StatusOK)
		if got := gunzip(t, login.Body); string(got) != shell {
			t.Fatal("login page twin does not decode to the shell")
		}
	})
	t.Run("no twins: gzipped on the fly", func(t *testing.T) {
		ui, shell := shellUI(t, false)
		ts := newTestServer(t).variant(t, variantOptions{ui: ui})
		c := ts.login(t)
		resp := c.do(t, http.MethodGet, "/day/2025-06-01", nil, "Accept-Encoding", "br, gzip").mustStatus(t, http.StatusOK)
		mustHeader(t, resp, "Content-Encoding", "gzip")
		mustVaryOnEncoding(t, resp)
		mustHeader(t, resp, "Content-Security-Policy", contentSecurityPolicy([]byte(shell)))
		if got := gunzip(t, resp.Body); string(got) != shell {
			t.Fatal("gzipped shell does not decode to the shell")
		}
		head := c.do(t, http.MethodHead, "/", nil, "Accept-Encoding", "gzip").mustStatus(t, http.StatusOK)
		mustHeader(t, head, "Content-Encoding", "")
		mustHeader(t, head, "Content-Length", strconv.Itoa(len(shell)))
		if len(head.Body) != 0 {
			t.Fatal("HEAD sent a body")
		}
		// The page guard answers before any HTML, compressed or not.
		guard := ts.anonymous().do(t, http.MethodGet, "/trends", nil, "Accept-Encoding", "gzip")
		guard.mustStatus(t, http.StatusSeeOther)
		mustHeader(t, guard, "Location", "/login?next=%2Ftrends")
		if len(guard.Body) != 0 {
			t.Fatalf("guard redirect sent a body %q", guard.Body)
		}
	})
}

func TestAssetCodingsAndConditionalRequests(t *testing.T) {
	const css = "body{margin:0;padding:0}/* the stylesheet */"
	ui := testUI(t)
	ui["_app/immutable/assets/app.css"] = &fstest.MapFile{Data: []byte(css)}
	ui["_app/immutable/assets/app.css.br"] = &fstest.MapFile{Data: []byte("BROTLI-TWIN-BYTES")}
	ui["_app/immutable/assets/app.css.gz"] = &fstest.MapFile{Data: gzipped(t, css)}
	ui["_app/immutable/assets/plain.js"] = &fstest.MapFile{Data: []byte(strings.Repeat("export const x = 1;\n", 200))}
	ts := newTestServer(t).variant(t, variantOptions{ui: ui})
	anon := ts.anonymous()
	const path = "/_app/immutable/assets/app.css"

	etags := map[string]string{}
	for _, tc := range []struct{ accept, coding, body string }{
		{"br, gzip", "br", "BROTLI-TWIN-BYTES"},
		{"gzip, br;q=0.9", "gzip", string(ui[path[1:]+".gz"].Data)},
		{"identity", "", css},
		{"deflate", "", css},
	} {
		resp := anon.do(t, http.MethodGet, path, nil, "Accept-Encoding", tc.accept).mustStatus(t, http.StatusOK)
		mustHeader(t, resp, "Content-Encoding", tc.coding)
		mustHeader(t, resp, "Content-Type", "text/css; charset=utf-8")
		mustHeader(t, resp, "Content-Length", strconv.Itoa(len(tc.body)))
		mustVaryOnEncoding(t, resp)
		if string(resp.Body) != tc.body {
			t.Fatalf("Accept-Encoding %q: body %q, want %q", tc.accept, resp.Body, tc.body)
		}
		if tc.coding == "gzip" && string(gunzip(t, resp.Body)) != css {
			t.Fatal("gzip twin does not decode to the file")
		}
		etags[tc.coding] = resp.Header.Get("ETag")
	}
	if len(etags) != 3 || etags["br"] == etags["gzip"] || etags["br"] == etags[""] || etags["gzip"] == etags[""] {
		t.Fatalf("ETags per coding %v; want three different ones", etags)
	}

	t.Run("conditional", func(t *testing.T) {
		notModified := anon.do(t, http.MethodGet, path, nil, "Accept-Encoding", "br", "If-None-Match", etags["br"])
		notModified.mustStatus(t, http.StatusNotModified)
		mustVaryOnEncoding(t, notModified)
		mustHeader(t, notModified, "ETag", etags["br"])
		if len(notModified.Body) != 0 {
			t.Fatal("304 with a body")
		}
		// The weak form of the same tag matches too (If-None-Match is weak).
		anon.do(t, http.MethodGet, path, nil, "Accept-Encoding", "br", "If-None-Match", "W/"+etags["br"]).
			mustStatus(t, http.StatusNotModified)
		// A cached brotli copy is not the identity representation.
		changed := anon.do(t, http.MethodGet, path, nil, "Accept-Encoding", "identity", "If-None-Match", etags["br"])
		changed.mustStatus(t, http.StatusOK)
		if string(changed.Body) != css {
			t.Fatal("identity revalidation did not send the file")
		}
		anon.do(t, http.MethodHead, path, nil, "Accept-Encoding", "gzip", "If-None-Match", etags["gzip"]).
			mustStatus(t, http.StatusNotModified)
	})

	t.Run("range", func(t *testing.T) {
		part := anon.do(t, http.MethodGet, path, nil, "Accept-Encoding", "br", "Range", "bytes=0-5")
		part.mustStatus(t, http.StatusPartialContent)
		mustHeader(t, part, "Content-Encoding", "br")
		mustHeader(t, part, "Content-Range", fmt.Sprintf("bytes 0-5/%d", len("BROTLI-TWIN-BYTES")))
		if string(part.Body) != "BROTLI" {
			t.Fatalf("range body %q; want the first bytes of the brotli representation", part.Body)
		}
		plainPart := anon.do(t, http.MethodGet, path, nil, "Accept-Encoding", "identity", "Range", "bytes=5-")
		plainPart.mustStatus(t, http.StatusPartialContent)
		if string(plainPart.Body) != css[5:] {
			t.Fatalf("identity range %q", plainPart.Body)
		}
		// If-Range with another representation's tag: the whole body.
		full := anon.do(t, http.MethodGet, path, nil, "Accept-Encoding", "br", "Range", "bytes=0-5", "If-Range", etags["gzip"])
		full.mustStatus(t, http.StatusOK)
		if string(full.Body) != "BROTLI-TWIN-BYTES" {
			t.Fatalf("If-Range mismatch body %q", full.Body)
		}
		anon.do(t, http.MethodGet, path, nil, "Range", "bytes=999-").mustStatus(t, http.StatusRequestedRangeNotSatisfiable)
	})

	t.Run("HEAD", func(t *testing.T) {
		head := anon.do(t, http.MethodHead, path, nil, "Accept-Encoding", "br").mustStatus(t, http.StatusOK)
		mustHeader(t, head, "Content-Encoding", "br")
		// (http.ServeContent leaves out Content-Length on an encoded HEAD
		// answer, which RFC 9110 §9.3.2 allows.)
		mustHeader(t, head, "ETag", etags["br"])
		if len(head.Body) != 0 {
			t.Fatal("HEAD sent a body")
		}
	})

	t.Run("asset without twins is never compressed on the fly", func(t *testing.T) {
		resp := anon.do(t, http.MethodGet, "/_app/immutable/assets/plain.js", nil, "Accept-Encoding", "gzip").mustStatus(t, http.StatusOK)
		mustHeader(t, resp, "Content-Encoding", "")
		mustHeader(t, resp, "Vary", "")
		mustHeader(t, resp, "No-Gzip-Compression", "")
		if string(resp.Body) != string(ui["_app/immutable/assets/plain.js"].Data) {
			t.Fatal("asset bytes changed")
		}
	})
}

// TestCompressionByContentType drives the middleware with bodies of every
// kind: text is compressed, binary and already-encoded bodies never are, so
// a download route added later (the SQLite backup, a zip) is covered by its
// content type alone.
func TestCompressionByContentType(t *testing.T) {
	body := []byte(strings.Repeat("SQLite format 3\x00 0123456789 text text text\n", 200))
	cases := []struct {
		contentType string
		encoding    string // set by the handler
		status      int
		compress    bool
	}{
		{"application/json", "", 200, true},
		{"text/html; charset=utf-8", "", 200, true},
		{"text/csv; charset=utf-8", "", 200, true},
		{"application/yaml", "", 200, true},
		{"image/svg+xml", "", 200, true},
		{"application/json", "", 404, true},
		{"application/vnd.sqlite3", "", 200, false},
		{"application/x-sqlite3", "", 200, false},
		{"application/zip", "", 200, false},
		{"application/gzip", "", 200, false},
		{"application/octet-stream", "", 200, false},
		{"image/png", "", 200, false},
		{"font/woff2", "", 200, false},
		{"", "", 200, false},
		{"not a type", "", 200, false},
		{"application/json", "gzip", 200, false}, // already encoded: passed through, not gzipped twice
		{"text/plain", "", http.StatusPartialContent, false},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%s %s %d", tc.contentType, tc.encoding, tc.status), func(t *testing.T) {
			h := newCompression()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header()["Content-Type"] = []string{tc.contentType} // "" stays empty, not sniffed
				if tc.encoding != "" {
					w.Header().Set("Content-Encoding", tc.encoding)
				}
				w.WriteHeader(tc.status)
				_, _ = w.Write(body[:len(body)/2])
				_, _ = w.Write(body[len(body)/2:])
			}))
			for _, method := range []string{http.MethodGet, http.MethodHead} {
				req := httptest.NewRequest(method, "/download", nil)
				req.Header.Set("Accept-Encoding", "gzip, br")
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				got := rec.Header().Get("Content-Encoding")
				want := tc.encoding
				if tc.compress && method == http.MethodGet {
					want = "gzip"
				}
				if got != want {
					t.Fatalf("%s: Content-Encoding %q, want %q", method, got, want)
				}
				if rec.Code != tc.status {
					t.Fatalf("%s: status %d, want %d", method, rec.Code, tc.status)
				}
				out := rec.Body.Bytes()
				if want == "gzip" && tc.encoding == "" {
					out = gunzip(t, out)
				}
				if !bytes.Equal(out, body) {
					t.Fatalf("%s: body changed (%d bytes, want %d)", method, len(out), len(body))
				}
			}
		})
	}
}

// TestCompressionStreams shows a long compressed response is not held back:
// what the handler flushed reaches the client, decodable, while the handler
// is still running (exports and diary CSVs stream).
func TestCompressionStreams(t *testing.T) {
	ts := newTestServer(t)
	first := strings.Repeat(`{"row":1},`, 300) // above the threshold
	release := make(chan struct{})
	h := ts.API.withSecurityHeaders(ts.API.withRequestLog(newCompression()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, first)
		if err := http.NewResponseController(w).Flush(); err != nil {
			t.Errorf("flush through the middleware: %v", err)
		}
		<-release
		_, _ = io.WriteString(w, "last")
	}))))
	srv := httptest.NewServer(h)
	defer srv.Close()
	defer close(release)

	req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding %q", resp.Header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	got := make([]byte, len(first))
	done := make(chan error, 1)
	go func() { _, err := io.ReadFull(zr, got); done <- err }()
	select {
	case err := <-done:
		if err != nil || string(got) != first {
			t.Fatalf("first part: %v, %q…", err, got[:20])
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the flushed part did not arrive while the handler was running")
	}
}

func TestNegotiateEncoding(t *testing.T) {
	cases := []struct {
		accept string
		br, gz bool
		want   string
	}{
		{"", true, true, ""},
		{"identity", true, true, ""},
		{"gzip", true, true, "gzip"},
		{"br", true, true, "br"},
		{"gzip, br", true, true, "br"},
		{"GZIP, BR", true, true, "br"},
		{"br;q=0.5, gzip", true, true, "gzip"},
		{"br;q=1.0, gzip;q=1", true, true, "br"},
		{"br ; q=0 , gzip", true, true, "gzip"},
		{"br;q=0, gzip;q=0", true, true, ""},
		{"br", false, true, ""},
		{"br, gzip", false, true, "gzip"},
		{"br, gzip", true, false, "br"},
		{"gzip;q=0.8, br;q=0.9", false, true, "gzip"},
		{"*", true, true, "br"},
		{"*;q=0", true, true, ""},
		{"gzip, *;q=0", true, true, "gzip"},
		{"br;q=x, gzip", true, true, "gzip"},
		{"zstd, deflate", true, true, ""},
	}
	for _, tc := range cases {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		if tc.accept != "" {
			r.Header.Set("Accept-Encoding", tc.accept)
		}
		if got := negotiateEncoding(r, tc.br, tc.gz); got != tc.want {
			t.Errorf("negotiateEncoding(%q, br=%v, gz=%v) = %q, want %q", tc.accept, tc.br, tc.gz, got, tc.want)
		}
	}
	// Split header lines are one list (RFC 9110 §5.3).
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Add("Accept-Encoding", "gzip")
	r.Header.Add("Accept-Encoding", "br")
	if got := negotiateEncoding(r, true, true); got != "br" {
		t.Errorf("two Accept-Encoding lines: %q, want br", got)
	}
}

// TestDownloadsThroughTheRealHandler: the SQLite backup is sent exactly as
// SQLite wrote it, whatever the client accepts; the JSON and CSV exports are
// gzipped and decode to the identity bytes.
func TestDownloadsThroughTheRealHandler(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	fillExportSample(t, c)
	for day := 1; day <= 25; day++ {
		postSleep(t, c, sleepBody(fmt.Sprintf("2025-05-%02d", day), "23:00", "07:00"))
	}

	backup := c.do(t, http.MethodGet, "/api/backup", nil, "Accept-Encoding", "gzip, br, zstd").mustStatus(t, http.StatusOK)
	mustHeader(t, backup, "Content-Encoding", "")
	mustHeader(t, backup, "Content-Type", "application/vnd.sqlite3")
	mustHeader(t, backup, "Content-Length", strconv.Itoa(len(backup.Body)))
	if !bytes.HasPrefix(backup.Body, []byte("SQLite format 3\x00")) {
		t.Fatalf("backup is not a plain SQLite file: %q…", backup.Body[:min(len(backup.Body), 16)])
	}

	for _, path := range []string{"/api/export", "/api/export?format=csv"} {
		plain := c.do(t, http.MethodGet, path, nil, "Accept-Encoding", "identity").mustStatus(t, http.StatusOK)
		zipped := c.do(t, http.MethodGet, path, nil, "Accept-Encoding", "gzip").mustStatus(t, http.StatusOK)
		if len(plain.Body) <= compressMinBytes {
			t.Fatalf("%s: %d bytes; the test needs more than %d", path, len(plain.Body), compressMinBytes)
		}
		mustHeader(t, zipped, "Content-Encoding", "gzip")
		mustHeader(t, zipped, "Content-Disposition", plain.Header.Get("Content-Disposition"))
		mustVaryOnEncoding(t, zipped)
		if got := gunzip(t, zipped.Body); !bytes.Equal(got, plain.Body) {
			t.Fatalf("%s: decoded export differs from the identity export", path)
		}
	}
}

// countingFS records which files are opened.
type countingFS struct {
	fs.FS
	mu     sync.Mutex
	opened map[string]int
}

func (c *countingFS) Open(name string) (fs.File, error) {
	c.mu.Lock()
	c.opened[name]++
	c.mu.Unlock()
	return c.FS.Open(name)
}

// TestAssetsLoadLazily: start-up reads the shell and lists the build, but
// neither copies nor hashes the assets (issue 11: cold start and idle RSS);
// the first request of an asset describes it once.
func TestAssetsLoadLazily(t *testing.T) {
	ui := &countingFS{FS: testUI(t), opened: map[string]int{}}
	assets, err := loadUIAssets(ui)
	if err != nil {
		t.Fatal(err)
	}
	for name := range ui.opened {
		if name != "index.html" && name != "index.html.br" && name != "index.html.gz" && name != "." && !strings.HasSuffix(name, "/") && !isDir(ui.FS, name) {
			t.Errorf("start-up opened %s", name)
		}
	}
	if len(assets.assets) == 0 || assets.assets["/favicon.svg"] == nil || !assets.assets["/favicon.svg"].gzipped {
		t.Fatalf("assets %v: want the favicon with its gzip twin", assets.assets)
	}
	ts := newTestServer(t).variant(t, variantOptions{ui: ui})
	before := ui.opened["favicon.svg"]
	for range 3 {
		ts.anonymous().do(t, http.MethodGet, "/favicon.svg", nil, "Accept-Encoding", "identity").mustStatus(t, http.StatusOK)
	}
	// One open to describe it (hash and type) plus one per response.
	if got := ui.opened["favicon.svg"] - before; got != 4 {
		t.Fatalf("favicon.svg opened %d times for three requests; want 4", got)
	}
}

func isDir(fsys fs.FS, name string) bool {
	info, err := fs.Stat(fsys, name)
	return err == nil && info.IsDir()
}
