package httpapi

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"

	"sleeptracker/internal/backup"
	"sleeptracker/internal/config"
	"sleeptracker/internal/store"
)

// GET /api/backup and GET /api/backups (SPEC §13.2) over real HTTP.

func init() {
	// The contract validator reads the SQLite download as an opaque file.
	openapi3filter.RegisterBodyDecoder("application/vnd.sqlite3", openapi3filter.FileBodyDecoder)
}

// inspectDownload writes a downloaded backup to a file and checks it.
func inspectDownload(t testing.TB, body []byte) store.FileInfo {
	t.Helper()
	path := filepath.Join(t.TempDir(), "download.db")
	if err := os.WriteFile(path, body, 0o600); err != nil {
		t.Fatal(err)
	}
	info, err := backup.CheckRestorable(context.Background(), path, "")
	if err != nil {
		t.Fatalf("downloaded backup: %v", err)
	}
	return info
}

func TestBackupDownload(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	fillExportSample(t, c)
	resp := c.do(t, http.MethodGet, "/api/backup", nil).mustStatus(t, http.StatusOK)
	mustHeader(t, resp, "Content-Type", "application/vnd.sqlite3")
	mustHeader(t, resp, "Content-Disposition", `attachment; filename="sleeptracker-backup-20250620T080000Z.db"`)
	mustHeader(t, resp, "Cache-Control", "no-store")
	if resp.Header.Get("Content-Length") != strconv.Itoa(len(resp.Body)) {
		t.Errorf("Content-Length %q, body %d bytes", resp.Header.Get("Content-Length"), len(resp.Body))
	}
	info := inspectDownload(t, resp.Body)
	if info.Sessions != 2 || info.Notes != 2 || info.Exercise != 2 || info.SchemaVersion != store.SchemaVersion() {
		t.Fatalf("backup holds %+v", info)
	}
	// The temporary copy is gone from the database's folder.
	entries, _ := os.ReadDir(filepath.Dir(ts.Cfg.DatabasePath))
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "sleep.db") {
			t.Errorf("left in the database folder: %s", e.Name())
		}
	}
	head := c.do(t, http.MethodHead, "/api/backup", nil).mustStatus(t, http.StatusOK)
	if len(head.Body) != 0 {
		t.Fatal("HEAD has a body")
	}
	mustError(t, ts.anonymous().do(t, http.MethodGet, "/api/backup", nil), http.StatusUnauthorized,
		"unauthorized", "authentication required")
}

// TestBackupNeverWithAToken: the file holds the password hash and the
// session secret, so even a write token is refused (SPEC §16); the status
// route takes a read token.
func TestBackupNeverWithAToken(t *testing.T) {
	ts := bearerTestServer(t)
	c := ts.login(t)
	_, token := createToken(t, c, "cron", "write", nil)
	mustScopeRefused(t, bearerDo(t, ts, token, http.MethodGet, "/api/backup", nil), http.MethodGet)
	_, read := createToken(t, c, "dashboard", "read", nil)
	bearerDo(t, ts, read, http.MethodGet, "/api/backups", nil).mustStatus(t, http.StatusOK)
	bearerDo(t, ts, read, http.MethodGet, "/api/export?format=csv", nil).mustStatus(t, http.StatusOK)
}

// TestBackupWhileWritesGoOn downloads backups while another client keeps
// creating sessions, each with a note in the same transaction: every backup
// is consistent (as many notes as sessions), and the writes went on while
// the backups ran.
func TestBackupWhileWritesGoOn(t *testing.T) {
	ts := newTestServer(t)
	c := ts.login(t)
	insertNotes(t, ts.Cfg.DatabasePath, 3000, 1000) // ~3 MB, so each snapshot takes a while
	writer := ts.login(t)
	var stop atomic.Bool
	var writes atomic.Int64
	var wg sync.WaitGroup
	wg.Go(func() {
		day := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := 0; !stop.Load(); i++ {
			date := day.AddDate(0, 0, i).Format(time.DateOnly)
			postSleep(t, writer, sleepBody(date, "23:00", "07:00", "note", "with its session"))
			writes.Add(1)
		}
	})
	var sessionsSeen []int64
	for range 4 {
		resp := c.do(t, http.MethodGet, "/api/backup", nil).mustStatus(t, http.StatusOK)
		info := inspectDownload(t, resp.Body)
		if info.Notes-3000 != info.Sessions {
			t.Fatalf("inconsistent backup: %d sessions but %d of their notes", info.Sessions, info.Notes-3000)
		}
		sessionsSeen = append(sessionsSeen, info.Sessions)
	}
	stop.Store(true)
	wg.Wait()
	if writes.Load() < 4 {
		t.Fatalf("only %d writes got through while 4 backups ran", writes.Load())
	}
	t.Logf("backups saw %v sessions; %d writes in all", sessionsSeen, writes.Load())
}

