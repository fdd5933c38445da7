package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"sleeptracker/internal/liveserver"
)

// The seeded history: one night per wake date for ten years, ending on
// lastSeededNight. Fixed dates keep runs comparable with each other.
const (
	seededNights = 3650
	// seedWriters is how many clients post the history at once; the server
	// serializes writes anyway, so more would only queue.
	seedWriters = 4
)

var lastSeededNight = time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)

// firstSeededNight is the wake date of the oldest seeded night.
func firstSeededNight() time.Time { return lastSeededNight.AddDate(0, 0, -(seededNights - 1)) }

// night returns the POST /api/sleep body of a plausible night ending on
// date, derived from the date alone so every run seeds the same history:
// in bed 22:00–00:59, up 05:30–07:59, with varying latency, awakenings and
// quality; every tenth night also carries an exercise intensity and a note.
func night(date time.Time) map[string]any {
	rng := rand.New(rand.NewPCG(uint64(date.Unix()), 7))
	bedMinute := (22*60 + rng.IntN(180)) % (24 * 60)
	wakeMinute := 5*60 + 30 + rng.IntN(150)
	body := map[string]any{
		"date":        date.Format(time.DateOnly),
		"bed_time":    clockText(bedMinute),
		"wake_time":   clockText(wakeMinute),
		"latency_min": rng.IntN(45),
		"awakenings":  rng.IntN(4),
		"quality":     1 + rng.IntN(5),
	}
	if date.YearDay()%10 == 0 {
		body["exercise_intensity"] = []string{"none", "light", "hard"}[rng.IntN(3)]
		body["note"] = "seeded note for " + date.Format(time.DateOnly)
	}
	return body
}

func clockText(minuteOfDay int) string {
	return fmt.Sprintf("%02d:%02d", minuteOfDay/60, minuteOfDay%60)
}

// seedHistory posts the ten years through the real API, so durations are
// computed by the server exactly as for a user, and returns how long it took.
func seedHistory(ctx context.Context, client *liveserver.Client) (time.Duration, error) {
	start := time.Now()
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		firstErr error
		errOnce  sync.Once
	)
	first := firstSeededNight()
	for range seedWriters {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= seededNights {
					return
				}
				resp, err := client.PostJSON(ctx, "/api/sleep", night(first.AddDate(0, 0, int(i))))
				if err == nil && resp.Status != http.StatusCreated {
					err = fmt.Errorf("seed night %d: status %d, body %s", i, resp.Status, resp.Body)
				}
				if err != nil {
					errOnce.Do(func() { firstErr = err })
					return
				}
			}
		})
	}
	wg.Wait()
	return time.Since(start), firstErr
}
