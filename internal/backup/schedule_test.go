package backup

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// stepClock is a clock the test moves by hand.
type stepClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *stepClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestScheduledBackupsNamingAndPruning(t *testing.T) {
	ctx := context.Background()
	dbDir := t.TempDir()
	backupDir := filepath.Join(t.TempDir(), "backups")
	st := openStore(t, filepath.Join(dbDir, "sleep.db"))
	fillNights(t, st, "2024-01-01", 5)
	clock := &stepClock{now: time.Date(2025, 6, 18, 7, 0, 0, 0, time.UTC)}
	var logs bytes.Buffer
	s := NewScheduler(SchedulerConfig{Dir: backupDir, IntervalHours: 24, Keep: 3,
		DatabasePath: filepath.Join(dbDir, "sleep.db"), Source: st, Now: clock.Now,
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})

	// Files pruning must never touch: other names, near misses, an impossible
	// stamp, a folder named like a backup.
	if err := os.MkdirAll(backupDir, 0o700); err != nil {
		t.Fatal(err)
	}
	bystanders := []string{"notes.txt", "sleep-20200101T000000Z.db.bak", "sleep-20200101T000000.db",
		"Sleep-20200101T000000Z.db", "sleep-20201399T999999Z.db", "xsleep-20200101T000000Z.db",
		"sleep-20200101T000000Z.db-wal", "sleeptracker-backup-20200101T000000Z.db"}
	for _, name := range bystanders {
		writeFile(t, filepath.Join(backupDir, name), []byte("keep me"))
	}
	if err := os.Mkdir(filepath.Join(backupDir, "sleep-20190101T000000Z.db"), 0o700); err != nil {
		t.Fatal(err)
	}

	var made []string
	for range 5 {
		path, err := s.RunOnce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		made = append(made, filepath.Base(path))
		clock.Advance(24 * time.Hour)
	}
	if made[0] != "sleep-20250618T070000Z.db" || made[4] != "sleep-20250622T070000Z.db" {
		t.Fatalf("names %v", made)
	}
	st0 := s.Status()
	var got []string
	for _, f := range st0.Files {
		got = append(got, f.Name)
		if f.SizeBytes <= 0 {
			t.Errorf("%s: size %d", f.Name, f.SizeBytes)
		}
	}
	want := []string{made[4], made[3], made[2]}
	if !slices.Equal(got, want) {
		t.Fatalf("files after pruning %v, want newest 3 %v", got, want)
	}
	for _, name := range bystanders {
		data, err := os.ReadFile(filepath.Join(backupDir, name))
		if err != nil || string(data) != "keep me" {
			t.Errorf("pruning touched %s: %v", name, err)
		}
	}
	if fi, err := os.Stat(filepath.Join(backupDir, "sleep-20190101T000000Z.db")); err != nil || !fi.IsDir() {
		t.Errorf("pruning touched the folder named like a backup: %v", err)
	}
	for _, name := range mustReadDir(t, backupDir) {
		if strings.Contains(name, ".tmp-") {
			t.Errorf("temporary file %s left behind", name)
		}
	}
	fi, err := os.Stat(backupDir)
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("BACKUP_DIR created with %v, %v; want mode 700", fi, err)
	}

	body, err := json.Marshal(st0)
	if err != nil {
		t.Fatal(err)
	}
	wantPrefix := `{"dir":"` + backupDir + `","interval_hours":24,"keep":3,"last_success":"2025-06-22T07:00:00Z","last_error":null,` +
		`"files":[{"name":"sleep-20250622T070000Z.db","size_bytes":`
	if !strings.HasPrefix(string(body), wantPrefix) || !strings.Contains(string(body), `"created_at":"2025-06-22T07:00:00Z"}`) {
		t.Fatalf("status JSON %s", body)
	}
}

