package backup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"sleeptracker/internal/store"
)

// ErrCancelled is returned by Restore when the confirmation was declined.
var ErrCancelled = errors.New("restore cancelled; nothing was changed")

// RestoreOptions says what Restore replaces with what.
type RestoreOptions struct {
	// DatabasePath is the configured database (DATABASE_URL); it may not exist yet.
	DatabasePath string
	// BackupPath is the backup file to restore.
	BackupPath string
	// Confirm, when set, is asked after every check has passed and before
	// anything changes; false cancels the restore (ErrCancelled).
	Confirm func(Info) bool
	// Now is the clock for the stamp of the moved-aside name; nil means time.Now.
	Now func() time.Time
}

// RestoreResult tells what Restore did.
type RestoreResult struct {
	// Info describes the restored backup (before migrations).
	Info Info
	// MovedAside is where the previous database went, "" when there was none.
	MovedAside string
	// ClearedAccessRecords counts the login sessions, API tokens and
	// idempotency records removed from the restored database.
	ClearedAccessRecords int64
}

// Restore replaces the database at opts.DatabasePath with the backup at
// opts.BackupPath (SPEC §13.3), in this order:
//
//  1. take the database lock (a running server refuses it: *InUseError);
//  2. copy the backup to a fsynced temporary file next to the database and
//     check that copy: a SQLite file, integrity "ok", a SleepTracker database
//     whose schema version is not newer than this binary's — any failure
//     returns before the database has changed;
//  3. ask opts.Confirm;
//  4. checkpoint the current database and move it, with its -wal and -shm
//     files, aside to <database>.before-restore-<UTC stamp>;
//  5. rename the checked, fsynced copy into place and fsync the folder;
//  6. open it, which runs the migrations, and delete its login sessions, API
//     tokens and idempotency records.
//
// If step 5 or 6 fails, the restored file is removed and the previous
// database is moved back.
func Restore(ctx context.Context, opts RestoreOptions) (RestoreResult, error) {
	if opts.DatabasePath == store.MemoryPath {
		return RestoreResult{}, errors.New("restore needs a database file, not the in-memory database (DATABASE_URL=sqlite::memory:)")
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	lock, err := LockDatabase(opts.DatabasePath)
	if err != nil {
		return RestoreResult{}, err
	}
	defer lock.Release()

	// The checks run on the copy that will be installed, so the file cannot
	// change between being checked and being restored.
	if err := checkSource(opts.BackupPath, opts.DatabasePath); err != nil {
		return RestoreResult{}, err
	}
	tmp, err := copyToTemp(opts.BackupPath, filepath.Dir(opts.DatabasePath))
	if err != nil {
		return RestoreResult{}, err
	}
	defer os.Remove(tmp) // fails harmlessly once tmp has been renamed
	info, err := checkContent(ctx, tmp, opts.BackupPath)
	if err != nil {
		return RestoreResult{}, err
	}
	if opts.Confirm != nil && !opts.Confirm(info) {
		return RestoreResult{}, ErrCancelled
	}

	result := RestoreResult{Info: info}
	moved, err := moveAside(ctx, opts.DatabasePath, now())
	if err != nil {
		return RestoreResult{}, err
	}
	if len(moved) > 0 {
		result.MovedAside = moved[0].to
	}
	undo := func(cause error) error {
		os.Remove(opts.DatabasePath)
		os.Remove(opts.DatabasePath + "-wal")
		os.Remove(opts.DatabasePath + "-shm")
		for _, m := range moved {
			if err := os.Rename(m.to, m.from); err != nil {
				return fmt.Errorf("%w; putting the previous database back failed too, it is at %s: %v", cause, result.MovedAside, err)
			}
		}
		if len(moved) > 0 {
			return fmt.Errorf("%w; the previous database was put back", cause)
		}
		return cause
	}
	if err := os.Rename(tmp, opts.DatabasePath); err != nil {
		return RestoreResult{}, undo(fmt.Errorf("cannot put the backup in place: %w", unwrapLink(err)))
	}
	if err := syncDir(filepath.Dir(opts.DatabasePath)); err != nil {
		return RestoreResult{}, undo(fmt.Errorf("cannot sync folder: %w", err))
	}
	st, err := store.Open(ctx, opts.DatabasePath)
	if err != nil {
		return RestoreResult{}, undo(err)
	}
	cleared, err := st.ClearAccessRecords(ctx)
	if closeErr := st.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		return RestoreResult{}, undo(fmt.Errorf("clearing login sessions and tokens: %w", err))
	}
	result.ClearedAccessRecords = cleared
	return result, nil
}

