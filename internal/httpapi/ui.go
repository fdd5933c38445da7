package httpapi

import (
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// placeholderShell is served when the binary was built without the web UI.
//
//go:embed placeholder.html
var placeholderShell []byte

// staticAsset is one embedded UI file, ready to serve.
type staticAsset struct {
	body        []byte
	gzipped     []byte // precompressed twin (name.gz) when the build has one
	contentType string
	etag        string
	immutable   bool // hashed file under /_app/immutable/
}

// uiAssets is the embedded web app: the HTML shell served for every page,
// the static files, and the CSP computed from the shell's inline scripts.
type uiAssets struct {
	shell  []byte
	assets map[string]*staticAsset // by URL path, e.g. "/_app/immutable/x.js"
	csp    string
}

func loadUIAssets(ui fs.FS) (*uiAssets, error) {
	a := &uiAssets{shell: placeholderShell, assets: map[string]*staticAsset{}}
	if ui != nil {
		if shell, err := fs.ReadFile(ui, "index.html"); err == nil {
			a.shell = shell
		}
		if err := a.loadFiles(ui); err != nil {
			return nil, err
		}
	}
	a.csp = contentSecurityPolicy(a.shell)
	return a, nil
}

func (a *uiAssets) loadFiles(ui fs.FS) error {
	return fs.WalkDir(ui, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		// HTML goes through the page guard; compressed twins are attached below.
		if strings.HasSuffix(name, ".html") || strings.HasSuffix(name, ".gz") || strings.HasSuffix(name, ".br") {
			return nil
		}
		body, err := fs.ReadFile(ui, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		asset := &staticAsset{
			body:        body,
			contentType: contentTypeFor(name, body),
			etag:        `"` + hex.EncodeToString(sum[:16]) + `"`,
			immutable:   strings.HasPrefix(name, "_app/immutable/"),
		}
		if gz, err := fs.ReadFile(ui, name+".gz"); err == nil {
			asset.gzipped = gz
		}
		a.assets[assetPath(name)] = asset
		return nil
	})
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

func (s *Server) serveAsset(w http.ResponseWriter, r *http.Request, a *staticAsset) {
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	h.Set("ETag", a.etag)
	if a.immutable {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	body := a.body
	if a.gzipped != nil {
		h.Set("Vary", "Accept-Encoding")
		if acceptsGzip(r) {
			h.Set("Content-Encoding", "gzip")
			body = a.gzipped
		}
	}
	if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, a.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// acceptsGzip reports whether Accept-Encoding allows gzip (a q=0 entry refuses it).
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		q := strings.TrimPrefix(strings.ReplaceAll(params, " ", ""), "q=")
		if f, err := strconv.ParseFloat(q, 64); err == nil && f == 0 {
			return false
		}
		return true
	}
	return false
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

func (s *Server) writeShell(w http.ResponseWriter, r *http.Request, status int) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(s.ui.shell)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(s.ui.shell)
	}
}

func redirect(w http.ResponseWriter, location string) {
	w.Header().Set("Location", location)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusSeeOther)
}