func TestPruningNeverDeletesTheConfiguredDatabase(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	// A database that lies in BACKUP_DIR under a backup's name (odd, but
	// possible) is not a backup.
	dbPath := filepath.Join(dir, "sleep-20000101T000000Z.db")
	st := openStore(t, dbPath)
	fillNights(t, st, "2024-01-01", 2)
	clock := &stepClock{now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	s := NewScheduler(SchedulerConfig{Dir: dir, IntervalHours: 1, Keep: 1, DatabasePath: dbPath,
		Source: st, Now: clock.Now, Logger: slog.New(slog.DiscardHandler)})
	for range 3 {
		if _, err := s.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Hour)
	}
	if _, err := os.Stat(dbPath); err != nil {
		t.Fatalf("the configured database was pruned: %v", err)
	}
	if files := s.Status().Files; len(files) != 1 || files[0].Name != "sleep-20250101T020000Z.db" {
		t.Fatalf("files %+v", files)
	}
}

func TestSchedulerRunsAtStartOnlyWhenTheNewestIsOld(t *testing.T) {
	dbDir := t.TempDir()
	st := openStore(t, filepath.Join(dbDir, "sleep.db"))
	fillNights(t, st, "2024-01-01", 2)
	for _, tc := range []struct {
		name      string
		newestAge time.Duration // 0: no backup yet
		wantNew   bool
	}{
		{"none yet", 0, true},
		{"older than the interval", 25 * time.Hour, true},
		{"younger than the interval", 23 * time.Hour, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			now := time.Now().UTC().Truncate(time.Second)
			existing := 0
			if tc.newestAge > 0 {
				writeFile(t, filepath.Join(dir, ScheduledName(now.Add(-tc.newestAge))), []byte("old"))
				existing = 1
			}
			s := NewScheduler(SchedulerConfig{Dir: dir, IntervalHours: 24, Keep: 5,
				DatabasePath: filepath.Join(dbDir, "sleep.db"), Source: st, Logger: slog.New(slog.DiscardHandler)})
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { s.Run(ctx); close(done) }()
			deadline := time.Now().Add(5 * time.Second)
			for tc.wantNew && len(s.Status().Files) == existing && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			if !tc.wantNew {
				time.Sleep(300 * time.Millisecond)
			}
			cancel()
			<-done
			got := len(s.Status().Files) - existing
			if (got == 1) != tc.wantNew || got > 1 {
				t.Fatalf("%d new backups at start, want new=%v", got, tc.wantNew)
			}
		})
	}
}

func TestScheduledFailureIsRecorded(t *testing.T) {
	st := openStore(t, filepath.Join(t.TempDir(), "sleep.db"))
	blocker := filepath.Join(t.TempDir(), "file")
	writeFile(t, blocker, []byte("x"))
	var logs bytes.Buffer
	clock := &stepClock{now: time.Date(2025, 6, 18, 7, 0, 0, 0, time.UTC)}
	s := NewScheduler(SchedulerConfig{Dir: filepath.Join(blocker, "backups"), IntervalHours: 24, Keep: 2,
		Source: st, Now: clock.Now, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if _, err := s.RunOnce(context.Background()); err == nil {
		t.Fatal("backup into a folder below a file succeeded")
	}
	status := s.Status()
	if status.LastError == nil || time.Time(status.LastError.At) != clock.Now() ||
		!strings.Contains(status.LastError.Message, "cannot create") || status.LastSuccess != nil {
		t.Fatalf("status %+v", status)
	}
	if !strings.Contains(logs.String(), "level=ERROR") || !strings.Contains(logs.String(), "scheduled backup failed") {
		t.Fatalf("failure not logged at error level: %s", logs.String())
	}
	off := NewScheduler(SchedulerConfig{IntervalHours: 24, Keep: 14})
	body, _ := json.Marshal(off.Status())
	if string(body) != `{"dir":null,"interval_hours":24,"keep":14,"last_success":null,"last_error":null,"files":[]}` {
		t.Fatalf("status with BACKUP_DIR unset: %s", body)
	}
}
