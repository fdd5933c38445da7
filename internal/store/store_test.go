package store

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func openStore(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open(%q): %v", path, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestOpenCreatesFoldersAndFile(t *testing.T) {
	root := t.TempDir()
	path := filepath.Join(root, "a", "b", "sleep.db")
	s := openStore(t, path)
	if s.Path() != path {
		t.Fatalf("Path() = %q, want %q", s.Path(), path)
	}
	for _, dir := range []string{filepath.Join(root, "a"), filepath.Join(root, "a", "b")} {
		info, err := os.Stat(dir)
		if err != nil {
			t.Fatal(err)
		}
		if mode := info.Mode().Perm(); mode != 0o700 {
			t.Errorf("folder %s has mode %o, want 700", dir, mode)
		}
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if mode := info.Mode().Perm(); mode != 0o600 {
		t.Errorf("database file has mode %o, want 600", mode)
	}
}

// TestOpenPathWithURIMetacharacters: SQLite reads "file:" names as URIs, where
// %XX is decoded and '?' or '#' end the path. The database must still be the
// file at the path as written.
func TestOpenPathWithURIMetacharacters(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "50%41off #1")
	path := filepath.Join(dir, "sleep.db")
	s := openStore(t, path)
	if err := s.PutSetting(context.Background(), "probe", "yes"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	entries, err := os.ReadDir(filepath.Dir(dir))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != filepath.Base(dir) {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Fatalf("files beside the database folder: %q; want only %q", names, filepath.Base(dir))
	}
	again := openStore(t, path)
	if v, ok, err := again.Setting(context.Background(), "probe"); err != nil || !ok || v != "yes" {
		t.Fatalf("Setting after reopen = %q, %v, %v; want the value written to %s", v, ok, err, path)
	}
}

func TestOpenFailsOnUnusablePath(t *testing.T) {
	blocker := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), filepath.Join(blocker, "sub", "sleep.db"))
	if err == nil || !strings.HasPrefix(err.Error(), "cannot open ") {
		t.Fatalf("Open under a regular file: %v, want a \"cannot open …\" error", err)
	}
}

// pragmaValues reads the connection settings SPEC §2.3 requires.
func pragmaValues(t *testing.T, conn *sql.Conn) map[string]string {
	t.Helper()
	got := map[string]string{}
	for _, name := range []string{"journal_mode", "foreign_keys", "busy_timeout", "synchronous"} {
		var v string
		if err := conn.QueryRowContext(context.Background(), "PRAGMA "+name).Scan(&v); err != nil {
			t.Fatalf("PRAGMA %s: %v", name, err)
		}
		got[name] = v
	}
	return got
}

// eachConnection runs check on n distinct connections of pool, held at once
// so that the pool has to open them all.
func eachConnection(t *testing.T, pool *sql.DB, n int, check func(*sql.Conn)) {
	t.Helper()
	var conns []*sql.Conn
	for range n {
		conn, err := pool.Conn(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, conn)
	}
	for _, conn := range conns {
		check(conn)
	}
	for _, conn := range conns {
		conn.Close()
	}
}

func TestConnectionPragmas(t *testing.T) {
	cases := []struct {
		name string
		path string
		want map[string]string
	}{
		{"file", filepath.Join(t.TempDir(), "sleep.db"),
			map[string]string{"journal_mode": "wal", "foreign_keys": "1", "busy_timeout": "5000", "synchronous": "2"}},
		{"memory", MemoryPath,
			map[string]string{"foreign_keys": "1", "busy_timeout": "5000"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := openStore(t, tc.path)
			pools := []struct {
				name  string
				pool  *sql.DB
				conns int
			}{{"write", s.write, 1}, {"read", s.read, readPoolSize}}
			for _, p := range pools {
				eachConnection(t, p.pool, p.conns, func(conn *sql.Conn) {
					got := pragmaValues(t, conn)
					for name, want := range tc.want {
						if got[name] != want {
							t.Errorf("%s pool: PRAGMA %s = %q, want %q", p.name, name, got[name], want)
						}
					}
				})
			}
		})
	}
}

