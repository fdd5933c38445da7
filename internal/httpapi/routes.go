package httpapi

import "net/http"

// routes is the one table of every API route (SPEC §5.1), including the
// seed-named aliases. Pages and static assets are not here: every path that no
// pattern matches is served by serveUI (page guard or embedded asset), except
// under /api/, where it is 404.
//
// Access is checked before the handler in the order of SPEC §3.3: session
// (401), then CSRF for sessionCSRF routes (403).
func (s *Server) routes() []route {
	return []route{
		// Public.
		{http.MethodGet, "/api/health", public, s.handleHealth},
		{http.MethodGet, "/health", public, s.handleHealth},
		{http.MethodGet, "/api/openapi.yaml", public, s.handleOpenAPI},
		{http.MethodPost, "/api/login", public, s.handleLogin},
		{http.MethodPost, "/login", public, s.handleLogin},
		{http.MethodGet, "/login", public, s.serveLoginPage},
		{http.MethodPost, "/api/login.json", public, s.handleLoginJSON},
		// Logout checks CSRF itself, and only when a valid session is present.
		{http.MethodPost, "/api/logout", public, s.handleLogout},
		{http.MethodPost, "/logout", public, s.handleLogout},
		{http.MethodGet, "/api/session", public, s.handleSession},
	}
}
