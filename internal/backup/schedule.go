package backup

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sync"
	"time"
)

// scheduledName matches exactly the files scheduled backups write:
// sleep-<yyyymmddThhmmssZ>.db. Pruning and the status list only ever see
// files with such a name.
var scheduledName = regexp.MustCompile(`^sleep-([0-9]{8}T[0-9]{6}Z)\.db$`)

// ScheduledName is the file name of a scheduled backup taken at t.
func ScheduledName(t time.Time) string { return "sleep-" + Stamp(t) + ".db" }

// parseScheduledName returns the instant in a scheduled backup's name; ok is
// false for any other name, including a well-formed pattern with an
// impossible date (sleep-20251399T999999Z.db).
func parseScheduledName(name string) (time.Time, bool) {
	m := scheduledName.FindStringSubmatch(name)
	if m == nil {
		return time.Time{}, false
	}
	t, err := time.Parse(StampLayout, m[1])
	if err != nil || Stamp(t) != m[1] {
		return time.Time{}, false
	}
	return t, true
}

// SchedulerConfig configures scheduled backups (SPEC §13.2).
type SchedulerConfig struct {
	// Dir is BACKUP_DIR; "" turns scheduled backups off (Status still works).
	Dir string
	// IntervalHours is BACKUP_INTERVAL_HOURS and Keep is BACKUP_KEEP.
	IntervalHours, Keep int
	// DatabasePath is the configured database, which pruning never touches,
	// even when it lies in Dir under a backup's name.
	DatabasePath string
	// Source is the database to copy (the server's store).
	Source Source
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives successes (info) and failures (error); nil means slog.Default().
	Logger *slog.Logger
}

// Scheduler writes scheduled backups and reports their status.
type Scheduler struct {
	cfg      SchedulerConfig
	interval time.Duration

	mu          sync.Mutex
	lastSuccess *time.Time
	lastError   *StatusError
}

// NewScheduler returns a scheduler for cfg. It does nothing until Run.
func NewScheduler(cfg SchedulerConfig) *Scheduler {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Scheduler{cfg: cfg, interval: time.Duration(cfg.IntervalHours) * time.Hour}
}

// Status is the body of GET /api/backups (SPEC §13.2).
type Status struct {
	Dir           *string      `json:"dir"`
	IntervalHours int          `json:"interval_hours"`
	Keep          int          `json:"keep"`
	LastSuccess   *Instant     `json:"last_success"`
	LastError     *StatusError `json:"last_error"`
	Files         []File       `json:"files"`
}

// StatusError is the last failure of a scheduled backup.
type StatusError struct {
	At      Instant `json:"at"`
	Message string  `json:"message"`
}

// File is one scheduled backup in BACKUP_DIR.
type File struct {
	Name      string  `json:"name"`
	SizeBytes int64   `json:"size_bytes"`
	CreatedAt Instant `json:"created_at"`
}

// Instant is a UTC instant that encodes as "2025-06-18T07:00:00Z" (SPEC §1.3).
type Instant time.Time

// MarshalText implements encoding.TextMarshaler.
func (t Instant) MarshalText() ([]byte, error) {
	return []byte(time.Time(t).UTC().Format("2006-01-02T15:04:05Z")), nil
}

// Status reports the configuration, the last success and failure, and the
// scheduled backups in Dir, newest first. last_success is the newest backup
// file's time until this process has made one itself, so a restart does not
// make a healthy schedule look as if it never ran. A folder that cannot be
// read gives an empty list (the failure shows up in last_error when the next
// backup fails).
func (s *Scheduler) Status() Status {
	st := Status{IntervalHours: s.cfg.IntervalHours, Keep: s.cfg.Keep, Files: []File{}}
	if s.cfg.Dir == "" {
		return st
	}
	dir := s.cfg.Dir
	st.Dir = &dir
	backups, _ := s.list()
	for _, b := range backups {
		st.Files = append(st.Files, File{Name: b.name, SizeBytes: b.size, CreatedAt: Instant(b.at)})
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lastSuccess != nil {
		at := Instant(*s.lastSuccess)
		st.LastSuccess = &at
	} else if len(backups) > 0 {
		at := Instant(backups[0].at)
		st.LastSuccess = &at
	}
	if s.lastError != nil {
		e := *s.lastError
		st.LastError = &e
	}
	return st
}

// Run writes backups until ctx ends: at once when the newest backup in Dir
// is older than the interval (or there is none), then every interval. A
// failure is logged at error level, kept for Status, and retried at the next
// interval. Run returns at once when Dir is "" (or the interval is not
// positive, which a validated configuration never has).
func (s *Scheduler) Run(ctx context.Context) {
	if s.cfg.Dir == "" || s.interval <= 0 {
		return
	}
	next := s.cfg.Now()
	if backups, err := s.list(); err == nil && len(backups) > 0 {
		if due := backups[0].at.Add(s.interval); due.After(next) {
			next = due
		}
	}
	for {
		wait := next.Sub(s.cfg.Now())
		if wait > 0 {
			timer := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				timer.Stop()
				return
			case <-timer.C:
			}
		}
		if ctx.Err() != nil {
			return
		}
		_, _ = s.RunOnce(ctx)
		next = s.cfg.Now().Add(s.interval)
	}
}

