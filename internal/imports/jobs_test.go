package imports

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// memStore is a Store over in-memory data: enough for the registry's tests
// (the real one is tested in internal/store).
type memStore struct {
	mu        sync.Mutex
	existing  Existing
	committed []*Plan
	fail      error
}

func (m *memStore) ImportExisting(context.Context, Span) (Existing, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.existing, nil
}

func (m *memStore) CommitImport(_ context.Context, _ Span, build func(Existing) (*Plan, error)) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	p, err := build(m.existing)
	if err != nil {
		return err
	}
	m.committed = append(m.committed, p)
	for _, s := range p.Sessions {
		m.existing.Sessions = append(m.existing.Sessions, StoredSession{Date: s.Date, Bed: s.Bed, Wake: s.Wake})
	}
	return nil
}

type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func newTestRegistry(t *testing.T) (*Registry, *memStore, *testClock, string) {
	dir := t.TempDir()
	st := &memStore{}
	clock := &testClock{now: time.Date(2025, 6, 20, 8, 0, 0, 0, time.UTC)}
	r := NewRegistry(Config{Store: st, Dir: dir, MaxBytes: 1 << 20, Now: clock.Now})
	t.Cleanup(r.Close)
	return r, st, clock, dir
}

const csvTwoNights = "date,bed_time,wake_time,duration_min\n2025-06-10,23:00:00,07:00:00,480\n2025-06-11,23:30:00,07:00:00,450\n"

func upload(t *testing.T, r *Registry, format, body string, size int64) (JobView, error) {
	t.Helper()
	u, err := r.Begin(Request{Format: format, Zone: time.UTC, ZoneName: "UTC", Size: size})
	if err != nil {
		return JobView{}, err
	}
	for chunk := range strings.SplitSeq(body, "\n") {
		if _, err := u.Write([]byte(chunk + "\n")); err != nil {
			u.Abort()
			return JobView{}, err
		}
	}
	return u.Finish()
}

func settle(t *testing.T, r *Registry, id string) JobView {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	v, err := r.Wait(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func spoolFiles(t *testing.T, dir string) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, ".sleeptracker-import-*"))
	return files
}

func TestJobLifecycle(t *testing.T) {
	r, st, clock, dir := newTestRegistry(t)
	v, err := upload(t, r, AutoFormat, csvTwoNights, -1)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(v.ID, "imp_") || len(v.ID) < 4+16 || v.Format != FormatSleepTrackerCSV {
		t.Fatalf("job %+v", v)
	}
	if _, err := upload(t, r, AutoFormat, csvTwoNights, -1); !errors.Is(err, ErrBusy) {
		t.Fatalf("second job: %v, want ErrBusy", err)
	}
	v = settle(t, r, v.ID)
	if v.State != StateReady || v.Report.Sessions.New != 2 || v.BytesDone != v.BytesTotal || v.BytesTotal != int64(len(csvTwoNights)+1) {
		t.Fatalf("ready job %+v report %+v", v, v.Report)
	}
	if len(spoolFiles(t, dir)) != 1 {
		t.Fatalf("spool files %v", spoolFiles(t, dir))
	}
	done, err := r.Commit(context.Background(), v.ID)
	if err != nil || done.State != StateCommitted || done.Report.Sessions.New != 2 || len(st.committed) != 1 {
		t.Fatalf("commit %+v %v", done, err)
	}
	var nr *NotReadyError
	if _, err := r.Commit(context.Background(), v.ID); !errors.As(err, &nr) || nr.Error() != "import is not ready to commit (state committed)" {
		t.Fatalf("second commit %v", err)
	}
	if len(spoolFiles(t, dir)) != 0 {
		t.Fatal("spool file left after commit")
	}
	// Re-import of the same file adds nothing.
	v2, err := upload(t, r, FormatSleepTrackerCSV, csvTwoNights, int64(len(csvTwoNights)+1))
	if err != nil {
		t.Fatal(err)
	}
	v2 = settle(t, r, v2.ID)
	if v2.Report.Sessions.New != 0 || v2.Report.Sessions.Duplicate != 2 {
		t.Fatalf("re-import %+v", v2.Report.Sessions)
	}
	if list := r.List(); len(list) != 2 || list[0].ID != v2.ID {
		t.Fatalf("list %+v", list)
	}
	// A ready job expires after an hour; ended jobs are forgotten an hour later.
	clock.Advance(time.Hour)
	if got, _ := r.Get(v2.ID); got.State != StateDiscarded {
		t.Fatalf("after an hour: %s", got.State)
	}
	if len(spoolFiles(t, dir)) != 0 {
		t.Fatal("spool file left after expiry")
	}
	clock.Advance(time.Hour)
	if _, err := r.Get(v2.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("forgotten job: %v", err)
	}
	if _, err := r.Commit(context.Background(), "imp_unknown"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown commit: %v", err)
	}
}

