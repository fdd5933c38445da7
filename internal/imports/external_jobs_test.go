package imports

import (
	"context"
	"sync"
	"testing"
	"time"

	"sleeptracker/internal/sleep"
)

// xStore is an in-memory Store for the end-to-end tests of the external
// formats: what a commit stores is what the next import finds.
type xStore struct {
	mu       sync.Mutex
	existing Existing
}

func (m *xStore) ImportExisting(context.Context, Span) (Existing, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.existing, nil
}

func (m *xStore) CommitImport(_ context.Context, _ Span, build func(Existing) (*Plan, error)) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, err := build(m.existing)
	if err != nil {
		return err
	}
	for _, s := range p.Sessions {
		m.existing.Sessions = append(m.existing.Sessions, StoredSession{Date: s.Date, Bed: s.Bed, Wake: s.Wake})
	}
	for _, n := range p.Notes {
		m.existing.Notes = append(m.existing.Notes, sleep.Note{Date: n.Date, Body: n.Body})
	}
	return nil
}

// TestExternalFormatsThroughJobs runs each fixture through the job registry
// with format=auto and the shared rules: the preview's counts, a duration
// that follows the record's zone, commit, and a re-import that adds nothing.
func TestExternalFormatsThroughJobs(t *testing.T) {
	saa := string(xRead(t, "sleep-as-android/sleep-export.csv"))
	cases := []struct {
		name, file, format string
		content            []byte
		sessions, invalid  int
		dups               int // found by the parser itself (Apple Health)
		notes              int
		// The duration of the first new session, in minutes.
		firstDuration int
	}{
		// 23:15 GMT → 07:05 BST in Europe/London: 6 h 50 min, although the
		// job's zone is Tokyo.
		{"sleep as android", "sleep-export.zip", "sleep-as-android",
			xZip(t, "sleep-export.csv", saa), 6, 4, 0, 4, 410},
		// Epoch milliseconds shown in the job's zone: 07:40 → 16:00 in
		// Tokyo, the 8 h 20 min that passed.
		{"plees tracker", "plees-tracker.csv", "plees-tracker",
			xRead(t, "plees-tracker/plees-tracker.csv"), 3, 3, 0, 0, 500},
		// Local times without zone: 23:40 → 07:10 in Tokyo (no DST there).
		{"fitbit", "sleep-2024-03-31.json", "fitbit",
			xRead(t, "fitbit/sleep-2024-03-31.json"), 3, 2, 0, 0, 450},
		// Offsets: the clock times are those of each sample's offset
		// (23:30 +0000 → 07:05 +0100, a DST night in London) and the duration
		// is the time that passed between the instants, 6 h 35 min, whatever
		// the job's zone (clock arithmetic in Tokyo would say 7 h 35 min).
		{"apple health", "export.xml", "apple-health",
			xRead(t, "apple-health/export.xml"), 7, 2, 3, 0, 395},
		// 23:05 +00:00 → 07:12 +01:00: 7 h 7 min passed.
		{"oura", "sleep.json", "oura",
			xRead(t, "oura/sleep.json"), 4, 1, 0, 0, 427},
	}
	tokyo, _ := sleep.LoadZone("Asia/Tokyo")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st := &xStore{}
			r := NewRegistry(Config{Store: st, Dir: t.TempDir(), MaxBytes: 8 << 20, Formats: ExternalFormats(),
				Now: func() time.Time { return time.Date(2025, 6, 20, 8, 0, 0, 0, time.UTC) }})
			defer r.Close()
			run := func() JobView {
				u, err := r.Begin(Request{Format: AutoFormat, Zone: tokyo, ZoneName: "Asia/Tokyo", Size: int64(len(tc.content)), Name: tc.file})
				if err != nil {
					t.Fatal(err)
				}
				for rest := tc.content; len(rest) > 0; {
					n := min(len(rest), 1000)
					if _, err := u.Write(rest[:n]); err != nil {
						t.Fatal(err)
					}
					rest = rest[n:]
				}
				v, err := u.Finish()
				if err != nil {
					t.Fatal(err)
				}
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				if v, err = r.Wait(ctx, v.ID); err != nil {
					t.Fatal(err)
				}
				if v.State != StateReady || v.Format != tc.format {
					t.Fatalf("state %s format %s error %+v", v.State, v.Format, v.Error)
				}
				return v
			}
			v := run()
			rep := v.Report
			if rep.Sessions.New != tc.sessions || rep.Sessions.Invalid != tc.invalid || rep.Sessions.Duplicate != tc.dups || rep.Notes.New != tc.notes {
				t.Fatalf("report %+v, problems %+v", rep.Sessions, rep.Problems)
			}
			if len(rep.Sample) == 0 || rep.Sample[0].DurationMin != tc.firstDuration {
				t.Fatalf("first sample %+v, want duration %d", rep.Sample, tc.firstDuration)
			}
			if _, err := r.Commit(context.Background(), v.ID); err != nil {
				t.Fatal(err)
			}
			again := run().Report
			if again.Sessions.New != 0 || again.Sessions.Duplicate != tc.sessions+tc.dups || again.Notes.New != 0 {
				t.Fatalf("re-import: %+v notes %+v", again.Sessions, again.Notes)
			}
		})
	}
}
