package store

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"sleeptracker/internal/imports"
	"sleeptracker/internal/sleep"
)

var idemNow = time.Date(2025, 6, 20, 8, 0, 0, 0, time.UTC)

// idemWrite is an IdempotentWrite for key that renders {"id":N} with 201.
func idemWrite(key string) *IdempotentWrite {
	return &IdempotentWrite{
		Key: key, Route: "POST /api/sleep", BodyHash: sha256.Sum256([]byte(key)), Now: idemNow,
		Response: func(result any) (int, []byte, error) {
			return 201, fmt.Appendf(nil, "{\"id\":%d}\n", result.(int64)), nil
		},
	}
}

// TestIdempotentWriteCommitsWithItsEffect is the crash case of SPEC §15.1: the
// process dies after the commit, before any response is sent. After a
// restart (a new Store on the same file) the key answers with the response
// of the stored session, so a retry replays instead of storing it twice.
func TestIdempotentWriteCommitsWithItsEffect(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sleep.db")
	st, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	w := idemWrite("night-1")
	id, err := st.CreateSleep(WithIdempotentWrite(context.Background(), w), night(t, "2025-06-17", "23:00", "07:00"), 480)
	if err != nil {
		t.Fatal(err)
	}
	if !w.Recorded() {
		t.Fatal("CreateSleep did not record the key in its transaction")
	}
	// "Crash": close without anything else happening, then reopen.
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	st = openStore(t, path)
	resp, ok, err := st.IdempotentResponse(context.Background(), "night-1", idemNow.Add(time.Hour))
	if err != nil || !ok {
		t.Fatalf("after restart: ok=%v err=%v, want the stored response", ok, err)
	}
	if want := fmt.Sprintf("{\"id\":%d}\n", id); string(resp.Body) != want || resp.Status != 201 ||
		resp.Route != "POST /api/sleep" || resp.BodyHash != w.BodyHash {
		t.Fatalf("stored %+v (body %q), want 201 %q", resp, resp.Body, want)
	}
	sessions, err := st.SleepInRange(context.Background(), day(t, "2025-06-17"), day(t, "2025-06-17"))
	if err != nil || len(sessions) != 1 || sessions[0].ID != id {
		t.Fatalf("sessions %+v, err %v; want exactly session %d", sessions, err, id)
	}
}

// TestIdempotentWriteRollsBackTogether: when the key cannot be stored, the
// effect is not stored either, and a failed effect stores no key.
func TestIdempotentWriteRollsBackTogether(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, filepath.Join(t.TempDir(), "sleep.db"))
	// Another request stored "taken" between our look-up and our commit.
	if err := st.StoreIdempotentResponse(ctx, idemWrite("taken"), 201, []byte("{\"id\":99}\n")); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		write func(ctx context.Context) error
		count func() int
	}{
		{"sleep", func(ctx context.Context) error {
			_, err := st.CreateSleep(ctx, night(t, "2025-06-17", "23:00", "07:00"), 480)
			return err
		}, func() int {
			s, _ := st.SleepInRange(ctx, day(t, "2025-06-17"), day(t, "2025-06-17"))
			return len(s)
		}},
		{"note", func(ctx context.Context) error {
			_, err := st.AddNote(ctx, sleep.NoteInput{Date: day(t, "2025-06-17"), Body: "x"})
			return err
		}, func() int {
			n, _ := st.NotesInRange(ctx, day(t, "2025-06-17"), day(t, "2025-06-17"))
			return len(n)
		}},
		{"exercise", func(ctx context.Context) error {
			_, err := st.RecordExercise(ctx, sleep.ExerciseInput{Date: day(t, "2025-06-17"), Intensity: sleep.IntensityHard})
			return err
		}, func() int {
			d, _ := st.IntensityByDate(ctx, day(t, "2025-06-17"), day(t, "2025-06-17"))
			return len(d)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.write(WithIdempotentWrite(ctx, idemWrite("taken")))
			if !errors.Is(err, ErrIdempotencyKeyTaken) {
				t.Fatalf("err = %v, want ErrIdempotencyKeyTaken", err)
			}
			if n := tc.count(); n != 0 {
				t.Fatalf("%d records stored, want 0: the effect must roll back with the key", n)
			}
			// And with a free key the same write stores both.
			w := idemWrite("free-" + tc.name)
			if err := tc.write(WithIdempotentWrite(ctx, w)); err != nil || !w.Recorded() {
				t.Fatalf("err %v, recorded %v", err, w.Recorded())
			}
			if _, ok, _ := st.IdempotentResponse(ctx, w.Key, idemNow); !ok {
				t.Fatal("key not stored")
			}
		})
	}

	// An overlapping session fails: nothing is stored under its key.
	w := idemWrite("overlap")
	if _, err := st.CreateSleep(WithIdempotentWrite(ctx, w), night(t, "2025-06-17", "22:00", "06:00"), 480); !errors.Is(err, sleep.ErrOverlap) {
		t.Fatalf("err = %v, want overlap", err)
	}
	if _, ok, _ := st.IdempotentResponse(ctx, "overlap", idemNow); ok || w.Recorded() {
		t.Fatal("a failed write stored its key")
	}
}