func TestJobDiscardAndFailures(t *testing.T) {
	r, _, _, dir := newTestRegistry(t)
	v, err := upload(t, r, AutoFormat, csvTwoNights, -1)
	if err != nil {
		t.Fatal(err)
	}
	settle(t, r, v.ID)
	r.Discard(v.ID)
	r.Discard(v.ID)
	r.Discard("imp_nothing")
	if got, _ := r.Get(v.ID); got.State != StateDiscarded {
		t.Fatalf("state %s", got.State)
	}
	if len(spoolFiles(t, dir)) != 0 {
		t.Fatal("spool file left after discard")
	}

	// Unrecognised content: no job remains and the slot is free.
	if _, err := upload(t, r, AutoFormat, "hello, world", -1); !errors.Is(err, ErrUnrecognised) {
		t.Fatalf("auto: %v", err)
	}
	// Malformed JSON: the job fails, naming the line; commit is a 409.
	v, err = upload(t, r, FormatSleepTrackerJSON, "{\"format\":\"sleeptracker-export\",\n\"version\":1,\n\"sessions\":[{]}", -1)
	if err != nil {
		t.Fatal(err)
	}
	v = settle(t, r, v.ID)
	if v.State != StateFailed || v.Error == nil || !strings.HasPrefix(v.Error.Message, "line 3: malformed JSON") || v.Error.Code != "bad_request" {
		t.Fatalf("failed job %+v %+v", v, v.Error)
	}
	var nr *NotReadyError
	if _, err := r.Commit(context.Background(), v.ID); !errors.As(err, &nr) || nr.State != StateFailed {
		t.Fatalf("commit of failed: %v", err)
	}
	// Too large: the writer refuses, the job disappears.
	big := strings.Repeat("x", 1<<20+10)
	if _, err := upload(t, r, FormatSleepTrackerCSV, big, -1); err == nil || err.Error() != "import file exceeds 1 MiB" {
		t.Fatalf("too large: %v", err)
	}
	if len(r.List()) != 2 || len(spoolFiles(t, dir)) != 0 {
		t.Fatalf("after failures: %+v %v", r.List(), spoolFiles(t, dir))
	}
	// Empty.
	u, err := r.Begin(Request{Format: AutoFormat, Zone: time.UTC, Size: -1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := u.Finish(); !errors.Is(err, ErrEmpty) {
		t.Fatalf("empty: %v", err)
	}
}

// The parser follows the upload: a job whose upload is still arriving is
// parsing, and its progress never passes what has arrived.
func TestJobParsesWhileUploading(t *testing.T) {
	r, _, _, _ := newTestRegistry(t)
	body := "date,bed_time,wake_time,duration_min\n"
	for i := range 2000 {
		d := mustDate(t, "2000-01-01").AddDays(i)
		body += d.String() + ",23:00:00,07:00:00,480\n"
	}
	u, err := r.Begin(Request{Format: FormatSleepTrackerCSV, Zone: time.UTC, Size: int64(len(body))})
	if err != nil {
		t.Fatal(err)
	}
	half := len(body) / 2
	if _, err := u.Write([]byte(body[:half])); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	v, _ := r.Get(u.ID())
	if v.State != StateParsing || v.BytesDone > int64(half) || v.BytesTotal != int64(len(body)) {
		t.Fatalf("mid-upload %+v", v)
	}
	if _, err := u.Write([]byte(body[half:])); err != nil {
		t.Fatal(err)
	}
	if _, err := u.Finish(); err != nil {
		t.Fatal(err)
	}
	v = settle(t, r, u.ID())
	if v.State != StateReady || v.Report.Sessions.New != 2000 {
		t.Fatalf("ready %+v", v.Report.Sessions)
	}
}

func TestBeginFileKeepsTheFile(t *testing.T) {
	r, _, _, dir := newTestRegistry(t)
	path := filepath.Join(dir, "mine.csv")
	if err := os.WriteFile(path, []byte(csvTwoNights), 0o600); err != nil {
		t.Fatal(err)
	}
	id, err := r.BeginFile(Request{Format: AutoFormat, Zone: time.UTC}, path)
	if err != nil {
		t.Fatal(err)
	}
	v := settle(t, r, id)
	if v.State != StateReady || v.Report.Sessions.New != 2 {
		t.Fatalf("%+v", v)
	}
	if _, err := r.Commit(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the user's file was removed: %v", err)
	}
}

// A file that fails to parse while its upload still arrives: the rest of the
// upload is dropped and the job is answered failed, never a write error.
func TestJobFailsWhileUploading(t *testing.T) {
	r, _, _, dir := newTestRegistry(t)
	u, err := r.Begin(Request{Format: FormatSleepTrackerJSON, Zone: time.UTC, Size: 1 << 19})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := u.Write([]byte("{]" + strings.Repeat(" ", 70<<10))); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		v, _ := r.Get(u.ID())
		if v.State == StateFailed {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("still %s", v.State)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if len(spoolFiles(t, dir)) != 0 {
		t.Fatal("the failed job's file is still there")
	}
	for range 6 {
		if _, err := u.Write(make([]byte, 64<<10)); err != nil {
			t.Fatalf("write after the failure: %v", err)
		}
	}
	v, err := u.Finish()
	if err != nil || v.State != StateFailed || !strings.HasPrefix(v.Error.Message, "line 1: malformed JSON") {
		t.Fatalf("finish: %+v %v", v, err)
	}
	// The slot is free again.
	if _, err := upload(t, r, AutoFormat, csvTwoNights, -1); err != nil {
		t.Fatal(err)
	}
}

// A restart removes its own database's stale uploads and nobody else's.
func TestRemoveStaleSpools(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{".sleeptracker-import-a.db-1", ".sleeptracker-import-b.db-2", "a.db", "other"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	RemoveStaleSpools(dir, "a.db")
	entries, _ := os.ReadDir(dir)
	var left []string
	for _, e := range entries {
		left = append(left, e.Name())
	}
	if strings.Join(left, " ") != ".sleeptracker-import-b.db-2 a.db other" {
		t.Fatalf("left %v", left)
	}
}