// CheckRestorable runs the checks of SPEC §13.3 on the file at path and
// returns what it holds; every failure is one line naming the problem.
// databasePath (may be "") is the configured database, which cannot be its
// own backup.
func CheckRestorable(ctx context.Context, path, databasePath string) (Info, error) {
	if err := checkSource(path, databasePath); err != nil {
		return Info{}, err
	}
	return checkContent(ctx, path, path)
}

// checkSource checks that path is a regular file other than the database.
func checkSource(path, databasePath string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("cannot read %s: %w", path, unwrapPath(err))
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is not a file", path)
	}
	if databasePath != "" {
		if db, err := os.Stat(databasePath); err == nil && os.SameFile(fi, db) {
			return fmt.Errorf("%s is the configured database itself", path)
		}
	}
	return nil
}

// checkContent inspects the file at path; messages name it as shown.
func checkContent(ctx context.Context, path, shown string) (Info, error) {
	info, err := store.InspectFile(ctx, path)
	var integrity *store.IntegrityError
	switch {
	case errors.Is(err, store.ErrNotSQLite):
		return Info{}, fmt.Errorf("%s is not a SQLite database", shown)
	case errors.As(err, &integrity):
		return Info{}, fmt.Errorf("%s fails PRAGMA integrity_check: %s", shown, integrity.Detail)
	case errors.Is(err, store.ErrNotSleepTracker):
		return Info{}, fmt.Errorf("%s is not a SleepTracker database", shown)
	case err != nil:
		return Info{}, fmt.Errorf("cannot read %s: %w", shown, err)
	}
	if newest := store.SchemaVersion(); info.SchemaVersion > newest {
		return Info{}, fmt.Errorf("%s has schema version %d, newer than this sleep-api's %d; restore it with a newer sleep-api",
			shown, info.SchemaVersion, newest)
	}
	return info, nil
}

// move is one rename done by moveAside, so that it can be undone.
type move struct{ from, to string }

// moveAside checkpoints the database at path and renames it and its -wal and
// -shm files to <path>.before-restore-<stamp> (+ "-wal", "-shm"). Nothing is
// moved when there is no database file. The -wal must go with the file: left
// behind it would be replayed into the restored database.
func moveAside(ctx context.Context, path string, at time.Time) ([]move, error) {
	if _, err := os.Lstat(path); errors.Is(err, os.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, unwrapPath(err))
	}
	// A checkpoint folds the WAL into the file. It may fail on a broken
	// database, which is exactly when one restores: the -wal moves along anyway.
	_ = store.CheckpointFile(ctx, path)
	aside := path + ".before-restore-" + Stamp(at)
	if _, err := os.Lstat(aside); err == nil {
		return nil, fmt.Errorf("%s already exists; try again in a second", aside)
	}
	var moved []move
	for _, suffix := range []string{"", "-wal", "-shm"} {
		from, to := path+suffix, aside+suffix
		if _, err := os.Lstat(from); errors.Is(err, os.ErrNotExist) && suffix != "" {
			continue
		}
		if err := os.Rename(from, to); err != nil {
			for i := len(moved) - 1; i >= 0; i-- {
				os.Rename(moved[i].to, moved[i].from)
			}
			return nil, fmt.Errorf("cannot move %s aside: %w", from, unwrapLink(err))
		}
		moved = append(moved, move{from: from, to: to})
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return moved, nil // the renames happened; durability is best effort here
	}
	return moved, nil
}

// copyToTemp copies the file src into a new fsynced temporary file (mode
// 0600) in dir, whose name never looks like a database or a backup, and
// returns its path.
func copyToTemp(src, dir string) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", fmt.Errorf("cannot read %s: %w", src, unwrapPath(err))
	}
	defer in.Close()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("cannot create %s: %w", dir, unwrapPath(err))
	}
	out, err := os.CreateTemp(dir, ".sleeptracker-restore-*.tmp")
	if err != nil {
		return "", fmt.Errorf("cannot write in %s: %w", dir, unwrapPath(err))
	}
	tmp := out.Name()
	fail := func(err error) (string, error) {
		out.Close()
		os.Remove(tmp)
		return "", fmt.Errorf("cannot copy %s into %s: %w", src, dir, err)
	}
	if err := out.Chmod(0o600); err != nil {
		return fail(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		return fail(err)
	}
	if err := out.Sync(); err != nil {
		return fail(err)
	}
	if err := out.Close(); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("cannot copy %s into %s: %w", src, dir, err)
	}
	return tmp, nil
}
