package httpapi

import "net/http"

// routes is the one table of every API route (SPEC §5.1), including the
// seed-named aliases. Pages and static assets are not here: every path that no
// pattern matches is served by serveUI (page guard or embedded asset), except
// under /api/, where it is 404.
//
// Access is checked before the handler in the order of SPEC §3.3: session
// (401), then CSRF for sessionCSRF routes (403). A request with a Bearer
// header is judged by its API token instead (SPEC §16): session routes take
// a token of either scope, sessionCSRF routes a write token, and routes
// marked noTokens none at all (router.go). s.idempotent marks the POST
// routes that accept Idempotency-Key (SPEC §15.1).
func (s *Server) routes() []route {
	return []route{
		// Public.
		{http.MethodGet, "/api/health", public, s.handleHealth},
		{http.MethodGet, "/health", public, s.handleHealth},
		{http.MethodGet, "/api/openapi.yaml", public, s.handleOpenAPI},
		{http.MethodPost, "/api/login", public | noTokens, s.handleLogin},
		{http.MethodPost, "/login", public | noTokens, s.handleLogin},
		{http.MethodGet, "/login", public, s.serveLoginPage},
		{http.MethodPost, "/api/login.json", public | noTokens, s.handleLoginJSON},
		// Logout checks CSRF itself, and only when a valid session is present.
		{http.MethodPost, "/api/logout", public | noTokens, s.handleLogout},
		{http.MethodPost, "/logout", public | noTokens, s.handleLogout},
		{http.MethodGet, "/api/session", public, s.handleSession},

		// Settings.
		{http.MethodGet, "/api/settings/timezone", session, handle(s.getTimezone)},
		{http.MethodPost, "/api/settings/timezone", sessionCSRF, handle(s.setTimezone)},

		// Sleep sessions. The static /api/sleep/recent and /api/sleep/range beat
		// /api/sleep/{id} (router.go), so they are never read as ids.
		{http.MethodPost, "/api/sleep", sessionCSRF, handle(s.idempotent(fixed(createdResponse), s.createSleep))},
		{http.MethodGet, "/api/sleep/{id}", session, handle(s.getSleep)},
		{http.MethodPut, "/api/sleep/{id}", sessionCSRF, handle(s.updateSleep)},
		{http.MethodDelete, "/api/sleep/{id}", sessionCSRF, handle(s.deleteSleep)},
		{http.MethodGet, "/api/sleep/date/{date}", session, handle(s.listSleepByDate)},
		{http.MethodGet, "/api/sleep/recent", session, handle(s.listRecentSleep)},
		{http.MethodGet, "/api/sleep/range", session, handle(s.listSleepRange)},

		// Exercise.
		{http.MethodPost, "/api/exercise", sessionCSRF, handle(s.idempotent(fixed(createdResponse), s.recordExercise))},
		{http.MethodGet, "/api/exercise/intensity", session, handle(s.listExerciseIntensity)},

		// Notes.
		{http.MethodPost, "/api/note", sessionCSRF, handle(s.idempotent(fixed(createdResponse), s.createNote))},
		{http.MethodGet, "/api/note", session, handle(s.listNotes)},
		{http.MethodPut, "/api/note/{id}", sessionCSRF, handle(s.updateNote)},
		{http.MethodDelete, "/api/note/{id}", sessionCSRF, handle(s.deleteNote)},

		// Clinical diary and the sleep window (SPEC §12.3, §12.4).
		{http.MethodGet, "/api/diary", session, handle(s.handleDiary)},
		{http.MethodGet, "/api/diary/sleep-window", session, handle(s.getSleepWindow)},
		{http.MethodPut, "/api/diary/sleep-window", sessionCSRF, handle(s.putSleepWindow)},
		{http.MethodDelete, "/api/diary/sleep-window", sessionCSRF, handle(s.deleteSleepWindow)},

		// Trends and personalization.
		{http.MethodGet, "/api/trends/sleep-bars", session, handle(s.handleSleepBars)},
		{http.MethodGet, "/api/trends/regularity", session, handle(s.handleRegularity)},
		{http.MethodGet, "/api/trends/summary", session, handle(s.handleSummary)},
		{http.MethodGet, "/api/trends/personalization", session, handle(s.handlePersonalization)},
		// Telemetry describes the web form's use, not a script's (SPEC §16 lists no token for it).
		{http.MethodPost, "/api/personalization/friction-telemetry", sessionCSRF | noTokens, handle(s.handleFrictionTelemetry)},
		{http.MethodGet, "/api/personalization/friction-backlog", session, handle(s.handleFrictionBacklog)},

		// Import jobs (SPEC §13.4): ids are opaque strings, not integers.
		{http.MethodPost, "/api/imports", sessionCSRF, handle(s.createImport)},
		{http.MethodGet, "/api/imports", session, handle(s.listImports)},
		{http.MethodGet, "/api/imports/{id}", session, handle(s.getImport)},
		{http.MethodDelete, "/api/imports/{id}", sessionCSRF, handle(s.discardImport)},
		{http.MethodPost, "/api/imports/{id}/commit", sessionCSRF, handle(s.idempotent(s.importCommitResponse, s.commitImport))},

		// Export and backups (SPEC §13.1, §13.2). The backup file holds the
		// password hash and the session secret: login session only.
		{http.MethodGet, "/api/export", session, handle(s.handleExport)},
		{http.MethodGet, "/api/backup", session | noTokens, handle(s.handleBackup)},
		{http.MethodGet, "/api/backups", session, handle(s.handleBackups)},

		// API tokens (SPEC §16): login session only, so a token can never mint,
		// list or revoke tokens.
		{http.MethodPost, "/api/tokens", sessionCSRF | noTokens, handle(s.createToken)},
		{http.MethodGet, "/api/tokens", session | noTokens, handle(s.listTokens)},
		{http.MethodDelete, "/api/tokens/{id}", sessionCSRF | noTokens, handle(s.deleteToken)},
	}
}
