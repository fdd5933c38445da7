package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"strconv"
	"strings"
)

// The SQL that backups and restores need (SPEC §13.2, §13.3). internal/backup
// orchestrates files, names and locks; every statement it relies on lives here
// so that store stays the only package that speaks SQL.

// SchemaVersion is the newest migration version embedded in this binary: the
// goose version a database has after Open. A backup from a newer binary has a
// higher version and must not be restored by this one.
func SchemaVersion() int64 {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		panic("store: embedded migrations unreadable: " + err.Error())
	}
	var newest int64
	for _, e := range entries {
		digits, _, _ := strings.Cut(e.Name(), "_")
		if v, err := strconv.ParseInt(digits, 10, 64); err == nil && v > newest {
			newest = v
		}
	}
	return newest
}

// VacuumInto writes a consistent copy of the database to path with SQLite's
// VACUUM INTO. It runs on a reader connection inside one read transaction, so
// writers go on while it copies (WAL). path must be absent or an empty file
// (an empty file keeps the mode it was created with, for example 0600).
func (s *Store) VacuumInto(ctx context.Context, path string) error {
	return vacuumInto(ctx, s.read, path, s.path == MemoryPath)
}

func vacuumInto(ctx context.Context, conn *sql.DB, path string, fromMemory bool) error {
	target := path
	if fromMemory {
		// VACUUM INTO opens its target with the source's VFS; an in-memory
		// source would write into memory, so name the disk VFS explicitly.
		target = "file:" + uriPathEscaper.Replace(path) + "?vfs=unix"
	}
	if _, err := conn.ExecContext(ctx, "VACUUM INTO ?", target); err != nil {
		return fmt.Errorf("vacuum into %s: %w", path, err)
	}
	return nil
}

// FileSource is a plain connection to an existing database file, without
// migrations: "sleep-api backup" copies a database that a running server (of
// any version) may be using, and must not change its schema.
type FileSource struct {
	conn *sql.DB
	path string
}

// OpenFileSource opens the existing database file at path for VacuumInto.
// A missing file is an error (it is never created).
func OpenFileSource(ctx context.Context, path string) (*FileSource, error) {
	if _, err := os.Stat(path); err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("cannot open %s: %w", path, err)
	}
	pragmas := url.Values{}
	pragmas.Add("_pragma", "busy_timeout(5000)")
	pragmas.Add("mode", "rw")
	conn, err := sql.Open("sqlite", "file:"+uriPathEscaper.Replace(path)+"?"+pragmas.Encode())
	if err != nil {
		return nil, fmt.Errorf("cannot open %s: %w", path, err)
	}
	conn.SetMaxOpenConns(1)
	if err := conn.PingContext(ctx); err != nil {
		conn.Close()
		return nil, fmt.Errorf("cannot open %s: %w", path, err)
	}
	return &FileSource{conn: conn, path: path}, nil
}

// VacuumInto writes a consistent copy of the file to path (see Store.VacuumInto).
func (f *FileSource) VacuumInto(ctx context.Context, path string) error {
	return vacuumInto(ctx, f.conn, path, false)
}

// Close closes the connection.
func (f *FileSource) Close() error { return f.conn.Close() }

// FileInfo describes a database file checked by InspectFile.
type FileInfo struct {
	// SchemaVersion is the goose version of the file.
	SchemaVersion int64
	// Sessions, Notes and Exercise count the stored records.
	Sessions, Notes, Exercise int64
	// FirstDate and LastDate are the oldest and newest wake dates of the
	// sessions ("" when there are none).
	FirstDate, LastDate string
}

// Problems InspectFile reports; internal/backup words them for the user.
var (
	ErrNotSQLite       = errors.New("not a SQLite database")
	ErrNotSleepTracker = errors.New("not a SleepTracker database")
)

// IntegrityError is a failed PRAGMA integrity_check; Detail is its first line.
type IntegrityError struct{ Detail string }

func (e *IntegrityError) Error() string { return "integrity check failed: " + e.Detail }

// sqliteMagic starts every SQLite 3 database file.
const sqliteMagic = "SQLite format 3\x00"

// sleepTrackerTables must all exist in a SleepTracker database.
var sleepTrackerTables = []string{"goose_db_version", "sleep_sessions", "exercise_events", "notes", "settings"}

