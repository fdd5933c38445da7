package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sleeptracker/internal/backup"
)

const cliCSV = "date,bed_time,wake_time,duration_min,notes\n" +
	"2025-03-01,23:00:00,07:00:00,480,first\n" +
	"2025-03-02,23:30:00,07:00:00,450,\n" +
	"2025-03-03,07:00:00,07:00:00,,\n"

func TestImportCommand(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "sleep.db")
	file := filepath.Join(t.TempDir(), "export.csv")
	if err := os.WriteFile(file, []byte(cliCSV), 0o600); err != nil {
		t.Fatal(err)
	}
	env := dbEnv(dbPath)

	// A dry run previews and stores nothing.
	code, stdout, stderr := runCommand(t, env, "import", "--format", "auto", file, "--dry-run")
	wantPreview := file + " (sleeptracker-csv): 3 records from 2025-03-01 to 2025-03-03, times without a zone read in UTC\n" +
		"  sessions: 2 new, 0 duplicate, 0 overlap, 1 invalid\n" +
		"  notes:    1 new, 0 duplicate\n" +
		"  exercise: 0 new, 0 duplicate\n" +
		"  problems (1):\n" +
		"    line 4: Duration must be positive\n"
	if code != 0 || stderr != "" || stdout != wantPreview+"dry run: nothing was stored\n" {
		t.Fatalf("dry run: exit %d\nstdout %q\nstderr %q", code, stdout, stderr)
	}

	// Not a terminal and no --yes: refused.
	withStdin(t, false, "")
	if code, _, stderr := runCommand(t, env, "import", "--format=sleeptracker-csv", file); code != 1 ||
		stderr != "sleep-api: import: stdin is not a terminal; pass --yes to import without a question, or --dry-run\n" {
		t.Fatalf("no terminal: %d %q", code, stderr)
	}
	// Asked on a terminal, "n" keeps the database as it is.
	withStdin(t, true, "n\n")
	if code, stdout, _ := runCommand(t, env, "import", "--format", "sleeptracker-csv", file); code != 0 || !strings.HasSuffix(stdout, "not imported\n") {
		t.Fatalf("answer n: %d %q", code, stdout)
	}
	withStdin(t, true, "y\n")
	code, stdout, stderr = runCommand(t, env, "import", "--format", "sleeptracker-csv", file)
	if code != 0 || !strings.HasSuffix(stdout, "imported 2 sessions, 1 note and 0 exercise records into "+dbPath+"\n") {
		t.Fatalf("answer y: %d %q %q", code, stdout, stderr)
	}
	// The file is left in place; a second run finds only duplicates.
	code, stdout, _ = runCommand(t, env, "import", "--format", "sleeptracker-csv", file, "--yes")
	if code != 0 || !strings.Contains(stdout, "sessions: 0 new, 2 duplicate") {
		t.Fatalf("again: %d %q", code, stdout)
	}

	// Errors: unknown format, unknown zone, unreadable file, a held lock.
	if code, _, stderr := runCommand(t, env, "import", "--format", "excel", file, "--yes"); code != 1 ||
		!strings.HasPrefix(stderr, "sleep-api: import: format must be one of auto, sleeptracker-json,") {
		t.Fatalf("format: %d %q", code, stderr)
	}
	if code, _, stderr := runCommand(t, env, "import", "--format", "auto", "--timezone", "Mars/Base", file, "--yes"); code != 1 ||
		stderr != "sleep-api: import: unknown time zone \"Mars/Base\"\n" {
		t.Fatalf("zone: %d %q", code, stderr)
	}
	junk := filepath.Join(t.TempDir(), "junk.txt")
	_ = os.WriteFile(junk, []byte("hello"), 0o600)
	if code, _, stderr := runCommand(t, env, "import", "--format", "auto", junk, "--yes"); code != 1 ||
		stderr != "sleep-api: import: could not recognise the file; choose its format\n" {
		t.Fatalf("junk: %d %q", code, stderr)
	}
	lock, err := backup.LockDatabase(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Release()
	if code, _, stderr := runCommand(t, env, "import", "--format", "auto", file, "--yes"); code != 1 ||
		stderr != "sleep-api: import: database "+dbPath+" is in use by another sleep-api process\n" {
		t.Fatalf("locked: %d %q", code, stderr)
	}
	for _, args := range [][]string{{"import"}, {"import", file}, {"import", "--format", "auto"}, {"import", "--format", "auto", file, "--yes", "--dry-run"}} {
		if code, _, _ := runCommand(t, env, args...); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
	}
}
