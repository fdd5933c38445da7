// Package httpapi is SleepTracker's HTTP layer: the route table (routes.go),
// middleware (security headers, request log, session and CSRF checks), thin
// handlers grouped by area, the JSON/error helpers, and the page guard that
// serves the embedded web UI. Handlers decode, call the domain and the store,
// and encode; rules live in internal/sleep and internal/trends.
package httpapi

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"sleeptracker/internal/auth"
	"sleeptracker/internal/backup"
	"sleeptracker/internal/config"
	"sleeptracker/internal/imports"
	"sleeptracker/internal/store"
)

// Deps is everything the HTTP layer needs, wired by cmd/sleep-api.
type Deps struct {
	Config config.Config
	Store  *store.Store
	// AdminHash is the password hash logins verify against (from the
	// environment or the stored first-run hash).
	AdminHash auth.PasswordHash
	// SessionSecret keys the session cookie sealer.
	SessionSecret []byte
	// UI is the built web app (index.html at its root); nil serves a placeholder shell.
	UI fs.FS
	// OpenAPI is the API document served at /api/openapi.yaml.
	OpenAPI []byte
	// Now is the clock; nil means time.Now. Tests inject their own.
	Now func() time.Time
	// Logger receives request logs; nil means slog.Default().
	Logger *slog.Logger
	// Backups is the running scheduler of BACKUP_DIR, whose status GET
	// /api/backups reports; nil builds an idle one from Config.
	Backups *backup.Scheduler
}

// Server holds the wired dependencies and serves every request.
type Server struct {
	cfg       config.Config
	store     *store.Store
	adminHash auth.PasswordHash
	dummyHash auth.PasswordHash
	sealer    *auth.CookieSealer
	throttle  *auth.FailureThrottle
	verifiers *auth.VerifierSlots
	ui        *uiAssets
	openAPI   []byte
	now       func() time.Time
	log       *slog.Logger
	router    *router
	cookies   cookieNames
	sessions  *sessionCache
	// imports is the in-memory registry of import jobs (SPEC §13.4).
	imports *imports.Registry
	// backups reports the scheduled backups (SPEC §13.2).
	backups *backup.Scheduler

	// bearerThrottle counts failed bearer requests, apart from logins (SPEC §16).
	bearerThrottle *auth.FailureThrottle
	// tokens caches validated API tokens like sessions caches login sessions.
	tokens *tokenCache
}

// New builds a Server from deps.
func New(deps Deps) (*Server, error) {
	now := deps.Now
	if now == nil {
		now = time.Now
	}
	logger := deps.Logger
	if logger == nil {
		logger = slog.Default()
	}
	sealer, err := auth.NewCookieSealer(deps.SessionSecret)
	if err != nil {
		return nil, err
	}
	ui, err := loadUIAssets(deps.UI)
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:       deps.Config,
		store:     deps.Store,
		adminHash: deps.AdminHash,
		dummyHash: auth.NewDummyHash(),
		sealer:    sealer,
		throttle:  auth.NewLoginThrottle(now),
		verifiers: auth.NewVerifierSlots(2, 10*time.Second),
		ui:        ui,
		openAPI:   deps.OpenAPI,
		now:       now,
		log:       logger,
		cookies:   cookieNamesFor(deps.Config.CookieSecure),
		sessions:  newSessionCache(),

		bearerThrottle: auth.NewBearerThrottle(now),
		tokens:         newTokenCache(),
	}
	deps.Logger = logger
	s.imports = newImportRegistry(deps, now)
	if s.backups = deps.Backups; s.backups == nil {
		s.backups = newBackupScheduler(deps)
	}
	s.router = newRouter(s.routes())
	return s, nil
}

// Handler returns the root handler with every middleware applied. The
// compression layer sits inside the request log, so the log counts the bytes
// that went on the wire.
func (s *Server) Handler() http.Handler {
	compress := newCompression()
	return s.withSecurityHeaders(s.withRequestLog(compress(s.withRecover(http.HandlerFunc(s.dispatch)))))
}

// PruneSessionsEvery deletes expired login sessions now and then every
// interval until ctx ends (SPEC §4.5).
func (s *Server) PruneSessionsEvery(ctx context.Context, interval time.Duration) {
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		if n, err := s.store.PruneLoginSessions(ctx, s.now()); err != nil {
			s.log.Error("prune login sessions", "err", err)
		} else if n > 0 {
			s.log.Info("pruned expired login sessions", "count", n)
		}
		// Idempotency keys expire after 30 days (SPEC §15.1); same hourly loop.
		if n, err := s.store.PruneIdempotencyKeys(ctx, s.now()); err != nil {
			s.log.Error("prune idempotency keys", "err", err)
		} else if n > 0 {
			s.log.Info("pruned expired idempotency keys", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}
