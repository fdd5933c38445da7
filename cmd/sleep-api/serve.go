package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"sleeptracker"
	"sleeptracker/internal/auth"
	"sleeptracker/internal/backup"
	"sleeptracker/internal/config"
	"sleeptracker/internal/httpapi"
	"sleeptracker/internal/store"
	sleepui "sleeptracker/sleep-ui"
)

// Connection limits of SPEC §3.9.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 60 * time.Second
	idleTimeout       = 120 * time.Second
	maxHeaderBytes    = 64 << 10
	shutdownGrace     = 10 * time.Second
	pruneInterval     = time.Hour
)

// serve runs the server until ctx is cancelled (SIGINT/SIGTERM), following the
// start-up and shutdown sequence of SPEC §2.6.
func serve(ctx context.Context, env environment, stderr io.Writer) int {
	fail := func(err error) int {
		fmt.Fprintln(stderr, "sleep-api: "+err.Error())
		return 1
	}
	vars, err := env()
	if err != nil {
		return fail(err)
	}
	cfg, err := config.Load(vars)
	if err != nil {
		return fail(err)
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	slog.SetDefault(logger)

	// The lock comes before the database is opened: a second server or a
	// restore on the same file must not touch it, not even with migrations
	// (SPEC §13.3). The kernel drops it when the process ends, however.
	lock, err := backup.LockDatabase(cfg.DatabasePath)
	if err != nil {
		var inUse *backup.InUseError
		if errors.As(err, &inUse) {
			return fail(err)
		}
		return fail(&config.Error{Variable: "DATABASE_URL", Problem: err.Error()})
	}
	defer lock.Release()
	if cfg.DatabasePath != config.MemoryDatabase {
		// Copies that a killed predecessor left half-written (backup
		// downloads, restores); only their exact temporary names go.
		if n := backup.RemoveStaleTemps(filepath.Dir(cfg.DatabasePath)); n > 0 {
			logger.Info("removed temporary files of interrupted backups", "count", n)
		}
	}

	st, err := store.Open(ctx, cfg.DatabasePath)
	if err != nil {
		return fail(&config.Error{Variable: "DATABASE_URL", Problem: err.Error()})
	}
	defer st.Close()
	backups := backup.NewScheduler(backup.SchedulerConfig{
		Dir: cfg.BackupDir, IntervalHours: cfg.BackupIntervalHours, Keep: cfg.BackupKeep,
		DatabasePath: cfg.DatabasePath, Source: st, Logger: logger,
	})

	adminHash, firstRunPassword, err := resolveAdminHash(ctx, cfg, st)
	if err != nil {
		return fail(err)
	}
	secret, err := resolveSessionSecret(ctx, cfg, st, logger)
	if err != nil {
		return fail(err)
	}
	ui, err := fs.Sub(sleepui.Build, "build")
	if err != nil {
		return fail(err)
	}
	api, err := httpapi.New(httpapi.Deps{
		Config: cfg, Store: st, AdminHash: adminHash, SessionSecret: secret,
		UI: ui, OpenAPI: sleeptracker.OpenAPI, Logger: logger, Backups: backups,
	})
	if err != nil {
		return fail(err)
	}
	// Uncommitted import jobs end with the process: their spooled uploads go.
	defer api.Close()

	// Expired login sessions go before the first request (SPEC §2.6 step 3);
	// PruneSessionsEvery repeats it hourly.
	if _, err := st.PruneLoginSessions(ctx, time.Now()); err != nil {
		return fail(err)
	}

	listener, err := net.Listen("tcp", cfg.BindAddr)
	if err != nil {
		return fail(fmt.Errorf("listen: %w", errors.Unwrap(err)))
	}
	addr := listener.Addr().(*net.TCPAddr)
	if firstRunPassword != "" {
		printFirstRunBanner(stderr, addr.Port, cfg.AdminEmail, firstRunPassword)
	}
	logger.Info("sleep-api listening", "addr", addr.String(), "version", version, "db", st.Path())

	pruneCtx, stopPruning := context.WithCancel(context.Background())
	defer stopPruning()
	go api.PruneSessionsEvery(pruneCtx, pruneInterval)

	// Scheduled backups (SPEC §13.2) stop before the store closes: the
	// deferred wait runs before the deferred st.Close above.
	backupCtx, stopBackups := context.WithCancel(context.Background())
	backupsDone := make(chan struct{})
	go func() { defer close(backupsDone); backups.Run(backupCtx) }()
	defer func() { stopBackups(); <-backupsDone }()

	server := &http.Server{
		Handler:           api.Handler(),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- server.Serve(listener) }()

	select {
	case err := <-serveErr:
		return fail(err)
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := server.Shutdown(shutdownCtx); err != nil {
		logger.Warn("graceful shutdown incomplete", "err", err)
	}
	return 0
}

// resolveAdminHash picks the login hash (SPEC §2.5): ADMIN_PASSWORD_HASH wins;
// else the stored first-run hash; else a new random password is generated and
// only its hash stored. The password is returned once, to be printed.
func resolveAdminHash(ctx context.Context, cfg config.Config, st *store.Store) (auth.PasswordHash, string, error) {
	if cfg.AdminPasswordHash != nil {
		return *cfg.AdminPasswordHash, "", nil
	}
	if stored, ok, err := st.Setting(ctx, store.SettingAdminPasswordHash); err != nil {
		return auth.PasswordHash{}, "", err
	} else if ok {
		hash, err := auth.ParsePasswordHash(stored)
		if err != nil {
			return auth.PasswordHash{}, "", fmt.Errorf("stored admin password hash: %w", err)
		}
		return hash, "", nil
	}
	password := randomPassword(24)
	phc, err := auth.HashPassword(password)
	if err != nil {
		return auth.PasswordHash{}, "", err
	}
	stored, created, err := st.SettingOrInit(ctx, store.SettingAdminPasswordHash, phc)
	if err != nil {
		return auth.PasswordHash{}, "", err
	}
	hash, err := auth.ParsePasswordHash(stored)
	if err != nil {
		return auth.PasswordHash{}, "", fmt.Errorf("stored admin password hash: %w", err)
	}
	if !created {
		password = ""
	}
	return hash, password, nil
}

const passwordAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// randomPassword draws n characters uniformly from passwordAlphabet.
func randomPassword(n int) string {
	out := make([]byte, n)
	for i := range out {
		out[i] = passwordAlphabet[randIndex(len(passwordAlphabet))]
	}
	return string(out)
}

// randIndex returns a uniform value in [0, n) by rejection sampling.
func randIndex(n int) int {
	limit := 256 - 256%n
	var b [1]byte
	for {
		_, _ = rand.Read(b[:])
		if int(b[0]) < limit {
			return int(b[0]) % n
		}
	}
}

func printFirstRunBanner(w io.Writer, port int, email, password string) {
	line := "============================================================"
	fmt.Fprintf(w, "%s\nSleepTracker first run: sign in at http://localhost:%d with\n  email:    %s\n  password: %s\n"+
		"This password is shown only once. To choose your own, run pw-hash and set\n"+
		"ADMIN_PASSWORD_HASH (in single quotes in .env) — it always takes precedence.\n%s\n",
		line, port, email, password, line)
}

// resolveSessionSecret returns SESSION_SECRET, else the secret persisted in the
// database, generating and storing 32 random bytes on the first start.
func resolveSessionSecret(ctx context.Context, cfg config.Config, st *store.Store, logger *slog.Logger) ([]byte, error) {
	if cfg.SessionSecret != nil {
		return cfg.SessionSecret, nil
	}
	fresh := make([]byte, 32)
	_, _ = rand.Read(fresh)
	stored, created, err := st.SettingOrInit(ctx, store.SettingSessionSecret, base64.StdEncoding.EncodeToString(fresh))
	if err != nil {
		return nil, err
	}
	secret, err := base64.StdEncoding.DecodeString(stored)
	if err != nil || len(secret) < 32 {
		return nil, errors.New("stored session secret is corrupt; set SESSION_SECRET or delete the session_secret setting")
	}
	if created {
		logger.Info("generated a session secret and stored it in the database; set SESSION_SECRET to manage it yourself")
	} else {
		logger.Info("using the session secret persisted in the database")
	}
	return secret, nil
}
