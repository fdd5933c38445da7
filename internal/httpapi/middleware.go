package httpapi

import (
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"sleeptracker/internal/auth"
)

// withSecurityHeaders sets the headers of SPEC §3.8 on every response.
func (s *Server) withSecurityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("Content-Security-Policy", s.ui.csp)
		if s.cfg.EnableHSTS {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// statusRecorder remembers the status and size of a response for the log.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (rec *statusRecorder) WriteHeader(status int) {
	if rec.status == 0 {
		rec.status = status
	}
	rec.ResponseWriter.WriteHeader(status)
}

// Unwrap lets http.ResponseController reach the connection: the routes that
// move whole files replace the server's timeouts by an idle timeout.
func (rec *statusRecorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }

func (rec *statusRecorder) Write(b []byte) (int, error) {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	n, err := rec.ResponseWriter.Write(b)
	rec.bytes += n
	return n, err
}

// withRequestLog logs each request once (SPEC §2.6); health checks at debug
// level so container probes do not flood the log. Bodies, cookies and tokens
// are never logged.
func (s *Server) withRequestLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		level := slog.LevelInfo
		if r.URL.Path == "/health" || r.URL.Path == "/api/health" {
			level = slog.LevelDebug
		}
		s.log.Log(r.Context(), level, "request",
			"method", r.Method,
			"path", r.URL.Path,
			"status", rec.status,
			"bytes", rec.bytes,
			"duration_ms", float64(time.Since(start).Microseconds())/1000,
			"client_ip", s.clientIP(r),
		)
	})
}

// withRecover turns a panic in a handler into a logged 500 instead of a
// dropped connection.
func (s *Server) withRecover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic in handler", "method", r.Method, "path", r.URL.Path, "panic", v)
				writeError(w, r, errInternal)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// dispatch routes a request: API routes through the table with their access
// checks (SPEC §3.3 order), everything else to static assets or pages.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request) {
	p, params := s.router.match(r.URL.Path)
	if p == nil && !strings.HasPrefix(r.URL.Path, "/api/") {
		s.serveUI(w, r)
		return
	}
	// Every route of the table and every /api/ answer, errors included, is
	// never cached (SPEC §3.7).
	w.Header().Set("Cache-Control", "no-store")
	if p == nil {
		writeError(w, r, errNotFound)
		return
	}
	rt, ok := p.lookup(r.Method)
	if !ok {
		w.Header().Set("Allow", p.allow())
		writeError(w, r, errMethod)
		return
	}
	for k, v := range params {
		r.SetPathValue(k, v)
	}
	// A bearer request is judged by its token alone: no cookies, no CSRF
	// (SPEC §16). Other Authorization schemes fall through to the cookies.
	if token, bearer := auth.BearerCredentials(r.Header); bearer && rt.access.judgesBearer() {
		if s.authorizeBearer(w, r, rt, token) {
			rt.handler(w, r)
		}
		return
	}
	if rt.access.needsSession() {
		ls, ok := s.currentSession(r)
		if !ok {
			writeError(w, r, errUnauthorized)
			return
		}
		if rt.access.checksCSRF() {
			if detail := s.csrfFailure(r, ls.CSRFToken); detail != "" {
				writeError(w, r, forbidden(detail))
				return
			}
		}
	}
	rt.handler(w, r)
}

// csrfFailure runs the double-submit check of SPEC §4.7 against the session's
// token and returns the failure detail, or "" when the request passes.
func (s *Server) csrfFailure(r *http.Request, sessionToken string) string {
	site, sitePresent := r.Header["Sec-Fetch-Site"]
	req := auth.CSRFRequest{SecFetchSitePresent: sitePresent, SessionToken: sessionToken}
	if sitePresent && len(site) > 0 {
		req.SecFetchSite = site[0]
	}
	if c, err := r.Cookie(s.cookies.csrf); err == nil {
		req.Cookie = auth.PercentDecode(c.Value)
	}
	req.Header = r.Header.Get("X-CSRF-Token")
	return auth.CheckCSRF(req)
}

// clientIP is the peer address, or the right-most untrusted X-Forwarded-For
// entry when the peer is a trusted proxy (SPEC §4.10).
func (s *Server) clientIP(r *http.Request) string {
	peer := peerAddr(r)
	if len(s.cfg.TrustedProxies) == 0 || !s.trusted(peer) {
		return peer.String()
	}
	var entries []netip.Addr
	for _, header := range r.Header.Values("X-Forwarded-For") {
		for _, part := range strings.Split(header, ",") {
			addr, err := netip.ParseAddr(strings.TrimSpace(part))
			if err != nil {
				return peer.String()
			}
			entries = append(entries, addr.Unmap())
		}
	}
	if len(entries) == 0 {
		return peer.String()
	}
	for i := len(entries) - 1; i >= 0; i-- {
		if !s.trusted(entries[i]) {
			return entries[i].String()
		}
	}
	return entries[0].String()
}

func (s *Server) trusted(addr netip.Addr) bool {
	for _, prefix := range s.cfg.TrustedProxies {
		if prefix.Contains(addr) {
			return true
		}
	}
	return false
}

func peerAddr(r *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return netip.IPv4Unspecified()
	}
	return addr.Unmap()
}