// InspectFile checks that path is a SQLite database that passes PRAGMA
// integrity_check and holds SleepTracker's tables, and returns its schema
// version and record counts. The file is opened read-only and immutable (no
// journal, no -wal/-shm files created next to it) with trusted_schema off, so
// inspecting a file never changes it and its schema cannot run code on us.
// Errors are ErrNotSQLite, *IntegrityError, ErrNotSleepTracker or an I/O error.
func InspectFile(ctx context.Context, path string) (FileInfo, error) {
	if err := checkMagic(path); err != nil {
		return FileInfo{}, err
	}
	pragmas := url.Values{}
	pragmas.Add("mode", "ro")
	pragmas.Add("immutable", "1")
	pragmas.Add("_pragma", "trusted_schema(0)")
	conn, err := sql.Open("sqlite", "file:"+uriPathEscaper.Replace(path)+"?"+pragmas.Encode())
	if err != nil {
		return FileInfo{}, err
	}
	defer conn.Close()
	conn.SetMaxOpenConns(1)

	var first string
	if err := conn.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&first); err != nil {
		if errors.Is(ctx.Err(), context.Canceled) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return FileInfo{}, ctx.Err()
		}
		if strings.Contains(err.Error(), "not a database") {
			return FileInfo{}, ErrNotSQLite
		}
		return FileInfo{}, &IntegrityError{Detail: firstLine(err.Error())}
	}
	if first != "ok" {
		return FileInfo{}, &IntegrityError{Detail: firstLine(first)}
	}
	for _, table := range sleepTrackerTables {
		var n int
		if err := conn.QueryRowContext(ctx,
			"SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = ?", table).Scan(&n); err != nil {
			return FileInfo{}, err
		}
		if n == 0 {
			return FileInfo{}, ErrNotSleepTracker
		}
	}
	var info FileInfo
	var version sql.NullInt64
	if err := conn.QueryRowContext(ctx,
		"SELECT MAX(version_id) FROM goose_db_version WHERE is_applied").Scan(&version); err != nil {
		return FileInfo{}, ErrNotSleepTracker
	}
	info.SchemaVersion = version.Int64
	var firstDate, lastDate sql.NullString
	if err := conn.QueryRowContext(ctx,
		"SELECT COUNT(*), MIN(wake_date), MAX(wake_date) FROM sleep_sessions").Scan(&info.Sessions, &firstDate, &lastDate); err != nil {
		return FileInfo{}, ErrNotSleepTracker
	}
	info.FirstDate, info.LastDate = firstDate.String, lastDate.String
	if err := conn.QueryRowContext(ctx, "SELECT COUNT(*) FROM notes").Scan(&info.Notes); err != nil {
		return FileInfo{}, ErrNotSleepTracker
	}
	if err := conn.QueryRowContext(ctx, "SELECT COUNT(*) FROM exercise_events").Scan(&info.Exercise); err != nil {
		return FileInfo{}, ErrNotSleepTracker
	}
	return info, nil
}

// checkMagic reads the 16-byte header every SQLite 3 file starts with.
func checkMagic(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	header := make([]byte, len(sqliteMagic))
	if _, err := io.ReadFull(f, header); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return ErrNotSQLite
		}
		return err
	}
	if string(header) != sqliteMagic {
		return ErrNotSQLite
	}
	return nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// CheckpointFile folds the -wal file of the database at path into the
// database file (PRAGMA wal_checkpoint(TRUNCATE)), so that the file alone is
// the whole database before a restore moves it aside. Nothing else may be
// using the database (the caller holds its lock).
func CheckpointFile(ctx context.Context, path string) error {
	pragmas := url.Values{}
	pragmas.Add("_pragma", "busy_timeout(5000)")
	pragmas.Add("mode", "rw")
	conn, err := sql.Open("sqlite", "file:"+uriPathEscaper.Replace(path)+"?"+pragmas.Encode())
	if err != nil {
		return err
	}
	defer conn.Close()
	_, err = conn.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	return err
}

// accessTables hold what must not survive a restore (SPEC §13.3): login
// sessions, API tokens and idempotency records. The last two come with later
// migrations, so each is cleared only when it exists.
var accessTables = []string{"login_sessions", "api_tokens", "idempotency_keys"}

// ClearAccessRecords deletes every login session, API token and idempotency
// record in one transaction, and returns how many rows went. A restored backup
// may hold sessions that were signed out and tokens that were revoked since.
func (s *Store) ClearAccessRecords(ctx context.Context) (int64, error) {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	var total int64
	for _, table := range accessTables {
		var n int
		if err := tx.QueryRowContext(ctx,
			"SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = ?", table).Scan(&n); err != nil {
			return 0, err
		}
		if n == 0 {
			continue
		}
		// The table name comes from the fixed list above, never from input.
		res, err := tx.ExecContext(ctx, "DELETE FROM "+table)
		if err != nil {
			return 0, fmt.Errorf("clear %s: %w", table, err)
		}
		rows, _ := res.RowsAffected()
		total += rows
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	return total, nil
}
