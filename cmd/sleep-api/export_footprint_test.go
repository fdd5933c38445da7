package main

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"sleeptracker/internal/auth"
	"sleeptracker/internal/liveserver"
	"sleeptracker/internal/sleep"
	"sleeptracker/internal/store"
)

// The footprint of the file routes on the real binary (SPEC §13.1, §13.2;
// issue 13's targets): a ten-year diary — 3,650 nights with a note each and
// a timed exercise event every second day — exported as JSON and CSV and
// downloaded as a backup, each by a fresh server. It reports the time of the
// whole download and the rise of the server's peak RSS (VmHWM) over its peak
// after start-up, and fails when an export's rise exceeds 10 MB: memory must
// not grow with the diary. Figures go to docs/performance.md:
//
//	go test ./cmd/sleep-api -run TestFileRouteFootprint -v

// footprintTargetKiB is the aim for the peak RSS rise of an export.
const footprintTargetKiB = 10 * 1000 * 1000 / 1024

func TestFileRouteFootprint(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the real server and writes a ten-year diary")
	}
	binary := liveBinary(t)
	dbPath := filepath.Join(t.TempDir(), "ten-years.db")
	writeTenYearDiary(t, dbPath)
	secret := strings.Repeat("k", 32)
	cookie := forgeLiveSession(t, dbPath, []byte(secret))

	for _, tc := range []struct {
		name, path string
		targetKiB  int64 // 0: report only
	}{
		{"export JSON", "/api/export", footprintTargetKiB},
		{"export CSV", "/api/export?format=csv", footprintTargetKiB},
		{"backup", "/api/backup", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := liveserver.Start(liveserver.Config{Binary: binary, DatabasePath: dbPath, Admin: testAdmin(t),
				ExtraEnv: []string{"SESSION_SECRET=" + secretBase64(secret)}})
			if err != nil {
				t.Fatal(err)
			}
			defer p.Kill()
			// Warm up the request path (session check, first query) so that
			// the baseline is a serving server, not one that never ran a query.
			if n, _, err := liveGet(p.URL+"/api/sleep/recent", cookie); err != nil || n == 0 {
				t.Fatalf("warm-up: %d bytes, %v", n, err)
			}
			before, err := p.PeakRSSKiB()
			if err != nil {
				t.Skip("no /proc VmHWM here:", err)
			}
			size, took, err := liveGet(p.URL+tc.path, cookie)
			if err != nil {
				t.Fatal(err)
			}
			after, err := p.PeakRSSKiB()
			if err != nil {
				t.Fatal(err)
			}
			rise := after - before
			t.Logf("%s: %.2f MB in %s; server peak RSS %.1f MB → %.1f MB (+%.1f MB)", tc.name, float64(size)/1e6,
				took.Round(time.Millisecond), float64(before)*1024/1e6, float64(after)*1024/1e6, float64(rise)*1024/1e6)
			if tc.targetKiB > 0 && rise > tc.targetKiB {
				t.Errorf("%s raised the server's peak RSS by %d KiB, more than the %d KiB aim", tc.name, rise, tc.targetKiB)
			}
		})
	}
}

// liveGet downloads url with the cookie header and returns the body size and
// the time from the request to the last byte.
func liveGet(url, cookie string) (int64, time.Duration, error) {
	start := time.Now()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("Cookie", cookie)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET %s: status %d", url, resp.StatusCode)
	}
	return n, time.Since(start), err
}

func secretBase64(secret string) string { return base64.StdEncoding.EncodeToString([]byte(secret)) }

// forgeLiveSession stores a login session in the database file and returns
// the Cookie header a server started with SESSION_SECRET=secret accepts
// (development cookie names). A real login would run argon2, whose 19 MiB
// would set the peak RSS that the measurement is about.
func forgeLiveSession(t *testing.T, dbPath string, secret []byte) string {
	t.Helper()
	st, err := store.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	id := auth.NewSessionID()
	now := time.Now().UTC().Truncate(time.Second)
	csrf := strings.Repeat("c", 43)
	if err := st.CreateLoginSession(context.Background(), store.LoginSession{IDHash: id.Hash(), CSRFToken: csrf,
		CreatedAt: now, ExpiresAt: now.Add(12 * time.Hour), LastSeenAt: now}); err != nil {
		t.Fatal(err)
	}
	sealer, err := auth.NewCookieSealer(secret)
	if err != nil {
		t.Fatal(err)
	}
	return "session=" + sealer.Seal("session", id) + "; csrf=" + csrf
}

// writeTenYearDiary writes footprintNights() nights ending 2025-06-19, each with diary
// items and a note of about 80 characters, and a 30-minute timed exercise
// event every second day, in one transaction.
func writeTenYearDiary(t *testing.T, path string) {
	t.Helper()
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	db := openDatabaseFile(t, path)
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	last, _ := sleep.ParseDate("2025-06-19")
	nights := footprintNights()
	for i := range nights {
		date := last.AddDays(i - nights + 1).String()
		bed := sleep.Clock((22*3600 + i*977%(3*3600)) % 86400)
		wake := sleep.Clock(6*3600 + i*613%(2*3600))
		minutes, _, _ := sleep.ComputeDuration(last.AddDays(i-nights+1), bed, wake, time.UTC)
		if _, err := tx.Exec(`INSERT INTO sleep_sessions (wake_date, bed_time, wake_time, latency_min, awakenings, quality,
			duration_min, in_bed_time, waso_min, out_of_bed_time, rested, alcohol_drinks, caffeine_drinks, medication)
			VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, NULL, ?, ?, ?, ?)`,
			date, bed.String(), wake.String(), i*11%60, i%4, 1+i*7%5, minutes, i%45, 1+i%5, i%3, i%4,
			[]any{nil, "melatonin 2 mg"}[i%2]); err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec("INSERT INTO notes (date, body) VALUES (?, ?)", date,
			fmt.Sprintf("night %d: coffee after 3 pm, read before bed, woke once around four, felt ok", i)); err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			if _, err := tx.Exec(`INSERT INTO exercise_events (date, intensity, start_time, duration_min)
				VALUES (?, 'light', '18:00:00', 30)`, date); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// footprintNights is 3,650 (ten years) unless SLEEPTRACKER_FOOTPRINT_NIGHTS
// asks for another size, to see whether memory follows the diary's size
// (it must not): SLEEPTRACKER_FOOTPRINT_NIGHTS=36500 go test -count 1 …
func footprintNights() int {
	if n, err := strconv.Atoi(os.Getenv("SLEEPTRACKER_FOOTPRINT_NIGHTS")); err == nil && n > 0 && n <= 36500 {
		return n
	}
	return 3650
}
