package imports

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" driver

	"sleeptracker/internal/sleep"
)

// sleeptracker-v0-db: a database file of the original SleepTracker (Rust,
// Axum + SQLx), so its users can move over with their history (SPEC §13.5).
//
// Its schema is the result of its sqlx migrations 0001–0005. We have no copy
// of them, so this parser reads the columns below — the shape the original's
// API (SPEC §5, §11) implies and that its README describes; the test fixture
// (sleeptracker_v0_db_test.go, v0Schema) builds exactly this schema:
//
//	sleep_sessions  (id INTEGER PK, date TEXT 'YYYY-MM-DD' = wake date,
//	                 bed_time TEXT, wake_time TEXT 'HH:MM:SS[.fraction]',
//	                 created_at, updated_at)
//	sleep_metrics   (id INTEGER PK, session_id → sleep_sessions.id,
//	                 duration_min, latency_min, awakenings, quality INTEGER)
//	exercise_events (id INTEGER PK, date TEXT, intensity TEXT none|light|hard,
//	                 start_time TEXT NULL, duration_min INTEGER NULL)
//	notes           (id INTEGER PK, date TEXT, body TEXT NULL, created_at)
//	app_settings    (key TEXT PK, value TEXT): user_timezone
//	_sqlx_migrations(version, description, installed_on, success, checksum,
//	                 execution_time): sqlx's bookkeeping, only its presence
//	                 is checked
//
// The upload is untrusted: it is opened read-only and immutable with
// trusted_schema=OFF, each table must be a real table (not a view), and
// only these tables are queried. A session without a metrics row is invalid;
// fractions of seconds are dropped; durations are computed by §6.2 in the
// file's user_timezone (else the job's zone), which is also applied like the
// JSON export's time zone.

var sqliteMagic = []byte("SQLite format 3\x00")

// v0Tables are the tables every original database has.
var v0Tables = []string{"sleep_sessions", "sleep_metrics", "exercise_events", "notes", "app_settings", "_sqlx_migrations"}

func detectSleepTrackerV0DB(in Input, head []byte) bool {
	if !bytes.HasPrefix(head, sqliteMagic) || in.Wait == nil || in.Wait() != nil {
		return false
	}
	db, err := openUploadedSQLite(in.Path)
	if err != nil {
		return false
	}
	defer db.Close()
	return checkV0Tables(context.Background(), db) == nil
}

