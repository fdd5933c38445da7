package httpapi

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"encoding/hex"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/gzhttp"
)

// placeholderShell is served when the binary was built without the web UI.
//
//go:embed placeholder.html
var placeholderShell []byte

// staticAsset is one embedded UI file. Start-up only notes its name and
// which twins exist: the bytes stay in the binary and are streamed from
// there per request, and the ETag and content type are worked out on the
// first request (issue 11: no hashing or copying of the build at start, so
// the server starts sooner and idles in less memory).
type staticAsset struct {
	ui              fs.FS
	name            string // path in the build, e.g. "_app/immutable/x.js"
	brotli, gzipped bool   // the build has name.br / name.gz
	immutable       bool   // hashed file under /_app/immutable/

	once sync.Once
	meta assetMeta // set by describe
}

// assetMeta is what the first request of an asset works out.
type assetMeta struct {
	contentType string
	etag        string // of the identity bytes; a twin's ends in -br or -gz
	// document marks a file a browser may render as a document (SVG, XML)
	// or run as a worker (a script outside /_app/, such as sw.js): it keeps
	// the CSP and X-Frame-Options that other assets leave out.
	document bool
	err      error
}

// describe hashes the file once (streaming it from the binary) and
// derives its content type.
func (a *staticAsset) describe() assetMeta {
	a.once.Do(func() {
		f, err := a.ui.Open(a.name)
		if err != nil {
			a.meta.err = err
			return
		}
		defer f.Close()
		sum := sha256.New()
		head := &prefixWriter{limit: 512}
		if _, err := io.Copy(io.MultiWriter(sum, head), f); err != nil {
			a.meta.err = err
			return
		}
		a.meta.contentType = contentTypeFor(a.name, head.b)
		a.meta.etag = hex.EncodeToString(sum.Sum(nil)[:16])
		a.meta.document = isDocumentAsset(a.name, a.meta.contentType)
	})
	return a.meta
}

// open returns the bytes of the coding's file as a ReadSeeker for
// http.ServeContent: the embedded file itself when it can seek (embed.FS
// and fstest.MapFS files can), else a copy.
func (a *staticAsset) open(coding string) (io.ReadSeeker, func() error, error) {
	name := a.name
	switch coding {
	case codingBrotli:
		name += ".br"
	case codingGzip:
		name += ".gz"
	}
	f, err := a.ui.Open(name)
	if err != nil {
		return nil, nil, err
	}
	if rs, ok := f.(io.ReadSeeker); ok {
		return rs, f.Close, nil
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, nil, err
	}
	return bytes.NewReader(data), func() error { return nil }, nil
}

// prefixWriter keeps the first limit bytes written to it (for sniffing).
type prefixWriter struct {
	limit int
	b     []byte
}

func (p *prefixWriter) Write(b []byte) (int, error) {
	if room := p.limit - len(p.b); room > 0 {
		p.b = append(p.b, b[:min(room, len(b))]...)
	}
	return len(b), nil
}

// uiAssets is the embedded web app: the HTML shell served for every page,
// the static files, and the CSP computed from the shell's inline scripts.
type uiAssets struct {
	shell  precompressed           // index.html and its twins
	assets map[string]*staticAsset // by URL path, e.g. "/_app/immutable/x.js"
	csp    string
}

func loadUIAssets(ui fs.FS) (*uiAssets, error) {
	a := &uiAssets{shell: precompressed{identity: placeholderShell}, assets: map[string]*staticAsset{}}
	if ui != nil {
		if shell, err := fs.ReadFile(ui, "index.html"); err == nil {
			a.shell = withTwins(ui, "index.html", shell)
		}
		if err := a.loadFiles(ui); err != nil {
			return nil, err
		}
	}
	a.csp = contentSecurityPolicy(a.shell.identity)
	return a, nil
}

