package backup

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// InUseError is the refusal of SPEC §13.3: another process holds the lock of
// the database. Its message is the spec's, word for word.
type InUseError struct{ Path string }

func (e *InUseError) Error() string {
	return "database " + e.Path + " is in use by another sleep-api process"
}

// Lock is the exclusive advisory lock on <database>.lock that every process
// serving or rewriting a database holds (SPEC §13.3): a server for its whole
// life, restore and import while they run. It is a flock(2) lock, so the
// kernel releases it when the process dies, however it dies; a stale lock
// file therefore never blocks anyone.
type Lock struct {
	f *os.File
}

// LockPath is the lock file of the database at dbPath.
func LockPath(dbPath string) string { return dbPath + ".lock" }

// LockDatabase takes the lock of the database file at dbPath without waiting:
// when another process (or another Lock in this one) holds it, the error is an
// *InUseError; any other error reads "cannot open <path>: <reason>". The lock file is created with mode 0600 (and its folder with
// 0700, like the database's). An in-memory database (":memory:") is private
// to its process and needs no lock: the returned Lock is a no-op.
func LockDatabase(dbPath string) (*Lock, error) {
	if dbPath == ":memory:" {
		return &Lock{}, nil
	}
	path := LockPath(dbPath)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		// The folder is the database's: word it like the store does.
		return nil, fmt.Errorf("cannot open %s: %w", dbPath, unwrapPath(err))
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cannot open %s: %w", path, unwrapPath(err))
	}
	for {
		err = unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
		if !errors.Is(err, unix.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, &InUseError{Path: dbPath}
		}
		return nil, fmt.Errorf("cannot lock %s: %w", path, err)
	}
	return &Lock{f: f}, nil
}

// Release gives the lock up. The lock file stays (removing it would let a
// process that opened the old file and one that creates a new file both hold
// "the" lock). Release is idempotent.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.f.Close() // closing the only descriptor drops the flock
	l.f = nil
	return err
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
