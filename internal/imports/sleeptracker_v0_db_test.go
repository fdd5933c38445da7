package imports

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// v0Schema is the schema of the original SleepTracker (Rust, SQLx) after its
// migrations 0001–0005, as this project assumes it (see the comment at the
// top of sleeptracker_v0_db.go): one statement list per migration, recorded
// in _sqlx_migrations the way sqlx does.
var v0Schema = []string{
	// 0001_create_sleep_sessions
	`CREATE TABLE sleep_sessions (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		date TEXT NOT NULL,
		bed_time TEXT NOT NULL,
		wake_time TEXT NOT NULL,
		created_at TEXT NOT NULL DEFAULT (datetime('now')),
		updated_at TEXT NOT NULL DEFAULT (datetime('now')))`,
	// 0002_create_sleep_metrics
	`CREATE TABLE sleep_metrics (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		session_id INTEGER NOT NULL REFERENCES sleep_sessions(id) ON DELETE CASCADE,
		duration_min INTEGER NOT NULL,
		latency_min INTEGER NOT NULL,
		awakenings INTEGER NOT NULL,
		quality INTEGER NOT NULL)`,
	`CREATE UNIQUE INDEX idx_sleep_metrics_session ON sleep_metrics(session_id)`,
	// 0003_create_exercise_events
	`CREATE TABLE exercise_events (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		date TEXT NOT NULL,
		intensity TEXT NOT NULL CHECK (intensity IN ('none','light','hard')),
		start_time TEXT,
		duration_min INTEGER)`,
	// 0004_create_notes
	`CREATE TABLE notes (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		date TEXT NOT NULL,
		body TEXT,
		created_at TEXT NOT NULL DEFAULT (datetime('now')))`,
	// 0005_create_app_settings
	`CREATE TABLE app_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
	`CREATE TABLE _sqlx_migrations (
		version BIGINT PRIMARY KEY,
		description TEXT NOT NULL,
		installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
		success BOOLEAN NOT NULL,
		checksum BLOB NOT NULL,
		execution_time BIGINT NOT NULL)`,
	`INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES
		(1, 'create sleep sessions', 1, x'00', 1), (2, 'create sleep metrics', 1, x'00', 1),
		(3, 'create exercise events', 1, x'00', 1), (4, 'create notes', 1, x'00', 1),
		(5, 'create app settings', 1, x'00', 1)`,
}

// buildV0DB writes an original-SleepTracker database with the given extra
// statements (its rows) and returns its path.
func buildV0DB(t testing.TB, rows ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, stmt := range append(append([]string{}, v0Schema...), rows...) {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	return path
}

var v0Rows = []string{
	`INSERT INTO app_settings VALUES ('user_timezone', 'Europe/Berlin'), ('session_secret', 'x')`,
	// 1: an ordinary night with fractional seconds; 2: the spring-forward
	// night of Berlin (7 hours); 3: no metrics row; 4: a nap.
	`INSERT INTO sleep_sessions (id, date, bed_time, wake_time) VALUES
		(1, '2025-03-01', '23:05:30.250', '06:30:00.999999'),
		(2, '2025-03-30', '23:00:00', '07:00:00'),
		(3, '2025-03-31', '23:00:00', '07:00:00'),
		(4, '2025-03-31', '13:00:00', '13:40:00')`,
	`INSERT INTO sleep_metrics (session_id, duration_min, latency_min, awakenings, quality) VALUES
		(1, 444, 15, 1, 4), (2, 480, 5, 0, 3), (4, 40, 0, 0, 5)`,
	`INSERT INTO exercise_events (date, intensity, start_time, duration_min) VALUES
		('2025-03-01', 'light', NULL, NULL), ('2025-03-01', 'hard', '18:00:00.5', 45)`,
	`INSERT INTO notes (date, body) VALUES ('2025-03-01', 'früh müde ☕'), ('2025-03-01', ''), ('2025-03-02', NULL)`,
}

func TestSleepTrackerV0DB(t *testing.T) {
	path := buildV0DB(t, v0Rows...)
	r, st, _, _ := newTestRegistry(t)
	id, err := r.BeginFile(Request{Format: AutoFormat, Zone: time.UTC, ZoneName: "UTC"}, path)
	if err != nil {
		t.Fatal(err)
	}
	v := settle(t, r, id)
	if v.Format != FormatSleepTrackerV0DB || v.State != StateReady {
		t.Fatalf("%+v %+v", v, v.Error)
	}
	rep := v.Report
	if rep.Sessions != (SessionCounts{New: 3, Invalid: 1}) || rep.Notes.New != 1 || rep.Exercise.New != 2 || rep.Records != 4 {
		t.Fatalf("report %+v", rep)
	}
	if rep.Problems[0] != (Problem{"sleep_sessions id 3", "the session has no sleep_metrics row"}) {
		t.Fatalf("problems %+v", rep.Problems)
	}
	if _, err := r.Commit(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	p := st.committed[0]
	first := p.Sessions[0]
	if first.Bed.String() != "23:05:30" || first.Wake.String() != "06:30:00" || first.DurationMin != 444 || *first.Quality != 4 {
		t.Fatalf("first session %+v", first)
	}
	if p.Sessions[1].DurationMin != 420 { // Berlin's spring-forward night, in the file's zone
		t.Fatalf("DST night %d", p.Sessions[1].DurationMin)
	}
	if p.Timezone == nil || *p.Timezone != "Europe/Berlin" {
		t.Fatalf("timezone %v", p.Timezone)
	}
	if p.Exercise[1].StartTime.String() != "18:00:00" || p.Notes[0].Body != "früh müde ☕" {
		t.Fatalf("exercise %+v notes %+v", p.Exercise, p.Notes)
	}
}

// A database that only looks like the original (a view in place of a
// table) is refused, and an arbitrary SQLite file is not detected.
func TestSleepTrackerV0DBUntrusted(t *testing.T) {
	r, _, _, dir := newTestRegistry(t)
	path := buildV0DB(t)
	db, _ := sql.Open("sqlite", "file:"+path)
	for _, stmt := range []string{"DROP TABLE notes", "CREATE VIEW notes AS SELECT 1 AS id, '2025-01-01' AS date, 'x' AS body"} {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	if _, err := r.BeginFile(Request{Format: AutoFormat, Zone: time.UTC}, path); !errors.Is(err, ErrUnrecognised) {
		t.Fatalf("auto on a view: %v", err)
	}
	id, err := r.BeginFile(Request{Format: FormatSleepTrackerV0DB, Zone: time.UTC}, path)
	if err != nil {
		t.Fatal(err)
	}
	v := settle(t, r, id)
	if v.State != StateFailed || !strings.Contains(v.Error.Message, "table notes is missing") {
		t.Fatalf("%+v %+v", v, v.Error)
	}
	junk := filepath.Join(dir, "junk.db")
	_ = os.WriteFile(junk, append([]byte("SQLite format 3\x00"), make([]byte, 100)...), 0o600)
	id, err = r.BeginFile(Request{Format: FormatSleepTrackerV0DB, Zone: time.UTC}, junk)
	if err != nil {
		t.Fatal(err)
	}
	if v := settle(t, r, id); v.State != StateFailed {
		t.Fatalf("junk %+v", v)
	}
}