// TestIdempotencyKeysExpireAndPrune: 30 days of retention, then the key is
// unused again and the hourly prune removes it.
func TestIdempotencyKeysExpireAndPrune(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, filepath.Join(t.TempDir(), "sleep.db"))
	if err := st.StoreIdempotentResponse(ctx, idemWrite("old"), 201, []byte("{}\n")); err != nil {
		t.Fatal(err)
	}
	justBefore := idemNow.Add(IdempotencyRetention - time.Second)
	if _, ok, _ := st.IdempotentResponse(ctx, "old", justBefore); !ok {
		t.Fatal("key expired before 30 days")
	}
	if n, err := st.PruneIdempotencyKeys(ctx, justBefore); err != nil || n != 0 {
		t.Fatalf("prune before expiry removed %d (%v)", n, err)
	}
	expired := idemNow.Add(IdempotencyRetention)
	if _, ok, _ := st.IdempotentResponse(ctx, "old", expired); ok {
		t.Fatal("key still answers after 30 days")
	}
	// An expired key may be stored again before the prune ran.
	again := idemWrite("old")
	again.Now = expired
	if err := st.StoreIdempotentResponse(ctx, again, 201, []byte("{\"id\":2}\n")); err != nil {
		t.Fatalf("reuse of an expired key: %v", err)
	}
	if err := st.StoreIdempotentResponse(ctx, idemWrite("older"), 201, []byte("{}\n")); err != nil {
		t.Fatal(err)
	}
	if n, err := st.PruneIdempotencyKeys(ctx, expired); err != nil || n != 1 {
		t.Fatalf("prune removed %d (%v), want 1", n, err)
	}
	if resp, ok, _ := st.IdempotentResponse(ctx, "old", expired); !ok || string(resp.Body) != "{\"id\":2}\n" {
		t.Fatalf("the re-stored key is gone or wrong: %v %q", ok, resp.Body)
	}
}

// TestImportCommitRecordsItsKey: the commit of an import records the key in
// its own transaction, and a commit that fails records nothing.
func TestImportCommitRecordsItsKey(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, filepath.Join(t.TempDir(), "sleep.db"))
	w := idemWrite("commit")
	w.Response = func(result any) (int, []byte, error) {
		if _, ok := result.(*imports.Plan); !ok {
			return 0, nil, fmt.Errorf("result %T", result)
		}
		return 200, []byte("{\"state\":\"committed\"}\n"), nil
	}
	err := st.CommitImport(WithIdempotentWrite(ctx, w), imports.Span{}, func(imports.Existing) (*imports.Plan, error) {
		return &imports.Plan{}, nil
	})
	if err != nil || !w.Recorded() {
		t.Fatalf("err %v, recorded %v", err, w.Recorded())
	}
	failing := idemWrite("commit-failed")
	err = st.CommitImport(WithIdempotentWrite(ctx, failing), imports.Span{}, func(imports.Existing) (*imports.Plan, error) {
		return nil, errors.New("rules refused")
	})
	if err == nil || failing.Recorded() {
		t.Fatalf("err %v, recorded %v", err, failing.Recorded())
	}
	if _, ok, _ := st.IdempotentResponse(ctx, "commit-failed", idemNow); ok {
		t.Fatal("a failed commit stored its key")
	}
	if err := st.CorrectIdempotentResponse(ctx, "commit", 200, []byte("{\"state\":\"committed\",\"x\":1}\n")); err != nil {
		t.Fatal(err)
	}
	if resp, _, _ := st.IdempotentResponse(ctx, "commit", idemNow); string(resp.Body) != "{\"state\":\"committed\",\"x\":1}\n" {
		t.Fatalf("corrected body %q", resp.Body)
	}
}