// withTwins attaches the build's name.br and name.gz files to body (nil
// when the build has none: fs.ReadFile returns no data with its error).
func withTwins(ui fs.FS, name string, body []byte) precompressed {
	br, _ := fs.ReadFile(ui, name+".br")
	gz, _ := fs.ReadFile(ui, name+".gz")
	return precompressed{identity: body, brotli: br, gzipped: gz}
}

// loadFiles lists the build's files; only names are read here.
func (a *uiAssets) loadFiles(ui fs.FS) error {
	names := map[string]bool{}
	err := fs.WalkDir(ui, ".", func(name string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names[name] = true
		}
		return err
	})
	if err != nil {
		return err
	}
	for name := range names {
		// HTML goes through the page guard; compressed twins belong to their file.
		if strings.HasSuffix(name, ".html") || strings.HasSuffix(name, ".gz") || strings.HasSuffix(name, ".br") {
			continue
		}
		a.assets[assetPath(name)] = &staticAsset{
			ui:        ui,
			name:      name,
			brotli:    names[name+".br"],
			gzipped:   names[name+".gz"],
			immutable: strings.HasPrefix(name, "_app/immutable/"),
		}
	}
	return nil
}

// isDocumentAsset reports whether a static file can act as a document or a
// worker, where the CSP and frame headers of SPEC §3.8 take effect. On a
// stylesheet, a module or an image they do nothing and cost ≈ 400 bytes per
// response (issue 11).
func isDocumentAsset(name, contentType string) bool {
	mediaType, _, _ := mime.ParseMediaType(contentType)
	switch mediaType {
	case "text/html", "application/xhtml+xml", "image/svg+xml", "application/xml", "text/xml":
		return true
	case "text/javascript", "application/javascript":
		return !strings.HasPrefix(name, "_app/") // sw.js and other root scripts may run as workers
	}
	return false
}

// assetPath is the URL path of a build file. SvelteKit writes the service
// worker as service-worker.js; SPEC §15.2 serves it as /sw.js.
func assetPath(name string) string {
	if name == "service-worker.js" {
		return "/sw.js"
	}
	return "/" + name
}

func contentTypeFor(name string, body []byte) string {
	if path.Ext(name) == ".webmanifest" {
		// Not in Go's built-in table; SPEC §15.2 names this type.
		return "application/manifest+json"
	}
	if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
		return ct
	}
	return http.DetectContentType(body)
}

// inlineScript finds <script> elements and captures their attributes and
// content; scriptSrcAttribute tells an external script (src=…) from an inline
// one without being fooled by attributes such as data-src.
var (
	inlineScript       = regexp.MustCompile(`(?is)<script\b([^>]*)>(.*?)</script\s*>`)
	scriptSrcAttribute = regexp.MustCompile(`(?i)(^|\s)src\s*=`)
)

// contentSecurityPolicy builds the CSP of SPEC §3.8 with one sha256 source
// per inline script of the shell, so a rebuilt UI needs no hand-edited header.
func contentSecurityPolicy(shell []byte) string {
	scriptSrc := []string{"'self'"}
	for _, m := range inlineScript.FindAllSubmatch(shell, -1) {
		if scriptSrcAttribute.Match(m[1]) {
			continue
		}
		sum := sha256.Sum256(m[2])
		scriptSrc = append(scriptSrc, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
	}
	return "default-src 'self'; script-src " + strings.Join(scriptSrc, " ") +
		"; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self';" +
		" object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
}

// pagePatterns are the app's page routes (SPEC §8.1); parameters are not validated here.
var pagePatterns = newRouter([]route{
	{method: http.MethodGet, pattern: "/"},
	{method: http.MethodGet, pattern: "/day/{date}"},
	{method: http.MethodGet, pattern: "/sleep/new"},
	{method: http.MethodGet, pattern: "/sleep/{id}/edit"},
	{method: http.MethodGet, pattern: "/trends"},
	{method: http.MethodGet, pattern: "/diary"},
	{method: http.MethodGet, pattern: "/data"},
	{method: http.MethodGet, pattern: "/settings"},
})

// serveUI serves an embedded asset, or a page behind the guard.
func (s *Server) serveUI(w http.ResponseWriter, r *http.Request) {
	asset, isAsset := s.ui.assets[r.URL.Path]
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		w.Header().Set("Cache-Control", "no-store")
		writeError(w, r, errMethod)
		return
	}
	if isAsset {
		s.serveAsset(w, r, asset)
		return
	}
	if strings.HasPrefix(r.URL.Path, "/_app/") {
		w.Header().Set("Cache-Control", "no-store")
		writeError(w, r, errNotFound)
		return
	}
	s.servePage(w, r)
}