func TestMemoryDatabase(t *testing.T) {
	ctx := context.Background()
	a := openStore(t, MemoryPath)
	b := openStore(t, MemoryPath)
	if err := a.PutSetting(ctx, "who", "a"); err != nil {
		t.Fatal(err)
	}
	// Every read connection of a sees the write made through the writer.
	eachConnection(t, a.read, readPoolSize, func(conn *sql.Conn) {
		var v string
		if err := conn.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = 'who'").Scan(&v); err != nil || v != "a" {
			t.Errorf("read connection of the same store: %q, %v; want \"a\"", v, err)
		}
	})
	if _, ok, err := b.Setting(ctx, "who"); err != nil || ok {
		t.Fatalf("second in-memory store sees the first one's data (ok=%v, err=%v)", ok, err)
	}
	if a.Path() != MemoryPath {
		t.Fatalf("Path() = %q, want %q", a.Path(), MemoryPath)
	}
}

func TestMigrationsAreIdempotent(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sleep.db")
	first := openStore(t, path)
	if err := first.PutSetting(ctx, "kept", "yes"); err != nil {
		t.Fatal(err)
	}
	first.Close()
	second := openStore(t, path)
	if v, ok, err := second.Setting(ctx, "kept"); err != nil || !ok || v != "yes" {
		t.Fatalf("after reopening: %q, %v, %v; want the data kept", v, ok, err)
	}
	var applied int
	if err := second.read.QueryRowContext(ctx,
		"SELECT count(*) FROM goose_db_version WHERE version_id > 0").Scan(&applied); err != nil {
		t.Fatal(err)
	}
	entries, err := migrationFiles.ReadDir("migrations")
	if err != nil {
		t.Fatal(err)
	}
	if applied != len(entries) {
		t.Fatalf("goose recorded %d applied migrations, want %d (one per file, none twice)", applied, len(entries))
	}
}

func TestFrictionEventsAreAppendOnly(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, MemoryPath)
	if _, err := s.write.ExecContext(ctx, `INSERT INTO friction_events
		(recorded_at, form_time_ms, error_kind, retry_count, immediate_edit, follow_up_failure)
		VALUES ('2025-06-01T08:00:00Z', 1000, NULL, 0, 0, 0)`); err != nil {
		t.Fatalf("insert: %v", err)
	}
	for _, stmt := range []string{
		"UPDATE friction_events SET retry_count = 1",
		"DELETE FROM friction_events",
	} {
		_, err := s.write.ExecContext(ctx, stmt)
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v, want the append-only trigger to refuse it", stmt, err)
		}
	}
	var n int
	if err := s.read.QueryRowContext(ctx, "SELECT count(*) FROM friction_events WHERE retry_count = 0").Scan(&n); err != nil || n != 1 {
		t.Fatalf("row count %d (%v), want the original row untouched", n, err)
	}
}

func TestCheckConstraints(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, MemoryPath)
	const sleepRow = `INSERT INTO sleep_sessions
		(wake_date, bed_time, wake_time, latency_min, awakenings, quality, duration_min) VALUES (?, ?, ?, ?, ?, ?, ?)`
	valid := []any{"2025-06-01", "23:00:00", "07:00:00", 10, 1, 3, 480}
	with := func(i int, v any) []any {
		args := append([]any(nil), valid...)
		args[i] = v
		return args
	}
	cases := []struct {
		name string
		stmt string
		args []any
	}{
		{"quality 6", sleepRow, with(5, 6)},
		{"quality 0", sleepRow, with(5, 0)},
		{"latency 181", sleepRow, with(3, 181)},
		{"awakenings 11", sleepRow, with(4, 11)},
		{"duration 0", sleepRow, with(6, 0)},
		{"date before 1900", sleepRow, with(0, "1899-12-31")},
		{"malformed date", sleepRow, with(0, "2025-6-1")},
		{"bed time 24:00", sleepRow, with(1, "24:00:00")},
		{"exercise intensity", "INSERT INTO exercise_events (date, intensity) VALUES ('2025-06-01', 'extreme')", nil},
		{"note over 1000 characters", "INSERT INTO notes (date, body) VALUES ('2025-06-01', ?)", []any{strings.Repeat("x", 1001)}},
		{"short csrf token", `INSERT INTO login_sessions (id_hash, csrf_token, created_at, expires_at, last_seen_at, user_agent)
			VALUES (?, 'short', 1, 2, 1, '')`, []any{bytes.Repeat([]byte{1}, 32)}},
	}
	if _, err := s.write.ExecContext(ctx, sleepRow, valid...); err != nil {
		t.Fatalf("the valid row was refused: %v", err)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.write.ExecContext(ctx, tc.stmt, tc.args...)
			if err == nil || !strings.Contains(err.Error(), "CHECK constraint failed") {
				t.Fatalf("insert: %v, want a CHECK constraint failure", err)
			}
		})
	}
}

