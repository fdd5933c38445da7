package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"sleeptracker/internal/backup"
	"sleeptracker/internal/liveserver"
	"sleeptracker/internal/sleep"
	"sleeptracker/internal/store"
)

// The backup and restore commands (SPEC §13.2, §13.3, §16.1) and the
// database lock, in process and against the real binary.

// seedNights stores n nights (each with a note) through the store.
func seedNights(t *testing.T, path string, start string, n int) {
	t.Helper()
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	d, _ := sleep.ParseDate(start)
	for i := range n {
		raw, _ := json.Marshal(map[string]any{"date": d.AddDays(i).String(), "bed_time": "23:00",
			"wake_time": "07:00", "latency_min": 10, "awakenings": 1, "quality": 4, "note": fmt.Sprint("n", i),
			"exercise_intensity": "light"})
		var fields sleep.Fields
		_ = json.Unmarshal(raw, &fields)
		in, err := sleep.ParseSleepInput(fields)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.CreateSleep(context.Background(), in, 480); err != nil {
			t.Fatal(err)
		}
	}
}

func dbEnv(path string, extra ...string) environment {
	vars := map[string]string{"DATABASE_URL": "sqlite:" + path}
	for i := 0; i+1 < len(extra); i += 2 {
		vars[extra[i]] = extra[i+1]
	}
	return fixedEnv(vars)
}

func TestBackupCommand(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "sleep.db")
	seedNights(t, dbPath, "2025-01-01", 3)
	out := filepath.Join(t.TempDir(), "copy.db")
	code, stdout, stderr := runCommand(t, dbEnv(dbPath), "backup", "--out", out)
	want := "backup written to " + out + ": 3 sessions from 2025-01-01 to 2025-01-03, 3 notes, 3 exercise records\n"
	if code != 0 || stdout != want || stderr != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q; want 0 and %q", code, stdout, stderr, want)
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup file %v %v", fi, err)
	}
	// The same path again: refused, the file kept.
	code, _, stderr = runCommand(t, dbEnv(dbPath), "backup", "--out="+out)
	if code != 1 || stderr != "sleep-api: backup: "+out+" already exists\n" {
		t.Fatalf("second backup to the same path: exit %d, stderr %q", code, stderr)
	}
	for _, tc := range []struct {
		name string
		env  environment
		want string
	}{
		{"missing database", dbEnv(filepath.Join(dir, "none.db")),
			"sleep-api: backup: cannot open " + filepath.Join(dir, "none.db") + ": no such file or directory\n"},
		{"memory", fixedEnv(map[string]string{"DATABASE_URL": "sqlite::memory:"}),
			"sleep-api: backup: DATABASE_URL is sqlite::memory:, which has no file to back up\n"},
		{"config", dbEnv(dbPath, "BACKUP_KEEP", "0"),
			"sleep-api: config: BACKUP_KEEP: want a whole number of backups from 1 to 1000; got \"0\"\n"},
	} {
		code, stdout, stderr := runCommand(t, tc.env, "backup", "--out", filepath.Join(t.TempDir(), "x.db"))
		if code != 1 || stdout != "" || stderr != tc.want {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want 1 and %q", tc.name, code, stdout, stderr, tc.want)
		}
	}
	for _, args := range [][]string{{"backup", "--out"}, {"backup", "extra"}, {"backup", "--yes"},
		{"restore"}, {"restore", "a", "b"}, {"restore", "--force", "a"}} {
		code, stdout, stderr := runCommand(t, dbEnv(dbPath), args...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, usage) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want 2 with the usage", args, code, stdout, stderr)
		}
	}
}

func TestBackupCommandDefaultName(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "sleep.db")
	seedNights(t, dbPath, "2025-01-01", 1)
	t.Chdir(t.TempDir())
	code, stdout, stderr := runCommand(t, dbEnv(dbPath), "backup")
	m := regexp.MustCompile(`^backup written to (\./sleeptracker-backup-[0-9]{8}T[0-9]{6}Z\.db): 1 session from 2025-01-01 to 2025-01-01, 1 note, 1 exercise record\n$`).FindStringSubmatch(stdout)
	if code != 0 || m == nil || stderr != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if _, err := os.Stat(m[1]); err != nil {
		t.Fatal(err)
	}
}