// RunOnce writes one scheduled backup now and prunes old ones after a
// success. It returns the new file's path. Failures are logged and recorded
// for Status as well as returned.
func (s *Scheduler) RunOnce(ctx context.Context) (string, error) {
	started := s.cfg.Now()
	path, info, err := s.backup(ctx, started)
	if err != nil {
		if ctx.Err() != nil {
			return "", err // shutting down: not a backup failure
		}
		s.cfg.Logger.Error("scheduled backup failed", "dir", s.cfg.Dir, "err", err)
		s.mu.Lock()
		s.lastError = &StatusError{At: Instant(s.cfg.Now()), Message: err.Error()}
		s.mu.Unlock()
		return "", err
	}
	s.mu.Lock()
	s.lastSuccess = &started
	s.mu.Unlock()
	s.cfg.Logger.Info("scheduled backup written", "path", path,
		"sessions", info.Sessions, "notes", info.Notes, "exercise", info.Exercise)
	pruned, err := s.prune()
	if err != nil {
		s.cfg.Logger.Error("pruning old backups failed", "dir", s.cfg.Dir, "err", err)
	} else if len(pruned) > 0 {
		s.cfg.Logger.Info("pruned old backups", "count", len(pruned))
	}
	return path, nil
}

func (s *Scheduler) backup(ctx context.Context, at time.Time) (string, Info, error) {
	if err := os.MkdirAll(s.cfg.Dir, 0o700); err != nil {
		return "", Info{}, fmt.Errorf("cannot create %s: %w", s.cfg.Dir, unwrapPath(err))
	}
	path := filepath.Join(s.cfg.Dir, ScheduledName(at))
	info, err := Snapshot(ctx, s.cfg.Source, path)
	return path, info, err
}

// scheduledFile is one file of Dir with a scheduled backup's name.
type scheduledFile struct {
	name string
	at   time.Time
	size int64
}

// list returns the regular files of Dir named exactly like scheduled backups,
// newest first, without the configured database.
func (s *Scheduler) list() ([]scheduledFile, error) {
	entries, err := os.ReadDir(s.cfg.Dir)
	if err != nil {
		return nil, err
	}
	database, _ := os.Stat(s.cfg.DatabasePath)
	var files []scheduledFile
	for _, e := range entries {
		at, ok := parseScheduledName(e.Name())
		if !ok || !e.Type().IsRegular() {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			continue
		}
		if database != nil && os.SameFile(fi, database) {
			continue
		}
		files = append(files, scheduledFile{name: e.Name(), at: at, size: fi.Size()})
	}
	slices.SortFunc(files, func(a, b scheduledFile) int { return b.at.Compare(a.at) })
	return files, nil
}

// prune deletes the scheduled backups beyond the newest Keep and returns
// their names. Only names list accepts are candidates: no other file is ever
// touched, nor the configured database.
func (s *Scheduler) prune() ([]string, error) {
	files, err := s.list()
	if err != nil {
		return nil, err
	}
	if len(files) <= s.cfg.Keep {
		return nil, nil
	}
	var removed []string
	var firstErr error
	for _, f := range files[s.cfg.Keep:] {
		if err := os.Remove(filepath.Join(s.cfg.Dir, f.name)); err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		removed = append(removed, f.name)
	}
	if len(removed) > 0 {
		if err := syncDir(s.cfg.Dir); err != nil && firstErr == nil {
			firstErr = err
		}
	}
	return removed, firstErr
}
