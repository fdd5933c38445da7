package main

import (
	"context"
	"database/sql"
	"path/filepath"
	"sync"
	"testing"

	_ "modernc.org/sqlite" // the store's driver, to inspect the file directly

	"sleeptracker/internal/liveserver"
)

// Shared by the black-box tests (crash_test.go, abuse_test.go): the real
// binary, built from this checkout, run as a child process on 127.0.0.1.

var (
	liveAdminOnce sync.Once
	liveAdmin     liveserver.Admin
	liveAdminErr  error
)

// testAdmin returns credentials hashed once per test binary (argon2 is slow
// on purpose).
func testAdmin(t *testing.T) liveserver.Admin {
	t.Helper()
	liveAdminOnce.Do(func() { liveAdmin, liveAdminErr = liveserver.NewAdmin() })
	if liveAdminErr != nil {
		t.Fatal(liveAdminErr)
	}
	return liveAdmin
}

// liveBinary builds sleep-api into the test's temp folder. The Go build cache
// makes every build after the first one a link step.
func liveBinary(t *testing.T) string {
	t.Helper()
	binary, err := liveserver.Build(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return binary
}

// startLive starts binary on dbPath and kills it when the test ends (if the
// test has not stopped it already).
func startLive(t *testing.T, binary, dbPath string) *liveserver.Process {
	t.Helper()
	p, err := liveserver.Start(liveserver.Config{Binary: binary, DatabasePath: dbPath, Admin: testAdmin(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if !p.Exited() {
			_ = p.Kill()
		}
		if t.Failed() {
			t.Logf("server log:\n%s", p.Log())
		}
	})
	return p
}

// liveLogin signs in to p with the test credentials.
func liveLogin(t *testing.T, p *liveserver.Process) *liveserver.Client {
	t.Helper()
	admin := testAdmin(t)
	c := liveserver.NewClient(p.URL, nil)
	status, err := c.Login(context.Background(), admin.Email, admin.Password)
	if err != nil || status != 200 {
		t.Fatalf("login: status %d, err %v", status, err)
	}
	return c
}

// openDatabaseFile opens a (stopped) server's SQLite file directly.
func openDatabaseFile(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path)+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	return db
}