// withStdin makes the restore confirmation read answer from a (fake) terminal.
func withStdin(t *testing.T, terminal bool, answer string) {
	t.Helper()
	oldIn, oldTerm := stdin, stdinIsTerminal
	stdin = strings.NewReader(answer)
	stdinIsTerminal = func() bool { return terminal }
	t.Cleanup(func() { stdin, stdinIsTerminal = oldIn, oldTerm })
}

func TestRestoreCommand(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "sleep.db")
	seedNights(t, dbPath, "2025-01-01", 4)
	backupPath := filepath.Join(t.TempDir(), "b.db")
	if code, _, stderr := runCommand(t, dbEnv(dbPath), "backup", "--out", backupPath); code != 0 {
		t.Fatal(stderr)
	}
	seedNights(t, dbPath, "2025-02-01", 2)

	// Not a terminal and no --yes: refused before anything.
	withStdin(t, false, "")
	code, stdout, stderr := runCommand(t, dbEnv(dbPath), "restore", backupPath)
	if code != 1 || stdout != "" ||
		stderr != "sleep-api: restore: stdin is not a terminal; pass --yes to restore without a question\n" {
		t.Fatalf("non-interactive restore without --yes: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	// A terminal that answers no.
	withStdin(t, true, "n\n")
	code, stdout, stderr = runCommand(t, dbEnv(dbPath), "restore", backupPath)
	if code != 1 || !strings.Contains(stdout, "holds 4 sessions from 2025-01-01 to 2025-01-04, 4 notes, 4 exercise records") ||
		!strings.Contains(stdout, "[y/N]") || stderr != "sleep-api: restore: restore cancelled; nothing was changed\n" {
		t.Fatalf("declined restore: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if info, _ := store.InspectFile(context.Background(), dbPath); info.Sessions != 6 {
		t.Fatalf("declined restore changed the database: %+v", info)
	}
	// A terminal that answers yes.
	withStdin(t, true, "Yes\n")
	code, stdout, stderr = runCommand(t, dbEnv(dbPath), "restore", backupPath)
	if code != 0 || stderr != "" {
		t.Fatalf("confirmed restore: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	_, afterPrompt, _ := strings.Cut(stdout, "[y/N] ")
	lines := strings.Split(strings.TrimSuffix(afterPrompt, "\n"), "\n")
	aside := regexp.MustCompile(`^the previous database was moved to ` + regexp.QuoteMeta(dbPath) + `\.before-restore-[0-9]{8}T[0-9]{6}Z$`)
	if len(lines) != 3 ||
		lines[0] != ("restored "+backupPath+" into "+dbPath+": 4 sessions from 2025-01-01 to 2025-01-04, 4 notes, 4 exercise records") ||
		!aside.MatchString(lines[1]) ||
		lines[2] != "everyone must sign in again and API tokens must be created anew: the restored database keeps no login sessions, API tokens or idempotency records" {
		t.Fatalf("restore output:\n%s", stdout)
	}
	if info, _ := store.InspectFile(context.Background(), dbPath); info.Sessions != 4 {
		t.Fatalf("restored database holds %+v", info)
	}
	// --yes needs no terminal; a bad file is refused with one line.
	withStdin(t, false, "")
	junk := filepath.Join(t.TempDir(), "junk.db")
	if err := os.WriteFile(junk, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = runCommand(t, dbEnv(dbPath), "restore", junk, "--yes")
	if code != 1 || stdout != "" || stderr != "sleep-api: restore: "+junk+" is not a SQLite database\n" {
		t.Fatalf("restore of junk: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	// The moved-aside name has a one-second stamp: a second restore within
	// the same second is refused rather than overwriting the first one's.
	time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(time.Second + 10*time.Millisecond)))
	code, _, stderr = runCommand(t, dbEnv(dbPath), "restore", "--yes", backupPath)
	if code != 0 {
		t.Fatalf("restore --yes: exit %d, stderr %q", code, stderr)
	}
}

// runBinary runs the built sleep-api with exactly env and returns its exit
// status and outputs.
func runBinary(t *testing.T, binary string, env []string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = env
	cmd.Dir = t.TempDir()
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	if exitErr, ok := err.(*exec.ExitError); ok {
		code = exitErr.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, out.String(), errOut.String()
}

// TestLockAgainstTheRealServer: while a server runs, "sleep-api backup" works
// on its file, and a second server and a restore refuse with the spec's
// message and leave the database alone.
func TestLockAgainstTheRealServer(t *testing.T) {
	binary := liveBinary(t)
	dbPath := filepath.Join(t.TempDir(), "live.db")
	p := startLive(t, binary, dbPath)
	c := liveLogin(t, p)
	ctx := context.Background()
	for i := range 5 {
		resp, err := c.PostJSON(ctx, "/api/sleep", map[string]any{"date": fmt.Sprintf("2025-03-%02d", i+1),
			"bed_time": "23:00", "wake_time": "07:00", "latency_min": 5, "awakenings": 0, "quality": 3})
		if err != nil || resp.Status != http.StatusCreated {
			t.Fatalf("create: %v %d %s", err, resp.Status, resp.Body)
		}
	}
	env := []string{"DATABASE_URL=sqlite:" + dbPath, "API_BIND_ADDR=127.0.0.1:0", "COOKIE_SECURE=0"}

	out := filepath.Join(t.TempDir(), "while-serving.db")
	code, stdout, stderr := runBinary(t, binary, env, "backup", "--out", out)
	if code != 0 || !strings.HasPrefix(stdout, "backup written to "+out+": 5 sessions from 2025-03-01 to 2025-03-05") {
		t.Fatalf("backup while serving: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}

	before := fileSnapshot(t, dbPath)
	want := "sleep-api: database " + dbPath + " is in use by another sleep-api process\n"
	code, _, stderr = runBinary(t, binary, env, "serve")
	if code != 1 || stderr != want {
		t.Fatalf("second server: exit %d, stderr %q; want 1 and %q", code, stderr, want)
	}
	code, stdout, stderr = runBinary(t, binary, env, "restore", "--yes", out)
	if code != 1 || stdout != "" || stderr != "sleep-api: restore: database "+dbPath+" is in use by another sleep-api process\n" {
		t.Fatalf("restore while serving: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if after := fileSnapshot(t, dbPath); after != before {
		t.Fatal("a refused second server or restore changed the database folder")
	}
	// The first server still serves.
	if resp, err := c.Do(ctx, http.MethodGet, "/api/sleep/date/2025-03-01", nil); err != nil || resp.Status != 200 {
		t.Fatalf("first server after the refusals: %v %d", err, resp.Status)
	}
	if err := p.Stop(); err != nil {
		t.Fatal(err)
	}
	// Stopped: restore goes through.
	code, stdout, stderr = runBinary(t, binary, env, "restore", "--yes", out)
	if code != 0 || !strings.Contains(stdout, "restored "+out) {
		t.Fatalf("restore after stop: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// fileSnapshot lists the database's files with sizes and modification times.
func fileSnapshot(t *testing.T, dbPath string) string {
	t.Helper()
	var b strings.Builder
	for _, suffix := range []string{"", "-wal", "-shm"} {
		fi, err := os.Stat(dbPath + suffix)
		if err != nil {
			fmt.Fprintf(&b, "%s: %v\n", suffix, os.IsNotExist(err))
			continue
		}
		fmt.Fprintf(&b, "%s: %d %d\n", suffix, fi.Size(), fi.ModTime().UnixNano())
	}
	entries, _ := os.ReadDir(filepath.Dir(dbPath))
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".lock") {
			b.WriteString(e.Name() + "\n")
		}
	}
	return b.String()
}

// TestCrashDuringScheduledBackup SIGKILLs the real server while its start-up
// backup runs and checks that no file named like a scheduled backup is
// partial: every sleep-*.db in BACKUP_DIR passes the full check, and an
// interrupted backup leaves at most a temporary file under another name.
func TestCrashDuringScheduledBackup(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the real server")
	}
	binary := liveBinary(t)
	dbPath := filepath.Join(t.TempDir(), "big.db")
	fillLargeDatabase(t, dbPath, 40_000)
	backupRoot := t.TempDir()

	// One full run first, to learn how long the start-up backup takes.
	dir0 := filepath.Join(backupRoot, "round-full")
	start := time.Now()
	p := startBackupServer(t, binary, dbPath, dir0)
	waitFor(t, 60*time.Second, func() bool { return len(scheduledFiles(t, dir0)) == 1 })
	took := time.Since(start)
	_ = p.Stop()
	checkScheduledFiles(t, dir0)
	t.Logf("a start-up backup of %s took about %s", humanSize(t, dbPath), took)

	interrupted := 0
	const rounds = 6
	for round := range rounds {
		dir := filepath.Join(backupRoot, fmt.Sprintf("round-%d", round))
		p := startBackupServer(t, binary, dbPath, dir)
		// Kill at moments spread over the backup's expected duration, the
		// last rounds after it.
		time.Sleep(time.Duration(round) * took / (rounds - 2))
		if err := p.Kill(); err != nil {
			t.Fatal(err)
		}
		names := checkScheduledFiles(t, dir)
		entries, _ := os.ReadDir(dir)
		if len(names) == 0 {
			interrupted++
		}
		t.Logf("round %d: %d complete backups, folder holds %v", round, len(names), dirNames(entries))
	}
	if interrupted == 0 {
		t.Error("no kill landed during a backup (round 0 kills right after start-up), so the crash case went untested")
	}
	// The database itself survived every kill.
	if info, err := store.InspectFile(context.Background(), dbPath); err != nil || info.Notes != 40_000 {
		t.Fatalf("database after the kills: %+v %v", info, err)
	}
}

func dirNames(entries []os.DirEntry) []string {
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func startBackupServer(t *testing.T, binary, dbPath, dir string) *liveserver.Process {
	t.Helper()
	p, err := liveserver.Start(liveserver.Config{Binary: binary, DatabasePath: dbPath, Admin: testAdmin(t),
		LogLevel: "info", ExtraEnv: []string{"BACKUP_DIR=" + dir, "BACKUP_KEEP=3"}})
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

// fillLargeDatabase writes n notes of 1000 characters in one transaction, so
// that a backup takes long enough to be interrupted.
func fillLargeDatabase(t *testing.T, path string, n int) {
	t.Helper()
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	db := openDatabaseFile(t, path)
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	body := strings.Repeat("x", 990)
	for i := range n {
		if _, err := tx.Exec("INSERT INTO notes (date, body) VALUES (?, ?)",
			fmt.Sprintf("20%02d-%02d-%02d", 10+i%80, 1+i%12, 1+i%28), fmt.Sprintf("%s%010d", body, i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// scheduledFiles lists the names in dir that carry a scheduled backup's name.
func scheduledFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "sleep-") && strings.HasSuffix(e.Name(), ".db") {
			names = append(names, e.Name())
		}
	}
	return names
}

// checkScheduledFiles fails unless every sleep-*.db in dir is a complete,
// integrity-checked backup of the whole database.
func checkScheduledFiles(t *testing.T, dir string) []string {
	t.Helper()
	names := scheduledFiles(t, dir)
	for _, name := range names {
		info, err := backup.CheckRestorable(context.Background(), filepath.Join(dir, name), "")
		if err != nil || info.Notes != 40_000 {
			t.Fatalf("%s is a partial backup: %+v %v", name, info, err)
		}
	}
	return names
}

func waitFor(t *testing.T, limit time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("condition not met within %s", limit)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func humanSize(t *testing.T, path string) string {
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%.1f MB", float64(fi.Size())/1e6)
}