func TestBackupStatusRoute(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "backups")
	ts := newTestServer(t, func(cfg *config.Config) {
		cfg.BackupDir, cfg.BackupIntervalHours, cfg.BackupKeep = dir, 1, 2
	})
	c := ts.login(t)
	off := newTestServer(t) // a hand-built Config: the defaults of §13.2 apply
	resp := off.login(t).do(t, http.MethodGet, "/api/backups", nil).mustStatus(t, http.StatusOK)
	if string(resp.Body) != `{"dir":null,"interval_hours":24,"keep":14,"last_success":null,"last_error":null,"files":[]}`+"\n" {
		t.Fatalf("status with backups off: %s", resp.Body)
	}

	// A scheduler wired like serve.go does, writing into dir.
	clock := ts.Clock
	sched := backup.NewScheduler(backup.SchedulerConfig{Dir: dir, IntervalHours: 1, Keep: 2,
		DatabasePath: ts.Cfg.DatabasePath, Source: ts.Store, Now: clock.Now, Logger: discardLogger()})
	ts.API.backups = sched
	for range 3 {
		if _, err := sched.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Hour) // the login session lives 12 h
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	resp = c.do(t, http.MethodGet, "/api/backups", nil).mustStatus(t, http.StatusOK)
	var status struct {
		Dir           string  `json:"dir"`
		IntervalHours int     `json:"interval_hours"`
		Keep          int     `json:"keep"`
		LastSuccess   string  `json:"last_success"`
		LastError     *string `json:"last_error"`
		Files         []struct {
			Name      string `json:"name"`
			SizeBytes int64  `json:"size_bytes"`
			CreatedAt string `json:"created_at"`
		} `json:"files"`
	}
	resp.JSON(t, &status)
	if status.Dir != dir || status.IntervalHours != 1 || status.Keep != 2 || status.LastSuccess != "2025-06-20T10:00:00Z" ||
		len(status.Files) != 2 || status.Files[0].Name != "sleep-20250620T100000Z.db" ||
		status.Files[1].CreatedAt != "2025-06-20T09:00:00Z" || status.Files[0].SizeBytes <= 0 {
		t.Fatalf("status %s", resp.Body)
	}
	mustError(t, ts.anonymous().do(t, http.MethodGet, "/api/backups", nil), http.StatusUnauthorized,
		"unauthorized", "authentication required")
}

// BenchmarkExportAndBackup measures GET /api/export (JSON, CSV) and GET
// /api/backup of a ten-year diary (3,650 nights with notes and exercise),
// in-process over real HTTP. The live-binary figure with the server's peak
// RSS is TestExportMemoryOfTheRealServer in cmd/sleep-api.
func BenchmarkExportAndBackup(b *testing.B) {
	path := tenYearsOfNights(b)
	addTenYearsOfNotesAndExercise(b, path)
	ts := newTestServer(b, func(cfg *config.Config) { cfg.DatabasePath = path })
	c := ts.login(b)
	// A plain client that discards the body: the harness's client would
	// validate 1.5 MB of JSON against the contract on every iteration.
	for _, target := range []string{"/api/export", "/api/export?format=csv", "/api/backup"} {
		b.Run(target, func(b *testing.B) {
			var size int64
			for b.Loop() {
				req, _ := http.NewRequest(http.MethodGet, ts.URL+target, nil)
				for name, value := range c.cookies {
					req.AddCookie(&http.Cookie{Name: name, Value: value})
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				size, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if err != nil || resp.StatusCode != http.StatusOK {
					b.Fatalf("GET %s: %d, %v", target, resp.StatusCode, err)
				}
			}
			b.ReportMetric(float64(size)/1e6, "MB")
		})
	}
}

// addTenYearsOfNotesAndExercise gives each of the 3,650 nights a note of
// about 80 characters and every second day a 30-minute timed exercise event.
func addTenYearsOfNotesAndExercise(b *testing.B, path string) {
	b.Helper()
	st, err := store.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	conn, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	tx, err := conn.Begin()
	if err != nil {
		b.Fatal(err)
	}
	rows, err := tx.Query("SELECT wake_date FROM sleep_sessions ORDER BY wake_date")
	if err != nil {
		b.Fatal(err)
	}
	var dates []string
	for rows.Next() {
		var d string
		_ = rows.Scan(&d)
		dates = append(dates, d)
	}
	rows.Close()
	for i, d := range dates {
		if _, err := tx.Exec("INSERT INTO notes (date, body) VALUES (?, ?)", d,
			fmt.Sprintf("night %d: coffee after 3 pm, read before bed, woke once around 4 — felt ok", i)); err != nil {
			b.Fatal(err)
		}
		if i%2 == 0 {
			if _, err := tx.Exec("INSERT INTO exercise_events (date, intensity, start_time, duration_min) VALUES (?, 'light', '18:00:00', 30)", d); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}
