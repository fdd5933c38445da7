// Package backup makes and restores copies of the SleepTracker database
// (SPEC §13.2, §13.3): consistent snapshots taken while the server keeps
// serving (SQLite VACUUM INTO a temporary file, PRAGMA integrity_check,
// fsync, rename), the schedule of BACKUP_DIR with its pruning, the status of
// GET /api/backups, the restore of "sleep-api restore", and the exclusive
// advisory lock on <database>.lock that keeps two processes from rewriting one
// database.
//
// The SQL it needs lives in internal/store (VacuumInto, InspectFile,
// CheckpointFile, ClearAccessRecords); this package handles files, names,
// modes, durability and order of steps.
package backup

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"sleeptracker/internal/store"
)

// StampLayout formats the UTC stamps of backup file names: yyyymmddThhmmssZ.
const StampLayout = "20060102T150405Z"

// Stamp is t in UTC as StampLayout.
func Stamp(t time.Time) string { return t.UTC().Format(StampLayout) }

// DownloadName is the file name GET /api/backup and "sleep-api backup"
// give a backup taken at t: sleeptracker-backup-<UTC stamp>.db.
func DownloadName(t time.Time) string { return "sleeptracker-backup-" + Stamp(t) + ".db" }

// Source is a database that can copy itself consistently into a new file:
// *store.Store for the server, *store.FileSource for "sleep-api backup".
type Source interface {
	VacuumInto(ctx context.Context, path string) error
}

// Info describes a checked backup file: counts and date range of its records.
type Info = store.FileInfo

// Snapshot writes a checked backup of src to dest and returns what it holds.
// The copy goes to a temporary file in dest's folder (a name that never
// matches a backup's, mode 0600), passes PRAGMA integrity_check, is fsynced
// and only then renamed to dest, and the folder is fsynced: after a crash dest
// is either absent or complete. dest must not exist yet.
func Snapshot(ctx context.Context, src Source, dest string) (Info, error) {
	if _, err := os.Lstat(dest); err == nil {
		return Info{}, fmt.Errorf("%s already exists", dest)
	} else if !errors.Is(err, os.ErrNotExist) {
		return Info{}, fmt.Errorf("cannot write %s: %w", dest, unwrapPath(err))
	}
	dir := filepath.Dir(dest)
	tmp, info, err := snapshotToTemp(ctx, src, dir, filepath.Base(dest))
	if err != nil {
		return Info{}, err
	}
	if err := os.Rename(tmp, dest); err != nil {
		os.Remove(tmp)
		return Info{}, fmt.Errorf("cannot write %s: %w", dest, unwrapLink(err))
	}
	if err := syncDir(dir); err != nil {
		return Info{}, fmt.Errorf("cannot sync folder %s: %w", dir, err)
	}
	return info, nil
}

// SnapshotFile writes a checked backup of src to a temporary file in dir and
// returns it opened for reading, already unlinked: the caller streams it and
// closes it, and nothing is left on disk afterwards, even after a crash while
// it is being sent (GET /api/backup). Size is the file's size in bytes.
func SnapshotFile(ctx context.Context, src Source, dir string) (f *os.File, size int64, info Info, err error) {
	tmp, info, err := snapshotToTemp(ctx, src, dir, "sleeptracker-backup") // see staleTemp
	if err != nil {
		return nil, 0, Info{}, err
	}
	defer os.Remove(tmp)
	f, err = os.Open(tmp)
	if err != nil {
		return nil, 0, Info{}, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, Info{}, err
	}
	return f, st.Size(), info, nil
}

// snapshotToTemp copies src into a new temporary file in dir and checks and
// fsyncs it. The name starts with "." and ends with ".tmp-<random>", so it
// never carries a backup's name; on failure the file is removed.
func snapshotToTemp(ctx context.Context, src Source, dir, base string) (path string, info Info, err error) {
	var suffix [6]byte
	_, _ = rand.Read(suffix[:])
	path = filepath.Join(dir, "."+base+".tmp-"+hex.EncodeToString(suffix[:]))
	// An empty file made here keeps mode 0600: VACUUM INTO fills it and keeps
	// the mode, instead of creating the file under the umask.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", Info{}, fmt.Errorf("cannot create a temporary file in %s: %w", dir, unwrapPath(err))
	}
	f.Close()
	defer func() {
		if err != nil {
			os.Remove(path)
		}
	}()
	if err := src.VacuumInto(ctx, path); err != nil {
		return "", Info{}, err
	}
	info, err = store.InspectFile(ctx, path)
	if err != nil {
		return "", Info{}, fmt.Errorf("the new backup failed its check: %w", err)
	}
	if err := syncFile(path); err != nil {
		return "", Info{}, err
	}
	return path, info, nil
}

// syncFile fsyncs the file at path and makes sure its mode is 0600.
func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir fsyncs a folder so that a rename or removal in it is durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

func unwrapLink(err error) error {
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// staleTemp matches the temporary files that GET /api/backup and restore
// leave in the database's folder when the process dies mid-copy (SQLite may
// add a -journal): ".sleeptracker-backup.tmp-<12 hex>" and
// ".sleeptracker-restore-<digits>.tmp".
var staleTemp = regexp.MustCompile(`^\.sleeptracker-(backup\.tmp-[0-9a-f]{12}(-journal)?|restore-[0-9]+\.tmp)$`)

// RemoveStaleTemps deletes those leftovers from dir and returns how many it
// removed. Call it only while holding the database's lock (serve does, at
// start), so no running copy can be using one. Files of any other name are
// never touched; BACKUP_DIR is not cleaned (only backups are ever deleted
// there), so an interrupted scheduled backup leaves its hidden
// ".sleep-….db.tmp-…" file for the owner to see.
func RemoveStaleTemps(dir string) int {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0
	}
	removed := 0
	for _, e := range entries {
		if e.Type().IsRegular() && staleTemp.MatchString(e.Name()) {
			if os.Remove(filepath.Join(dir, e.Name())) == nil {
				removed++
			}
		}
	}
	return removed
}
