package httpapi

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"sleeptracker/internal/backup"
	"sleeptracker/internal/config"
)

// Defaults of BACKUP_INTERVAL_HOURS and BACKUP_KEEP for a Config built
// without Load (tests).
const (
	defaultBackupIntervalHours = 24
	defaultBackupKeep          = 14
)

// newBackupScheduler is the status source of GET /api/backups when the
// caller did not wire the running scheduler (tests): same configuration,
// never started.
func newBackupScheduler(deps Deps) *backup.Scheduler {
	interval, keep := deps.Config.BackupIntervalHours, deps.Config.BackupKeep
	if interval == 0 {
		interval = defaultBackupIntervalHours
	}
	if keep == 0 {
		keep = defaultBackupKeep
	}
	return backup.NewScheduler(backup.SchedulerConfig{
		Dir: deps.Config.BackupDir, IntervalHours: interval, Keep: keep,
		DatabasePath: deps.Config.DatabasePath, Source: deps.Store, Logger: deps.Logger,
	})
}

// handleBackup serves GET /api/backup (SPEC §13.2): a consistent,
// integrity-checked copy of the database, made in a temporary file in the
// database's folder while the server keeps serving. The file is unlinked as
// soon as it is open, so nothing stays on disk, not even after a crash.
// Login sessions only: the file holds the password hash and the session
// secret, so API tokens never reach this route (routes.go).
func (s *Server) handleBackup(w http.ResponseWriter, r *http.Request) error {
	at := s.now()
	h := w.Header()
	h.Set("Content-Type", "application/vnd.sqlite3")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, backup.DownloadName(at)))
	if r.Method == http.MethodHead {
		w.WriteHeader(http.StatusOK)
		return nil
	}
	// No byte moves while SQLite copies: the snapshot is the server's own
	// work, bounded by the database's size, so it runs without a deadline;
	// the copy to the client then has the idle timeout.
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Time{})
	_ = rc.SetWriteDeadline(time.Time{})
	dir := os.TempDir()
	if path := s.cfg.DatabasePath; path != "" && path != config.MemoryDatabase {
		dir = filepath.Dir(path)
	}
	f, size, _, err := backup.SnapshotFile(r.Context(), s.store, dir)
	if err != nil {
		h.Del("Content-Disposition")
		return err
	}
	defer f.Close()
	h.Set("Content-Length", strconv.FormatInt(size, 10))
	out := newDownload(w)
	return out.finish(r, out.copyFile(f))
}

// handleBackups serves GET /api/backups (SPEC §13.2): the scheduled
// backups' configuration, last outcome and files, newest first.
func (s *Server) handleBackups(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, s.backups.Status())
	return nil
}
