package backup

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"sleeptracker/internal/sleep"
	"sleeptracker/internal/store"
)

// Tests against real SQLite files: snapshots while writes go on, the lock,
// the restore drill and its refusals, and scheduled backups with pruning.

func openStore(t testing.TB, path string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// addNight stores a session of the given wake date (23:00 → 07:00) with a
// note in the same transaction, through the same parser as the API.
func addNight(t testing.TB, st *store.Store, date sleep.Date, note string) {
	t.Helper()
	body := map[string]any{"date": date.String(), "bed_time": "23:00", "wake_time": "07:00",
		"latency_min": 10, "awakenings": 1, "quality": 4, "note": note}
	raw, _ := json.Marshal(body)
	var fields sleep.Fields
	if err := json.Unmarshal(raw, &fields); err != nil {
		t.Fatal(err)
	}
	in, err := sleep.ParseSleepInput(fields)
	if err != nil {
		t.Fatalf("parse night: %v", err)
	}
	if _, err := st.CreateSleep(context.Background(), in, 480); err != nil {
		t.Fatalf("create night %s: %v", date, err)
	}
}

func date(t testing.TB, s string) sleep.Date {
	t.Helper()
	d, ok := sleep.ParseDate(s)
	if !ok {
		t.Fatalf("bad date %q", s)
	}
	return d
}

// fillNights stores n consecutive nights from start, each with a note.
func fillNights(t testing.TB, st *store.Store, start string, n int) {
	t.Helper()
	d := date(t, start)
	for i := range n {
		addNight(t, st, d.AddDays(i), fmt.Sprintf("night %d", i))
	}
}

// counts reads the record counts of the database file at path.
func counts(t testing.TB, path string) Info {
	t.Helper()
	info, err := store.InspectFile(context.Background(), path)
	if err != nil {
		t.Fatalf("inspect %s: %v", path, err)
	}
	return info
}

func TestSnapshotIsConsistentWhileWritesGoOn(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st := openStore(t, filepath.Join(dir, "sleep.db"))
	fillNights(t, st, "2020-01-01", 300)

	// Every write stores a session and its note in one transaction, so a
	// consistent snapshot always holds as many notes as sessions.
	var stop atomic.Bool
	var wg sync.WaitGroup
	var written atomic.Int64
	wg.Add(1)
	go func() {
		defer wg.Done()
		d := date(t, "2021-01-01")
		for i := 0; !stop.Load(); i++ {
			addNight(t, st, d.AddDays(i), "more")
			written.Add(1)
		}
	}()
	outDir := t.TempDir()
	for i := range 5 {
		dest := filepath.Join(outDir, fmt.Sprintf("b%d.db", i))
		info, err := Snapshot(ctx, st, dest)
		if err != nil {
			t.Fatalf("snapshot %d: %v", i, err)
		}
		if info.Sessions != info.Notes || info.Sessions < 300 {
			t.Fatalf("snapshot %d: %d sessions, %d notes; want equal and ≥ 300", i, info.Sessions, info.Notes)
		}
		if again := counts(t, dest); again != info {
			t.Fatalf("file holds %+v, snapshot reported %+v", again, info)
		}
		fi, err := os.Stat(dest)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("backup mode %o, want 600", fi.Mode().Perm())
		}
	}
	stop.Store(true)
	wg.Wait()
	if written.Load() == 0 {
		t.Fatal("the writer never got through while snapshots ran")
	}
	entries, _ := os.ReadDir(outDir)
	if len(entries) != 5 {
		t.Errorf("folder holds %v; want exactly the 5 backups (no temporary files)", names(entries))
	}
	if _, err := Snapshot(ctx, st, filepath.Join(outDir, "b0.db")); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("snapshot over an existing file: %v, want already exists", err)
	}
}