func TestSettings(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, MemoryPath)
	if _, ok, err := s.Setting(ctx, SettingUserTimezone); err != nil || ok {
		t.Fatalf("missing setting: ok=%v err=%v", ok, err)
	}
	v, created, err := s.SettingOrInit(ctx, SettingSessionSecret, "first")
	if err != nil || !created || v != "first" {
		t.Fatalf("SettingOrInit on empty = %q, %v, %v; want first, true", v, created, err)
	}
	v, created, err = s.SettingOrInit(ctx, SettingSessionSecret, "second")
	if err != nil || created || v != "first" {
		t.Fatalf("SettingOrInit again = %q, %v, %v; want the stored first, false", v, created, err)
	}
	if err := s.PutSetting(ctx, SettingUserTimezone, "Europe/Paris"); err != nil {
		t.Fatal(err)
	}
	if err := s.PutSetting(ctx, SettingUserTimezone, "Asia/Tokyo"); err != nil {
		t.Fatal(err)
	}
	if v, ok, err := s.Setting(ctx, SettingUserTimezone); err != nil || !ok || v != "Asia/Tokyo" {
		t.Fatalf("Setting after two puts = %q, %v, %v; want the last value", v, ok, err)
	}
}

func TestLoginSessions(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, MemoryPath)
	base := time.Date(2025, 6, 1, 8, 0, 0, 0, time.UTC)
	session := func(b byte, expires time.Time) LoginSession {
		return LoginSession{
			IDHash:     bytes.Repeat([]byte{b}, 32),
			CSRFToken:  strings.Repeat(string(rune('a'+b)), 43),
			CreatedAt:  base,
			ExpiresAt:  expires,
			LastSeenAt: base,
			UserAgent:  "test agent",
		}
	}
	expired := session(1, base.Add(time.Hour))
	atNow := session(2, base.Add(2*time.Hour))
	live := session(3, base.Add(12*time.Hour))
	for _, ls := range []LoginSession{expired, atNow, live} {
		if err := s.CreateLoginSession(ctx, ls); err != nil {
			t.Fatal(err)
		}
	}
	got, ok, err := s.LoginSessionByHash(ctx, live.IDHash)
	if err != nil || !ok {
		t.Fatalf("LoginSessionByHash: %v, %v", ok, err)
	}
	if got.CSRFToken != live.CSRFToken || !got.ExpiresAt.Equal(live.ExpiresAt) || got.UserAgent != live.UserAgent ||
		!got.CreatedAt.Equal(base) || got.ExpiresAt.Location() != time.UTC {
		t.Fatalf("read back %+v, want %+v in UTC", got, live)
	}

	seen := base.Add(5 * time.Minute)
	if err := s.TouchLoginSession(ctx, live.IDHash, seen); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := s.LoginSessionByHash(ctx, live.IDHash); !got.LastSeenAt.Equal(seen) {
		t.Fatalf("last_seen_at = %v, want %v", got.LastSeenAt, seen)
	}

	// Prune at base+2h: expired (1 h) and the one expiring exactly now go.
	n, err := s.PruneLoginSessions(ctx, base.Add(2*time.Hour))
	if err != nil || n != 2 {
		t.Fatalf("PruneLoginSessions = %d, %v; want 2", n, err)
	}
	for _, ls := range []LoginSession{expired, atNow} {
		if _, ok, _ := s.LoginSessionByHash(ctx, ls.IDHash); ok {
			t.Fatalf("session expiring %v survived pruning", ls.ExpiresAt)
		}
	}
	if _, ok, _ := s.LoginSessionByHash(ctx, live.IDHash); !ok {
		t.Fatal("the live session was pruned")
	}

	if err := s.DeleteLoginSession(ctx, live.IDHash); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.LoginSessionByHash(ctx, live.IDHash); ok {
		t.Fatal("deleted session still found")
	}
	if err := s.DeleteLoginSession(ctx, live.IDHash); err != nil {
		t.Fatalf("deleting a missing session: %v, want nil", err)
	}
}

func TestPingAfterClose(t *testing.T) {
	s := openStore(t, MemoryPath)
	if err := s.Ping(context.Background()); err != nil {
		t.Fatalf("Ping on an open store: %v", err)
	}
	s.Close()
	if err := s.Ping(context.Background()); err == nil {
		t.Fatal("Ping on a closed store succeeded")
	}
}