// serveAsset sends a static file in the coding the request accepts, with an
// ETag per coding (the twins are different representations, RFC 9110
// §8.8.3). http.ServeContent answers HEAD, If-None-Match, If-Match, If-Range
// and Range requests; a range applies to the chosen coding's bytes.
func (s *Server) serveAsset(w http.ResponseWriter, r *http.Request, a *staticAsset) {
	meta := a.describe()
	coding := negotiateEncoding(r, a.brotli, a.gzipped)
	var body io.ReadSeeker
	var closeBody func() error
	err := meta.err
	if err == nil {
		body, closeBody, err = a.open(coding)
	}
	if err != nil { // a build file that cannot be read: never expected
		s.log.Error("read embedded asset", "name", a.name, "err", err)
		w.Header().Set("Cache-Control", "no-store")
		writeError(w, r, errInternal)
		return
	}
	defer closeBody()
	h := w.Header()
	if !meta.document {
		h.Del("Content-Security-Policy")
		h.Del("X-Frame-Options")
	}
	h.Set("Content-Type", meta.contentType)
	if a.immutable {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	if a.brotli || a.gzipped {
		h.Set("Vary", "Accept-Encoding")
	} else {
		h.Del("Vary") // the same bytes for everyone
	}
	etag := meta.etag
	switch coding {
	case codingBrotli:
		etag += "-br"
	case codingGzip:
		etag += "-gz"
	}
	h.Set("ETag", `"`+etag+`"`)
	if coding != codingIdentity {
		h.Set("Content-Encoding", coding)
	} else {
		// No twin for this client: send the file as built, never
		// compressed on the fly (its ETag names the identity bytes).
		h.Set(gzhttp.HeaderNoCompression, "1")
	}
	http.ServeContent(w, r, "", time.Time{}, body)
}

// servePage is the page guard of SPEC §8.1: without a session, 303 to the
// login page; with one, the shell (404 for unknown paths).
func (s *Server) servePage(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.currentSession(r); !ok {
		target := "/login"
		if r.URL.Path != "/" || r.URL.RawQuery != "" {
			target += "?next=" + url.QueryEscape(r.URL.RequestURI())
		}
		redirect(w, target)
		return
	}
	status := http.StatusOK
	if p, _ := pagePatterns.match(r.URL.Path); p == nil {
		status = http.StatusNotFound
	}
	s.writeShell(w, r, status)
}

// serveLoginPage serves GET /login: signed-in users go on to next or /.
func (s *Server) serveLoginPage(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.currentSession(r); ok {
		target := safeNext(r.URL.Query().Get("next"))
		if target == "" {
			target = "/"
		}
		redirect(w, target)
		return
	}
	s.writeShell(w, r, http.StatusOK)
}

// writeShell sends the HTML shell: the build's brotli or gzip twin when the
// request accepts one; otherwise the plain file, which the compression
// middleware gzips when it is large enough (a build without twins).
func (s *Server) writeShell(w http.ResponseWriter, r *http.Request, status int) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	coding, body := s.ui.shell.pick(r)
	if s.ui.shell.hasTwins() {
		h.Set("Vary", "Accept-Encoding")
	}
	if coding != codingIdentity {
		h.Set("Content-Encoding", coding)
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

func redirect(w http.ResponseWriter, location string) {
	w.Header().Set("Location", location)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusSeeOther)
}