// openUploadedSQLite opens an uploaded database file so that nothing in it
// can run or change anything.
func openUploadedSQLite(path string) (*sql.DB, error) {
	q := url.Values{}
	q.Add("mode", "ro")
	q.Add("immutable", "1")
	q.Add("_pragma", "trusted_schema(0)")
	q.Add("_pragma", "query_only(1)")
	escaped := strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23").Replace(path)
	db, err := sql.Open("sqlite", "file:"+escaped+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

func checkV0Tables(ctx context.Context, db *sql.DB) error {
	for _, name := range v0Tables {
		var n int
		err := db.QueryRowContext(ctx,
			"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?", name).Scan(&n)
		if err != nil {
			return errors.New("not a SQLite database, or a damaged one")
		}
		if n != 1 {
			return fmt.Errorf("not a database of the original SleepTracker: table %s is missing", name)
		}
	}
	return nil
}

func parseSleepTrackerV0DB(ctx context.Context, in Input, sink Sink) error {
	head := make([]byte, len(sqliteMagic))
	if n, _ := in.ReaderAt.ReadAt(head, 0); n < len(head) || !bytes.Equal(head, sqliteMagic) {
		return errors.New("not a SQLite database")
	}
	if err := in.Wait(); err != nil {
		return err
	}
	db, err := openUploadedSQLite(in.Path)
	if err != nil {
		return errors.New("not a SQLite database, or a damaged one")
	}
	defer db.Close()
	if err := checkV0Tables(ctx, db); err != nil {
		return err
	}
	zone := in.Timezone
	var tz sql.NullString
	err = db.QueryRowContext(ctx, "SELECT value FROM app_settings WHERE key = 'user_timezone'").Scan(&tz)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return v0Error("app_settings", err)
	case tz.Valid && strings.TrimSpace(tz.String) != "":
		name := strings.TrimSpace(tz.String)
		sink.Settings(SettingsRecord{Timezone: &name})
		if loc, err := sleep.LoadZone(name); err == nil {
			zone = loc
		}
	}
	if err := v0Sessions(ctx, db, zone, sink); err != nil {
		return err
	}
	if err := v0Exercise(ctx, db, sink); err != nil {
		return err
	}
	return v0Notes(ctx, db, sink)
}

func v0Error(table string, err error) error {
	if errors.Is(err, context.Canceled) {
		return err
	}
	return fmt.Errorf("%s: cannot be read (%s)", table, strings.TrimPrefix(err.Error(), "SQL logic error: "))
}

// v0Clock reads a stored NaiveTime, dropping a fraction of a second.
func v0Clock(v sql.NullString) (sleep.Clock, bool) {
	if !v.Valid {
		return 0, false
	}
	s, _, _ := strings.Cut(strings.TrimSpace(v.String), ".")
	return sleep.ParseClock(s)
}

func intPtr(v sql.NullInt64) *int {
	if !v.Valid {
		return nil
	}
	n := int(v.Int64)
	return &n
}

func v0Sessions(ctx context.Context, db *sql.DB, zone *time.Location, sink Sink) error {
	rows, err := db.QueryContext(ctx, `
		SELECT s.id, s.date, s.bed_time, s.wake_time,
		       m.session_id IS NOT NULL, m.latency_min, m.awakenings, m.quality
		FROM sleep_sessions s
		LEFT JOIN sleep_metrics m ON m.id = (SELECT MIN(id) FROM sleep_metrics WHERE session_id = s.id)
		ORDER BY s.id`)
	if err != nil {
		return v0Error("sleep_sessions", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id                           int64
			date, bed, wake              sql.NullString
			hasMetrics                   bool
			latency, awakenings, quality sql.NullInt64
		)
		if err := rows.Scan(&id, &date, &bed, &wake, &hasMetrics, &latency, &awakenings, &quality); err != nil {
			sink.Invalid(fmt.Sprintf("sleep_sessions id %d", id), "unreadable row")
			continue
		}
		where := fmt.Sprintf("sleep_sessions id %d", id)
		d, okDate := sleep.ParseDate(date.String)
		b, okBed := v0Clock(bed)
		w, okWake := v0Clock(wake)
		switch {
		case !okDate:
			sink.Invalid(where, "date must be a date in YYYY-MM-DD format (years 1900-2999)")
		case !okBed:
			sink.Invalid(where, "bed_time must be a time in HH:MM or HH:MM:SS format")
		case !okWake:
			sink.Invalid(where, "wake_time must be a time in HH:MM or HH:MM:SS format")
		case !hasMetrics:
			sink.Invalid(where, "the session has no sleep_metrics row")
		default:
			sink.Session(SessionRecord{Where: where, Date: d, Bed: b, Wake: w, Zone: zone,
				LatencyMin: intPtr(latency), Awakenings: intPtr(awakenings), Quality: intPtr(quality)})
		}
	}
	if err := rows.Err(); err != nil {
		return v0Error("sleep_sessions", err)
	}
	return nil
}

func v0Exercise(ctx context.Context, db *sql.DB, sink Sink) error {
	rows, err := db.QueryContext(ctx, "SELECT id, date, intensity, start_time, duration_min FROM exercise_events ORDER BY id")
	if err != nil {
		return v0Error("exercise_events", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id                     int64
			date, intensity, start sql.NullString
			duration               sql.NullInt64
		)
		if err := rows.Scan(&id, &date, &intensity, &start, &duration); err != nil {
			invalidRecord(sink, fmt.Sprintf("exercise_events id %d", id), "unreadable row")
			continue
		}
		where := fmt.Sprintf("exercise_events id %d", id)
		d, okDate := sleep.ParseDate(date.String)
		level, okLevel := sleep.ParseIntensity(strings.ToLower(strings.TrimSpace(intensity.String)))
		r := ExerciseRecord{Where: where, Date: d, Intensity: level, DurationMin: intPtr(duration)}
		if start.Valid {
			c, ok := v0Clock(start)
			if !ok {
				invalidRecord(sink, where, "start_time must be a time in HH:MM or HH:MM:SS format")
				continue
			}
			r.StartTime = &c
		}
		switch {
		case !okDate:
			invalidRecord(sink, where, "date must be a date in YYYY-MM-DD format (years 1900-2999)")
		case !okLevel:
			invalidRecord(sink, where, "intensity must be one of none, light, hard")
		default:
			sink.Exercise(r)
		}
	}
	if err := rows.Err(); err != nil {
		return v0Error("exercise_events", err)
	}
	return nil
}

func v0Notes(ctx context.Context, db *sql.DB, sink Sink) error {
	rows, err := db.QueryContext(ctx, "SELECT id, date, body FROM notes ORDER BY id")
	if err != nil {
		return v0Error("notes", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id         int64
			date, body sql.NullString
		)
		if err := rows.Scan(&id, &date, &body); err != nil {
			invalidRecord(sink, fmt.Sprintf("notes id %d", id), "unreadable row")
			continue
		}
		if !body.Valid || body.String == "" {
			continue // only notes with a body move over
		}
		where := fmt.Sprintf("notes id %d", id)
		d, ok := sleep.ParseDate(date.String)
		if !ok {
			invalidRecord(sink, where, "date must be a date in YYYY-MM-DD format (years 1900-2999)")
			continue
		}
		sink.Note(NoteRecord{Where: where, Date: d, Body: body.String})
	}
	if err := rows.Err(); err != nil {
		return v0Error("notes", err)
	}
	return nil
}
