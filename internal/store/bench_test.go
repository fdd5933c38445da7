package store

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sleeptracker/internal/sleep"
	"sleeptracker/internal/store/db"
)

// Benchmarks of the store's hot paths on a real SQLite file (WAL,
// synchronous=FULL), as the server runs it. Run them with
//
//	go test -run '^$' -bench . -benchmem ./internal/store/
//
// The figures in docs/performance.md come from this command.

// benchStore opens a fresh database file in a temp folder.
func benchStore(b *testing.B) *Store {
	b.Helper()
	st, err := Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

// benchFirstNight is the wake date of the first seeded night.
var benchFirstNight = mustBenchDate("2024-01-01")

func mustBenchDate(s string) sleep.Date {
	d, ok := sleep.ParseDate(s)
	if !ok {
		panic("bad benchmark date " + s)
	}
	return d
}

// nightInput is a typical night ending on date: in bed 23:00, up 07:00.
func nightInput(date sleep.Date) sleep.SleepInput {
	return sleep.SleepInput{Date: date, Bed: sleep.Clock(23 * 3600), Wake: sleep.Clock(7 * 3600),
		LatencyMin: new(15), Awakenings: new(1), Quality: new(4)}
}

// seedNights inserts one night per wake date for n dates from first, in one
// transaction so that setting up a benchmark does not take n fsyncs.
func seedNights(b *testing.B, st *Store, first sleep.Date, n int) {
	b.Helper()
	err := st.inWriteTx(context.Background(), func(q *db.Queries) error {
		for i := range n {
			s := nightInput(first.AddDays(i)).Session(0, 480)
			if _, err := insertSession(context.Background(), q, s); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkCreateSleepYear measures POST /api/sleep's store work — the overlap
// check and the insert in one IMMEDIATE transaction, with its fsync — on a
// store that already holds a year of nights. Each iteration adds the next
// night, so every create passes the overlap check.
func BenchmarkCreateSleepYear(b *testing.B) {
	st := benchStore(b)
	seedNights(b, st, benchFirstNight, 365)
	next := benchFirstNight.AddDays(365)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := st.CreateSleep(ctx, nightInput(next), 480); err != nil {
			b.Fatal(err)
		}
		next = next.AddDays(1)
	}
}

// BenchmarkCreateSleepOverlapRejected measures the overlap check alone: every
// create collides with a stored night of the year, so the transaction rolls
// back and nothing is written.
func BenchmarkCreateSleepOverlapRejected(b *testing.B) {
	st := benchStore(b)
	seedNights(b, st, benchFirstNight, 365)
	mid := nightInput(benchFirstNight.AddDays(180))
	mid.Bed = sleep.Clock(3 * 3600) // 03:00–07:00 lies inside the stored 23:00–07:00
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := st.CreateSleep(ctx, mid, 240); !errors.Is(err, sleep.ErrOverlap) {
			b.Fatalf("err = %v, want ErrOverlap", err)
		}
	}
}

// BenchmarkSleepInRange62 measures GET /api/sleep/range's query: the widest
// allowed range (62 days) out of a year of nights.
func BenchmarkSleepInRange62(b *testing.B) {
	st := benchStore(b)
	seedNights(b, st, benchFirstNight, 365)
	from := benchFirstNight.AddDays(200)
	to := from.AddDays(61)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		sessions, err := st.SleepInRange(ctx, from, to)
		if err != nil || len(sessions) != 62 {
			b.Fatalf("%d sessions, err %v", len(sessions), err)
		}
	}
}

// BenchmarkLoginSessionByHash measures the lookup every authenticated request
// makes (SPEC §4.5) among a thousand stored login sessions.
func BenchmarkLoginSessionByHash(b *testing.B) {
	st := benchStore(b)
	ctx := context.Background()
	now := time.Date(2025, 6, 20, 8, 0, 0, 0, time.UTC)
	hashes := make([][]byte, 1000)
	for i := range hashes {
		var seed [8]byte
		binary.BigEndian.PutUint64(seed[:], uint64(i))
		sum := sha256.Sum256(seed[:])
		hashes[i] = sum[:]
		if err := st.CreateLoginSession(ctx, LoginSession{
			IDHash: hashes[i], CSRFToken: strings.Repeat("t", 43), CreatedAt: now,
			ExpiresAt: now.Add(12 * time.Hour), LastSeenAt: now, UserAgent: "bench",
		}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, ok, err := st.LoginSessionByHash(ctx, hashes[i%len(hashes)]); !ok || err != nil {
			b.Fatalf("session %d: found %v, err %v", i, ok, err)
		}
		i++
	}
}