func names(entries []os.DirEntry) []string {
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func TestSnapshotFileIsUnlinkedAndComplete(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st := openStore(t, filepath.Join(dir, "sleep.db"))
	fillNights(t, st, "2024-01-01", 20)
	f, size, info, err := SnapshotFile(ctx, st, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if info.Sessions != 20 || info.Notes != 20 || size == 0 {
		t.Fatalf("info %+v size %d", info, size)
	}
	for _, e := range mustReadDir(t, dir) {
		if strings.Contains(e, "tmp") {
			t.Errorf("temporary file %s left in the database folder", e)
		}
	}
	data := make([]byte, size)
	if _, err := f.ReadAt(data, 0); err != nil {
		t.Fatal(err)
	}
	copyPath := filepath.Join(t.TempDir(), "copy.db")
	if err := os.WriteFile(copyPath, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if got := counts(t, copyPath); got != info {
		t.Errorf("streamed copy holds %+v, want %+v", got, info)
	}
}

func TestSnapshotOfInMemoryDatabase(t *testing.T) {
	st := openStore(t, store.MemoryPath)
	fillNights(t, st, "2024-01-01", 3)
	dest := filepath.Join(t.TempDir(), "mem.db")
	info, err := Snapshot(context.Background(), st, dest)
	if err != nil || info.Sessions != 3 {
		t.Fatalf("snapshot of memory store: %+v, %v", info, err)
	}
}

func mustReadDir(t testing.TB, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return names(entries)
}

func TestLockRefusesASecondHolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "sleep.db")
	first, err := LockDatabase(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = LockDatabase(path)
	var inUse *InUseError
	if !errors.As(err, &inUse) || err.Error() != "database "+path+" is in use by another sleep-api process" {
		t.Fatalf("second lock: %v", err)
	}
	fi, err := os.Stat(path + ".lock")
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("lock file: %v %v", fi, err)
	}
	if err := first.Release(); err != nil {
		t.Fatal(err)
	}
	second, err := LockDatabase(path)
	if err != nil {
		t.Fatalf("lock after release: %v", err)
	}
	second.Release()
	second.Release() // idempotent
	mem, err := LockDatabase(store.MemoryPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := LockDatabase(store.MemoryPath); err != nil {
		t.Fatalf("in-memory databases are private, two locks must not clash: %v", err)
	}
	mem.Release()
}

// fileDigest hashes a file, or returns "absent".
func fileDigest(t testing.TB, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return "absent"
	}
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", sha256.Sum256(data))
}

// folderState is every file name of dir with its digest.
func folderState(t testing.TB, dir string) map[string]string {
	t.Helper()
	state := map[string]string{}
	for _, name := range mustReadDir(t, dir) {
		state[name] = fileDigest(t, filepath.Join(dir, name))
	}
	return state
}

// allNotes lists the note bodies of the database at path, in id order.
func allNotes(t testing.TB, path string) []string {
	t.Helper()
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	notes, err := st.NotesInRange(context.Background(), date(t, "1900-01-01"), date(t, "2999-12-31"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, n := range notes {
		out = append(out, n.Date.String()+" "+n.Body)
	}
	return out
}

func TestRestoreDrill(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "sleep.db")
	st := openStore(t, dbPath)
	fillNights(t, st, "2024-01-01", 30)
	if err := st.SetUserTimezone(ctx, "Europe/Paris"); err != nil {
		t.Fatal(err)
	}
	backupPath := filepath.Join(t.TempDir(), "backup.db")
	if _, err := Snapshot(ctx, st, backupPath); err != nil {
		t.Fatal(err)
	}
	wantNotes := allNotes(t, backupPath)

	// After the backup: more nights, another time zone, a login session.
	fillNights(t, st, "2024-03-01", 5)
	if err := st.SetUserTimezone(ctx, "Asia/Tokyo"); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if err := st.CreateLoginSession(ctx, store.LoginSession{IDHash: bytes.Repeat([]byte{1}, 32),
		CSRFToken: strings.Repeat("c", 43), CreatedAt: now, ExpiresAt: now.Add(time.Hour), LastSeenAt: now}); err != nil {
		t.Fatal(err)
	}
	// The backup file also holds a login session: it must not survive.
	putLoginSession(t, backupPath)
	st.Close() // the server stops before a restore

	wantData := dump(t, backupPath)

	res, err := Restore(ctx, RestoreOptions{DatabasePath: dbPath, BackupPath: backupPath,
		Now: func() time.Time { return time.Date(2025, 6, 18, 7, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	aside := dbPath + ".before-restore-20250618T070000Z"
	if res.MovedAside != aside || res.Info.Sessions != 30 || res.Info.Notes != 30 ||
		res.Info.FirstDate != "2024-01-01" || res.Info.LastDate != "2024-01-30" {
		t.Fatalf("result %+v", res)
	}
	if res.ClearedAccessRecords != 1 {
		t.Errorf("cleared %d access records, want the backup's 1 login session", res.ClearedAccessRecords)
	}
	if got := dump(t, dbPath); got != wantData {
		t.Fatalf("restored data differs from the backup's:\n got %s\nwant %s", got, wantData)
	}
	if got := allNotes(t, dbPath); !slices.Equal(got, wantNotes) {
		t.Fatalf("notes after restore: %v", got)
	}
	if n := rowCount(t, dbPath, "login_sessions"); n != 0 {
		t.Errorf("restored database keeps %d login sessions", n)
	}
	if v := counts(t, dbPath).SchemaVersion; v != store.SchemaVersion() {
		t.Errorf("restored schema version %d, want %d (migrations ran)", v, store.SchemaVersion())
	}
	// The previous database, with everything written after the backup, is
	// intact beside it.
	if got := counts(t, aside); got.Sessions != 35 {
		t.Errorf("moved-aside database holds %d sessions, want 35", got.Sessions)
	}
	if !strings.Contains(dump(t, aside), "Asia/Tokyo") {
		t.Errorf("moved-aside database lost the later time zone")
	}
	lock, err := LockDatabase(dbPath)
	if err != nil {
		t.Fatalf("restore kept the lock: %v", err)
	}
	lock.Release()
}

// dump is a text form of every diary record and setting of the database at
// path, read with plain SQL (the data, not this binary's view of it).
func dump(t testing.TB, path string) string {
	t.Helper()
	conn, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var b strings.Builder
	for _, q := range []string{
		"SELECT id, wake_date, bed_time, wake_time, duration_min FROM sleep_sessions ORDER BY id",
		"SELECT id, date, body FROM notes ORDER BY id",
		"SELECT id, date, intensity, coalesce(start_time, ''), coalesce(duration_min, 0) FROM exercise_events ORDER BY id",
		"SELECT key, value FROM settings WHERE key = 'user_timezone'",
	} {
		rows, err := conn.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintln(&b, vals...)
		}
		rows.Close()
	}
	return b.String()
}

func rowCount(t testing.TB, path, table string) int {
	t.Helper()
	conn, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var n int
	if err := conn.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// putLoginSession writes one login session row into the database file at path.
func putLoginSession(t testing.TB, path string) {
	t.Helper()
	exec(t, path, `INSERT INTO login_sessions (id_hash, csrf_token, created_at, expires_at, last_seen_at, user_agent)
		VALUES (?, ?, 1, 2, 1, '')`, bytes.Repeat([]byte{9}, 32), strings.Repeat("x", 43))
}

func exec(t testing.TB, path, query string, args ...any) {
	t.Helper()
	conn, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Exec(query, args...); err != nil {
		t.Fatal(err)
	}
}

func TestRestoreRefusalsLeaveTheDatabaseUntouched(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "sleep.db")
	st := openStore(t, dbPath)
	fillNights(t, st, "2024-01-01", 200)
	good := filepath.Join(t.TempDir(), "good.db")
	if _, err := Snapshot(ctx, st, good); err != nil {
		t.Fatal(err)
	}
	st.Close()
	files := t.TempDir()

	corrupt := filepath.Join(files, "corrupt.db")
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) < 8*4096 {
		t.Fatalf("backup too small (%d bytes) to corrupt a middle page", len(data))
	}
	damaged := slices.Clone(data)
	for i := 3 * 4096; i < 5*4096; i++ {
		damaged[i] = 0x5a
	}
	writeFile(t, corrupt, damaged)

	notSQLite := filepath.Join(files, "notes.txt")
	writeFile(t, notSQLite, bytes.Repeat([]byte("not a database\n"), 100))
	empty := filepath.Join(files, "empty.db")
	writeFile(t, empty, nil)

	newer := filepath.Join(files, "newer.db")
	writeFile(t, newer, data)
	exec(t, newer, "INSERT INTO goose_db_version (version_id, is_applied) VALUES (?, 1)", store.SchemaVersion()+1)

	other := filepath.Join(files, "other.db")
	exec(t, other, "CREATE TABLE sleep_sessions (id INTEGER PRIMARY KEY); CREATE TABLE _sqlx_migrations (version INTEGER)")

	before := folderState(t, dir)
	cases := []struct {
		path, want string
	}{
		{corrupt, corrupt + " fails PRAGMA integrity_check: "},
		{notSQLite, notSQLite + " is not a SQLite database"},
		{empty, empty + " is not a SQLite database"},
		{newer, fmt.Sprintf("%s has schema version %d, newer than this sleep-api's %d; restore it with a newer sleep-api",
			newer, store.SchemaVersion()+1, store.SchemaVersion())},
		{other, other + " is not a SleepTracker database"},
		{filepath.Join(files, "missing.db"), "cannot read " + filepath.Join(files, "missing.db") + ": no such file or directory"},
		{files, files + " is not a file"},
		{dbPath, dbPath + " is the configured database itself"},
	}
	for _, tc := range cases {
		t.Run(filepath.Base(tc.path), func(t *testing.T) {
			confirmed := false
			_, err := Restore(ctx, RestoreOptions{DatabasePath: dbPath, BackupPath: tc.path,
				Confirm: func(Info) bool { confirmed = true; return true }})
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("restore %s: %v; want one line starting %q", tc.path, err, tc.want)
			}
			if confirmed {
				t.Error("confirmation asked although a check failed")
			}
			if after := folderState(t, dir); !mapsEqual(before, after) {
				t.Fatalf("database folder changed:\nbefore %v\nafter  %v", before, after)
			}
		})
	}

	// Declined confirmation, and a database in use: nothing changes either.
	if _, err := Restore(ctx, RestoreOptions{DatabasePath: dbPath, BackupPath: good,
		Confirm: func(Info) bool { return false }}); !errors.Is(err, ErrCancelled) {
		t.Fatalf("declined restore: %v", err)
	}
	lock, err := LockDatabase(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Restore(ctx, RestoreOptions{DatabasePath: dbPath, BackupPath: good})
	var inUse *InUseError
	if !errors.As(err, &inUse) || err.Error() != "database "+dbPath+" is in use by another sleep-api process" {
		t.Fatalf("restore while locked: %v", err)
	}
	lock.Release()
	if after := folderState(t, dir); !mapsEqual(before, after) {
		t.Fatalf("database folder changed:\nbefore %v\nafter  %v", before, after)
	}
}

func writeFile(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// mapsEqual compares folder states, ignoring the lock file, which the
// restore creates (empty) and which is no part of the database.
func mapsEqual(a, b map[string]string) bool {
	strip := func(m map[string]string) map[string]string {
		out := map[string]string{}
		for k, v := range m {
			if !strings.HasSuffix(k, ".lock") {
				out[k] = v
			}
		}
		return out
	}
	a, b = strip(a), strip(b)
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestRestoreIntoAFreshLocation(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, filepath.Join(t.TempDir(), "sleep.db"))
	fillNights(t, st, "2024-01-01", 3)
	backupPath := filepath.Join(t.TempDir(), "b.db")
	if _, err := Snapshot(ctx, st, backupPath); err != nil {
		t.Fatal(err)
	}
	dbPath := filepath.Join(t.TempDir(), "new", "sleep.db")
	res, err := Restore(ctx, RestoreOptions{DatabasePath: dbPath, BackupPath: backupPath})
	if err != nil || res.MovedAside != "" || res.Info.Sessions != 3 {
		t.Fatalf("restore into an empty folder: %+v %v", res, err)
	}
	if fi, err := os.Stat(dbPath); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("restored file: %v %v", fi, err)
	}
}

// TestRestoreClearsTokensAndIdempotencyRecords: a backup may hold API tokens
// revoked since and idempotency records; none survive the restore.
func TestRestoreClearsTokensAndIdempotencyRecords(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, filepath.Join(t.TempDir(), "sleep.db"))
	fillNights(t, st, "2024-01-01", 2)
	backupPath := filepath.Join(t.TempDir(), "b.db")
	if _, err := Snapshot(ctx, st, backupPath); err != nil {
		t.Fatal(err)
	}
	exec(t, backupPath, `INSERT INTO api_tokens (token_hash, name, scope, created_at) VALUES (?, 'cron', 'read', 1)`,
		bytes.Repeat([]byte{3}, 32))
	exec(t, backupPath, `INSERT INTO idempotency_keys (key, route, body_hash, status, response, created_at)
		VALUES ('k1', 'POST /api/note', ?, 201, x'7b7d', 1)`, bytes.Repeat([]byte{4}, 32))
	putLoginSession(t, backupPath)
	dbPath := filepath.Join(t.TempDir(), "restored.db")
	res, err := Restore(ctx, RestoreOptions{DatabasePath: dbPath, BackupPath: backupPath})
	if err != nil {
		t.Fatal(err)
	}
	if res.ClearedAccessRecords != 3 {
		t.Errorf("cleared %d records, want 3", res.ClearedAccessRecords)
	}
	for _, table := range []string{"api_tokens", "idempotency_keys", "login_sessions"} {
		if n := rowCount(t, dbPath, table); n != 0 {
			t.Errorf("restored database keeps %d rows of %s", n, table)
		}
	}
	if n := rowCount(t, dbPath, "sleep_sessions"); n != 2 {
		t.Errorf("restored database holds %d sessions, want 2", n)
	}
}

// TestRestoreOfAnOlderSchema: a backup made before later migrations (here:
// only 00001, before the diary items) is restored and brought up to date.
func TestRestoreOfAnOlderSchema(t *testing.T) {
	ctx := context.Background()
	old := filepath.Join(t.TempDir(), "v1.db")
	conn, err := sql.Open("sqlite", "file:"+old)
	if err != nil {
		t.Fatal(err)
	}
	provider, err := goose.NewProvider(goose.DialectSQLite3, conn, os.DirFS("../store/migrations"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := provider.UpTo(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(`INSERT INTO sleep_sessions (wake_date, bed_time, wake_time, latency_min, awakenings, quality, duration_min)
		VALUES ('2019-05-01', '23:00:00', '07:00:00', 5, 0, 4, 480)`); err != nil {
		t.Fatal(err)
	}
	conn.Close()
	if info := counts(t, old); info.SchemaVersion != 1 {
		t.Fatalf("fixture has schema version %d", info.SchemaVersion)
	}
	dbPath := filepath.Join(t.TempDir(), "sleep.db")
	res, err := Restore(ctx, RestoreOptions{DatabasePath: dbPath, BackupPath: old})
	if err != nil {
		t.Fatal(err)
	}
	if res.Info.SchemaVersion != 1 || res.Info.Sessions != 1 {
		t.Fatalf("result %+v", res)
	}
	if info := counts(t, dbPath); info.SchemaVersion != store.SchemaVersion() || info.Sessions != 1 {
		t.Fatalf("restored database %+v, want schema %d", info, store.SchemaVersion())
	}
	st := openStore(t, dbPath)
	got, err := st.SleepByDate(ctx, date(t, "2019-05-01"))
	if err != nil || len(got) != 1 || got[0].DurationMin != 480 || got[0].WasoMin != nil {
		t.Fatalf("restored session %+v, %v", got, err)
	}
}

func TestRemoveStaleTemps(t *testing.T) {
	dir := t.TempDir()
	stale := []string{".sleeptracker-backup.tmp-0123456789ab", ".sleeptracker-backup.tmp-0123456789ab-journal",
		".sleeptracker-restore-123456.tmp"}
	kept := []string{"sleep.db", "sleep.db-wal", ".sleeptracker-backup.tmp-XYZ", ".sleep-20250101T000000Z.db.tmp-0123456789ab",
		"sleeptracker-backup.tmp-0123456789ab", ".sleeptracker-restore-12.tmp.bak", "notes.txt"}
	for _, name := range append(slices.Clone(stale), kept...) {
		writeFile(t, filepath.Join(dir, name), []byte("x"))
	}
	if n := RemoveStaleTemps(dir); n != len(stale) {
		t.Errorf("removed %d, want %d", n, len(stale))
	}
	got := mustReadDir(t, dir)
	slices.Sort(got)
	want := slices.Clone(kept)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("left %v, want %v", got, want)
	}
	// The real temporary names match: an interrupted download's file is found.
	st := openStore(t, filepath.Join(dir, "live.db"))
	f, _, _, err := SnapshotFile(context.Background(), st, dir)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	name := filepath.Base(f.Name())
	if !staleTemp.MatchString(name) {
		t.Fatalf("the download's temporary name %q does not match staleTemp", name)
	}
	tmp, err := copyToTemp(filepath.Join(dir, "notes.txt"), dir)
	if err != nil {
		t.Fatal(err)
	}
	if !staleTemp.MatchString(filepath.Base(tmp)) {
		t.Fatalf("the restore's temporary name %q does not match staleTemp", tmp)
	}
	os.Remove(tmp)
}
